// Scopes: embedded subprocesses, terminate end events, call activities and cancelling an instance.
import { describe, expect, it } from 'vitest';
import { activeElementIds, compile, openWaits } from '../src/index.ts';
import { bpmn, flow, Run } from './harness.ts';

/** A subprocess "sub" between start and end, holding `inner`, with `attrs` on the subprocess element. */
function withSubprocess(inner: string, attrs = '', extension = ''): string {
  return bpmn(`
    <bpmn:startEvent id="start"/>
    ${flow('f1', 'start', 'sub')}
    <bpmn:subProcess id="sub" ${attrs}>
      ${extension}
      ${inner}
    </bpmn:subProcess>
    ${flow('f2', 'sub', 'after')}
    <bpmn:userTask id="after"/>
    ${flow('f3', 'after', 'end')}
    <bpmn:endEvent id="end"/>`);
}

describe('embedded subprocess', () => {
  it('runs its inner flow and completes when the inner end event is reached', async () => {
    const run = await Run.start(
      withSubprocess(`
      <bpmn:startEvent id="subStart"/>
      ${flow('s1', 'subStart', 'work')}
      <bpmn:userTask id="work"/>
      ${flow('s2', 'work', 'subEnd')}
      <bpmn:endEvent id="subEnd"/>`),
    );
    expect(run.completed()).toEqual(['start', 'subStart']);
    expect(activeElementIds(run.state).sort()).toEqual(['sub', 'work']);
    run.completeTask('work');
    expect(run.completed()).toEqual(['start', 'subStart', 'work', 'subEnd', 'sub']);
    expect(run.taken()).toEqual(['f1', 's1', 's2', 'f2']);
    expect(activeElementIds(run.state)).toEqual(['after']);
    run.completeTask('after');
    expect(run.status).toBe('completed');
  });

  it('keeps its input variables local: visible inside, gone from the process after it completes', async () => {
    const run = await Run.start(
      withSubprocess(
        `
      <bpmn:startEvent id="subStart"/>
      ${flow('s1', 'subStart', 'work')}
      <bpmn:serviceTask id="work" sl:type="check"/>
      ${flow('s2', 'work', 'subEnd')}
      <bpmn:endEvent id="subEnd"/>`,
        '',
        `<bpmn:extensionElements><sl:inputOutput><sl:input source="=amount * 2" target="limit"/></sl:inputOutput></bpmn:extensionElements>`,
      ),
      { amount: 10 },
    );
    expect(run.effectsOf('jobCreated')[0]?.variables).toEqual({ amount: 10, limit: 20 });
    expect(run.variables).toEqual({ amount: 10 });
    // "limit" exists in the subprocess, so it is updated there; "checked" exists nowhere, so it goes to the process.
    run.completeJob('work', { limit: 25, checked: true });
    expect(run.variables).toEqual({ amount: 10, checked: true });
    expect(run.completed()).toEqual(['start', 'subStart', 'work', 'subEnd', 'sub']);
  });

  it('shows an inner element the subprocess variables over the process variables', async () => {
    const run = await Run.start(
      withSubprocess(
        `
      <bpmn:startEvent id="subStart"/>
      ${flow('s1', 'subStart', 'work')}
      <bpmn:userTask id="work" sl:assignee="=owner"/>
      ${flow('s2', 'work', 'subEnd')}
      <bpmn:endEvent id="subEnd"/>`,
        '',
        `<bpmn:extensionElements><sl:inputOutput><sl:input source="=&quot;inner&quot;" target="owner"/></sl:inputOutput></bpmn:extensionElements>`,
      ),
      { owner: 'outer' },
    );
    expect(run.effectsOf('taskCreated')[0]?.assignee).toBe('inner');
    run.completeTask('work', { owner: 'changed' });
    expect(run.variables).toEqual({ owner: 'outer' });
  });

  it('with two parallel paths completes only after both reach their end', async () => {
    const run = await Run.start(
      withSubprocess(`
      <bpmn:startEvent id="subStart"/>
      ${flow('s1', 'subStart', 'fork')}
      <bpmn:parallelGateway id="fork"/>
      ${flow('sa', 'fork', 'a')}
      ${flow('sb', 'fork', 'b')}
      <bpmn:userTask id="a"/>
      <bpmn:userTask id="b"/>
      ${flow('sa2', 'a', 'endA')}
      ${flow('sb2', 'b', 'endB')}
      <bpmn:endEvent id="endA"/>
      <bpmn:endEvent id="endB"/>`),
    );
    run.completeTask('b');
    expect(run.completed()).toEqual(['start', 'subStart', 'fork', 'b', 'endB']);
    expect(activeElementIds(run.state).sort()).toEqual(['a', 'sub']);
    run.completeTask('a');
    expect(run.completed()).toEqual(['start', 'subStart', 'fork', 'b', 'endB', 'a', 'endA', 'sub']);
    expect(run.completed().filter((id) => id === 'sub')).toHaveLength(1);
    expect(activeElementIds(run.state)).toEqual(['after']);
  });

  it('is interrupted as a whole by an error thrown inside and caught on its boundary', async () => {
    const run = await Run.start(
      bpmn(
        `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'sub')}
      <bpmn:subProcess id="sub">
        <bpmn:startEvent id="subStart"/>
        ${flow('s1', 'subStart', 'fork')}
        <bpmn:parallelGateway id="fork"/>
        ${flow('sa', 'fork', 'a')}
        ${flow('sb', 'fork', 'b')}
        <bpmn:userTask id="a"/>
        <bpmn:serviceTask id="b" sl:type="check"/>
        ${flow('sa2', 'a', 'endA')}
        ${flow('sb2', 'b', 'endB')}
        <bpmn:endEvent id="endA"/>
        <bpmn:endEvent id="endB"/>
      </bpmn:subProcess>
      <bpmn:boundaryEvent id="onError" attachedToRef="sub"><bpmn:errorEventDefinition errorRef="err"/></bpmn:boundaryEvent>
      ${flow('f2', 'sub', 'end')}
      ${flow('f3', 'onError', 'failed')}
      <bpmn:endEvent id="end"/>
      <bpmn:endEvent id="failed"/>`,
        'p',
        '<bpmn:error id="err" errorCode="CHECK_FAILED"/>',
      ),
    );
    run.throwError('b', 'CHECK_FAILED', 'no stock');
    expect(run.cancelled().sort()).toEqual(['a', 'b', 'sub']);
    expect(run.completed()).toEqual(['start', 'subStart', 'fork', 'onError', 'failed']);
    expect(run.effectsOf('taskCancelled')).toHaveLength(1);
    expect(run.status).toBe('completed');
  });
});

describe('faults on a scope', () => {
  const withEventSubprocess = (inner: string) => `
    <bpmn:subProcess id="onUpdate" triggeredByEvent="true">
      <bpmn:startEvent id="updateStart" isInterrupting="false" sl:correlationKey="=ticketId"><bpmn:messageEventDefinition messageRef="m"/></bpmn:startEvent>
      ${flow('u1', 'updateStart', 'updateEnd')}
      <bpmn:endEvent id="updateEnd"/>
    </bpmn:subProcess>
    ${inner}`;

  it('an event subprocess of the process that cannot subscribe raises a fault; a retry subscribes it and changes nothing else', async () => {
    const run = await Run.start(
      bpmn(
        withEventSubprocess(`
        <bpmn:startEvent id="start"/>
        ${flow('f1', 'start', 'work')}
        <bpmn:userTask id="work"/>
        ${flow('f2', 'work', 'end')}
        <bpmn:endEvent id="end"/>`),
        'p',
        '<bpmn:message id="m" name="ticketUpdated"/>',
      ),
    );
    expect(run.effectsOf('faultRaised')).toMatchObject([{ elementId: 'p', message: expect.stringContaining('correlation key') }]);
    expect(run.effectsOf('taskCreated')).toHaveLength(1);
    const faultId = Object.keys(run.state.faults)[0] as string;
    run.do({ type: 'setVariables', variables: { ticketId: 'INC-1' } });
    run.do({ type: 'retryFault', faultId });
    expect(run.last).toEqual([
      { type: 'faultResolved', faultId },
      {
        type: 'messageSubscribed',
        subscriptionId: expect.any(String),
        elementId: 'updateStart',
        name: 'ticketUpdated',
        correlationKey: 'INC-1',
      },
    ]);
    expect(run.state.faults).toEqual({});
    run.completeTask('work');
    expect(run.completed()).toEqual(['start', 'work', 'end']);
    expect(run.status).toBe('completed');
  });

  it('retrying a fault on a subprocess does not start the subprocess again', async () => {
    const run = await Run.start(
      bpmn(
        `
        <bpmn:startEvent id="start"/>
        ${flow('f1', 'start', 'sub')}
        <bpmn:subProcess id="sub">
          ${withEventSubprocess(`
          <bpmn:startEvent id="subStart"/>
          ${flow('s1', 'subStart', 'work')}
          <bpmn:userTask id="work"/>
          ${flow('s2', 'work', 'subEnd')}
          <bpmn:endEvent id="subEnd"/>`)}
        </bpmn:subProcess>
        ${flow('f2', 'sub', 'end')}
        <bpmn:endEvent id="end"/>`,
        'p',
        '<bpmn:message id="m" name="ticketUpdated"/>',
      ),
    );
    expect(run.effectsOf('faultRaised')).toMatchObject([{ elementId: 'sub' }]);
    const faultId = Object.keys(run.state.faults)[0] as string;
    run.do({ type: 'setVariables', variables: { ticketId: 'INC-1' } });
    run.do({ type: 'retryFault', faultId });
    expect(run.effectsOf('taskCreated')).toHaveLength(1);
    expect(run.effectsOf('messageSubscribed')).toMatchObject([{ elementId: 'updateStart', correlationKey: 'INC-1' }]);
    run.completeTask('work');
    expect(run.completed()).toEqual(['start', 'subStart', 'work', 'subEnd', 'sub', 'end']);
    expect(run.status).toBe('completed');
  });
});

describe('terminate end event', () => {
  it('inside a subprocess ends only the subprocess, cancelling its other tokens', async () => {
    const run = await Run.start(
      withSubprocess(`
      <bpmn:startEvent id="subStart"/>
      ${flow('s1', 'subStart', 'fork')}
      <bpmn:parallelGateway id="fork"/>
      ${flow('sa', 'fork', 'a')}
      ${flow('sb', 'fork', 'b')}
      <bpmn:userTask id="a"/>
      <bpmn:userTask id="b"/>
      ${flow('sa2', 'a', 'endA')}
      ${flow('sb2', 'b', 'kill')}
      <bpmn:endEvent id="endA"/>
      <bpmn:endEvent id="kill"><bpmn:terminateEventDefinition/></bpmn:endEvent>`),
    );
    const taskA = run.effectsOf('taskCreated').find((t) => t.elementId === 'a')?.taskId;
    run.completeTask('b');
    expect(run.cancelled()).toEqual(['a']);
    expect(run.last).toContainEqual({ type: 'taskCancelled', taskId: taskA });
    expect(run.completed()).toEqual(['start', 'subStart', 'fork', 'b', 'kill', 'sub']);
    expect(run.taken()).toEqual(['f1', 's1', 'sa', 'sb', 'sb2', 'f2']);
    expect(run.status).toBe('active');
    expect(activeElementIds(run.state)).toEqual(['after']);
    run.completeTask('after');
    expect(run.status).toBe('completed');
  });

  it('at the top level terminates the instance and cancels every other token', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'fork')}
      <bpmn:parallelGateway id="fork"/>
      ${flow('fa', 'fork', 'a')}
      ${flow('fb', 'fork', 'b')}
      ${flow('fc', 'fork', 'c')}
      <bpmn:userTask id="a"/>
      <bpmn:serviceTask id="b" sl:type="work"/>
      <bpmn:userTask id="c"/>
      ${flow('fa2', 'a', 'endA')}
      ${flow('fb2', 'b', 'endB')}
      ${flow('fc2', 'c', 'kill')}
      <bpmn:endEvent id="endA"/>
      <bpmn:endEvent id="endB"/>
      <bpmn:endEvent id="kill"><bpmn:terminateEventDefinition/></bpmn:endEvent>`),
      { x: 1 },
    );
    const taskA = run.effectsOf('taskCreated').find((t) => t.elementId === 'a')?.taskId;
    const jobB = run.effectsOf('jobCreated')[0]?.jobId;
    run.completeTask('c');
    expect(run.status).toBe('terminated');
    expect(run.completed()).toEqual(['start', 'fork', 'c', 'kill']);
    expect(run.cancelled().sort()).toEqual(['a', 'b']);
    expect(run.last).toContainEqual({ type: 'taskCancelled', taskId: taskA });
    expect(run.last).toContainEqual({ type: 'jobCancelled', jobId: jobB });
    expect(run.last.at(-1)).toEqual({ type: 'instanceEnded', status: 'terminated', variables: { x: 1 } });
    expect(run.state.waits).toEqual({});
    expect(run.state.elements).toEqual({});
    expect(run.state.endedAt).toBe('2026-01-05T09:00:00.000Z');
  });

  it('refuses further commands once the instance is terminated', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'kill')}
      <bpmn:endEvent id="kill"><bpmn:terminateEventDefinition/></bpmn:endEvent>`),
    );
    expect(run.status).toBe('terminated');
    expect(() => run.do({ type: 'setVariables', variables: { a: 1 } })).toThrow(/terminated/);
  });
});

describe('call activity', () => {
  const caller = (attrs: string, extension = '', boundary = '') =>
    bpmn(
      `
    <bpmn:startEvent id="start"/>
    ${flow('f1', 'start', 'call')}
    <bpmn:callActivity id="call" calledElement="child-process" ${attrs}>${extension}</bpmn:callActivity>
    ${boundary}
    ${flow('f2', 'call', 'end')}
    <bpmn:endEvent id="end"/>`,
      'p',
      '<bpmn:error id="err" errorCode="CHILD_BROKE"/>',
    );

  it('asks the runtime to start the child with the process id, pinned version and a copy of the variables', async () => {
    const run = await Run.start(caller('sl:calledVersion="3"'), { ticket: 'T-9', priority: 2 }, { businessKey: 'BK-1' });
    const [call] = openWaits(run.state, 'call');
    expect(run.effectsOf('callStarted')).toEqual([
      {
        type: 'callStarted',
        callId: call?.id,
        elementId: 'call',
        processId: 'child-process',
        version: 3,
        businessKey: 'BK-1',
        variables: { ticket: 'T-9', priority: 2 },
      },
    ]);
    expect(activeElementIds(run.state)).toEqual(['call']);
  });

  it('calls the latest version when no version is pinned', async () => {
    const run = await Run.start(caller(''), { a: 1 });
    expect(run.effectsOf('callStarted')[0]).not.toHaveProperty('version');
  });

  it('passes only the input mappings when it has sl:inputOutput inputs', async () => {
    const run = await Run.start(
      caller(
        '',
        `<bpmn:extensionElements><sl:inputOutput><sl:input source="=ticket" target="parentTicket"/></sl:inputOutput></bpmn:extensionElements>`,
      ),
      { ticket: 'T-9', secret: 'x' },
    );
    expect(run.effectsOf('callStarted')[0]?.variables).toEqual({ parentTicket: 'T-9' });
  });

  it('merges the child variables back when the child completes', async () => {
    const run = await Run.start(caller(''), { ticket: 'T-9', status: 'open' });
    const callId = openWaits(run.state, 'call')[0]?.id as string;
    run.do({ type: 'childCompleted', callId, variables: { status: 'resolved', resolution: 'reboot' } });
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 'call', 'end']);
    expect(run.variables).toEqual({ ticket: 'T-9', status: 'resolved', resolution: 'reboot' });
  });

  it('keeps its own variables when sl:propagateAllChildVariables is false', async () => {
    const run = await Run.start(caller('sl:propagateAllChildVariables="false"'), { ticket: 'T-9', status: 'open' });
    const callId = openWaits(run.state, 'call')[0]?.id as string;
    run.do({ type: 'childCompleted', callId, variables: { status: 'resolved', resolution: 'reboot' } });
    expect(run.completed()).toEqual(['start', 'call', 'end']);
    expect(run.variables).toEqual({ ticket: 'T-9', status: 'open' });
  });

  it('with propagateAllChildVariables false still maps its outputs from the child variables', async () => {
    const run = await Run.start(
      caller(
        'sl:propagateAllChildVariables="false"',
        `<bpmn:extensionElements><sl:inputOutput><sl:output source="=resolution" target="childResolution"/></sl:inputOutput></bpmn:extensionElements>`,
      ),
      { ticket: 'T-9' },
    );
    const callId = openWaits(run.state, 'call')[0]?.id as string;
    run.do({ type: 'childCompleted', callId, variables: { status: 'resolved', resolution: 'reboot' } });
    expect(run.variables).toEqual({ ticket: 'T-9', childResolution: 'reboot' });
  });

  it('routes a child failure with an error code to the error boundary on the call activity', async () => {
    const run = await Run.start(
      caller(
        '',
        '',
        `<bpmn:boundaryEvent id="broke" attachedToRef="call"><bpmn:errorEventDefinition errorRef="err"/></bpmn:boundaryEvent>
        ${flow('f3', 'broke', 'handle')}
        <bpmn:userTask id="handle"/>
        ${flow('f4', 'handle', 'failedEnd')}
        <bpmn:endEvent id="failedEnd"/>`,
      ),
    );
    const callId = openWaits(run.state, 'call')[0]?.id as string;
    run.do({ type: 'childFailed', callId, errorCode: 'CHILD_BROKE', message: 'disk full' });
    expect(run.cancelled()).toEqual(['call']);
    expect(run.completed()).toEqual(['start', 'broke']);
    expect(run.taken()).toEqual(['f1', 'f3']);
    // The child is already gone: nothing to cancel.
    expect(run.effectsOf('callCancelled')).toEqual([]);
    expect(openWaits(run.state).map((w) => w.kind)).toEqual(['task']);
    run.completeTask('handle');
    expect(run.completed()).toEqual(['start', 'broke', 'handle', 'failedEnd']);
  });

  it('raises a fault when a child failure is not caught', async () => {
    const run = await Run.start(caller(''));
    const callId = openWaits(run.state, 'call')[0]?.id as string;
    run.do({ type: 'childFailed', callId, errorCode: 'OTHER' });
    expect(run.effectsOf('faultRaised')).toMatchObject([{ elementId: 'call', message: expect.stringContaining('OTHER') }]);
    expect(run.status).toBe('active');
  });

  it('cancels the child when an interrupting boundary ends the call activity', async () => {
    const run = await Run.start(
      caller(
        '',
        '',
        `<bpmn:boundaryEvent id="stop" attachedToRef="call"><bpmn:signalEventDefinition signalRef="sig"/></bpmn:boundaryEvent>
        ${flow('f3', 'stop', 'stopped')}
        <bpmn:endEvent id="stopped"/>`,
      ).replace('<bpmn:error ', '<bpmn:signal id="sig" name="stopAll"/><bpmn:error '),
    );
    const callId = openWaits(run.state, 'call')[0]?.id as string;
    run.signal('stopAll');
    expect(run.last).toContainEqual({ type: 'callCancelled', callId });
    expect(run.completed()).toEqual(['start', 'stop', 'stopped']);
    expect(run.cancelled()).toEqual(['call']);
  });

  it('a called instance that ends with an uncaught error hands it to its caller', async () => {
    const child = new Run(
      await compile(
        bpmn(
          `
        <bpmn:startEvent id="cs"/>
        ${flow('c1', 'cs', 'boom')}
        <bpmn:endEvent id="boom"><bpmn:errorEventDefinition errorRef="err"/></bpmn:endEvent>`,
          'child-process',
          '<bpmn:error id="err" errorCode="CHILD_BROKE"/>',
        ),
      ),
    );
    child.do({ type: 'start', instanceId: 'child', parent: { instanceId: 'pi', callId: 'pi.1' } });
    expect(child.status).toBe('terminated');
    expect(child.last.at(-1)).toEqual({ type: 'instanceEnded', status: 'terminated', variables: {}, error: { code: 'CHILD_BROKE' } });
  });
});

describe('cancel command', () => {
  it('cancels the instance and closes every open task, job, timer, subscription and call', async () => {
    const run = await Run.start(
      bpmn(
        `
      <bpmn:startEvent id="start"/>
      ${flow('f0', 'start', 'fork')}
      <bpmn:parallelGateway id="fork"/>
      ${flow('f1', 'fork', 'task')}
      ${flow('f2', 'fork', 'job')}
      ${flow('f3', 'fork', 'receive')}
      ${flow('f4', 'fork', 'waitSignal')}
      ${flow('f5', 'fork', 'call')}
      ${flow('f6', 'fork', 'sub')}
      <bpmn:userTask id="task"/>
      <bpmn:boundaryEvent id="late" attachedToRef="task"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:serviceTask id="job" sl:type="work"/>
      <bpmn:receiveTask id="receive" messageRef="m"/>
      <bpmn:intermediateCatchEvent id="waitSignal"><bpmn:signalEventDefinition signalRef="s"/></bpmn:intermediateCatchEvent>
      <bpmn:callActivity id="call" calledElement="child"/>
      <bpmn:subProcess id="sub">
        <bpmn:startEvent id="subStart"/>
        ${flow('s1', 'subStart', 'inner')}
        <bpmn:userTask id="inner"/>
      </bpmn:subProcess>
      <bpmn:subProcess id="onMessage" triggeredByEvent="true">
        <bpmn:startEvent id="escStart" isInterrupting="false"><bpmn:messageEventDefinition messageRef="m2"/></bpmn:startEvent>
        ${flow('e1', 'escStart', 'escEnd')}
        <bpmn:endEvent id="escEnd"/>
      </bpmn:subProcess>`,
        'p',
        '<bpmn:message id="m" name="reply"/><bpmn:message id="m2" name="update"/><bpmn:signal id="s" name="go"/>',
      ),
      { ticket: 1 },
    );
    const waits = openWaits(run.state);
    expect(waits.map((w) => `${w.kind}:${w.trigger}`).sort()).toEqual([
      'call:call',
      'job:job',
      'message:escStart',
      'message:receive',
      'signal:waitSignal',
      'task:inner',
      'task:task',
      'timer:late',
    ]);

    run.do({ type: 'cancel' });
    expect(run.status).toBe('cancelled');
    const closeOf: Record<string, string> = {
      task: 'taskCancelled',
      job: 'jobCancelled',
      timer: 'timerCancelled',
      message: 'messageUnsubscribed',
      signal: 'signalUnsubscribed',
      call: 'callCancelled',
    };
    const expected = waits.map((w) => {
      const type = closeOf[w.kind] as string;
      const key =
        { taskCancelled: 'taskId', jobCancelled: 'jobId', timerCancelled: 'timerId', callCancelled: 'callId' }[type] ?? 'subscriptionId';
      return { type, [key]: w.id };
    });
    expect(run.last.slice(0, -1)).toHaveLength(expected.length);
    expect(run.last.slice(0, -1)).toEqual(expect.arrayContaining(expected));
    expect(run.last.at(-1)).toEqual({ type: 'instanceEnded', status: 'cancelled', variables: { ticket: 1 } });
    expect(run.cancelled().sort()).toEqual(['call', 'inner', 'job', 'receive', 'sub', 'task', 'waitSignal']);
    expect(run.state.waits).toEqual({});
    expect(run.state.elements).toEqual({});
    expect(run.variables).toEqual({ ticket: 1 });
  });

  it('resolves open faults when the instance is cancelled', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'job')}
      <bpmn:serviceTask id="job" sl:type="work"/>
      ${flow('f2', 'job', 'end')}
      <bpmn:endEvent id="end"/>`),
    );
    run.failJob('job', 0);
    const faultId = Object.keys(run.state.faults)[0];
    run.do({ type: 'cancel' });
    expect(run.last).toContainEqual({ type: 'faultResolved', faultId });
    expect(run.state.faults).toEqual({});
  });
});
