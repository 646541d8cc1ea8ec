import { describe, expect, it } from 'vitest';
import { compile, EngineError, execute, firstSchedule, matchConditionalStarts } from '../src/index.ts';
import { bpmn, flow, Run, T0 } from './harness.ts';

const ROOTS = `
  <bpmn:message id="m1" name="payment"/>
  <bpmn:signal id="s1" name="alarm"/>
  <bpmn:error id="e1" errorCode="E42"/>
  <bpmn:escalation id="x1" escalationCode="ESC"/>`;

/** The EngineError a call throws (fails the test when it throws none). */
function engineError(fn: () => unknown): EngineError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(EngineError);
    return e as EngineError;
  }
  throw new Error('expected an EngineError');
}

describe('start events', () => {
  it('a none start runs the process from its none start event with the given variables', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'work')}
      <bpmn:userTask id="work"/>
      ${flow('f2', 'work', 'end')}
      <bpmn:endEvent id="end"/>`),
      { ticket: 'INC-1' },
      { businessKey: 'INC-1' },
    );
    expect(run.status).toBe('active');
    expect(run.state.businessKey).toBe('INC-1');
    expect(run.completed()).toEqual(['start']);
    expect(run.taken()).toEqual(['f1']);
    expect(run.hasWait('task', 'work')).toBe(true);
    expect(run.variables).toEqual({ ticket: 'INC-1' });
    run.completeTask('work', { resolution: 'fixed' });
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 'work', 'end']);
    expect(run.taken()).toEqual(['f1', 'f2']);
  });

  it('a message start is listed among the process starts and begins there when started with its id', async () => {
    const xml = bpmn(
      `
      <bpmn:startEvent id="byMail"><bpmn:messageEventDefinition messageRef="m1"/></bpmn:startEvent>
      ${flow('f1', 'byMail', 'end')}
      <bpmn:endEvent id="end"/>`,
      'p',
      ROOTS,
    );
    const def = await compile(xml);
    expect(def.starts).toEqual([{ eventId: 'byMail', kind: 'message', name: 'payment' }]);
    expect(def.root.start).toBeUndefined();
    const run = await Run.start(xml, { amount: 10 }, { startEventId: 'byMail' });
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['byMail', 'end']);
    expect(run.taken()).toEqual(['f1']);
    expect(run.effectsOf('instanceEnded')).toEqual([{ type: 'instanceEnded', status: 'completed', variables: { amount: 10 } }]);
  });

  it('a process with only event starts cannot be started without naming one', async () => {
    const def = await compile(
      bpmn(
        `
      <bpmn:startEvent id="byMail"><bpmn:messageEventDefinition messageRef="m1"/></bpmn:startEvent>
      ${flow('f1', 'byMail', 'end')}
      <bpmn:endEvent id="end"/>`,
        'p',
        ROOTS,
      ),
    );
    const e = engineError(() => execute(def, undefined, { type: 'start', instanceId: 'pi' }, T0));
    expect(e.code).toBe('BAD_COMMAND');
    expect(e.message).toBe('process "p" has no none start event; start it by message, signal or timer');
  });

  it('a timer start carries its timer for the scheduler and begins there when started with its id', async () => {
    const xml = bpmn(`
      <bpmn:startEvent id="daily"><bpmn:timerEventDefinition><bpmn:timeCycle>R/2026-01-06T06:00:00Z/P1D</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
      ${flow('f1', 'daily', 'end')}
      <bpmn:endEvent id="end"/>`);
    const def = await compile(xml);
    expect(def.starts).toHaveLength(1);
    const start = def.starts[0];
    expect(start).toMatchObject({
      eventId: 'daily',
      kind: 'timer',
      timer: { kind: 'cycle', value: { literal: 'R/2026-01-06T06:00:00Z/P1D' } },
    });
    const value = start?.timer?.value;
    expect(firstSchedule('cycle', value && 'literal' in value ? value.literal : '', T0)).toEqual({
      dueAt: '2026-01-06T06:00:00.000Z',
      repeat: -1,
      every: 'P1D',
    });
    const run = await Run.start(xml, {}, { startEventId: 'daily' });
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['daily', 'end']);
    expect(run.effectsOf('timerScheduled')).toEqual([]);
  });

  it('a signal start begins there with the signal variables when started with its id', async () => {
    const xml = bpmn(
      `
      <bpmn:startEvent id="onAlarm"><bpmn:signalEventDefinition signalRef="s1"/></bpmn:startEvent>
      ${flow('f1', 'onAlarm', 'triage')}
      <bpmn:userTask id="triage"/>
      ${flow('f2', 'triage', 'end')}
      <bpmn:endEvent id="end"/>`,
      'p',
      ROOTS,
    );
    expect((await compile(xml)).starts).toEqual([{ eventId: 'onAlarm', kind: 'signal', name: 'alarm' }]);
    const run = await Run.start(xml, { severity: 1 }, { startEventId: 'onAlarm' });
    expect(run.completed()).toEqual(['onAlarm']);
    expect(run.taken()).toEqual(['f1']);
    expect(run.hasWait('task', 'triage')).toBe(true);
    expect(run.effectsOf('signalSubscribed')).toEqual([]);
    expect(run.variables).toEqual({ severity: 1 });
  });

  it('conditional starts are matched against the variables, and the instance begins at the matching one', async () => {
    const xml = bpmn(`
      <bpmn:startEvent id="big"><bpmn:conditionalEventDefinition><bpmn:condition xsi:type="bpmn:tFormalExpression">=amount &gt; 1000</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:startEvent>
      <bpmn:startEvent id="vip"><bpmn:conditionalEventDefinition><bpmn:condition xsi:type="bpmn:tFormalExpression">=customer = "vip"</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:startEvent>
      ${flow('f1', 'big', 'review')}
      ${flow('f2', 'vip', 'review')}
      <bpmn:userTask id="review"/>
      ${flow('f3', 'review', 'end')}
      <bpmn:endEvent id="end"/>`);
    const def = await compile(xml);
    expect(def.starts.map((s) => [s.eventId, s.kind])).toEqual([
      ['big', 'conditional'],
      ['vip', 'conditional'],
    ]);
    expect(matchConditionalStarts(def, { amount: 5000, customer: 'vip' })).toEqual(['big', 'vip']);
    expect(matchConditionalStarts(def, { amount: 5000 })).toEqual(['big']);
    expect(matchConditionalStarts(def, { amount: 10, customer: 'vip' })).toEqual(['vip']);
    expect(matchConditionalStarts(def, { amount: 10 })).toEqual([]);
    expect(matchConditionalStarts(def, {})).toEqual([]);

    const run = await Run.start(xml, { amount: 10, customer: 'vip' }, { startEventId: 'vip' });
    expect(run.completed()).toEqual(['vip']);
    expect(run.taken()).toEqual(['f2']);
    expect(run.hasWait('task', 'review')).toBe(true);
  });

  it('starting at an element that is not a start event of the process is refused with BAD_COMMAND', async () => {
    const def = await compile(
      bpmn(
        `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'work')}
      <bpmn:userTask id="work"/>
      ${flow('f2', 'work', 'sub')}
      <bpmn:subProcess id="sub">
        <bpmn:startEvent id="subStart"/>
        ${flow('f3', 'subStart', 'subEnd')}
        <bpmn:endEvent id="subEnd"/>
      </bpmn:subProcess>
      ${flow('f4', 'sub', 'end')}
      <bpmn:endEvent id="end"/>
      <bpmn:subProcess id="onMail" triggeredByEvent="true">
        <bpmn:startEvent id="mailStart"><bpmn:messageEventDefinition messageRef="m1"/></bpmn:startEvent>
        ${flow('f5', 'mailStart', 'mailEnd')}
        <bpmn:endEvent id="mailEnd"/>
      </bpmn:subProcess>`,
        'p',
        ROOTS,
      ),
    );
    const cases: Array<[string, string]> = [
      ['work', '"work" is not a start event of process "p"'],
      ['end', '"end" is not a start event of process "p"'],
      ['subStart', '"subStart" is not a start event of process "p"'],
      ['mailStart', '"mailStart" is not a start event of process "p"'],
      ['nope', '"nope" is not a start event of process "p"'],
    ];
    for (const [startEventId, message] of cases) {
      const e = engineError(() => execute(def, undefined, { type: 'start', instanceId: 'pi', startEventId }, T0));
      expect(e.code).toBe('BAD_COMMAND');
      expect(e.message).toBe(message);
    }
    expect(execute(def, undefined, { type: 'start', instanceId: 'pi', startEventId: 'start' }, T0).state.status).toBe('active');
  });
});

describe('end events', () => {
  it('a none end completes the instance once every token has ended', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'fork')}
      <bpmn:parallelGateway id="fork"/>
      ${flow('f2', 'fork', 'quick')}
      ${flow('f3', 'fork', 'slow')}
      ${flow('f4', 'quick', 'endQuick')}
      <bpmn:endEvent id="endQuick"/>
      <bpmn:userTask id="slow"/>
      ${flow('f5', 'slow', 'endSlow')}
      <bpmn:endEvent id="endSlow"/>
      <bpmn:task id="quick"/>`),
    );
    expect(run.completed()).toEqual(['start', 'fork', 'quick', 'endQuick']);
    expect(run.status).toBe('active');
    expect(run.effectsOf('instanceEnded')).toEqual([]);
    run.completeTask('slow');
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 'fork', 'quick', 'endQuick', 'slow', 'endSlow']);
    expect(run.state.endedAt).toBe('2026-01-05T09:00:00.000Z');
    expect(run.last.at(-1)).toEqual({ type: 'instanceEnded', status: 'completed', variables: {} });
  });

  it('a terminate end ends the whole instance as terminated, cancelling every other token', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'fork')}
      <bpmn:parallelGateway id="fork"/>
      ${flow('f2', 'fork', 'approve')}
      ${flow('f3', 'fork', 'reject')}
      <bpmn:userTask id="approve"/>
      <bpmn:userTask id="reject"/>
      ${flow('f4', 'approve', 'end')}
      ${flow('f5', 'reject', 'kill')}
      <bpmn:endEvent id="end"/>
      <bpmn:endEvent id="kill"><bpmn:terminateEventDefinition/></bpmn:endEvent>`),
    );
    const approveTask = run.effectsOf('taskCreated').find((t) => t.elementId === 'approve')?.taskId;
    run.completeTask('reject');
    expect(run.status).toBe('terminated');
    expect(run.completed()).toEqual(['start', 'fork', 'reject', 'kill']);
    expect(run.cancelled()).toEqual(['approve']);
    expect(run.last).toEqual([
      { type: 'taskCompleted', taskId: expect.any(String) },
      { type: 'taskCancelled', taskId: approveTask },
      { type: 'instanceEnded', status: 'terminated', variables: {} },
    ]);
    expect(run.state.elements).toEqual({});
    expect(run.state.waits).toEqual({});
  });

  it('a terminate end inside a subprocess ends only that subprocess, which then completes normally', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'sub')}
      <bpmn:subProcess id="sub">
        <bpmn:startEvent id="subStart"/>
        ${flow('sf1', 'subStart', 'fork')}
        <bpmn:parallelGateway id="fork"/>
        ${flow('sf2', 'fork', 'inner')}
        ${flow('sf3', 'fork', 'kill')}
        <bpmn:userTask id="inner"/>
        <bpmn:endEvent id="kill"><bpmn:terminateEventDefinition/></bpmn:endEvent>
      </bpmn:subProcess>
      ${flow('f2', 'sub', 'after')}
      <bpmn:userTask id="after"/>
      ${flow('f3', 'after', 'end')}
      <bpmn:endEvent id="end"/>`),
    );
    expect(run.status).toBe('active');
    expect(run.completed()).toEqual(['start', 'subStart', 'fork', 'kill', 'sub']);
    expect(run.cancelled()).toEqual(['inner']);
    expect(run.taken()).toEqual(['f1', 'sf1', 'sf2', 'sf3', 'f2']);
    expect(run.hasWait('task', 'after')).toBe(true);
    expect(run.effectsOf('taskCancelled')).toHaveLength(1);
    run.completeTask('after');
    expect(run.status).toBe('completed');
  });

  it('an error end caught by an error boundary on the enclosing subprocess leaves through the boundary', async () => {
    const run = await Run.start(
      bpmn(
        `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'sub')}
      <bpmn:subProcess id="sub">
        <bpmn:startEvent id="subStart"/>
        ${flow('sf1', 'subStart', 'fail')}
        <bpmn:endEvent id="fail"><bpmn:errorEventDefinition errorRef="e1"/></bpmn:endEvent>
      </bpmn:subProcess>
      <bpmn:boundaryEvent id="onError" attachedToRef="sub"><bpmn:errorEventDefinition errorRef="e1"/></bpmn:boundaryEvent>
      ${flow('f2', 'sub', 'ok')}
      ${flow('f3', 'onError', 'handled')}
      <bpmn:endEvent id="ok"/>
      <bpmn:endEvent id="handled"/>`,
        'p',
        ROOTS,
      ),
    );
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 'subStart', 'onError', 'handled']);
    expect(run.cancelled()).toEqual(['fail', 'sub']);
    expect(run.taken()).toEqual(['f1', 'sf1', 'f3']);
    expect(run.effectsOf('faultRaised')).toEqual([]);
  });

  it('an uncaught error end holds the token with a fault for an operator', async () => {
    const run = await Run.start(
      bpmn(
        `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'fail')}
      <bpmn:endEvent id="fail"><bpmn:errorEventDefinition errorRef="e1"/></bpmn:endEvent>`,
        'p',
        ROOTS,
      ),
    );
    expect(run.status).toBe('active');
    expect(run.completed()).toEqual(['start']);
    expect(run.effectsOf('faultRaised')).toEqual([
      {
        type: 'faultRaised',
        faultId: expect.any(String),
        elementId: 'fail',
        message: 'error "E42" was thrown and no boundary event or event subprocess catches it',
      },
    ]);
    expect(Object.values(run.state.faults)).toMatchObject([{ elementId: 'fail' }]);
    expect(run.effectsOf('instanceEnded')).toEqual([]);
  });

  it('an uncaught error end in a called instance ends it as terminated and hands the error code to the caller', async () => {
    const run = new Run(
      await compile(
        bpmn(
          `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'fail')}
      <bpmn:endEvent id="fail"><bpmn:errorEventDefinition errorRef="e1"/></bpmn:endEvent>`,
          'child',
          ROOTS,
        ),
      ),
    );
    run.do({ type: 'start', instanceId: 'ci', variables: { x: 1 }, parent: { instanceId: 'pi', callId: 'pi.9' } });
    expect(run.status).toBe('terminated');
    expect(run.state.parent).toEqual({ instanceId: 'pi', callId: 'pi.9' });
    expect(run.effectsOf('faultRaised')).toEqual([]);
    expect(run.effectsOf('instanceEnded')).toEqual([
      { type: 'instanceEnded', status: 'terminated', variables: { x: 1 }, error: { code: 'E42' } },
    ]);
  });

  it('an escalation end is caught by a non-interrupting boundary while the subprocess still completes', async () => {
    const run = await Run.start(
      bpmn(
        `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'sub')}
      <bpmn:subProcess id="sub">
        <bpmn:startEvent id="subStart"/>
        ${flow('sf1', 'subStart', 'escalate')}
        <bpmn:endEvent id="escalate"><bpmn:escalationEventDefinition escalationRef="x1"/></bpmn:endEvent>
      </bpmn:subProcess>
      <bpmn:boundaryEvent id="onEsc" attachedToRef="sub" cancelActivity="false"><bpmn:escalationEventDefinition escalationRef="x1"/></bpmn:boundaryEvent>
      ${flow('f2', 'sub', 'after')}
      ${flow('f3', 'onEsc', 'notify')}
      <bpmn:userTask id="after"/>
      ${flow('f4', 'after', 'end')}
      <bpmn:endEvent id="end"/>
      <bpmn:userTask id="notify"/>
      ${flow('f5', 'notify', 'notified')}
      <bpmn:endEvent id="notified"/>`,
        'p',
        ROOTS,
      ),
    );
    expect(run.completed()).toEqual(['start', 'subStart', 'escalate', 'onEsc', 'sub']);
    expect(run.cancelled()).toEqual([]);
    expect(run.hasWait('task', 'after')).toBe(true);
    expect(run.hasWait('task', 'notify')).toBe(true);
    run.completeTask('notify').completeTask('after');
    expect(run.status).toBe('completed');
  });

  it('an uncaught escalation end simply ends its token', async () => {
    const run = await Run.start(
      bpmn(
        `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'escalate')}
      <bpmn:endEvent id="escalate"><bpmn:escalationEventDefinition escalationRef="x1"/></bpmn:endEvent>`,
        'p',
        ROOTS,
      ),
    );
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 'escalate']);
    expect(run.effectsOf('faultRaised')).toEqual([]);
  });

  it('a message end throws its message with the variables of its input mappings and their correlation key', async () => {
    const run = await Run.start(
      bpmn(
        `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'reply')}
      <bpmn:endEvent id="reply">
        <bpmn:extensionElements><sl:inputOutput>
          <sl:input source="=orderId" target="correlationKey"/>
          <sl:input source="=total * 2" target="amount"/>
        </sl:inputOutput></bpmn:extensionElements>
        <bpmn:messageEventDefinition messageRef="m1"/>
      </bpmn:endEvent>`,
        'p',
        ROOTS,
      ),
      { orderId: 'A-7', total: 21, secret: 'x' },
    );
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 'reply']);
    expect(run.effectsOf('messageThrown')).toEqual([
      {
        type: 'messageThrown',
        elementId: 'reply',
        name: 'payment',
        correlationKey: 'A-7',
        variables: { correlationKey: 'A-7', amount: 42 },
      },
    ]);
  });

  it('a signal end throws its signal with the variables of its input mappings', async () => {
    const run = await Run.start(
      bpmn(
        `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'broadcast')}
      <bpmn:endEvent id="broadcast">
        <bpmn:extensionElements><sl:inputOutput><sl:input source="=level" target="severity"/></sl:inputOutput></bpmn:extensionElements>
        <bpmn:signalEventDefinition signalRef="s1"/>
      </bpmn:endEvent>`,
        'p',
        ROOTS,
      ),
      { level: 2 },
    );
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 'broadcast']);
    expect(run.effectsOf('signalThrown')).toEqual([
      { type: 'signalThrown', elementId: 'broadcast', name: 'alarm', variables: { severity: 2 } },
    ]);
  });

  it('instanceEnded carries the final variables of the instance', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'work')}
      <bpmn:userTask id="work"/>
      ${flow('f2', 'work', 'calc')}
      <bpmn:scriptTask id="calc" scriptFormat="feel" sl:resultVariable="total"><bpmn:script>=price * qty</bpmn:script></bpmn:scriptTask>
      ${flow('f3', 'calc', 'end')}
      <bpmn:endEvent id="end"/>`),
      { price: 5 },
    );
    run.completeTask('work', { qty: 3, note: 'ok' });
    expect(run.status).toBe('completed');
    expect(run.effectsOf('instanceEnded')).toEqual([
      { type: 'instanceEnded', status: 'completed', variables: { price: 5, qty: 3, note: 'ok', total: 15 } },
    ]);
    expect(run.variables).toEqual({ price: 5, qty: 3, note: 'ok', total: 15 });
  });
});
