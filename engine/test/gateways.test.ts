// Gateways: which flows a token takes, and when joins fire.
import { describe, expect, it } from 'vitest';
import { activeElementIds, openWaits } from '../src/index.ts';
import { bpmn, flow, HOUR, MINUTE, Run } from './harness.ts';

describe('exclusive gateway', () => {
  const approval = (withDefault: boolean) =>
    bpmn(`
    <bpmn:startEvent id="start"/>
    ${flow('f0', 'start', 'gw')}
    <bpmn:exclusiveGateway id="gw" ${withDefault ? 'default="fDefault"' : ''}/>
    ${flow('fHigh', 'gw', 'high', 'amount > 1000')}
    ${flow('fMid', 'gw', 'mid', '=amount > 100')}
    ${withDefault ? flow('fDefault', 'gw', 'low') : ''}
    <bpmn:endEvent id="high"/>
    <bpmn:endEvent id="mid"/>
    ${withDefault ? '<bpmn:endEvent id="low"/>' : ''}`);

  it('takes the first flow whose condition is true, in document order', async () => {
    const run = await Run.start(approval(true), { amount: 5000 });
    expect(run.taken()).toEqual(['f0', 'fHigh']);
    expect(run.completed()).toEqual(['start', 'gw', 'high']);
    expect(run.status).toBe('completed');
  });

  it('takes a later flow when the earlier conditions are false', async () => {
    const run = await Run.start(approval(true), { amount: 500 });
    expect(run.taken()).toEqual(['f0', 'fMid']);
    expect(run.completed()).toEqual(['start', 'gw', 'mid']);
  });

  it('takes the default flow when no condition is true', async () => {
    const run = await Run.start(approval(true), { amount: 50 });
    expect(run.taken()).toEqual(['f0', 'fDefault']);
    expect(run.completed()).toEqual(['start', 'gw', 'low']);
  });

  it('raises a fault and holds the token when no condition is true and there is no default; a retry after fixing the variables continues', async () => {
    const run = await Run.start(approval(false), { amount: 50 });
    expect(run.effectsOf('faultRaised')).toEqual([
      { type: 'faultRaised', faultId: expect.any(String), elementId: 'gw', message: expect.stringContaining('gw') },
    ]);
    expect(run.status).toBe('active');
    expect(activeElementIds(run.state)).toEqual(['gw']);
    expect(run.completed()).toEqual(['start']);
    expect(run.taken()).toEqual(['f0']);

    const faultId = Object.keys(run.state.faults)[0] as string;
    run.do({ type: 'setVariables', variables: { amount: 150 } });
    expect(activeElementIds(run.state)).toEqual(['gw']);
    run.do({ type: 'retryFault', faultId });
    expect(run.last[0]).toEqual({ type: 'faultResolved', faultId });
    expect(run.state.faults).toEqual({});
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 'gw', 'mid']);
    expect(run.taken()).toEqual(['f0', 'fMid']);
  });

  it('treats a condition that errors or gives null as false', async () => {
    const run = await Run.start(approval(true), {});
    expect(run.taken()).toEqual(['f0', 'fDefault']);
  });

  it('turns an expression that throws while evaluating into a fault on the gateway, not a failed step', async () => {
    // feelin parses `amount > > 3` (a range test) but throws when it evaluates it.
    const xml = bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f0', 'start', 'gw')}
      <bpmn:exclusiveGateway id="gw" default="fDefault"/>
      ${flow('fOdd', 'gw', 'odd', 'amount > > 3')}
      ${flow('fDefault', 'gw', 'plain')}
      <bpmn:endEvent id="odd"/>
      <bpmn:endEvent id="plain"/>`);
    const run = await Run.start(xml, { amount: 5 });
    expect(run.status).toBe('active');
    expect(activeElementIds(run.state)).toEqual(['gw']);
    expect(run.effectsOf('faultRaised')).toEqual([
      { type: 'faultRaised', faultId: expect.any(String), elementId: 'gw', message: expect.stringContaining('amount > > 3') },
    ]);
  });
});

describe('exclusive gateway merging', () => {
  it('lets every arriving token pass without waiting for the others', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f0', 'start', 'fork')}
      <bpmn:parallelGateway id="fork"/>
      ${flow('fa', 'fork', 'a')}
      ${flow('fb', 'fork', 'b')}
      <bpmn:userTask id="a"/>
      <bpmn:userTask id="b"/>
      ${flow('fa2', 'a', 'merge')}
      ${flow('fb2', 'b', 'merge')}
      <bpmn:exclusiveGateway id="merge"/>
      ${flow('fm', 'merge', 'after')}
      <bpmn:userTask id="after"/>
      ${flow('fe', 'after', 'end')}
      <bpmn:endEvent id="end"/>`),
    );
    run.completeTask('a');
    expect(run.completed()).toEqual(['start', 'fork', 'a', 'merge']);
    expect(run.effectsOf('taskCreated').map((t) => t.elementId)).toEqual(['a', 'b', 'after']);
    run.completeTask('b');
    expect(run.effectsOf('taskCreated').map((t) => t.elementId)).toEqual(['a', 'b', 'after', 'after']);
    run.completeTask('after');
    expect(run.status).toBe('active');
    run.completeTask('after');
    expect(run.completed()).toEqual(['start', 'fork', 'a', 'merge', 'b', 'merge', 'after', 'end', 'after', 'end']);
    expect(run.status).toBe('completed');
  });
});

describe('parallel gateway', () => {
  const split = bpmn(`
    <bpmn:startEvent id="start"/>
    ${flow('f0', 'start', 'fork')}
    <bpmn:parallelGateway id="fork"/>
    ${flow('fa', 'fork', 'a')}
    ${flow('fb', 'fork', 'b')}
    ${flow('fc', 'fork', 'c')}
    <bpmn:userTask id="a"/>
    <bpmn:userTask id="b"/>
    <bpmn:task id="c"/>
    ${flow('fa2', 'a', 'join')}
    ${flow('fb2', 'b', 'join')}
    ${flow('fc2', 'c', 'join')}
    <bpmn:parallelGateway id="join"/>
    ${flow('fEnd', 'join', 'end')}
    <bpmn:endEvent id="end"/>`);

  it('splits into every outgoing flow', async () => {
    const run = await Run.start(split);
    expect(run.taken()).toEqual(['f0', 'fa', 'fb', 'fc', 'fc2']);
    expect(run.effectsOf('taskCreated').map((t) => t.elementId)).toEqual(['a', 'b']);
    expect(activeElementIds(run.state).sort()).toEqual(['a', 'b', 'join']);
  });

  it('joins only when a token arrived on every incoming flow, and fires exactly once', async () => {
    const run = await Run.start(split);
    run.completeTask('b');
    expect(run.completed()).toEqual(['start', 'fork', 'c', 'b']);
    expect(run.status).toBe('active');
    expect(activeElementIds(run.state).sort()).toEqual(['a', 'join']);

    run.completeTask('a');
    expect(run.completed()).toEqual(['start', 'fork', 'c', 'b', 'a', 'join', 'end']);
    expect(run.completed().filter((id) => id === 'join')).toHaveLength(1);
    expect(run.taken()).toEqual(['f0', 'fa', 'fb', 'fc', 'fc2', 'fb2', 'fa2', 'fEnd']);
    expect(run.status).toBe('completed');
    expect(run.state.joins).toEqual({});
  });

  it('a second token on the same flow waits for the next round of the join', async () => {
    // Two tokens arrive on "fa2" (a loops back once) before "fb2": the join fires once now and holds the extra token.
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f0', 'start', 'fork')}
      <bpmn:parallelGateway id="fork"/>
      ${flow('fa', 'fork', 'a')}
      ${flow('fa1', 'fork', 'a')}
      ${flow('fb', 'fork', 'b')}
      <bpmn:userTask id="a"/>
      <bpmn:userTask id="b"/>
      ${flow('fa2', 'a', 'join')}
      ${flow('fb2', 'b', 'join')}
      <bpmn:parallelGateway id="join"/>
      ${flow('fEnd', 'join', 'end')}
      <bpmn:endEvent id="end"/>`),
    );
    run.completeTask('a');
    run.completeTask('a');
    expect(run.completed().filter((id) => id === 'join')).toEqual([]);
    run.completeTask('b');
    expect(run.completed().filter((id) => id === 'join')).toEqual(['join']);
    expect(run.status).toBe('active');
    expect(Object.values(run.state.joins)).toEqual([['fa2']]);
  });
});

describe('inclusive gateway', () => {
  const triage = bpmn(`
    <bpmn:startEvent id="start"/>
    ${flow('f0', 'start', 'fork')}
    <bpmn:inclusiveGateway id="fork" default="fDefault"/>
    ${flow('fNet', 'fork', 'network', 'needsNetwork')}
    ${flow('fHw', 'fork', 'hardware', 'needsHardware')}
    ${flow('fSw', 'fork', 'software', 'needsSoftware')}
    ${flow('fDefault', 'fork', 'generic')}
    <bpmn:userTask id="network"/>
    <bpmn:userTask id="hardware"/>
    <bpmn:userTask id="software"/>
    <bpmn:userTask id="generic"/>
    ${flow('fNet2', 'network', 'join')}
    ${flow('fHw2', 'hardware', 'join')}
    ${flow('fSw2', 'software', 'join')}
    ${flow('fGen2', 'generic', 'join')}
    <bpmn:inclusiveGateway id="join"/>
    ${flow('fEnd', 'join', 'end')}
    <bpmn:endEvent id="end"/>`);

  it('forks into every flow whose condition is true', async () => {
    const run = await Run.start(triage, { needsNetwork: true, needsHardware: false, needsSoftware: true });
    expect(run.taken()).toEqual(['f0', 'fNet', 'fSw']);
    expect(run.effectsOf('taskCreated').map((t) => t.elementId)).toEqual(['network', 'software']);
  });

  it('joins when the tokens that were forked have arrived, not waiting for flows no token can reach', async () => {
    const run = await Run.start(triage, { needsNetwork: true, needsHardware: false, needsSoftware: true });
    run.completeTask('software');
    expect(run.completed()).toEqual(['start', 'fork', 'software']);
    expect(activeElementIds(run.state).sort()).toEqual(['join', 'network']);
    run.completeTask('network');
    expect(run.completed()).toEqual(['start', 'fork', 'software', 'network', 'join', 'end']);
    expect(run.taken()).toEqual(['f0', 'fNet', 'fSw', 'fSw2', 'fNet2', 'fEnd']);
    expect(run.status).toBe('completed');
  });

  it('passes a single token straight through the join', async () => {
    const run = await Run.start(triage, { needsHardware: true });
    expect(run.taken()).toEqual(['f0', 'fHw']);
    run.completeTask('hardware');
    expect(run.completed()).toEqual(['start', 'fork', 'hardware', 'join', 'end']);
    expect(run.status).toBe('completed');
  });

  it('takes the default flow when no condition is true', async () => {
    const run = await Run.start(triage, { needsNetwork: false });
    expect(run.taken()).toEqual(['f0', 'fDefault']);
    run.completeTask('generic');
    expect(run.completed()).toEqual(['start', 'fork', 'generic', 'join', 'end']);
  });

  it('raises a fault when no condition is true and there is no default', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f0', 'start', 'fork')}
      <bpmn:inclusiveGateway id="fork"/>
      ${flow('fa', 'fork', 'a', 'x = 1')}
      ${flow('fb', 'fork', 'b', 'x = 2')}
      <bpmn:endEvent id="a"/>
      <bpmn:endEvent id="b"/>`),
      { x: 3 },
    );
    expect(run.effectsOf('faultRaised')).toMatchObject([{ elementId: 'fork' }]);
    expect(activeElementIds(run.state)).toEqual(['fork']);
  });

  it('keeps waiting at the join while a token upstream of an empty incoming flow can still arrive', async () => {
    // "a" has arrived; the token at "b1" can still reach the join through "b2".
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f0', 'start', 'fork')}
      <bpmn:parallelGateway id="fork"/>
      ${flow('fa', 'fork', 'a')}
      ${flow('fb', 'fork', 'b1')}
      <bpmn:userTask id="a"/>
      <bpmn:userTask id="b1"/>
      ${flow('fb12', 'b1', 'b2')}
      <bpmn:userTask id="b2"/>
      ${flow('fa2', 'a', 'join')}
      ${flow('fb2', 'b2', 'join')}
      <bpmn:inclusiveGateway id="join"/>
      ${flow('fEnd', 'join', 'end')}
      <bpmn:endEvent id="end"/>`),
    );
    run.completeTask('a');
    run.completeTask('b1');
    expect(run.completed()).not.toContain('join');
    run.completeTask('b2');
    expect(run.completed()).toEqual(['start', 'fork', 'a', 'b1', 'b2', 'join', 'end']);
    expect(run.status).toBe('completed');
  });
});

describe('event-based gateway', () => {
  const race = bpmn(
    `
    <bpmn:startEvent id="start"/>
    ${flow('f0', 'start', 'gw')}
    <bpmn:eventBasedGateway id="gw"/>
    ${flow('fMsg', 'gw', 'reply')}
    ${flow('fTimer', 'gw', 'timeout')}
    ${flow('fSig', 'gw', 'withdrawn')}
    <bpmn:intermediateCatchEvent id="reply" sl:correlationKey="=ticket"><bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="timeout"><bpmn:timerEventDefinition><bpmn:timeDuration>PT30M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="withdrawn"><bpmn:signalEventDefinition signalRef="s"/></bpmn:intermediateCatchEvent>
    ${flow('fMsg2', 'reply', 'replied')}
    ${flow('fTimer2', 'timeout', 'timedOut')}
    ${flow('fSig2', 'withdrawn', 'cancelled')}
    <bpmn:endEvent id="replied"/>
    <bpmn:endEvent id="timedOut"/>
    <bpmn:endEvent id="cancelled"/>`,
    'p',
    '<bpmn:message id="m" name="customerReply"/><bpmn:signal id="s" name="ticketWithdrawn"/>',
  );

  it('waits for all of its events at once', async () => {
    const run = await Run.start(race, { ticket: 'T-1' });
    expect(run.effectsOf('messageSubscribed')).toMatchObject([{ elementId: 'reply', name: 'customerReply', correlationKey: 'T-1' }]);
    expect(run.effectsOf('timerScheduled')).toMatchObject([{ elementId: 'timeout', dueAt: '2026-01-05T09:30:00.000Z' }]);
    expect(run.effectsOf('signalSubscribed')).toMatchObject([{ elementId: 'withdrawn', name: 'ticketWithdrawn' }]);
    expect(activeElementIds(run.state)).toEqual(['gw']);
  });

  it('takes the message path when the message comes first and withdraws the timer and signal', async () => {
    const run = await Run.start(race, { ticket: 'T-1' });
    const timerId = run.effectsOf('timerScheduled')[0]?.timerId;
    const signalId = run.effectsOf('signalSubscribed')[0]?.subscriptionId;
    run.message('reply', { answer: 'works now' });
    expect(run.last).toContainEqual({ type: 'timerCancelled', timerId });
    expect(run.last).toContainEqual({ type: 'signalUnsubscribed', subscriptionId: signalId });
    expect(run.completed()).toEqual(['start', 'gw', 'reply', 'replied']);
    expect(run.taken()).toEqual(['f0', 'fMsg', 'fMsg2']);
    expect(run.variables).toEqual({ ticket: 'T-1', answer: 'works now' });
    expect(run.state.waits).toEqual({});
    run.advance(HOUR);
    expect(run.completed()).toEqual(['start', 'gw', 'reply', 'replied']);
  });

  it('takes the timer path when the timer fires first and withdraws the message subscription', async () => {
    const run = await Run.start(race, { ticket: 'T-1' });
    const subscriptionId = run.effectsOf('messageSubscribed')[0]?.subscriptionId;
    run.advance(29 * MINUTE);
    expect(run.completed()).toEqual(['start']);
    run.advance(MINUTE);
    expect(run.effectsOf('messageUnsubscribed')).toEqual([{ type: 'messageUnsubscribed', subscriptionId }]);
    expect(run.completed()).toEqual(['start', 'gw', 'timeout', 'timedOut']);
    expect(run.taken()).toEqual(['f0', 'fTimer', 'fTimer2']);
    expect(openWaits(run.state)).toEqual([]);
  });

  it('takes the signal path when the signal is broadcast first', async () => {
    const run = await Run.start(race, { ticket: 'T-1' });
    run.signal('ticketWithdrawn', { reason: 'duplicate' });
    expect(run.completed()).toEqual(['start', 'gw', 'withdrawn', 'cancelled']);
    expect(run.effectsOf('timerCancelled')).toHaveLength(1);
    expect(run.effectsOf('messageUnsubscribed')).toHaveLength(1);
    expect(run.variables).toEqual({ ticket: 'T-1', reason: 'duplicate' });
    expect(run.status).toBe('completed');
  });

  it('resolves the fault of an event it could not subscribe to when another event wins', async () => {
    const run = await Run.start(race);
    expect(run.effectsOf('faultRaised')).toMatchObject([{ elementId: 'gw', message: expect.stringContaining('correlation key') }]);
    const faultId = run.effectsOf('faultRaised')[0]?.faultId;
    run.advance(HOUR);
    expect(run.completed()).toEqual(['start', 'gw', 'timeout', 'timedOut']);
    expect(run.effectsOf('faultResolved')).toEqual([{ type: 'faultResolved', faultId }]);
    expect(run.state.faults).toEqual({});
  });

  it('can wait for a receive task', async () => {
    const run = await Run.start(
      bpmn(
        `
      <bpmn:startEvent id="start"/>
      ${flow('f0', 'start', 'gw')}
      <bpmn:eventBasedGateway id="gw"/>
      ${flow('fa', 'gw', 'receive')}
      ${flow('fb', 'gw', 'timeout')}
      <bpmn:receiveTask id="receive" messageRef="m"/>
      <bpmn:intermediateCatchEvent id="timeout"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      ${flow('fa2', 'receive', 'end')}
      ${flow('fb2', 'timeout', 'end2')}
      <bpmn:endEvent id="end"/>
      <bpmn:endEvent id="end2"/>`,
        'p',
        '<bpmn:message id="m" name="ack"/>',
      ),
    );
    run.message('receive', { ok: true });
    expect(run.completed()).toEqual(['start', 'gw', 'receive', 'end']);
    expect(run.effectsOf('timerCancelled')).toHaveLength(1);
    expect(run.variables).toEqual({ ok: true });
  });
});
