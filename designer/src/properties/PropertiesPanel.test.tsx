// @vitest-environment happy-dom
// Each field of the properties panel: shown for its element, writes the BPMN XML through modeling,
// and undo restores both the XML and the field.
import { cleanup, fireEvent } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { FIXTURE } from '../test/fixture.ts';
import { openModel, showPanel, undo, xmlOf } from '../test/harness.tsx';

afterEach(() => {
  cleanup();
  document.body.innerHTML = '';
});

type Input = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

async function editAndUndo(elementId: string | undefined, field: string, value: string, expected: string | RegExp) {
  const modeler = await openModel(FIXTURE);
  const view = showPanel({ modeler, elementId });
  const input = view.getByTestId(`prop-${field}`) as Input;
  const shown = input.value;
  fireEvent.change(input, { target: { value } });
  fireEvent.blur(input);
  const after = await xmlOf(modeler);
  if (typeof expected === 'string') expect(after).toContain(expected);
  else expect(after).toMatch(expected);
  undo(modeler);
  const restored = await xmlOf(modeler);
  if (typeof expected === 'string') expect(restored).not.toContain(expected);
  else expect(restored).not.toMatch(expected);
  expect((view.getByTestId(`prop-${field}`) as Input).value).toBe(shown);
  return { modeler, view };
}

describe('text fields', () => {
  const cases: Array<[string | undefined, string, string, string | RegExp]> = [
    [undefined, 'processId', 'incident-v2', '<bpmn:process id="incident-v2"'],
    [undefined, 'name', 'Incident flow', 'name="Incident flow"'],
    ['ut', 'name', 'Check it', 'name="Check it"'],
    ['ut', 'documentation', 'Why we check', '<bpmn:documentation>Why we check</bpmn:documentation>'],
    ['ut', 'assignee', 'alice', 'sl:assignee="alice"'],
    ['ut', 'candidateGroups', 'service-desk,network', 'sl:candidateGroups="service-desk,network"'],
    ['ut', 'formKey', 'triage-form', 'sl:formKey="triage-form"'],
    ['ut', 'dueDate', 'PT4H', 'sl:dueDate="PT4H"'],
    ['start', 'formKey', 'report-form', 'sl:formKey="report-form"'],
    ['svc', 'type', 'send-invoice', 'sl:type="send-invoice"'],
    ['svc', 'retries', '5', 'sl:retries="5"'],
    ['script', 'script', '= a + b', /scriptFormat="feel"[^>]*>.*<bpmn:script>= a \+ b<\/bpmn:script>/s],
    ['script', 'resultVariable', 'total', 'sl:resultVariable="total"'],
    ['f_yes', 'condition', '= approved', /<bpmn:conditionExpression[^>]*>= approved<\/bpmn:conditionExpression>/],
    ['timer', 'timerValue', 'PT2H', /<bpmn:timeDuration[^>]*>PT2H<\/bpmn:timeDuration>/],
    ['msg', 'message', 'reply-received', /<bpmn:message id="[^"]+" name="reply-received"/],
    ['msg', 'correlationKey', '= ticketId', 'sl:correlationKey="= ticketId"'],
    ['sig', 'signal', 'major-outage', /<bpmn:signal id="[^"]+" name="major-outage"/],
    ['esc', 'escalation', 'SLA_BREACH', /<bpmn:escalation id="[^"]+" name="SLA_BREACH" escalationCode="SLA_BREACH"/],
    ['errEnd', 'error', 'REJECTED', /<bpmn:error id="[^"]+" name="REJECTED" errorCode="REJECTED"/],
    ['call', 'calledElement', 'child-process', 'calledElement="child-process"'],
    ['call', 'calledVersion', '2', 'sl:calledVersion="2"'],
  ];
  test.each(cases)('%s %s', async (elementId, field, value, expected) => {
    await editAndUndo(elementId, field, value, expected);
  });

  test('a message event points at the message; undo removes both', async () => {
    const { modeler } = await editAndUndo('msg', 'message', 'reply-received', /messageRef="[^"]+"/);
    expect(await xmlOf(modeler)).not.toContain('<bpmn:message ');
  });
});

describe('selects and checkboxes', () => {
  test('service task connector: type and inputs', async () => {
    const modeler = await openModel(FIXTURE);
    const view = showPanel({ modeler, elementId: 'svc' });
    fireEvent.change(view.getByTestId('prop-implementation'), { target: { value: 'http' } });
    expect(await xmlOf(modeler)).toContain('sl:type="http"');
    const url = view.getByTestId('prop-input-url');
    fireEvent.change(url, { target: { value: '"https://example.com/hook"' } });
    fireEvent.blur(url);
    expect(await xmlOf(modeler)).toContain('<sl:input source="&#34;https://example.com/hook&#34;" target="url" />');
    undo(modeler);
    expect(await xmlOf(modeler)).not.toContain('<sl:input');
    expect((view.getByTestId('prop-input-url') as HTMLInputElement).value).toBe('');
    undo(modeler);
    expect(await xmlOf(modeler)).not.toContain('sl:type="http"');
  });

  test('candidate group picker toggles groups', async () => {
    const modeler = await openModel(FIXTURE);
    const view = showPanel({
      modeler,
      elementId: 'ut',
      groups: [
        { id: 'service-desk', name: 'Service Desk' },
        { id: 'network', name: 'Network' },
      ],
    });
    fireEvent.click(view.getByTestId('group-network'));
    fireEvent.click(view.getByTestId('group-service-desk'));
    expect(await xmlOf(modeler)).toContain('sl:candidateGroups="network,service-desk"');
    expect((view.getByTestId('prop-candidateGroups') as HTMLInputElement).value).toBe('network,service-desk');
    undo(modeler);
    expect(await xmlOf(modeler)).toContain('sl:candidateGroups="network"');
  });

  test('default flow', async () => {
    const modeler = await openModel(FIXTURE);
    const view = showPanel({ modeler, elementId: 'f_no' });
    fireEvent.click(view.getByTestId('prop-defaultFlow'));
    expect(await xmlOf(modeler)).toMatch(/<bpmn:exclusiveGateway id="gw"[^>]*default="f_no"/);
    expect(view.queryByTestId('prop-condition')).toBeNull();
    undo(modeler);
    expect(await xmlOf(modeler)).not.toContain('default="f_no"');
  });

  test('timer kind and the human-readable preview', async () => {
    const modeler = await openModel(FIXTURE);
    const view = showPanel({ modeler, elementId: 'timer' });
    fireEvent.change(view.getByTestId('prop-timerKind'), { target: { value: 'cycle' } });
    const value = view.getByTestId('prop-timerValue');
    fireEvent.change(value, { target: { value: 'R3/PT1H' } });
    fireEvent.blur(value);
    expect(await xmlOf(modeler)).toMatch(/<bpmn:timeCycle[^>]*>R3\/PT1H<\/bpmn:timeCycle>/);
    expect(view.getByTestId('timer-preview').textContent).toBe('every 1 hour, 3 times');
    undo(modeler);
    expect(await xmlOf(modeler)).not.toContain('R3/PT1H');
  });

  test('multi-instance: mode, collection, element variable, outputs, completion condition', async () => {
    const modeler = await openModel(FIXTURE);
    const view = showPanel({ modeler, elementId: 'ut' });
    fireEvent.change(view.getByTestId('prop-multiInstance'), { target: { value: 'sequential' } });
    expect(await xmlOf(modeler)).toMatch(/<bpmn:multiInstanceLoopCharacteristics isSequential="true"/);
    const set = (field: string, v: string) => {
      const input = view.getByTestId(`prop-${field}`);
      fireEvent.change(input, { target: { value: v } });
      fireEvent.blur(input);
    };
    set('collection', '= approvers');
    set('elementVariable', 'approver');
    set('outputCollection', 'votes');
    set('outputElement', '= vote');
    set('completionCondition', '= numberOfCompletedInstances >= 2');
    const xml = await xmlOf(modeler);
    expect(xml).toContain('sl:collection="= approvers"');
    expect(xml).toContain('sl:elementVariable="approver"');
    expect(xml).toContain('sl:outputCollection="votes"');
    expect(xml).toContain('sl:outputElement="= vote"');
    expect(xml).toMatch(/<bpmn:completionCondition[^>]*>= numberOfCompletedInstances &gt;= 2<\/bpmn:completionCondition>/);
    undo(modeler);
    expect(await xmlOf(modeler)).not.toContain('completionCondition');
    expect((view.getByTestId('prop-outputElement') as HTMLTextAreaElement).value).toBe('= vote');
    for (let i = 0; i < 5; i++) undo(modeler);
    expect(await xmlOf(modeler)).not.toContain('multiInstanceLoopCharacteristics');
  });

  test('call activity: process picker and variable propagation', async () => {
    const modeler = await openModel(FIXTURE);
    const view = showPanel({ modeler, elementId: 'call', processes: [{ key: 'demo-incident', name: 'Incident', version: 3 }] });
    fireEvent.change(view.getByTestId('process-picker'), { target: { value: 'demo-incident' } });
    expect(await xmlOf(modeler)).toContain('calledElement="demo-incident"');
    fireEvent.click(view.getByTestId('prop-propagate'));
    expect(await xmlOf(modeler)).toContain('sl:propagateAllChildVariables="false"');
    undo(modeler);
    expect(await xmlOf(modeler)).not.toContain('propagateAllChildVariables');
    undo(modeler);
    expect(await xmlOf(modeler)).not.toContain('calledElement');
  });

  test('input and output mappings', async () => {
    const modeler = await openModel(FIXTURE);
    const view = showPanel({ modeler, elementId: 'ut' });
    fireEvent.click(view.getByTestId('mapping-add-inputs'));
    fireEvent.change(view.getByTestId('mapping-inputs-0-source'), { target: { value: '= ticket.priority' } });
    fireEvent.change(view.getByTestId('mapping-inputs-0-target'), { target: { value: 'priority' } });
    fireEvent.blur(view.getByTestId('mapping-inputs-0-target'));
    fireEvent.click(view.getByTestId('mapping-add-outputs'));
    fireEvent.change(view.getByTestId('mapping-outputs-0-source'), { target: { value: '= decision' } });
    fireEvent.change(view.getByTestId('mapping-outputs-0-target'), { target: { value: 'approved' } });
    fireEvent.blur(view.getByTestId('mapping-outputs-0-target'));
    const xml = await xmlOf(modeler);
    expect(xml).toContain('<sl:input source="= ticket.priority" target="priority" />');
    expect(xml).toContain('<sl:output source="= decision" target="approved" />');
    undo(modeler);
    expect(await xmlOf(modeler)).not.toContain('<sl:output');
    expect(view.queryByTestId('mapping-outputs-0-source')).toBeNull();
    undo(modeler);
    expect(await xmlOf(modeler)).not.toContain('sl:inputOutput');
  });

  test('boundary-free interrupting toggle is absent on intermediate events', async () => {
    const modeler = await openModel(FIXTURE);
    const view = showPanel({ modeler, elementId: 'timer' });
    expect(view.queryByTestId('prop-interrupting')).toBeNull();
  });
});

describe('FEEL fields', () => {
  test('a syntax error shows at once, before anything is written', async () => {
    const modeler = await openModel(FIXTURE);
    const view = showPanel({ modeler, elementId: 'f_yes' });
    fireEvent.change(view.getByTestId('prop-condition'), { target: { value: '= amount >' } });
    expect(view.getByTestId('prop-condition-error').textContent).toMatch(/amount|position/);
    fireEvent.change(view.getByTestId('prop-condition'), { target: { value: '= amount > 10' } });
    expect(view.queryByTestId('prop-condition-error')).toBeNull();
  });

  test('variables the model defines are suggested', async () => {
    const modeler = await openModel(FIXTURE);
    showPanel({ modeler, elementId: 'script' }).unmount();
    const script = showPanel({ modeler, elementId: 'script' });
    const result = script.getByTestId('prop-resultVariable');
    fireEvent.change(result, { target: { value: 'riskScore' } });
    fireEvent.blur(result);
    script.unmount();
    const view = showPanel({ modeler, elementId: 'f_yes' });
    fireEvent.change(view.getByTestId('prop-condition'), { target: { value: '= ri' } });
    const chips = view.getAllByTestId('feel-suggestion').map((c) => c.textContent);
    expect(chips).toContain('riskScore');
    fireEvent.click(view.getAllByTestId('feel-suggestion')[0] as HTMLElement);
    expect(await xmlOf(modeler)).toMatch(/<bpmn:conditionExpression[^>]*>= riskScore<\/bpmn:conditionExpression>/);
  });
});

describe('the form key picker', () => {
  const forms = [
    { key: 'triage-form', name: 'Triage', version: 2 },
    { key: 'report-form', name: 'Report', version: 1 },
  ];

  test('offers the published forms and writes the picked key', async () => {
    const modeler = await openModel(FIXTURE);
    const view = showPanel({ modeler, elementId: 'ut', forms });
    const select = view.getByTestId('prop-formKey') as HTMLSelectElement;
    expect(select.tagName).toBe('SELECT');
    expect([...select.options].map((o) => o.value)).toEqual(['', 'triage-form', 'report-form']);
    fireEvent.change(select, { target: { value: 'report-form' } });
    expect(await xmlOf(modeler)).toContain('sl:formKey="report-form"');
    fireEvent.change(view.getByTestId('prop-formKey'), { target: { value: '' } });
    expect(await xmlOf(modeler)).not.toContain('sl:formKey="report-form"');
  });

  test('keeps a key no published form has, so opening a model never loses it', async () => {
    const modeler = await openModel(FIXTURE.replace('<bpmn:userTask id="ut"', '<bpmn:userTask id="ut" sl:formKey="legacy-form"'));
    const view = showPanel({ modeler, elementId: 'ut', forms });
    const select = view.getByTestId('prop-formKey') as HTMLSelectElement;
    expect(select.value).toBe('legacy-form');
    expect([...select.options].map((o) => o.value)).toContain('legacy-form');
  });
});
