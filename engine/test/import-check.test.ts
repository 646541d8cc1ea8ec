// The importer's report sorts what compile() finds about a model of another dialect: what runs as
// written, what was mapped and onto what, what is ignored (each also a warning) and what is refused.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flowable JUEL expressions are written ${...}
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkImport, compile, DefinitionError, UnreadableDocumentError } from '../src/index.ts';

const corpus = (file: string) =>
  readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../testdata/bpmn-models', file), 'utf8');

const flowable = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:flowable="http://flowable.org/bpmn" id="d" targetNamespace="x">
  <process id="leave" isExecutable="true">
    <startEvent id="s"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
    <userTask id="t" flowable:assignee="\${initiator}" flowable:candidateGroups="hr" flowable:async="true">
      <extensionElements><flowable:taskListener event="create" class="org.acme.Notify"/></extensionElements>
    </userTask>
    <sequenceFlow id="f2" sourceRef="t" targetRef="e"/>
    <endEvent id="e"/>
  </process>
</definitions>`;

describe('checkImport', () => {
  it('a Flowable model: mapped attributes, the listener ignored with its warning, the rest as written', async () => {
    const report = await checkImport(flowable);
    expect(report).toMatchObject({ runs: true, dialect: 'flowable', processId: 'leave' });
    expect(report.mapped).toEqual([
      { element: 't', attribute: 'flowable:assignee="${initiator}"', to: "the task's assignee (sl:assignee)" },
      { element: 't', attribute: 'flowable:candidateGroups="hr"', to: "the task's candidate groups (sl:candidateGroups)" },
      { element: 't', attribute: 'flowable:async="true"', to: expect.stringMatching(/^nothing: kept/) },
    ]);
    expect(report.ignored).toEqual([
      {
        element: 't',
        what: 'flowable:taskListener (class="org.acme.Notify" event="create")',
        reason: expect.stringMatching(/^listeners do not run here/),
      },
    ]);
    expect(report.refused).toEqual([]);
    expect(report.asWritten.map((e) => e.element).sort()).toEqual(['e', 'f1', 'f2', 's']);
    // The warnings are exactly the ones a deployment gets.
    expect(report.warnings).toEqual((await compile(flowable)).warnings.map(({ elementId, message }) => ({ elementId, message })));
  });

  it('a Camunda 8 model from the corpus: Zeebe task definitions mapped, task headers ignored with a warning', async () => {
    const report = await checkImport(corpus('zeebe-node/connector_test.bpmn'));
    expect(report.runs).toBe(true);
    expect(report.dialect).toBe('zeebe');
    expect(report.mapped.some((m) => m.attribute.startsWith('zeebe:taskDefinition') && m.to.includes('sl:type'))).toBe(true);
    expect(report.ignored.some((f) => f.what.startsWith('zeebe:taskHeaders'))).toBe(true);
    expect(report.ignored.length).toBeLessThanOrEqual(report.warnings.length);
  });

  it('a Camunda 7 model with listeners: each listener named as ignored', async () => {
    const report = await checkImport(corpus('process-engine-core/customized_signal_end_event_payload.bpmn'));
    expect(report.runs).toBe(true);
    expect(report.ignored.map((f) => f.what)).toContain('camunda:executionListener (class="" event="")');
  });

  it('a refused model from the corpus: runs false, each refusal naming its element, as compile() refuses it', async () => {
    const xml = corpus('process-engine-core/DemoNutztierRiss.bpmn');
    const report = await checkImport(xml);
    expect(report.runs).toBe(false);
    expect(report.refused.length).toBeGreaterThan(0);
    const refusal = await compile(xml).catch((e: DefinitionError) => e);
    expect(refusal).toBeInstanceOf(DefinitionError);
    expect(report.refused.map((r) => r.element)).toEqual((refusal as DefinitionError).problems.map((p) => p.elementId));
    expect(report.refused).toContainEqual({
      element: 'Task_01xg9lr',
      what: '',
      reason: 'a service task needs sl:type: the job type or connector that does the work',
    });
  });

  it('a Java delegate is refused with the delegate as what', async () => {
    const xml = flowable.replace('<userTask id="t"', '<serviceTask id="j" flowable:class="com.acme.X"/><userTask id="t"');
    const report = await checkImport(xml);
    expect(report.refused).toContainEqual({
      element: 'j',
      what: 'Java delegate flowable:class="com.acme.X"',
      reason: 'cannot run here: use a job type (sl:type) for a worker or connector',
    });
  });

  it('content the parser cannot read is refused by name; text that is no BPMN at all is unreadable', async () => {
    const report = await checkImport(corpus('process-engine-core/subprocess_links_test.bpmn'));
    expect(report.runs).toBe(false);
    expect(report.refused[0]?.reason).toMatch(/<bpmn:process>/);
    await expect(checkImport('<definitions')).rejects.toBeInstanceOf(UnreadableDocumentError);
    await expect(checkImport('')).rejects.toBeInstanceOf(UnreadableDocumentError);
  });
});
