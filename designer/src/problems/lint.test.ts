import { describe, expect, test } from 'vitest';
import { hasErrors, lint } from './lint.ts';

const doc = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <bpmn:process id="p" isExecutable="true">${body}</bpmn:process>
</bpmn:definitions>`;

describe('lint (the engine compile in the designer)', () => {
  test('a gateway flow without a condition is an error on that flow, pointing at the condition field', async () => {
    const problems = await lint(
      doc(`<bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="gw"/>
      <bpmn:exclusiveGateway id="gw"/>
      <bpmn:sequenceFlow id="a" sourceRef="gw" targetRef="e1"><bpmn:conditionExpression>= x</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="b" sourceRef="gw" targetRef="e2"/>
      <bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>`),
    );
    expect(problems).toEqual([expect.objectContaining({ elementId: 'b', severity: 'error', field: 'condition' })]);
    expect(problems[0]?.message).toContain('gateway "gw"');
    expect(hasErrors(problems)).toBe(true);
  });

  test('warnings alone do not block', async () => {
    const problems = await lint(
      doc(
        `<bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="e"/><bpmn:endEvent id="e"/><bpmn:task id="lonely"/>`,
      ),
    );
    expect(problems).toEqual([expect.objectContaining({ elementId: 'lonely', severity: 'warning' })]);
    expect(hasErrors(problems)).toBe(false);
  });

  test('unreadable XML is one document-level error', async () => {
    const problems = await lint('<not-bpmn');
    expect(problems).toHaveLength(1);
    expect(problems[0]?.severity).toBe('error');
  });
});
