// Variables: where completion, message and mapped variables land (docs/api.md "BPMN: the
// `sl:` extension"), the same rules for imported Camunda 7 and Camunda 8 documents, and the state
// contract of execute(): the input is never changed and the output is plain JSON.
import { describe, expect, it } from 'vitest';
import { compile, EngineError, execute, type InstanceState, openWaits, visibleVariables } from '../src/index.ts';
import { bpmn, deepFreeze, flow, Run, T0 } from './harness.ts';

const io = (mappings: string) => `<bpmn:extensionElements><sl:inputOutput>${mappings}</sl:inputOutput></bpmn:extensionElements>`;

describe('completion variables', () => {
  it('overwrite a process variable of the same name and add new ones at the process', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'review')}
      <bpmn:userTask id="review"/>
      ${flow('f2', 'review', 'end')}
      <bpmn:endEvent id="end"/>`),
      { status: 'new', ticket: 1 },
    );
    run.completeTask('review', { status: 'reviewed', reviewer: 'ann' });
    expect(run.variables).toEqual({ status: 'reviewed', ticket: 1, reviewer: 'ann' });
  });

  it('inside a subprocess update the subprocess variable of that name, and go to the process otherwise', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'sub')}
      <bpmn:subProcess id="sub">
        ${io('<sl:input source="=0" target="attempts"/>')}
        <bpmn:startEvent id="subStart"/>
        ${flow('s1', 'subStart', 'work')}
        <bpmn:userTask id="work"/>
        ${flow('s2', 'work', 'check')}
        <bpmn:userTask id="check"/>
        ${flow('s3', 'check', 'subEnd')}
        <bpmn:endEvent id="subEnd"/>
      </bpmn:subProcess>
      ${flow('f2', 'sub', 'end')}
      <bpmn:endEvent id="end"/>`),
      { ticket: 1 },
    );
    run.completeTask('work', { attempts: 1, note: 'tried a reboot' });
    const sub = Object.values(run.state.elements).find((e) => e.el === 'sub');
    expect(sub?.vars).toEqual({ attempts: 1 });
    expect(run.variables).toEqual({ ticket: 1, note: 'tried a reboot' });
    const check = Object.values(run.state.elements).find((e) => e.el === 'check');
    expect(visibleVariables(run.state, check?.id as string)).toEqual({ ticket: 1, note: 'tried a reboot', attempts: 1 });
    run.completeTask('check');
    expect(run.status).toBe('completed');
    expect(run.variables).toEqual({ ticket: 1, note: 'tried a reboot' });
  });

  it('delivered with a message follow the same rule', async () => {
    const run = await Run.start(
      bpmn(
        `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'sub')}
      <bpmn:subProcess id="sub">
        ${io('<sl:input source="=null" target="reply"/>')}
        <bpmn:startEvent id="subStart"/>
        ${flow('s1', 'subStart', 'wait')}
        <bpmn:intermediateCatchEvent id="wait"><bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent>
        ${flow('s2', 'wait', 'use')}
        <bpmn:serviceTask id="use" sl:type="use"/>
        ${flow('s3', 'use', 'subEnd')}
        <bpmn:endEvent id="subEnd"/>
      </bpmn:subProcess>
      ${flow('f2', 'sub', 'end')}
      <bpmn:endEvent id="end"/>`,
        'p',
        '<bpmn:message id="m" name="reply"/>',
      ),
    );
    run.message('wait', { reply: 'yes', from: 'customer' });
    expect(run.effectsOf('jobCreated')[0]?.variables).toEqual({ reply: 'yes', from: 'customer' });
    expect(run.variables).toEqual({ from: 'customer' });
  });

  it('are copied, so changing the object passed in afterwards changes nothing', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'review')}
      <bpmn:userTask id="review"/>
      ${flow('f2', 'review', 'end')}
      <bpmn:endEvent id="end"/>`),
    );
    const given = { order: { lines: [1, 2] } };
    run.completeTask('review', given);
    given.order.lines.push(3);
    expect(run.variables).toEqual({ order: { lines: [1, 2] } });
  });

  it('setVariables sets process variables that later conditions read', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'wait')}
      <bpmn:userTask id="wait"/>
      ${flow('f2', 'wait', 'gw')}
      <bpmn:exclusiveGateway id="gw" default="fNo"/>
      ${flow('fYes', 'gw', 'yes', 'approved')}
      ${flow('fNo', 'gw', 'no')}
      <bpmn:endEvent id="yes"/>
      <bpmn:endEvent id="no"/>`),
    );
    run.do({ type: 'setVariables', variables: { approved: true } });
    expect(run.variables).toEqual({ approved: true });
    run.completeTask('wait');
    expect(run.completed()).toEqual(['start', 'wait', 'gw', 'yes']);
  });
});

describe('input and output mappings', () => {
  const job = (mappings: string) =>
    bpmn(`
    <bpmn:startEvent id="start"/>
    ${flow('f1', 'start', 'task')}
    <bpmn:serviceTask id="task" sl:type="work">${io(mappings)}</bpmn:serviceTask>
    ${flow('f2', 'task', 'end')}
    <bpmn:endEvent id="end"/>`);

  it('inputs create local variables the task sees and the process does not', async () => {
    const run = await Run.start(
      job('<sl:input source="=amount * 2" target="limit"/><sl:input source="=&quot;EUR&quot;" target="currency"/>'),
      {
        amount: 50,
      },
    );
    expect(run.effectsOf('jobCreated')[0]?.variables).toEqual({ amount: 50, limit: 100, currency: 'EUR' });
    expect(run.variables).toEqual({ amount: 50 });
    run.completeJob('task');
    expect(run.variables).toEqual({ amount: 50 });
  });

  it('an input can shadow a process variable for the task only', async () => {
    const run = await Run.start(job('<sl:input source="=amount + 1" target="amount"/>'), { amount: 50 });
    expect(run.effectsOf('jobCreated')[0]?.variables).toEqual({ amount: 51 });
    // The completion variable lands in the task's own "amount", which ends with the task.
    run.completeJob('task', { amount: 99 });
    expect(run.variables).toEqual({ amount: 50 });
  });

  it('with outputs, only the mapped values reach the process, computed from the completion variables', async () => {
    const run = await Run.start(
      job('<sl:output source="=result.total * 2" target="total"/><sl:output source="=result.items[1]" target="firstItem"/>'),
      { amount: 50 },
    );
    run.completeJob('task', { result: { total: 21, items: ['a', 'b'] } });
    expect(run.variables).toEqual({ amount: 50, total: 42, firstItem: 'a' });
  });

  it('outputs can read the inputs and the process variables', async () => {
    const run = await Run.start(job('<sl:input source="=10" target="fee"/><sl:output source="=amount + fee + extra" target="charged"/>'), {
      amount: 50,
    });
    run.completeJob('task', { extra: 1 });
    expect(run.variables).toEqual({ amount: 50, charged: 61 });
  });

  it('an output inside a subprocess updates the subprocess variable of that name', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'sub')}
      <bpmn:subProcess id="sub">
        ${io('<sl:input source="=0" target="score"/><sl:output source="=score" target="finalScore"/>')}
        <bpmn:startEvent id="subStart"/>
        ${flow('s1', 'subStart', 'rate')}
        <bpmn:serviceTask id="rate" sl:type="rate">${io('<sl:output source="=raw * 10" target="score"/>')}</bpmn:serviceTask>
        ${flow('s2', 'rate', 'subEnd')}
        <bpmn:endEvent id="subEnd"/>
      </bpmn:subProcess>
      ${flow('f2', 'sub', 'end')}
      <bpmn:endEvent id="end"/>`),
    );
    run.completeJob('rate', { raw: 4 });
    expect(run.status).toBe('completed');
    expect(run.variables).toEqual({ finalScore: 40 });
  });
});

const C7 = 'http://camunda.org/schema/1.0/bpmn';
const C8 = 'http://camunda.org/schema/zeebe/1.0';

function document(prefix: 'camunda' | 'zeebe', body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:${prefix}="${prefix === 'camunda' ? C7 : C8}" id="defs" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="purchase" isExecutable="true">
${body}
  </bpmn:process>
</bpmn:definitions>`;
}

/** A Camunda 7 JUEL expression: `${...}`. */
const juel = (expr: string) => `$\{${expr}}`;

const condition = (text: string) =>
  `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${text.replace(/>/g, '&gt;')}</bpmn:conditionExpression>`;

/** The same purchase approval in both dialects: approve (user task) -> amount > 100 ? bill (job) : end. */
const camunda7 = document(
  'camunda',
  `
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve"/>
    <bpmn:userTask id="approve" name="Approve" camunda:assignee="\${manager}" camunda:candidateGroups="finance, managers" camunda:formKey="approve-form">
      <bpmn:extensionElements>
        <camunda:inputOutput>
          <camunda:inputParameter name="limit">\${amount * 2}</camunda:inputParameter>
          <camunda:inputParameter name="label">Purchase approval</camunda:inputParameter>
          <camunda:outputParameter name="approvedBy">\${decidedBy}</camunda:outputParameter>
        </camunda:inputOutput>
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="gw"/>
    <bpmn:exclusiveGateway id="gw" default="fSmall"/>
    <bpmn:sequenceFlow id="fBig" sourceRef="gw" targetRef="bill">${condition(juel('amount > 100'))}</bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="fSmall" sourceRef="gw" targetRef="end"/>
    <bpmn:serviceTask id="bill" camunda:type="external" camunda:topic="billing"/>
    <bpmn:sequenceFlow id="f3" sourceRef="bill" targetRef="end"/>
    <bpmn:endEvent id="end"/>`,
);

const camunda8 = document(
  'zeebe',
  `
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve"/>
    <bpmn:userTask id="approve" name="Approve">
      <bpmn:extensionElements>
        <zeebe:assignmentDefinition assignee="=manager" candidateGroups="finance, managers"/>
        <zeebe:formDefinition formKey="approve-form"/>
        <zeebe:ioMapping>
          <zeebe:input source="=amount * 2" target="limit"/>
          <zeebe:input source="=&quot;Purchase approval&quot;" target="label"/>
          <zeebe:output source="=decidedBy" target="approvedBy"/>
        </zeebe:ioMapping>
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="gw"/>
    <bpmn:exclusiveGateway id="gw" default="fSmall"/>
    <bpmn:sequenceFlow id="fBig" sourceRef="gw" targetRef="bill">${condition('=amount > 100')}</bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="fSmall" sourceRef="gw" targetRef="end"/>
    <bpmn:serviceTask id="bill">
      <bpmn:extensionElements><zeebe:taskDefinition type="billing" retries="5"/></bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f3" sourceRef="bill" targetRef="end"/>
    <bpmn:endEvent id="end"/>`,
);

describe.each([
  ['Camunda 7 (camunda:)', camunda7, 3],
  ['Camunda 8 (zeebe:)', camunda8, 5],
])('imported %s document', (_name, xml, retries) => {
  it('creates the user task with its assignee, candidate groups, form key and mapped inputs', async () => {
    const run = await Run.start(xml, { manager: 'bob', amount: 150 });
    expect(run.effectsOf('taskCreated')).toEqual([
      {
        type: 'taskCreated',
        taskId: openWaits(run.state, 'task')[0]?.id,
        elementId: 'approve',
        name: 'Approve',
        assignee: 'bob',
        candidateGroups: ['finance', 'managers'],
        formKey: 'approve-form',
      },
    ]);
    const task = Object.values(run.state.elements).find((e) => e.el === 'approve');
    expect(task?.vars).toEqual({ limit: 300, label: 'Purchase approval' });
    expect(run.variables).toEqual({ manager: 'bob', amount: 150 });
  });

  it('maps only the outputs back and follows the condition to the external job', async () => {
    const run = await Run.start(xml, { manager: 'bob', amount: 150 });
    run.completeTask('approve', { decidedBy: 'bob', comment: 'fine' });
    expect(run.variables).toEqual({ manager: 'bob', amount: 150, approvedBy: 'bob' });
    expect(run.taken()).toEqual(['f1', 'f2', 'fBig']);
    expect(run.effectsOf('jobCreated')).toMatchObject([
      { jobType: 'billing', elementId: 'bill', retries, variables: { manager: 'bob', amount: 150, approvedBy: 'bob' } },
    ]);
    run.completeJob('bill');
    expect(run.completed()).toEqual(['start', 'approve', 'gw', 'bill', 'end']);
    expect(run.status).toBe('completed');
  });

  it('takes the default flow when the condition is false', async () => {
    const run = await Run.start(xml, { manager: 'bob', amount: 80 });
    run.completeTask('approve', { decidedBy: 'bob' });
    expect(run.taken()).toEqual(['f1', 'f2', 'fSmall']);
    expect(run.completed()).toEqual(['start', 'approve', 'gw', 'end']);
    expect(run.effectsOf('jobCreated')).toEqual([]);
  });
});

describe('JUEL conditions', () => {
  it('translate comparisons and boolean logic to FEEL', async () => {
    const xml = (cond: string) =>
      document(
        'camunda',
        `
      <bpmn:startEvent id="start"/>
      <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="gw"/>
      <bpmn:exclusiveGateway id="gw" default="fNo"/>
      <bpmn:sequenceFlow id="fYes" sourceRef="gw" targetRef="yes">${condition(cond)}</bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="fNo" sourceRef="gw" targetRef="no"/>
      <bpmn:endEvent id="yes"/>
      <bpmn:endEvent id="no"/>`,
      );
    const path = async (cond: string, vars: Record<string, unknown>) => (await Run.start(xml(cond), vars)).taken()[1];
    expect(await path(juel('amount >= 100 &amp;&amp; !rejected'), { amount: 100, rejected: false })).toBe('fYes');
    expect(await path(juel('amount >= 100 &amp;&amp; !rejected'), { amount: 100, rejected: true })).toBe('fNo');
    expect(await path(juel("status == 'open' || priority lt 2"), { status: 'closed', priority: 1 })).toBe('fYes');
    expect(await path(juel('order.total gt 10'), { order: { total: 11 } })).toBe('fYes');
  });
});

describe('the state contract of execute()', () => {
  const xml = bpmn(
    `
    <bpmn:startEvent id="start"/>
    ${flow('f1', 'start', 'fork')}
    <bpmn:parallelGateway id="fork"/>
    ${flow('fa', 'fork', 'task')}
    ${flow('fb', 'fork', 'job')}
    <bpmn:userTask id="task" sl:dueDate="PT1H"/>
    <bpmn:boundaryEvent id="late" attachedToRef="task"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
    <bpmn:serviceTask id="job" sl:type="work">${io('<sl:input source="=date(when)" target="startedOn"/>')}</bpmn:serviceTask>
    ${flow('fa2', 'task', 'join')}
    ${flow('fb2', 'job', 'join')}
    ${flow('fl', 'late', 'lateEnd')}
    <bpmn:parallelGateway id="join"/>
    ${flow('fe', 'join', 'end')}
    <bpmn:endEvent id="end"/>
    <bpmn:endEvent id="lateEnd"/>`,
  );

  it('never changes the state passed in, and returns plain JSON after every step', async () => {
    const def = await compile(xml);
    const states: InstanceState[] = [];
    const step = (state: InstanceState | undefined, command: Parameters<typeof execute>[2]) => {
      const before = state ? JSON.stringify(state) : undefined;
      const result = execute(def, state ? deepFreeze(state) : undefined, command, T0);
      if (state) expect(JSON.stringify(state)).toBe(before);
      expect(JSON.parse(JSON.stringify(result.state))).toStrictEqual(result.state);
      expect(JSON.parse(JSON.stringify(result.effects))).toStrictEqual(result.effects);
      states.push(result.state);
      return result.state;
    };
    let state = step(undefined, { type: 'start', instanceId: 'i1', variables: { when: '2026-01-01', n: 1 } });
    const job = openWaits(state, 'job')[0]?.id as string;
    state = step(state, { type: 'failJob', jobId: job, retries: 0, message: 'down' });
    state = step(state, { type: 'retryFault', faultId: Object.keys(state.faults)[0] as string });
    state = step(state, { type: 'setVariables', variables: { n: 2, nested: { list: [1, { a: null }] } } });
    state = step(state, { type: 'completeJob', jobId: job, variables: { ok: true } });
    state = step(state, { type: 'completeTask', taskId: openWaits(state, 'task')[0]?.id as string });
    expect(state.status).toBe('completed');
    expect(states).toHaveLength(6);
  });

  it('stores FEEL values that are not JSON (dates, durations) as text', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'calc')}
      <bpmn:scriptTask id="calc" scriptFormat="feel" sl:resultVariable="due"><bpmn:script>date("2026-01-05") + duration("P2D")</bpmn:script></bpmn:scriptTask>
      ${flow('f2', 'calc', 'end')}
      <bpmn:endEvent id="end"/>`),
    );
    expect(typeof run.variables.due).toBe('string');
    expect(run.variables.due).toMatch(/^2026-01-07/);
  });

  it('leaves the state as it was when a command is refused', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'task')}
      <bpmn:userTask id="task"/>
      ${flow('f2', 'task', 'end')}
      <bpmn:endEvent id="end"/>`),
    );
    const before = JSON.stringify(run.state);
    expect(() => run.do({ type: 'completeTask', taskId: 'nope' })).toThrow(EngineError);
    expect(() => run.do({ type: 'completeJob', jobId: openWaits(run.state, 'task')[0]?.id as string })).toThrow(/not open/);
    expect(() => run.do({ type: 'completeTask', taskId: openWaits(run.state, 'task')[0]?.id as string, variables: [] as never })).toThrow(
      /object of variables/,
    );
    expect(JSON.stringify(run.state)).toBe(before);
  });
});
