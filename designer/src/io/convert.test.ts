// Importing Camunda Modeler files: camunda:/zeebe: attributes become sl: attributes the engine and
// the properties panel read; a diagram without DI is laid out.
import { compile } from '@serviceloom/engine';
import { describe, expect, test } from 'vitest';
import { convertToServiceLoom, dialectOf } from './convert.ts';
import { layoutIfNeeded, needsLayout, prepareForEditing } from './layout.ts';

const CAMUNDA = `<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="x">
  <bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
  <bpmn:userTask id="t" camunda:assignee="bob" camunda:candidateGroups="a,b" camunda:formKey="f1"><bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter name="x">hello</camunda:inputParameter><camunda:outputParameter name="y">\${x}</camunda:outputParameter></camunda:inputOutput></bpmn:extensionElements></bpmn:userTask>
  <bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="st"/><bpmn:serviceTask id="st" camunda:type="external" camunda:topic="mail"/><bpmn:sequenceFlow id="f3" sourceRef="st" targetRef="e"/><bpmn:endEvent id="e"/></bpmn:process></bpmn:definitions>`;

const ZEEBE = `<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="x">
  <bpmn:process id="z" isExecutable="true"><bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
  <bpmn:userTask id="t"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="ops"/><zeebe:formDefinition formKey="approve"/></bpmn:extensionElements></bpmn:userTask>
  <bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="st"/>
  <bpmn:serviceTask id="st"><bpmn:extensionElements><zeebe:taskDefinition type="charge" retries="5"/><zeebe:ioMapping><zeebe:input source="=amount" target="sum"/><zeebe:input source="EUR" target="currency"/></zeebe:ioMapping></bpmn:extensionElements></bpmn:serviceTask>
  <bpmn:sequenceFlow id="f3" sourceRef="st" targetRef="r"/>
  <bpmn:receiveTask id="r" messageRef="m"/>
  <bpmn:sequenceFlow id="f4" sourceRef="r" targetRef="e"/><bpmn:endEvent id="e"/></bpmn:process>
  <bpmn:message id="m" name="paid"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements></bpmn:message>
</bpmn:definitions>`;

describe('import', () => {
  test('Camunda 7 attributes become sl: attributes and still compile the same', async () => {
    expect(dialectOf(CAMUNDA)).toBe('camunda');
    const { xml, from } = await convertToServiceLoom(CAMUNDA);
    expect(from).toBe('camunda');
    expect(xml).not.toContain('camunda:');
    expect(xml).toContain('sl:assignee="bob"');
    const d = await compile(xml);
    expect(d.nodes.t?.userTask?.candidateGroups).toEqual({ literal: 'a,b' });
    expect(d.nodes.t?.userTask?.formKey).toBe('f1');
    expect(d.nodes.st?.job?.type).toBe('mail');
    expect(d.nodes.t?.inputs.map((m) => m.target)).toEqual(['x']);
    expect(d.nodes.t?.outputs.map((m) => m.target)).toEqual(['y']);
  });

  test('Camunda 8 (zeebe) extension elements become sl: attributes', async () => {
    const { xml } = await convertToServiceLoom(ZEEBE);
    expect(xml).not.toContain('zeebe:');
    const d = await compile(xml);
    expect(d.nodes.t?.userTask?.candidateGroups).toEqual({ literal: 'ops' });
    expect(d.nodes.st?.job).toEqual({ type: 'charge', retries: 5 });
    expect(d.nodes.st?.inputs.map((m) => [m.target, m.source.evaluate({ amount: 3 })])).toEqual([
      ['sum', 3],
      ['currency', 'EUR'],
    ]);
    expect(d.nodes.r?.event?.correlationKey?.source).toBe('=orderId');
  });

  test('a ServiceLoom document is left as it is', async () => {
    const sl = CAMUNDA.replace('xmlns:camunda', 'xmlns:sl="http://serviceloom.dev/schema/bpmn" xmlns:camunda');
    expect((await convertToServiceLoom(sl)).xml).toBe(sl);
  });

  test('a diagram without DI is laid out left to right, following its flows', async () => {
    expect(needsLayout(CAMUNDA)).toBe(true);
    const { xml, laidOut } = await layoutIfNeeded((await convertToServiceLoom(CAMUNDA)).xml);
    expect(laidOut).toBe(true);
    expect(needsLayout(xml)).toBe(false);
    const x = (id: string) => Number(new RegExp(`bpmnElement="${id}">\\s*<dc:Bounds x="(\\d+)"`).exec(xml)?.[1]);
    expect(x('s')).toBeLessThan(x('t'));
    expect(x('t')).toBeLessThan(x('st'));
    expect(x('st')).toBeLessThan(x('e'));
    expect(xml).toContain('<bpmndi:BPMNEdge id="f2_di"');
    const again = await prepareForEditing(xml);
    expect(again.laidOut).toBe(false);
  });
});
