// Tasks: what each task kind asks of the outside world, what it waits for and how it completes.
import { describe, expect, it } from 'vitest';
import { activeElementIds, compile, openWaits } from '../src/index.ts';
import { bpmn, flow, HOUR, Run } from './harness.ts';

/** start -> (body's element "t") -> end */
function around(task: string, extra = ''): string {
  return bpmn(
    `
    <bpmn:startEvent id="start"/>
    ${flow('f1', 'start', 't')}
    ${task}
    ${flow('f2', 't', 'end')}
    <bpmn:endEvent id="end"/>`,
    'p',
    extra,
  );
}

const MESSAGES = `<bpmn:message id="paid" name="orderPaid"/><bpmn:message id="notify" name="customerNotified"/>`;

describe('user task', () => {
  it('creates a task with a literal assignee, comma-separated candidate groups, form key and name', async () => {
    const run = await Run.start(
      around(
        `<bpmn:userTask id="t" name="Review request" sl:assignee="agent1" sl:candidateGroups="service-desk, network" sl:formKey="review-form"/>`,
      ),
    );
    const [task] = openWaits(run.state, 'task');
    expect(run.effectsOf('taskCreated')).toEqual([
      {
        type: 'taskCreated',
        taskId: task?.id,
        elementId: 't',
        name: 'Review request',
        assignee: 'agent1',
        candidateGroups: ['service-desk', 'network'],
        formKey: 'review-form',
      },
    ]);
    expect(run.status).toBe('active');
    expect(activeElementIds(run.state)).toEqual(['t']);
    expect(run.completed()).toEqual(['start']);
  });

  it('evaluates an =expression assignee and a FEEL list of candidate groups against the variables', async () => {
    const run = await Run.start(around(`<bpmn:userTask id="t" sl:assignee="=requester.manager" sl:candidateGroups="=teams"/>`), {
      requester: { name: 'Ann', manager: 'bob' },
      teams: ['network', 'security'],
    });
    const [created] = run.effectsOf('taskCreated');
    expect(created?.assignee).toBe('bob');
    expect(created?.candidateGroups).toEqual(['network', 'security']);
  });

  it('creates an unassigned task with no candidate groups when none are given', async () => {
    const run = await Run.start(around(`<bpmn:userTask id="t"/>`));
    const [created] = run.effectsOf('taskCreated');
    expect(created).toEqual({ type: 'taskCreated', taskId: openWaits(run.state, 'task')[0]?.id, elementId: 't', candidateGroups: [] });
  });

  it('leaves the task unassigned when the assignee expression gives null', async () => {
    const run = await Run.start(around(`<bpmn:userTask id="t" sl:assignee="=owner"/>`));
    expect(run.effectsOf('taskCreated')[0]).not.toHaveProperty('assignee');
  });

  it('turns a due date given as a duration into dueAt counted from when the task is created', async () => {
    const run = await Run.start(around(`<bpmn:userTask id="t" sl:dueDate="PT4H"/>`));
    expect(run.effectsOf('taskCreated')[0]?.dueAt).toBe('2026-01-05T13:00:00.000Z');
  });

  it('takes a due date given as a date as it is, in UTC', async () => {
    const run = await Run.start(around(`<bpmn:userTask id="t" sl:dueDate="2026-02-01T12:00:00+01:00"/>`));
    expect(run.effectsOf('taskCreated')[0]?.dueAt).toBe('2026-02-01T11:00:00.000Z');
  });

  it('evaluates a FEEL due date from the variables, as a duration or a date', async () => {
    const byDuration = await Run.start(around(`<bpmn:userTask id="t" sl:dueDate="=sla"/>`), { sla: 'P1D' });
    expect(byDuration.effectsOf('taskCreated')[0]?.dueAt).toBe('2026-01-06T09:00:00.000Z');
    const byDate = await Run.start(around(`<bpmn:userTask id="t" sl:dueDate="=deadline"/>`), { deadline: '2026-03-01T08:00:00Z' });
    expect(byDate.effectsOf('taskCreated')[0]?.dueAt).toBe('2026-03-01T08:00:00.000Z');
  });

  it("reads FEEL's now() and today() from the step's time, not the machine clock", async () => {
    const run = await Run.start(around(`<bpmn:userTask id="t" sl:dueDate='=now() + duration("PT2H")'/>`));
    expect(run.effectsOf('taskCreated')[0]?.dueAt).toBe('2026-01-05T11:00:00.000Z');
    const day = await Run.start(
      around(
        `<bpmn:scriptTask id="t" scriptFormat="feel" sl:resultVariable="d"><bpmn:script>string(today())</bpmn:script></bpmn:scriptTask>`,
      ),
    );
    expect(day.variables.d).toBe('2026-01-05');
  });

  it('completes with the variables given and moves on', async () => {
    const run = await Run.start(around(`<bpmn:userTask id="t"/>`), { ticket: 7 });
    const taskId = openWaits(run.state, 'task')[0]?.id;
    run.completeTask('t', { approved: true, comment: 'ok' });
    expect(run.last).toEqual([
      { type: 'taskCompleted', taskId },
      { type: 'instanceEnded', status: 'completed', variables: { ticket: 7, approved: true, comment: 'ok' } },
    ]);
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 't', 'end']);
    expect(run.taken()).toEqual(['f1', 'f2']);
    expect(run.variables).toEqual({ ticket: 7, approved: true, comment: 'ok' });
  });
});

describe('service task', () => {
  const serviceTask = `<bpmn:serviceTask id="t" sl:type="billing"/>`;

  it('creates a job of its type with the default 3 retries and the visible variables', async () => {
    const run = await Run.start(around(serviceTask), { amount: 120 });
    const [job] = openWaits(run.state, 'job');
    expect(run.effectsOf('jobCreated')).toEqual([
      { type: 'jobCreated', jobId: job?.id, jobType: 'billing', elementId: 't', retries: 3, variables: { amount: 120 } },
    ]);
    expect(run.completed()).toEqual(['start']);
  });

  it('uses sl:retries when given', async () => {
    const run = await Run.start(around(`<bpmn:serviceTask id="t" sl:type="billing" sl:retries="5"/>`));
    expect(run.effectsOf('jobCreated')[0]?.retries).toBe(5);
  });

  it('completes when its job completes, with the job variables', async () => {
    const run = await Run.start(around(serviceTask), { amount: 120 });
    const jobId = openWaits(run.state, 'job')[0]?.id;
    run.completeJob('t', { invoice: 'INV-1' });
    expect(run.last).toEqual([
      { type: 'jobCompleted', jobId },
      { type: 'instanceEnded', status: 'completed', variables: { amount: 120, invoice: 'INV-1' } },
    ]);
    expect(run.completed()).toEqual(['start', 't', 'end']);
    expect(run.variables).toEqual({ amount: 120, invoice: 'INV-1' });
  });

  it('keeps waiting after a failure with retries left, telling the runtime to retry', async () => {
    const run = await Run.start(around(serviceTask));
    const jobId = openWaits(run.state, 'job')[0]?.id;
    run.failJob('t', 2, 'timeout');
    expect(run.last).toEqual([{ type: 'jobRetry', jobId, retries: 2, message: 'timeout' }]);
    expect(run.status).toBe('active');
    expect(run.state.faults).toEqual({});
    expect(openWaits(run.state, 'job')).toMatchObject([{ id: jobId, retries: 2 }]);
    run.completeJob('t');
    expect(run.completed()).toEqual(['start', 't', 'end']);
  });

  it('raises a fault when a job fails with no retries left; retryFault re-issues the job, which then completes', async () => {
    const run = await Run.start(around(serviceTask), { amount: 5 });
    const jobId = openWaits(run.state, 'job')[0]?.id as string;
    run.failJob('t', 0, 'connection refused');

    const [raised] = run.last;
    expect(raised).toEqual({
      type: 'faultRaised',
      faultId: expect.any(String),
      elementId: 't',
      jobId,
      message: expect.stringContaining('connection refused'),
    });
    const faultId = (raised as { faultId: string }).faultId;
    expect(Object.values(run.state.faults)).toEqual([
      {
        id: faultId,
        elementInstanceId: expect.any(String),
        elementId: 't',
        jobId,
        message: expect.stringContaining('connection refused'),
        at: '2026-01-05T09:00:00.000Z',
      },
    ]);
    expect(run.status).toBe('active');
    expect(activeElementIds(run.state)).toEqual(['t']);

    run.do({ type: 'retryFault', faultId, retries: 2 });
    expect(run.last).toEqual([
      { type: 'faultResolved', faultId },
      { type: 'jobCreated', jobId, jobType: 'billing', elementId: 't', retries: 2, variables: { amount: 5 } },
    ]);
    expect(run.state.faults).toEqual({});

    run.completeJob('t', { paid: true });
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 't', 'end']);
    expect(run.variables).toEqual({ amount: 5, paid: true });
  });

  it('retries a faulted job once when retryFault gives no retries', async () => {
    const run = await Run.start(around(serviceTask));
    run.failJob('t', 0);
    const faultId = Object.keys(run.state.faults)[0] as string;
    run.do({ type: 'retryFault', faultId });
    expect(run.effectsOf('jobCreated').map((e) => e.retries)).toEqual([3, 1]);
  });

  it('resolves the fault when the faulted job is completed anyway', async () => {
    const run = await Run.start(around(serviceTask));
    run.failJob('t', 0);
    const faultId = Object.keys(run.state.faults)[0] as string;
    run.completeJob('t');
    expect(run.last[0]).toEqual({ type: 'faultResolved', faultId });
    expect(run.state.faults).toEqual({});
    expect(run.status).toBe('completed');
  });
});

describe('send task', () => {
  it('creates a job when it has sl:type', async () => {
    const run = await Run.start(around(`<bpmn:sendTask id="t" sl:type="email"/>`), { to: 'a@b.c' });
    expect(run.effectsOf('jobCreated')).toMatchObject([{ jobType: 'email', elementId: 't', variables: { to: 'a@b.c' } }]);
    expect(run.effectsOf('messageThrown')).toEqual([]);
    run.completeJob('t');
    expect(run.completed()).toEqual(['start', 't', 'end']);
  });

  it('throws its message and moves on when it has a messageRef and no job type; the input mappings are the payload', async () => {
    const run = await Run.start(
      around(
        `<bpmn:sendTask id="t" messageRef="notify">
          <bpmn:extensionElements><sl:inputOutput>
            <sl:input source="=order.id" target="correlationKey"/>
            <sl:input source="=order.total" target="total"/>
          </sl:inputOutput></bpmn:extensionElements>
        </bpmn:sendTask>`,
        MESSAGES,
      ),
      { order: { id: 42, total: 9.5 } },
    );
    expect(run.effectsOf('messageThrown')).toEqual([
      {
        type: 'messageThrown',
        elementId: 't',
        name: 'customerNotified',
        correlationKey: '42',
        variables: { correlationKey: 42, total: 9.5 },
      },
    ]);
    expect(run.effectsOf('jobCreated')).toEqual([]);
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 't', 'end']);
    expect(run.variables).toEqual({ order: { id: 42, total: 9.5 } });
  });
});

describe('business rule task', () => {
  it('creates a job of its sl:type and completes with the decision', async () => {
    const run = await Run.start(around(`<bpmn:businessRuleTask id="t" sl:type="decide-priority" sl:retries="1"/>`), { impact: 'high' });
    expect(run.effectsOf('jobCreated')).toMatchObject([
      { jobType: 'decide-priority', elementId: 't', retries: 1, variables: { impact: 'high' } },
    ]);
    run.completeJob('t', { priority: 1 });
    expect(run.completed()).toEqual(['start', 't', 'end']);
    expect(run.variables).toEqual({ impact: 'high', priority: 1 });
  });
});

describe('script task', () => {
  it('stores the FEEL result in sl:resultVariable, reading the variables', async () => {
    const run = await Run.start(
      around(
        `<bpmn:scriptTask id="t" scriptFormat="feel" sl:resultVariable="total"><bpmn:script>price * quantity + shipping</bpmn:script></bpmn:scriptTask>`,
      ),
      { price: 10, quantity: 3, shipping: 5 },
    );
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 't', 'end']);
    expect(run.variables).toEqual({ price: 10, quantity: 3, shipping: 5, total: 35 });
    expect(run.effects.map((e) => e.type)).toEqual(['instanceEnded']);
  });

  it('can build a context from the variables', async () => {
    const run = await Run.start(
      around(
        `<bpmn:scriptTask id="t" scriptFormat="feel" sl:resultVariable="summary"><bpmn:script>{ who: requester, count: count(items) }</bpmn:script></bpmn:scriptTask>`,
      ),
      { requester: 'ann', items: ['a', 'b'] },
    );
    expect(run.variables.summary).toEqual({ who: 'ann', count: 2 });
  });

  it('runs without storing anything when it has no result variable', async () => {
    const run = await Run.start(around(`<bpmn:scriptTask id="t" scriptFormat="feel"><bpmn:script>1 + 1</bpmn:script></bpmn:scriptTask>`));
    expect(run.status).toBe('completed');
    expect(run.variables).toEqual({});
  });
});

describe('receive task', () => {
  const receive = `<bpmn:receiveTask id="t" messageRef="paid" sl:correlationKey="=orderId"/>`;

  it('subscribes to its message with the correlation key evaluated when it is entered', async () => {
    const run = await Run.start(around(receive, MESSAGES), { orderId: 42 });
    const [sub] = openWaits(run.state, 'message');
    expect(run.effectsOf('messageSubscribed')).toEqual([
      { type: 'messageSubscribed', subscriptionId: sub?.id, elementId: 't', name: 'orderPaid', correlationKey: '42' },
    ]);
    // Changing the variable later does not move the subscription.
    run.do({ type: 'setVariables', variables: { orderId: 43 } });
    expect(openWaits(run.state, 'message')).toMatchObject([{ name: 'orderPaid', correlationKey: '42' }]);
    expect(run.completed()).toEqual(['start']);
  });

  it('completes when the message is delivered, with the message variables', async () => {
    const run = await Run.start(around(receive, MESSAGES), { orderId: 42 });
    const subscriptionId = openWaits(run.state, 'message')[0]?.id;
    run.message('t', { paidAmount: 99 });
    expect(run.last).toEqual([
      { type: 'messageUnsubscribed', subscriptionId },
      { type: 'instanceEnded', status: 'completed', variables: { orderId: 42, paidAmount: 99 } },
    ]);
    expect(run.completed()).toEqual(['start', 't', 'end']);
    expect(run.variables).toEqual({ orderId: 42, paidAmount: 99 });
  });

  it('subscribes without a key when it has no sl:correlationKey', async () => {
    const run = await Run.start(around(`<bpmn:receiveTask id="t" messageRef="paid"/>`, MESSAGES));
    expect(run.effectsOf('messageSubscribed')[0]).not.toHaveProperty('correlationKey');
  });

  it('raises a fault instead of subscribing when the correlation key is null', async () => {
    const run = await Run.start(around(receive, MESSAGES));
    expect(run.effectsOf('messageSubscribed')).toEqual([]);
    expect(run.effectsOf('faultRaised')).toMatchObject([{ elementId: 't' }]);
    const faultId = Object.keys(run.state.faults)[0] as string;
    run.do({ type: 'setVariables', variables: { orderId: 'A-1' } });
    run.do({ type: 'retryFault', faultId });
    expect(run.effectsOf('messageSubscribed')).toMatchObject([{ elementId: 't', correlationKey: 'A-1' }]);
    run.message('t');
    expect(run.status).toBe('completed');
  });
});

describe('manual and abstract tasks', () => {
  it('pass straight through without asking anything of the outside world', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'manual')}
      <bpmn:manualTask id="manual"/>
      ${flow('f2', 'manual', 'abstract')}
      <bpmn:task id="abstract"/>
      ${flow('f3', 'abstract', 'end')}
      <bpmn:endEvent id="end"/>`),
      { x: 1 },
    );
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 'manual', 'abstract', 'end']);
    expect(run.taken()).toEqual(['f1', 'f2', 'f3']);
    expect(run.effects).toEqual([{ type: 'instanceEnded', status: 'completed', variables: { x: 1 } }]);
  });
});

describe('boundary events on a task', () => {
  it('a fault raised by a boundary event that cannot subscribe is resolved when the task completes', async () => {
    const run = await Run.start(
      bpmn(
        `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 't')}
      <bpmn:userTask id="t"/>
      <bpmn:boundaryEvent id="update" attachedToRef="t" sl:correlationKey="=ticketId"><bpmn:messageEventDefinition messageRef="paid"/></bpmn:boundaryEvent>
      ${flow('f2', 't', 'end')}
      ${flow('f3', 'update', 'updated')}
      <bpmn:endEvent id="end"/>
      <bpmn:endEvent id="updated"/>`,
        'p',
        MESSAGES,
      ),
    );
    expect(run.effects.map((e) => e.type)).toEqual(['faultRaised', 'taskCreated']);
    const faultId = run.effectsOf('faultRaised')[0]?.faultId;
    run.completeTask('t');
    expect(run.status).toBe('completed');
    expect(run.last).toContainEqual({ type: 'faultResolved', faultId });
    expect(run.state.faults).toEqual({});
  });

  it('retrying the fault of a boundary event subscribes it and keeps the task as it is', async () => {
    const run = await Run.start(
      bpmn(
        `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 't')}
      <bpmn:userTask id="t"/>
      <bpmn:boundaryEvent id="update" attachedToRef="t" sl:correlationKey="=ticketId"><bpmn:messageEventDefinition messageRef="paid"/></bpmn:boundaryEvent>
      ${flow('f2', 't', 'end')}
      ${flow('f3', 'update', 'updated')}
      <bpmn:endEvent id="end"/>
      <bpmn:endEvent id="updated"/>`,
        'p',
        MESSAGES,
      ),
    );
    const faultId = run.effectsOf('faultRaised')[0]?.faultId as string;
    run.do({ type: 'setVariables', variables: { ticketId: 'INC-2' } });
    run.do({ type: 'retryFault', faultId });
    expect(run.last).toEqual([
      { type: 'faultResolved', faultId },
      { type: 'messageSubscribed', subscriptionId: expect.any(String), elementId: 'update', name: 'orderPaid', correlationKey: 'INC-2' },
    ]);
    run.message('update');
    expect(run.cancelled()).toEqual(['t']);
    expect(run.completed()).toEqual(['start', 'update', 'updated']);
  });

  it('closes a timer boundary when the task completes first', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 't')}
      <bpmn:serviceTask id="t" sl:type="work"/>
      <bpmn:boundaryEvent id="late" attachedToRef="t"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      ${flow('f2', 't', 'end')}
      ${flow('f3', 'late', 'lateEnd')}
      <bpmn:endEvent id="end"/>
      <bpmn:endEvent id="lateEnd"/>`),
    );
    const [timer] = run.effectsOf('timerScheduled');
    expect(timer).toEqual({ type: 'timerScheduled', timerId: expect.any(String), elementId: 'late', dueAt: '2026-01-05T10:00:00.000Z' });
    run.completeJob('t');
    expect(run.last).toContainEqual({ type: 'timerCancelled', timerId: timer?.timerId });
    run.advance(2 * HOUR);
    expect(run.completed()).toEqual(['start', 't', 'end']);
  });
});

describe('sl:state', () => {
  it('is read from any flow node, so that a runtime can set the state of the record the process drives', async () => {
    const def = await compile(
      bpmn(
        `<bpmn:startEvent id="s" sl:state="new"/>${flow('f1', 's', 'g')}
        <bpmn:parallelGateway id="g" sl:state="in_progress"/>${flow('f2', 'g', 'm')}
        <bpmn:intermediateCatchEvent id="m"><bpmn:messageEventDefinition messageRef="msg"/></bpmn:intermediateCatchEvent>${flow('f3', 'm', 'e')}
        <bpmn:endEvent id="e" sl:state="closed"/>`,
        'p',
        '<bpmn:message id="msg" name="resolve"/>',
      ),
    );
    expect(def.nodes.s?.recordState).toBe('new');
    expect(def.nodes.g?.recordState).toBe('in_progress');
    expect(def.nodes.m?.recordState).toBeUndefined();
    expect(def.nodes.e?.recordState).toBe('closed');
  });
});
