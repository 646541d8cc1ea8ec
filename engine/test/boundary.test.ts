import { describe, expect, it } from 'vitest';
import { findMessageSubscription } from '../src/index.ts';
import { bpmn, flow, HOUR, MINUTE, Run } from './harness.ts';

const ROOTS = `
  <bpmn:message id="m1" name="customerReply"/>
  <bpmn:signal id="s1" name="alarm"/>
  <bpmn:error id="e1" errorCode="E42"/>
  <bpmn:error id="e2" errorCode="E99"/>
  <bpmn:escalation id="x1" escalationCode="ESC"/>`;

type Host = 'userTask' | 'serviceTask';

/**
 * start -f1-> host -f2-> end, with boundary "b" on host -f3-> bEnd.
 * The host is a user task "host" or a service task "host" of job type "crm".
 */
function withBoundary(definition: string, options: { interrupting?: boolean; host?: Host; attrs?: string } = {}): string {
  const host =
    options.host === 'serviceTask' ? '<bpmn:serviceTask id="host" sl:type="crm"/>' : '<bpmn:userTask id="host" sl:candidateGroups="desk"/>';
  const cancel = options.interrupting === false ? ' cancelActivity="false"' : '';
  return bpmn(
    `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'host')}
      ${host}
      <bpmn:boundaryEvent id="b" attachedToRef="host"${cancel}${options.attrs ?? ''}>${definition}</bpmn:boundaryEvent>
      ${flow('f2', 'host', 'end')}
      ${flow('f3', 'b', 'bEnd')}
      <bpmn:endEvent id="end"/>
      <bpmn:endEvent id="bEnd"/>`,
    'p',
    ROOTS,
  );
}

const timer = (kind: 'timeDuration' | 'timeCycle' | 'timeDate', value: string) =>
  `<bpmn:timerEventDefinition><bpmn:${kind}>${value}</bpmn:${kind}></bpmn:timerEventDefinition>`;
const message = '<bpmn:messageEventDefinition messageRef="m1"/>';
const signal = '<bpmn:signalEventDefinition signalRef="s1"/>';
const conditional = (expr: string) =>
  `<bpmn:conditionalEventDefinition><bpmn:condition xsi:type="bpmn:tFormalExpression">${expr}</bpmn:condition></bpmn:conditionalEventDefinition>`;

const taskIdOf = (run: Run, elementId: string) => run.effectsOf('taskCreated').find((t) => t.elementId === elementId)?.taskId;
const jobIdOf = (run: Run, elementId: string) => run.effectsOf('jobCreated').find((t) => t.elementId === elementId)?.jobId;

describe('timer boundary', () => {
  it('interrupting: when due, the host is cancelled (its job too) and the boundary path is taken', async () => {
    const run = await Run.start(withBoundary(timer('timeDuration', 'PT2H'), { host: 'serviceTask' }));
    const jobId = jobIdOf(run, 'host');
    expect(run.effectsOf('timerScheduled')).toEqual([
      { type: 'timerScheduled', timerId: expect.any(String), elementId: 'b', dueAt: '2026-01-05T11:00:00.000Z' },
    ]);
    run.advance(2 * HOUR);
    expect(run.status).toBe('completed');
    expect(run.cancelled()).toEqual(['host']);
    expect(run.completed()).toEqual(['start', 'b', 'bEnd']);
    expect(run.taken()).toEqual(['f1', 'f3']);
    expect(run.last).toEqual([
      { type: 'jobCancelled', jobId },
      { type: 'instanceEnded', status: 'completed', variables: {} },
    ]);
  });

  it('interrupting on a user task: the task is cancelled', async () => {
    const run = await Run.start(withBoundary(timer('timeDuration', 'PT30M')));
    const taskId = taskIdOf(run, 'host');
    run.advance(30 * MINUTE);
    expect(run.cancelled()).toEqual(['host']);
    expect(run.last).toContainEqual({ type: 'taskCancelled', taskId });
    expect(run.completed()).toEqual(['start', 'b', 'bEnd']);
  });

  it('a host that completes first cancels the timer and never takes the boundary path', async () => {
    const run = await Run.start(withBoundary(timer('timeDuration', 'PT2H')));
    const timerId = run.effectsOf('timerScheduled')[0]?.timerId;
    run.advance(HOUR).completeTask('host');
    expect(run.last).toEqual([
      { type: 'taskCompleted', taskId: taskIdOf(run, 'host') },
      { type: 'timerCancelled', timerId },
      { type: 'instanceEnded', status: 'completed', variables: {} },
    ]);
    run.advance(5 * HOUR);
    expect(run.completed()).toEqual(['start', 'host', 'end']);
    expect(run.taken()).toEqual(['f1', 'f2']);
  });

  it('non-interrupting duration: fires once, the host keeps waiting, and both paths run', async () => {
    const run = await Run.start(withBoundary(timer('timeDuration', 'PT1H'), { interrupting: false }));
    run.advance(3 * HOUR);
    expect(run.status).toBe('active');
    expect(run.completed()).toEqual(['start', 'b', 'bEnd']);
    expect(run.cancelled()).toEqual([]);
    expect(run.effectsOf('timerScheduled')).toHaveLength(1);
    expect(run.effectsOf('taskCancelled')).toEqual([]);
    expect(run.hasWait('task', 'host')).toBe(true);
    run.completeTask('host');
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 'b', 'bEnd', 'host', 'end']);
    expect(run.taken()).toEqual(['f1', 'f3', 'f2']);
  });

  it('non-interrupting cycle R3/PT1H that fell 10 hours behind fires once for what it missed, then keeps its phase', async () => {
    const run = await Run.start(withBoundary(timer('timeCycle', 'R3/PT1H'), { interrupting: false }));
    run.advance(10 * HOUR);
    // Due at 10:00, fired at 19:00: the firings missed meanwhile count as that one, as in Camunda.
    expect(run.effectsOf('timerScheduled').map((e) => e.dueAt)).toEqual(['2026-01-05T10:00:00.000Z', '2026-01-05T20:00:00.000Z']);
    expect(run.completed()).toEqual(['start', 'b', 'bEnd']);
    run.advance(HOUR);
    run.advance(HOUR);
    expect(run.effectsOf('timerScheduled').map((e) => e.dueAt)).toEqual([
      '2026-01-05T10:00:00.000Z',
      '2026-01-05T20:00:00.000Z',
      '2026-01-05T21:00:00.000Z',
    ]);
    expect(run.history.filter((h) => h.elementId === 'b' && h.event === 'completed').map((h) => h.at)).toEqual([
      '2026-01-05T19:00:00.000Z',
      '2026-01-05T20:00:00.000Z',
      '2026-01-05T21:00:00.000Z',
    ]);
    expect(run.hasWait('timer', 'b')).toBe(false);
    expect(run.hasWait('task', 'host')).toBe(true);
    run.completeTask('host');
    expect(run.effectsOf('timerCancelled')).toEqual([]);
    expect(run.status).toBe('completed');
  });

  it('non-interrupting cycle R3/PT1H fires once per hour as the clock moves hour by hour', async () => {
    const run = await Run.start(withBoundary(timer('timeCycle', 'R3/PT1H'), { interrupting: false }));
    const firedAt: string[] = [];
    for (let h = 1; h <= 5; h++) {
      run.advance(HOUR);
      firedAt.push(
        ...run.history.filter((e) => e.elementId === 'b' && e.event === 'completed' && !firedAt.includes(e.at)).map((e) => e.at),
      );
    }
    expect(firedAt).toEqual(['2026-01-05T10:00:00.000Z', '2026-01-05T11:00:00.000Z', '2026-01-05T12:00:00.000Z']);
  });

  it('non-interrupting cycle R/PT1H keeps firing until the host completes, which cancels the next firing', async () => {
    const run = await Run.start(withBoundary(timer('timeCycle', 'R/PT1H'), { interrupting: false }));
    for (let h = 0; h < 10; h++) run.advance(HOUR);
    expect(run.completed().filter((id) => id === 'b')).toHaveLength(10);
    const scheduled = run.effectsOf('timerScheduled');
    expect(scheduled).toHaveLength(11);
    expect(scheduled.at(-1)?.dueAt).toBe('2026-01-05T20:00:00.000Z');
    // 14 hours at once: one firing for them all, and the next on the hour after.
    run.advance(HOUR * 14);
    expect(run.completed().filter((id) => id === 'b')).toHaveLength(11);
    expect(run.effectsOf('timerScheduled').at(-1)?.dueAt).toBe('2026-01-06T10:00:00.000Z');
    run.completeTask('host');
    expect(run.last).toContainEqual({ type: 'timerCancelled', timerId: run.effectsOf('timerScheduled').at(-1)?.timerId });
    expect(run.status).toBe('completed');
    expect(run.state.waits).toEqual({});
  });
});

describe('message boundary', () => {
  const keyed = { attrs: ' sl:correlationKey="=ticketId"' };

  it('subscribes with its correlation key when the host starts', async () => {
    const run = await Run.start(withBoundary(message, keyed), { ticketId: 'INC-7' });
    expect(run.effectsOf('messageSubscribed')).toEqual([
      { type: 'messageSubscribed', subscriptionId: expect.any(String), elementId: 'b', name: 'customerReply', correlationKey: 'INC-7' },
    ]);
    expect(findMessageSubscription(run.state, 'customerReply', 'INC-7')?.trigger).toBe('b');
  });

  it('interrupting: the message cancels the host, closes the subscription and brings its variables', async () => {
    const run = await Run.start(withBoundary(message, keyed), { ticketId: 'INC-7' });
    const subscriptionId = run.effectsOf('messageSubscribed')[0]?.subscriptionId;
    run.message('b', { reply: 'works now' });
    expect(run.status).toBe('completed');
    expect(run.cancelled()).toEqual(['host']);
    expect(run.completed()).toEqual(['start', 'b', 'bEnd']);
    expect(run.taken()).toEqual(['f1', 'f3']);
    expect(run.last.slice(0, 2)).toEqual([
      { type: 'messageUnsubscribed', subscriptionId },
      { type: 'taskCancelled', taskId: taskIdOf(run, 'host') },
    ]);
    expect(run.variables).toEqual({ ticketId: 'INC-7', reply: 'works now' });
  });

  it('non-interrupting: each message runs the boundary path while the host keeps waiting; the host ending unsubscribes', async () => {
    const run = await Run.start(withBoundary(message, { ...keyed, interrupting: false }), { ticketId: 'INC-7' });
    const subscriptionId = run.effectsOf('messageSubscribed')[0]?.subscriptionId;
    run.message('b', { reply: 1 }).message('b', { reply: 2 });
    expect(run.completed()).toEqual(['start', 'b', 'bEnd', 'b', 'bEnd']);
    expect(run.cancelled()).toEqual([]);
    expect(run.effectsOf('messageUnsubscribed')).toEqual([]);
    expect(run.effectsOf('taskCancelled')).toEqual([]);
    expect(run.variables.reply).toBe(2);
    run.completeTask('host');
    expect(run.last).toContainEqual({ type: 'messageUnsubscribed', subscriptionId });
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 'b', 'bEnd', 'b', 'bEnd', 'host', 'end']);
  });
});

describe('boundary subscriptions that cannot open', () => {
  it('a null correlation key on the boundary of a subprocess is a fault; the subprocess runs on, and a retry only subscribes', async () => {
    const run = await Run.start(
      bpmn(
        `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'sub')}
      <bpmn:subProcess id="sub">
        <bpmn:startEvent id="subStart"/>
        ${flow('i1', 'subStart', 'inner')}
        <bpmn:userTask id="inner"/>
        ${flow('i2', 'inner', 'subEnd')}
        <bpmn:endEvent id="subEnd"/>
      </bpmn:subProcess>
      <bpmn:boundaryEvent id="b" attachedToRef="sub" sl:correlationKey="=ticketId">${message}</bpmn:boundaryEvent>
      ${flow('f2', 'sub', 'end')}
      ${flow('f3', 'b', 'bEnd')}
      <bpmn:endEvent id="end"/>
      <bpmn:endEvent id="bEnd"/>`,
        'p',
        ROOTS,
      ),
    );
    expect(run.effectsOf('faultRaised')).toEqual([
      {
        type: 'faultRaised',
        faultId: expect.any(String),
        elementId: 'sub',
        message: 'the correlation key of "b" is null; set the variable it reads before the element is reached',
      },
    ]);
    expect(run.hasWait('task', 'inner')).toBe(true);
    const faultId = run.effectsOf('faultRaised')[0]?.faultId as string;
    run.do({ type: 'setVariables', variables: { ticketId: 'INC-1' } });
    run.do({ type: 'retryFault', faultId });
    expect(run.last).toEqual([
      { type: 'faultResolved', faultId },
      { type: 'messageSubscribed', subscriptionId: expect.any(String), elementId: 'b', name: 'customerReply', correlationKey: 'INC-1' },
    ]);
    expect(run.effectsOf('taskCreated').map((t) => t.elementId)).toEqual(['inner']);
    expect(run.history.filter((h) => h.event === 'started').map((h) => h.elementId)).toEqual(['p', 'start', 'sub', 'subStart', 'inner']);
    run.message('b');
    expect(run.status).toBe('completed');
    expect(run.cancelled()).toEqual(['inner', 'sub']);
    expect(run.completed()).toEqual(['start', 'subStart', 'b', 'bEnd']);
  });
});

describe('signal boundary', () => {
  it('interrupting: the signal cancels the host and takes the boundary path', async () => {
    const run = await Run.start(withBoundary(signal, { host: 'serviceTask' }));
    const subscriptionId = run.effectsOf('signalSubscribed')[0]?.subscriptionId;
    expect(run.effectsOf('signalSubscribed')).toEqual([{ type: 'signalSubscribed', subscriptionId, elementId: 'b', name: 'alarm' }]);
    run.signal('alarm', { cause: 'outage' });
    expect(run.status).toBe('completed');
    expect(run.cancelled()).toEqual(['host']);
    expect(run.completed()).toEqual(['start', 'b', 'bEnd']);
    expect(run.last.slice(0, 2)).toEqual([
      { type: 'signalUnsubscribed', subscriptionId },
      { type: 'jobCancelled', jobId: jobIdOf(run, 'host') },
    ]);
    expect(run.variables).toEqual({ cause: 'outage' });
  });

  it('non-interrupting: every signal runs the boundary path, the host carries on, and its completion unsubscribes', async () => {
    const run = await Run.start(withBoundary(signal, { interrupting: false }));
    const subscriptionId = run.effectsOf('signalSubscribed')[0]?.subscriptionId;
    run.signal('alarm').signal('alarm');
    expect(run.completed()).toEqual(['start', 'b', 'bEnd', 'b', 'bEnd']);
    expect(run.effectsOf('signalUnsubscribed')).toEqual([]);
    expect(run.hasWait('task', 'host')).toBe(true);
    run.completeTask('host');
    expect(run.last).toContainEqual({ type: 'signalUnsubscribed', subscriptionId });
    expect(run.status).toBe('completed');
  });
});

describe('conditional boundary', () => {
  it('interrupting: fires when a setVariables command makes the condition true', async () => {
    const run = await Run.start(withBoundary(conditional('=priority = 1')), { priority: 3 });
    run.do({ type: 'setVariables', variables: { priority: 2 } });
    expect(run.completed()).toEqual(['start']);
    run.do({ type: 'setVariables', variables: { priority: 1 } });
    expect(run.status).toBe('completed');
    expect(run.cancelled()).toEqual(['host']);
    expect(run.completed()).toEqual(['start', 'b', 'bEnd']);
    expect(run.last).toContainEqual({ type: 'taskCancelled', taskId: taskIdOf(run, 'host') });
  });

  it('non-interrupting: fires each time the condition turns true, not while it stays true', async () => {
    const run = await Run.start(withBoundary(conditional('=priority = 1'), { interrupting: false }), { priority: 3 });
    run.do({ type: 'setVariables', variables: { priority: 1 } });
    run.do({ type: 'setVariables', variables: { priority: 1, note: 'still urgent' } });
    expect(run.completed()).toEqual(['start', 'b', 'bEnd']);
    run.do({ type: 'setVariables', variables: { priority: 2 } });
    run.do({ type: 'setVariables', variables: { priority: 1 } });
    expect(run.completed()).toEqual(['start', 'b', 'bEnd', 'b', 'bEnd']);
    expect(run.hasWait('task', 'host')).toBe(true);
    run.completeTask('host');
    expect(run.status).toBe('completed');
    expect(run.state.waits).toEqual({});
  });

  it('fires as soon as the host starts when the condition already holds', async () => {
    const run = await Run.start(withBoundary(conditional('=priority = 1')), { priority: 1 });
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 'b', 'bEnd']);
    expect(run.cancelled()).toEqual(['host']);
  });
});

describe('error boundary', () => {
  const twoCatches = bpmn(
    `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'charge')}
      <bpmn:serviceTask id="charge" sl:type="payment"/>
      <bpmn:boundaryEvent id="onAny" attachedToRef="charge">
        <bpmn:extensionElements><sl:inputOutput>
          <sl:output source="=errorCode" target="failedWith"/>
          <sl:output source="=errorMessage" target="failure"/>
        </sl:inputOutput></bpmn:extensionElements>
        <bpmn:errorEventDefinition/>
      </bpmn:boundaryEvent>
      <bpmn:boundaryEvent id="onE42" attachedToRef="charge"><bpmn:errorEventDefinition errorRef="e1"/></bpmn:boundaryEvent>
      ${flow('f2', 'charge', 'end')}
      ${flow('f3', 'onAny', 'anyEnd')}
      ${flow('f4', 'onE42', 'e42End')}
      <bpmn:endEvent id="end"/>
      <bpmn:endEvent id="anyEnd"/>
      <bpmn:endEvent id="e42End"/>`,
    'p',
    ROOTS,
  );

  it('an error thrown by the job is caught by the boundary with its code, over a catch-all; the job ends once', async () => {
    const run = await Run.start(twoCatches);
    const jobId = jobIdOf(run, 'charge');
    run.throwError('charge', 'E42', 'card declined');
    expect(run.status).toBe('completed');
    expect(run.cancelled()).toEqual(['charge']);
    expect(run.completed()).toEqual(['start', 'onE42', 'e42End']);
    expect(run.taken()).toEqual(['f1', 'f4']);
    expect(run.last).toEqual([
      { type: 'jobCompleted', jobId },
      { type: 'instanceEnded', status: 'completed', variables: {} },
    ]);
  });

  it('an error with another code is caught by the catch-all, whose output mappings see errorCode and errorMessage', async () => {
    const run = await Run.start(twoCatches);
    run.throwError('charge', 'E500', 'gateway down');
    expect(run.status).toBe('completed');
    expect(run.cancelled()).toEqual(['charge']);
    expect(run.completed()).toEqual(['start', 'onAny', 'anyEnd']);
    expect(run.variables).toEqual({ failedWith: 'E500', failure: 'gateway down' });
    expect(run.effectsOf('jobCancelled')).toEqual([]);
    expect(run.effectsOf('jobCompleted')).toHaveLength(1);
  });

  it('an error thrown by a job inside a subprocess is caught by the boundary on the subprocess, cancelling all inside', async () => {
    const run = await Run.start(
      bpmn(
        `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'sub')}
      <bpmn:subProcess id="sub">
        <bpmn:startEvent id="subStart"/>
        ${flow('i1', 'subStart', 'fork')}
        <bpmn:parallelGateway id="fork"/>
        ${flow('i2', 'fork', 'charge')}
        ${flow('i3', 'fork', 'note')}
        <bpmn:serviceTask id="charge" sl:type="payment"/>
        <bpmn:userTask id="note"/>
        ${flow('i4', 'charge', 'join')}
        ${flow('i5', 'note', 'join')}
        <bpmn:parallelGateway id="join"/>
        ${flow('i6', 'join', 'subEnd')}
        <bpmn:endEvent id="subEnd"/>
      </bpmn:subProcess>
      <bpmn:boundaryEvent id="onError" attachedToRef="sub"><bpmn:errorEventDefinition errorRef="e1"/></bpmn:boundaryEvent>
      ${flow('f2', 'sub', 'end')}
      ${flow('f3', 'onError', 'handled')}
      <bpmn:endEvent id="end"/>
      <bpmn:endEvent id="handled"/>`,
        'p',
        ROOTS,
      ),
    );
    const jobId = jobIdOf(run, 'charge');
    const taskId = taskIdOf(run, 'note');
    run.throwError('charge', 'E42');
    expect(run.status).toBe('completed');
    expect(run.cancelled()).toEqual(['charge', 'note', 'sub']);
    expect(run.completed()).toEqual(['start', 'subStart', 'fork', 'onError', 'handled']);
    expect(run.taken()).toEqual(['f1', 'i1', 'i2', 'i3', 'f3']);
    expect(run.last).toEqual([
      { type: 'jobCompleted', jobId },
      { type: 'taskCancelled', taskId },
      { type: 'instanceEnded', status: 'completed', variables: {} },
    ]);
  });

  it('an error nobody catches raises a fault on the job, which an operator can retry', async () => {
    const run = await Run.start(withBoundary('<bpmn:errorEventDefinition errorRef="e2"/>', { host: 'serviceTask' }));
    const jobId = jobIdOf(run, 'host') as string;
    run.throwError('host', 'E42', 'card declined');
    expect(run.status).toBe('active');
    expect(run.last).toEqual([
      {
        type: 'faultRaised',
        faultId: expect.any(String),
        elementId: 'host',
        jobId,
        message: 'error "E42" (card declined) was thrown and no boundary event or event subprocess catches it',
      },
    ]);
    expect(run.hasWait('job', 'host')).toBe(true);
    expect(run.cancelled()).toEqual([]);
    const faultId = run.effectsOf('faultRaised')[0]?.faultId as string;
    run.do({ type: 'retryFault', faultId, retries: 2 });
    expect(run.last).toEqual([
      { type: 'faultResolved', faultId },
      { type: 'jobCreated', jobId, jobType: 'crm', elementId: 'host', retries: 2, variables: {} },
    ]);
    run.completeJob('host', { ok: true });
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 'host', 'end']);
  });

  it('a non-interrupting error boundary is refused when the model is compiled', async () => {
    await expect(Run.start(withBoundary('<bpmn:errorEventDefinition errorRef="e1"/>', { interrupting: false }))).rejects.toMatchObject({
      name: 'DefinitionError',
      problems: [{ elementId: 'b', message: 'an error boundary event always interrupts its activity' }],
    });
  });
});

describe('escalation boundary', () => {
  /** A subprocess "sub" running a user task "inner" while another path escalates. */
  const escalating = (cancelActivity: boolean) =>
    bpmn(
      `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'sub')}
      <bpmn:subProcess id="sub">
        <bpmn:startEvent id="subStart"/>
        ${flow('i1', 'subStart', 'fork')}
        <bpmn:parallelGateway id="fork"/>
        ${flow('i2', 'fork', 'inner')}
        ${flow('i3', 'fork', 'escalate')}
        <bpmn:userTask id="inner"/>
        <bpmn:intermediateThrowEvent id="escalate"><bpmn:escalationEventDefinition escalationRef="x1"/></bpmn:intermediateThrowEvent>
        ${flow('i4', 'inner', 'innerEnd')}
        ${flow('i5', 'escalate', 'escalatedEnd')}
        <bpmn:endEvent id="innerEnd"/>
        <bpmn:endEvent id="escalatedEnd"/>
      </bpmn:subProcess>
      <bpmn:boundaryEvent id="onEsc" attachedToRef="sub" cancelActivity="${cancelActivity}"><bpmn:escalationEventDefinition escalationRef="x1"/></bpmn:boundaryEvent>
      ${flow('f2', 'sub', 'end')}
      ${flow('f3', 'onEsc', 'manager')}
      <bpmn:userTask id="manager"/>
      ${flow('f4', 'manager', 'managerEnd')}
      <bpmn:endEvent id="end"/>
      <bpmn:endEvent id="managerEnd"/>`,
      'p',
      ROOTS,
    );

  it('interrupting: the escalation cancels the subprocess and everything in it', async () => {
    const run = await Run.start(escalating(true));
    expect(run.cancelled()).toEqual(['inner', 'escalate', 'sub']);
    expect(run.completed()).toEqual(['start', 'subStart', 'fork', 'onEsc']);
    expect(run.effectsOf('taskCancelled')).toEqual([{ type: 'taskCancelled', taskId: taskIdOf(run, 'inner') }]);
    expect(run.hasWait('task', 'manager')).toBe(true);
    run.completeTask('manager');
    expect(run.status).toBe('completed');
    expect(run.taken()).toEqual(['f1', 'i1', 'i2', 'i3', 'f3', 'f4']);
  });

  it('non-interrupting: the escalation thrown inside runs the boundary path while the subprocess carries on', async () => {
    const run = await Run.start(escalating(false));
    expect(run.cancelled()).toEqual([]);
    expect(run.completed()).toEqual(['start', 'subStart', 'fork', 'escalate', 'onEsc', 'escalatedEnd']);
    expect(run.hasWait('task', 'inner')).toBe(true);
    expect(run.hasWait('task', 'manager')).toBe(true);
    run.completeTask('manager');
    expect(run.status).toBe('active');
    run.completeTask('inner');
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual([
      'start',
      'subStart',
      'fork',
      'escalate',
      'onEsc',
      'escalatedEnd',
      'manager',
      'managerEnd',
      'inner',
      'innerEnd',
      'sub',
      'end',
    ]);
  });
});

describe('boundaries together', () => {
  it('a host that completes closes every boundary subscription it opened', async () => {
    const run = await Run.start(
      bpmn(
        `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'host')}
      <bpmn:userTask id="host"/>
      <bpmn:boundaryEvent id="bt" attachedToRef="host">${timer('timeDuration', 'PT1H')}</bpmn:boundaryEvent>
      <bpmn:boundaryEvent id="bm" attachedToRef="host" cancelActivity="false">${message}</bpmn:boundaryEvent>
      <bpmn:boundaryEvent id="bs" attachedToRef="host">${signal}</bpmn:boundaryEvent>
      <bpmn:boundaryEvent id="bc" attachedToRef="host">${conditional('=false')}</bpmn:boundaryEvent>
      ${flow('f2', 'host', 'end')}
      <bpmn:endEvent id="end"/>
      ${['bt', 'bm', 'bs', 'bc'].map((b) => `${flow(`${b}-out`, b, `${b}-end`)}<bpmn:endEvent id="${b}-end"/>`).join('\n')}`,
        'p',
        ROOTS,
      ),
    );
    expect(Object.values(run.state.waits).map((w) => [w.kind, w.trigger])).toEqual([
      ['timer', 'bt'],
      ['message', 'bm'],
      ['signal', 'bs'],
      ['conditional', 'bc'],
      ['task', 'host'],
    ]);
    run.completeTask('host');
    expect(run.last.map((e) => e.type)).toEqual([
      'taskCompleted',
      'timerCancelled',
      'messageUnsubscribed',
      'signalUnsubscribed',
      'instanceEnded',
    ]);
    expect(run.state.waits).toEqual({});
  });

  it('an interrupting boundary that fires closes the other boundaries of the host', async () => {
    const run = await Run.start(
      bpmn(
        `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'host')}
      <bpmn:userTask id="host"/>
      <bpmn:boundaryEvent id="bt" attachedToRef="host">${timer('timeDuration', 'PT1H')}</bpmn:boundaryEvent>
      <bpmn:boundaryEvent id="bm" attachedToRef="host">${message}</bpmn:boundaryEvent>
      ${flow('f2', 'host', 'end')}
      ${flow('f3', 'bt', 'late')}
      ${flow('f4', 'bm', 'replied')}
      <bpmn:endEvent id="end"/>
      <bpmn:endEvent id="late"/>
      <bpmn:endEvent id="replied"/>`,
        'p',
        ROOTS,
      ),
    );
    const timerId = run.effectsOf('timerScheduled')[0]?.timerId;
    run.message('bm');
    expect(run.completed()).toEqual(['start', 'bm', 'replied']);
    expect(run.last).toContainEqual({ type: 'timerCancelled', timerId });
    run.advance(2 * HOUR);
    expect(run.completed()).toEqual(['start', 'bm', 'replied']);
  });
});
