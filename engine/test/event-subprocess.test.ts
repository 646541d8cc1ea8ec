import { describe, expect, it } from 'vitest';
import { bpmn, flow, HOUR, MINUTE, Run } from './harness.ts';

const ROOTS = `
  <bpmn:message id="m1" name="customerReply"/>
  <bpmn:signal id="s1" name="alarm"/>
  <bpmn:error id="e1" errorCode="E42"/>
  <bpmn:error id="e2" errorCode="E99"/>
  <bpmn:escalation id="x1" escalationCode="ESC"/>`;

const timer = (kind: 'timeDuration' | 'timeCycle', value: string) =>
  `<bpmn:timerEventDefinition><bpmn:${kind}>${value}</bpmn:${kind}></bpmn:timerEventDefinition>`;
const message = '<bpmn:messageEventDefinition messageRef="m1"/>';
const signal = '<bpmn:signalEventDefinition signalRef="s1"/>';
const error = (ref?: string) => (ref ? `<bpmn:errorEventDefinition errorRef="${ref}"/>` : '<bpmn:errorEventDefinition/>');
const escalation = '<bpmn:escalationEventDefinition escalationRef="x1"/>';

/**
 * An event subprocess `id`: its start event `${id}Start` leads to a user task `${id}Task`, then
 * to `${id}End` (or, with `body`, whatever body gives, starting from `${id}Start`).
 */
function esp(id: string, trigger: string, options: { interrupting?: boolean; attrs?: string; body?: string } = {}): string {
  const body =
    options.body ??
    `${flow(`${id}F1`, `${id}Start`, `${id}Task`)}<bpmn:userTask id="${id}Task"/>${flow(`${id}F2`, `${id}Task`, `${id}End`)}<bpmn:endEvent id="${id}End"/>`;
  return `<bpmn:subProcess id="${id}" triggeredByEvent="true">
      <bpmn:startEvent id="${id}Start" isInterrupting="${options.interrupting !== false}"${options.attrs ?? ''}>${trigger}</bpmn:startEvent>
      ${body}
    </bpmn:subProcess>`;
}

/** start -f1-> work (user task) -f2-> end, plus the given event subprocesses at process level. */
function mainWith(esps: string, main?: string): string {
  return bpmn(
    main ??
      `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'work')}
      <bpmn:userTask id="work"/>
      ${flow('f2', 'work', 'end')}
      <bpmn:endEvent id="end"/>
      ${esps}`,
    'p',
    ROOTS,
  );
}

const taskIdOf = (run: Run, elementId: string) => run.effectsOf('taskCreated').find((t) => t.elementId === elementId)?.taskId;
const jobIdOf = (run: Run, elementId: string) => run.effectsOf('jobCreated').find((t) => t.elementId === elementId)?.jobId;

describe('event subprocesses at process level', () => {
  it('interrupting timer: when due, cancels the main path and runs the event subprocess to the end of the instance', async () => {
    const run = await Run.start(mainWith(esp('timeout', timer('timeDuration', 'PT1H'))));
    expect(run.effectsOf('timerScheduled')).toEqual([
      { type: 'timerScheduled', timerId: expect.any(String), elementId: 'timeoutStart', dueAt: '2026-01-05T10:00:00.000Z' },
    ]);
    run.advance(HOUR);
    expect(run.cancelled()).toEqual(['work']);
    expect(run.effectsOf('taskCancelled')).toEqual([{ type: 'taskCancelled', taskId: taskIdOf(run, 'work') }]);
    expect(run.completed()).toEqual(['start', 'timeoutStart']);
    expect(run.taken()).toEqual(['f1', 'timeoutF1']);
    expect(run.status).toBe('active');
    run.completeTask('timeoutTask');
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 'timeoutStart', 'timeoutTask', 'timeoutEnd', 'timeout']);
  });

  it('a main path that ends first cancels the timer of the event subprocess', async () => {
    const run = await Run.start(mainWith(esp('timeout', timer('timeDuration', 'PT1H'))));
    const timerId = run.effectsOf('timerScheduled')[0]?.timerId;
    run.completeTask('work');
    expect(run.status).toBe('completed');
    expect(run.last).toContainEqual({ type: 'timerCancelled', timerId });
    expect(run.completed()).toEqual(['start', 'work', 'end']);
  });

  it('non-interrupting timer cycle: runs beside the main path each time, and the instance ends when both have ended', async () => {
    const run = await Run.start(mainWith(esp('remind', timer('timeCycle', 'R2/PT1H'), { interrupting: false })));
    for (let h = 0; h < 3; h++) run.advance(HOUR);
    expect(run.cancelled()).toEqual([]);
    expect(run.completed()).toEqual(['start', 'remindStart', 'remindStart']);
    expect(run.effectsOf('timerScheduled').map((e) => e.dueAt)).toEqual(['2026-01-05T10:00:00.000Z', '2026-01-05T11:00:00.000Z']);
    expect(run.effectsOf('taskCreated').map((t) => t.elementId)).toEqual(['work', 'remindTask', 'remindTask']);
    run.completeTask('work');
    expect(run.status).toBe('active');
    expect(run.completed()).toEqual(['start', 'remindStart', 'remindStart', 'work', 'end']);
    run.completeTask('remindTask');
    expect(run.status).toBe('active');
    run.completeTask('remindTask');
    expect(run.status).toBe('completed');
    expect(run.completed().filter((id) => id === 'remind')).toHaveLength(2);
  });

  it('interrupting message: subscribes with its correlation key at start, and the message replaces the main path', async () => {
    const run = await Run.start(mainWith(esp('reply', message, { attrs: ' sl:correlationKey="=ticketId"' })), { ticketId: 'INC-3' });
    expect(run.effectsOf('messageSubscribed')).toEqual([
      {
        type: 'messageSubscribed',
        subscriptionId: expect.any(String),
        elementId: 'replyStart',
        name: 'customerReply',
        correlationKey: 'INC-3',
      },
    ]);
    run.message('replyStart', { text: 'thanks' });
    expect(run.cancelled()).toEqual(['work']);
    expect(run.completed()).toEqual(['start', 'replyStart']);
    expect(run.variables).toEqual({ ticketId: 'INC-3', text: 'thanks' });
    expect(run.hasWait('message', 'replyStart')).toBe(false);
    run.completeTask('replyTask');
    expect(run.status).toBe('completed');
  });

  it('a message start whose correlation key is null is a fault on the instance; a retry after setting it subscribes', async () => {
    const run = await Run.start(mainWith(esp('reply', message, { attrs: ' sl:correlationKey="=ticketId"' })));
    expect(run.effectsOf('messageSubscribed')).toEqual([]);
    expect(run.effectsOf('faultRaised')).toEqual([
      {
        type: 'faultRaised',
        faultId: expect.any(String),
        elementId: 'p',
        message: 'the correlation key of "replyStart" is null; set the variable it reads before the element is reached',
      },
    ]);
    expect(run.hasWait('task', 'work')).toBe(true);
    const faultId = run.effectsOf('faultRaised')[0]?.faultId as string;
    run.do({ type: 'setVariables', variables: { ticketId: 'INC-5' } });
    run.do({ type: 'retryFault', faultId });
    expect(run.last).toEqual([
      { type: 'faultResolved', faultId },
      {
        type: 'messageSubscribed',
        subscriptionId: expect.any(String),
        elementId: 'replyStart',
        name: 'customerReply',
        correlationKey: 'INC-5',
      },
    ]);
    expect(run.effectsOf('taskCreated').map((t) => t.elementId)).toEqual(['work']);
    run.message('replyStart');
    expect(run.cancelled()).toEqual(['work']);
    run.completeTask('replyTask');
    expect(run.status).toBe('completed');
    expect(run.state.faults).toEqual({});
  });

  it('an instance that completes while its event subprocess start is faulted resolves that fault', async () => {
    const run = await Run.start(mainWith(esp('reply', message, { attrs: ' sl:correlationKey="=ticketId"' })));
    const faultId = run.effectsOf('faultRaised')[0]?.faultId as string;
    run.completeTask('work');
    expect(run.status).toBe('completed');
    expect(run.last).toContainEqual({ type: 'faultResolved', faultId });
    expect(run.state.faults).toEqual({});
  });

  it('non-interrupting message: each message starts another run of the event subprocess; the subscription closes when the instance ends', async () => {
    const run = await Run.start(mainWith(esp('reply', message, { interrupting: false })));
    const subscriptionId = run.effectsOf('messageSubscribed')[0]?.subscriptionId;
    run.message('replyStart', { n: 1 }).message('replyStart', { n: 2 });
    expect(run.completed()).toEqual(['start', 'replyStart', 'replyStart']);
    expect(run.effectsOf('messageUnsubscribed')).toEqual([]);
    expect(run.hasWait('task', 'work')).toBe(true);
    run.completeTask('replyTask').completeTask('replyTask').completeTask('work');
    expect(run.status).toBe('completed');
    expect(run.last).toContainEqual({ type: 'messageUnsubscribed', subscriptionId });
  });

  it('interrupting signal: cancels the main path', async () => {
    const run = await Run.start(mainWith(esp('stop', signal)));
    expect(run.effectsOf('signalSubscribed')).toEqual([
      { type: 'signalSubscribed', subscriptionId: expect.any(String), elementId: 'stopStart', name: 'alarm' },
    ]);
    run.signal('alarm');
    expect(run.cancelled()).toEqual(['work']);
    expect(run.completed()).toEqual(['start', 'stopStart']);
    run.completeTask('stopTask');
    expect(run.status).toBe('completed');
  });

  it('non-interrupting signal: runs beside the main path', async () => {
    const run = await Run.start(mainWith(esp('notify', signal, { interrupting: false })));
    run.signal('alarm');
    expect(run.cancelled()).toEqual([]);
    expect(run.hasWait('task', 'work')).toBe(true);
    expect(run.hasWait('task', 'notifyTask')).toBe(true);
    expect(run.hasWait('signal', 'notifyStart')).toBe(true);
    run.completeTask('notifyTask');
    run.completeTask('work');
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 'notifyStart', 'notifyTask', 'notifyEnd', 'notify', 'work', 'end']);
  });

  it('an interrupting start also closes the subscriptions and cancels the runs of the other event subprocesses of its scope', async () => {
    const run = await Run.start(
      mainWith(`${esp('notify', signal, { interrupting: false })}${esp('timeout', timer('timeDuration', 'PT1H'))}`),
    );
    run.signal('alarm');
    const signalSub = run.effectsOf('signalSubscribed')[0]?.subscriptionId;
    run.advance(HOUR);
    expect(run.cancelled()).toEqual(['work', 'notifyTask', 'notify']);
    expect(run.last).toContainEqual({ type: 'signalUnsubscribed', subscriptionId: signalSub });
    run.signal('alarm');
    expect(run.completed()).toEqual(['start', 'notifyStart', 'timeoutStart']);
    run.completeTask('timeoutTask');
    expect(run.status).toBe('completed');
  });

  it('error: an error thrown by a job is caught by the event subprocess with its code (over a catch-all), cancelling the main path', async () => {
    const run = await Run.start(
      mainWith(
        `${esp('anyError', error())}${esp('declined', error('e1'))}`,
        `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'fork')}
      <bpmn:parallelGateway id="fork"/>
      ${flow('f2', 'fork', 'charge')}
      ${flow('f3', 'fork', 'work')}
      <bpmn:serviceTask id="charge" sl:type="payment"/>
      <bpmn:userTask id="work"/>
      ${flow('f4', 'charge', 'endA')}
      ${flow('f5', 'work', 'endB')}
      <bpmn:endEvent id="endA"/>
      <bpmn:endEvent id="endB"/>
      ${esp('anyError', error())}${esp('declined', error('e1'))}`,
      ),
    );
    expect(run.effectsOf('timerScheduled').length + run.effectsOf('messageSubscribed').length).toBe(0);
    const jobId = jobIdOf(run, 'charge');
    run.throwError('charge', 'E42', 'card declined');
    expect(run.cancelled()).toEqual(['charge', 'work']);
    expect(run.completed()).toEqual(['start', 'fork', 'declinedStart']);
    expect(run.last.slice(0, 2)).toEqual([
      { type: 'jobCompleted', jobId },
      { type: 'taskCancelled', taskId: taskIdOf(run, 'work') },
    ]);
    expect(run.effectsOf('jobCancelled')).toEqual([]);
    run.completeTask('declinedTask');
    expect(run.status).toBe('completed');
  });

  it('error: an error end event on the main path is caught by a catch-all error event subprocess', async () => {
    const run = await Run.start(
      mainWith(
        '',
        `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'fail')}
      <bpmn:endEvent id="fail"><bpmn:errorEventDefinition errorRef="e2"/></bpmn:endEvent>
      ${esp('anyError', error())}`,
      ),
    );
    expect(run.cancelled()).toEqual(['fail']);
    expect(run.completed()).toEqual(['start', 'anyErrorStart']);
    expect(run.hasWait('task', 'anyErrorTask')).toBe(true);
  });

  it('escalation, non-interrupting: an escalation thrown on the main path runs the event subprocess beside it', async () => {
    const run = await Run.start(
      mainWith(
        '',
        `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'escalate')}
      <bpmn:intermediateThrowEvent id="escalate">${escalation}</bpmn:intermediateThrowEvent>
      ${flow('f2', 'escalate', 'work')}
      <bpmn:userTask id="work"/>
      ${flow('f3', 'work', 'end')}
      <bpmn:endEvent id="end"/>
      ${esp('manager', escalation, { interrupting: false })}`,
      ),
    );
    expect(run.cancelled()).toEqual([]);
    expect(run.completed()).toEqual(['start', 'escalate', 'managerStart']);
    expect(run.hasWait('task', 'work')).toBe(true);
    expect(run.hasWait('task', 'managerTask')).toBe(true);
    run.completeTask('work');
    expect(run.status).toBe('active');
    run.completeTask('managerTask');
    expect(run.status).toBe('completed');
  });

  it('escalation, interrupting: an escalation end on the main path cancels the rest of it', async () => {
    const run = await Run.start(
      mainWith(
        '',
        `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'fork')}
      <bpmn:parallelGateway id="fork"/>
      ${flow('f2', 'fork', 'work')}
      ${flow('f3', 'fork', 'escalate')}
      <bpmn:userTask id="work"/>
      ${flow('f4', 'work', 'end')}
      <bpmn:endEvent id="end"/>
      <bpmn:endEvent id="escalate">${escalation}</bpmn:endEvent>
      ${esp('manager', escalation)}`,
      ),
    );
    expect(run.cancelled()).toEqual(['work', 'escalate']);
    expect(run.completed()).toEqual(['start', 'fork', 'managerStart']);
    run.completeTask('managerTask');
    expect(run.status).toBe('completed');
  });
});

describe('event subprocesses inside an embedded subprocess', () => {
  /** start -> fork -> (sub | outer user task) -> join -> end; `sub` runs user task "inner" and holds the given event subprocesses. */
  const nested = (esps: string, inner?: string) =>
    bpmn(
      `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'fork')}
      <bpmn:parallelGateway id="fork"/>
      ${flow('f2', 'fork', 'sub')}
      ${flow('f3', 'fork', 'outer')}
      <bpmn:userTask id="outer"/>
      <bpmn:subProcess id="sub">
        ${
          inner ??
          `<bpmn:startEvent id="subStart"/>
        ${flow('i1', 'subStart', 'inner')}
        <bpmn:userTask id="inner"/>
        ${flow('i2', 'inner', 'subEnd')}
        <bpmn:endEvent id="subEnd"/>`
        }
        ${esps}
      </bpmn:subProcess>
      ${flow('f4', 'sub', 'join')}
      ${flow('f5', 'outer', 'join')}
      <bpmn:parallelGateway id="join"/>
      ${flow('f6', 'join', 'end')}
      <bpmn:endEvent id="end"/>`,
      'p',
      ROOTS,
    );

  it('subscribes when the subprocess starts and closes the subscription when it ends', async () => {
    const run = await Run.start(nested(esp('timeout', timer('timeDuration', 'PT1H'))));
    const timerId = run.effectsOf('timerScheduled')[0]?.timerId;
    expect(run.effectsOf('timerScheduled')[0]?.elementId).toBe('timeoutStart');
    run.completeTask('inner');
    expect(run.last).toContainEqual({ type: 'timerCancelled', timerId });
    expect(run.completed()).toEqual(['start', 'fork', 'subStart', 'inner', 'subEnd', 'sub']);
  });

  it('interrupting timer: cancels only the tokens of the subprocess, which then completes through the event subprocess', async () => {
    const run = await Run.start(nested(esp('timeout', timer('timeDuration', 'PT1H'))));
    run.advance(HOUR);
    expect(run.cancelled()).toEqual(['inner']);
    expect(run.hasWait('task', 'outer')).toBe(true);
    expect(run.hasWait('task', 'timeoutTask')).toBe(true);
    run.completeTask('timeoutTask');
    expect(run.completed()).toEqual(['start', 'fork', 'subStart', 'timeoutStart', 'timeoutTask', 'timeoutEnd', 'timeout', 'sub']);
    expect(run.taken()).toEqual(['f1', 'f2', 'f3', 'i1', 'timeoutF1', 'timeoutF2', 'f4']);
    run.completeTask('outer');
    expect(run.status).toBe('completed');
  });

  it('non-interrupting message: runs beside the subprocess tokens; the subprocess completes when both have ended', async () => {
    const run = await Run.start(nested(esp('reply', message, { interrupting: false })));
    run.message('replyStart');
    expect(run.cancelled()).toEqual([]);
    run.completeTask('inner');
    expect(run.completed()).not.toContain('sub');
    run.completeTask('replyTask');
    expect(run.completed()).toContain('sub');
    expect(run.last).toContainEqual({ type: 'messageUnsubscribed', subscriptionId: run.effectsOf('messageSubscribed')[0]?.subscriptionId });
    run.completeTask('outer');
    expect(run.status).toBe('completed');
  });

  it('interrupting signal and non-interrupting escalation work the same way inside a subprocess', async () => {
    const run = await Run.start(
      nested(
        `${esp('stop', signal)}${esp('manager', escalation, { interrupting: false })}`,
        `<bpmn:startEvent id="subStart"/>
        ${flow('i1', 'subStart', 'escalate')}
        <bpmn:intermediateThrowEvent id="escalate">${escalation}</bpmn:intermediateThrowEvent>
        ${flow('i2', 'escalate', 'inner')}
        <bpmn:userTask id="inner"/>
        ${flow('i3', 'inner', 'subEnd')}
        <bpmn:endEvent id="subEnd"/>`,
      ),
    );
    expect(run.completed()).toEqual(['start', 'fork', 'subStart', 'escalate', 'managerStart']);
    expect(run.hasWait('task', 'managerTask')).toBe(true);
    run.signal('alarm');
    expect(run.cancelled()).toEqual(['managerTask', 'manager', 'inner']);
    expect(run.hasWait('task', 'outer')).toBe(true);
    run.completeTask('stopTask').completeTask('outer');
    expect(run.status).toBe('completed');
  });

  it('an interrupting event subprocess keeps the boundary events of its subprocess: they can still interrupt it', async () => {
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
        ${esp('reply', message)}
      </bpmn:subProcess>
      <bpmn:boundaryEvent id="sla" attachedToRef="sub">${timer('timeDuration', 'PT4H')}</bpmn:boundaryEvent>
      <bpmn:boundaryEvent id="abort" attachedToRef="sub" cancelActivity="false">${signal}</bpmn:boundaryEvent>
      ${flow('f2', 'sub', 'end')}
      ${flow('f3', 'sla', 'breached')}
      ${flow('f4', 'abort', 'aborted')}
      <bpmn:endEvent id="end"/>
      <bpmn:endEvent id="breached"/>
      <bpmn:endEvent id="aborted"/>`,
        'p',
        ROOTS,
      ),
    );
    const slaTimer = run.effectsOf('timerScheduled')[0]?.timerId;
    run.message('replyStart');
    expect(run.cancelled()).toEqual(['inner']);
    expect(run.last).not.toContainEqual({ type: 'timerCancelled', timerId: slaTimer });
    expect(run.effectsOf('signalUnsubscribed')).toEqual([]);
    expect(run.hasWait('timer', 'sla')).toBe(true);
    expect(run.hasWait('signal', 'abort')).toBe(true);
    run.signal('alarm');
    expect(run.completed()).toEqual(['start', 'subStart', 'replyStart', 'abort', 'aborted']);
    run.advance(4 * HOUR);
    expect(run.status).toBe('completed');
    expect(run.cancelled()).toEqual(['inner', 'replyTask', 'reply', 'sub']);
    expect(run.completed()).toEqual(['start', 'subStart', 'replyStart', 'abort', 'aborted', 'sla', 'breached']);
  });

  it('error: caught by the error event subprocess of the subprocess, after which the subprocess completes normally', async () => {
    const run = await Run.start(
      nested(
        esp('recover', error('e1')),
        `<bpmn:startEvent id="subStart"/>
        ${flow('i1', 'subStart', 'charge')}
        <bpmn:serviceTask id="charge" sl:type="payment"/>
        ${flow('i2', 'charge', 'subEnd')}
        <bpmn:endEvent id="subEnd"/>`,
      ),
    );
    run.throwError('charge', 'E42');
    expect(run.cancelled()).toEqual(['charge']);
    run.completeTask('recoverTask');
    expect(run.completed()).toEqual(['start', 'fork', 'subStart', 'recoverStart', 'recoverTask', 'recoverEnd', 'recover', 'sub']);
    expect(run.taken()).toContain('f4');
  });

  it('an error thrown inside an event subprocess is not caught by that event subprocess, but further out', async () => {
    const run = await Run.start(
      bpmn(
        `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'sub')}
      <bpmn:subProcess id="sub">
        <bpmn:startEvent id="subStart"/>
        ${flow('i1', 'subStart', 'charge')}
        <bpmn:serviceTask id="charge" sl:type="payment"/>
        ${flow('i2', 'charge', 'subEnd')}
        <bpmn:endEvent id="subEnd"/>
        ${esp('recover', error(), {
          body: `${flow('r1', 'recoverStart', 'refund')}<bpmn:serviceTask id="refund" sl:type="refund"/>${flow('r2', 'refund', 'recoverEnd')}<bpmn:endEvent id="recoverEnd"/>`,
        })}
      </bpmn:subProcess>
      <bpmn:boundaryEvent id="subFailed" attachedToRef="sub">${error()}</bpmn:boundaryEvent>
      ${flow('f2', 'sub', 'end')}
      ${flow('f3', 'subFailed', 'failedEnd')}
      <bpmn:endEvent id="end"/>
      <bpmn:endEvent id="failedEnd"/>`,
        'p',
        ROOTS,
      ),
    );
    run.throwError('charge', 'E42');
    expect(run.completed()).toEqual(['start', 'subStart', 'recoverStart']);
    run.throwError('refund', 'E99');
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 'subStart', 'recoverStart', 'subFailed', 'failedEnd']);
    expect(run.cancelled()).toEqual(['charge', 'refund', 'recover', 'sub']);
  });

  it('an error thrown inside a timer event subprocess is caught by the error event subprocess beside it', async () => {
    const run = await Run.start(
      mainWith(
        `${esp('remind', timer('timeDuration', 'PT1H'), {
          interrupting: false,
          body: `${flow('r1', 'remindStart', 'notify')}<bpmn:serviceTask id="notify" sl:type="mail"/>${flow('r2', 'notify', 'remindEnd')}<bpmn:endEvent id="remindEnd"/>`,
        })}${esp('recover', error('e2'))}`,
      ),
    );
    run.advance(HOUR);
    expect(run.hasWait('job', 'notify')).toBe(true);
    run.throwError('notify', 'E99');
    expect(run.cancelled()).toEqual(['work', 'notify', 'remind']);
    expect(run.completed()).toEqual(['start', 'remindStart', 'recoverStart']);
    run.completeTask('recoverTask');
    expect(run.status).toBe('completed');
  });

  it('an error thrown inside a process-level error event subprocess, with nothing further out, is a fault', async () => {
    const run = await Run.start(
      mainWith(
        '',
        `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'charge')}
      <bpmn:serviceTask id="charge" sl:type="payment"/>
      ${flow('f2', 'charge', 'end')}
      <bpmn:endEvent id="end"/>
      ${esp('recover', error(), {
        body: `${flow('r1', 'recoverStart', 'refund')}<bpmn:serviceTask id="refund" sl:type="refund"/>${flow('r2', 'refund', 'recoverEnd')}<bpmn:endEvent id="recoverEnd"/>`,
      })}`,
      ),
    );
    run.throwError('charge', 'E42');
    const refundJob = jobIdOf(run, 'refund');
    run.throwError('refund', 'E99', 'refund failed');
    expect(run.status).toBe('active');
    expect(run.last).toEqual([
      {
        type: 'faultRaised',
        faultId: expect.any(String),
        elementId: 'refund',
        jobId: refundJob,
        message: 'error "E99" (refund failed) was thrown and no boundary event or event subprocess catches it',
      },
    ]);
    expect(run.completed()).toEqual(['start', 'recoverStart']);
    run.advance(10 * MINUTE);
    expect(run.hasWait('job', 'refund')).toBe(true);
  });
});
