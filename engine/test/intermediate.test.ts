import { describe, expect, it } from 'vitest';
import { findMessageSubscription, openWaits } from '../src/index.ts';
import { bpmn, flow, HOUR, MINUTE, Run } from './harness.ts';

const ROOTS = `
  <bpmn:message id="m1" name="payment"/>
  <bpmn:message id="m2" name="reminder"/>
  <bpmn:signal id="s1" name="alarm"/>
  <bpmn:signal id="s2" name="other"/>
  <bpmn:escalation id="x1" escalationCode="ESC"/>`;

/** start -> `body` (one element with id "catch" or "throw") -> end. */
function around(element: string, id: string): string {
  return bpmn(
    `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', id)}
      ${element}
      ${flow('f2', id, 'end')}
      <bpmn:endEvent id="end"/>`,
    'p',
    ROOTS,
  );
}

const timerCatch = (kind: 'timeDuration' | 'timeDate' | 'timeCycle', value: string) =>
  `<bpmn:intermediateCatchEvent id="catch"><bpmn:timerEventDefinition><bpmn:${kind}>${value}</bpmn:${kind}></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`;

describe('intermediate timer catch', () => {
  it('a duration waits that long from when the token arrives, then moves on', async () => {
    const run = await Run.start(around(timerCatch('timeDuration', 'PT2H'), 'catch'));
    expect(run.completed()).toEqual(['start']);
    expect(run.effectsOf('timerScheduled')).toEqual([
      { type: 'timerScheduled', timerId: expect.any(String), elementId: 'catch', dueAt: '2026-01-05T11:00:00.000Z' },
    ]);
    run.advance(2 * HOUR - MINUTE);
    expect(run.status).toBe('active');
    expect(run.hasWait('timer', 'catch')).toBe(true);
    run.advance(MINUTE);
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 'catch', 'end']);
    expect(run.taken()).toEqual(['f1', 'f2']);
    expect(run.effectsOf('timerCancelled')).toEqual([]);
  });

  it('a date waits until that instant', async () => {
    const run = await Run.start(around(timerCatch('timeDate', '2026-01-06T08:00:00+01:00'), 'catch'));
    expect(run.effectsOf('timerScheduled').map((e) => e.dueAt)).toEqual(['2026-01-06T07:00:00.000Z']);
    run.advance(22 * HOUR - MINUTE);
    expect(run.status).toBe('active');
    run.advance(MINUTE);
    expect(run.status).toBe('completed');
  });

  it('a FEEL duration is evaluated from the variables when the token arrives', async () => {
    const fromVariable = await Run.start(around(timerCatch('timeDuration', '=slaDuration'), 'catch'), { slaDuration: 'PT4H' });
    expect(fromVariable.effectsOf('timerScheduled').map((e) => e.dueAt)).toEqual(['2026-01-05T13:00:00.000Z']);

    const fromFunction = await Run.start(around(timerCatch('timeDuration', '=duration("P1DT30M")'), 'catch'));
    expect(fromFunction.effectsOf('timerScheduled').map((e) => e.dueAt)).toEqual(['2026-01-06T09:30:00.000Z']);
    fromFunction.advance(24 * HOUR + 30 * MINUTE);
    expect(fromFunction.completed()).toEqual(['start', 'catch', 'end']);

    const fromDate = await Run.start(around(timerCatch('timeDate', '=followUp'), 'catch'), { followUp: '2026-01-05T17:45:00Z' });
    expect(fromDate.effectsOf('timerScheduled').map((e) => e.dueAt)).toEqual(['2026-01-05T17:45:00.000Z']);
  });

  it('a cycle on an intermediate catch fires once: the token moves on at the first firing', async () => {
    const run = await Run.start(around(timerCatch('timeCycle', 'R3/PT1H'), 'catch'));
    run.advance(5 * HOUR);
    expect(run.status).toBe('completed');
    expect(run.effectsOf('timerScheduled')).toHaveLength(1);
    expect(run.completed()).toEqual(['start', 'catch', 'end']);
  });
});

describe('intermediate message catch', () => {
  const messageCatch = `<bpmn:intermediateCatchEvent id="catch" sl:correlationKey="=orderId"><bpmn:messageEventDefinition messageRef="m1"/></bpmn:intermediateCatchEvent>`;

  it('subscribes with the correlation key evaluated when the subscription opens, and completes with the message variables', async () => {
    const run = await Run.start(around(messageCatch, 'catch'), { orderId: 'A-1' });
    expect(run.effectsOf('messageSubscribed')).toEqual([
      { type: 'messageSubscribed', subscriptionId: expect.any(String), elementId: 'catch', name: 'payment', correlationKey: 'A-1' },
    ]);
    const subscriptionId = run.effectsOf('messageSubscribed')[0]?.subscriptionId;
    // Changing the variable later does not move the subscription.
    run.do({ type: 'setVariables', variables: { orderId: 'B-2' } });
    expect(findMessageSubscription(run.state, 'payment', 'B-2')).toBeUndefined();
    expect(findMessageSubscription(run.state, 'payment', 'A-1')?.id).toBe(subscriptionId);

    run.message('catch', { paid: true, amount: 12.5 });
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 'catch', 'end']);
    expect(run.last).toContainEqual({ type: 'messageUnsubscribed', subscriptionId });
    expect(run.variables).toEqual({ orderId: 'B-2', paid: true, amount: 12.5 });
  });

  it('a number correlation key is subscribed as text', async () => {
    const run = await Run.start(around(messageCatch, 'catch'), { orderId: 42 });
    expect(run.effectsOf('messageSubscribed')[0]?.correlationKey).toBe('42');
    expect(findMessageSubscription(run.state, 'payment', '42')?.trigger).toBe('catch');
  });

  it('a correlation key that evaluates to null holds the token with a fault instead of subscribing', async () => {
    const run = await Run.start(around(messageCatch, 'catch'), {});
    expect(run.status).toBe('active');
    expect(run.effectsOf('messageSubscribed')).toEqual([]);
    expect(run.effectsOf('faultRaised')).toEqual([
      {
        type: 'faultRaised',
        faultId: expect.any(String),
        elementId: 'catch',
        message: 'the correlation key of "catch" is null; set the variable it reads before the element is reached',
      },
    ]);
  });

  it('after a null correlation key, setting the variable and retrying the fault opens the subscription', async () => {
    const run = await Run.start(around(messageCatch, 'catch'), {});
    const faultId = run.effectsOf('faultRaised')[0]?.faultId as string;
    run.do({ type: 'setVariables', variables: { orderId: 'A-9' } });
    run.do({ type: 'retryFault', faultId });
    expect(run.last).toEqual([
      { type: 'faultResolved', faultId },
      { type: 'messageSubscribed', subscriptionId: expect.any(String), elementId: 'catch', name: 'payment', correlationKey: 'A-9' },
    ]);
    expect(run.state.faults).toEqual({});
    run.message('catch');
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 'catch', 'end']);
  });

  it('a message reaches the oldest matching subscription, and keys must match exactly (no key matches only catches without one)', async () => {
    const catchEvent = (id: string, key?: string, ref = 'm1') =>
      `<bpmn:intermediateCatchEvent id="${id}"${key ? ` sl:correlationKey="${key}"` : ''}><bpmn:messageEventDefinition messageRef="${ref}"/></bpmn:intermediateCatchEvent>`;
    const run = await Run.start(
      bpmn(
        `
      <bpmn:startEvent id="start"/>
      ${flow('f0', 'start', 'fork')}
      <bpmn:parallelGateway id="fork"/>
      ${['first', 'second', 'keyless', 'numbered', 'otherName']
        .map((id) => `${flow(`to-${id}`, 'fork', id)}${flow(`from-${id}`, id, `end-${id}`)}<bpmn:endEvent id="end-${id}"/>`)
        .join('\n')}
      ${catchEvent('first', '=orderId')}
      ${catchEvent('second', '=orderId')}
      ${catchEvent('keyless')}
      ${catchEvent('numbered', '=n')}
      ${catchEvent('otherName', '=orderId', 'm2')}`,
        'p',
        ROOTS,
      ),
      { orderId: 'A-1', n: 7 },
    );
    expect(run.effectsOf('messageSubscribed').map((e) => [e.elementId, e.name, e.correlationKey])).toEqual([
      ['first', 'payment', 'A-1'],
      ['second', 'payment', 'A-1'],
      ['keyless', 'payment', undefined],
      ['numbered', 'payment', '7'],
      ['otherName', 'reminder', 'A-1'],
    ]);
    expect(findMessageSubscription(run.state, 'payment', 'A-1')?.trigger).toBe('first');
    expect(findMessageSubscription(run.state, 'payment')?.trigger).toBe('keyless');
    expect(findMessageSubscription(run.state, 'payment', '7')?.trigger).toBe('numbered');
    expect(findMessageSubscription(run.state, 'reminder', 'A-1')?.trigger).toBe('otherName');
    expect(findMessageSubscription(run.state, 'reminder')).toBeUndefined();
    expect(findMessageSubscription(run.state, 'payment', 'a-1')).toBeUndefined();
    expect(findMessageSubscription(run.state, 'payment', 'A-1 ')).toBeUndefined();
    expect(findMessageSubscription(run.state, 'payment', '')).toBeUndefined();
    expect(findMessageSubscription(run.state, 'Payment', 'A-1')).toBeUndefined();

    const first = findMessageSubscription(run.state, 'payment', 'A-1');
    run.do({ type: 'deliverMessage', subscriptionId: first?.id as string });
    expect(run.completed()).toEqual(['start', 'fork', 'first', 'end-first']);
    expect(findMessageSubscription(run.state, 'payment', 'A-1')?.trigger).toBe('second');
  });
});

describe('intermediate signal catch', () => {
  it('subscribes by name; a signal of that name reaches every waiting catch and brings its variables', async () => {
    const signalCatch = (id: string, ref = 's1') =>
      `<bpmn:intermediateCatchEvent id="${id}"><bpmn:signalEventDefinition signalRef="${ref}"/></bpmn:intermediateCatchEvent>`;
    const run = await Run.start(
      bpmn(
        `
      <bpmn:startEvent id="start"/>
      ${flow('f0', 'start', 'fork')}
      <bpmn:parallelGateway id="fork"/>
      ${flow('fa', 'fork', 'a')}
      ${flow('fb', 'fork', 'b')}
      ${flow('fc', 'fork', 'c')}
      ${signalCatch('a')}
      ${signalCatch('b')}
      ${signalCatch('c', 's2')}
      ${flow('fa2', 'a', 'endA')}
      ${flow('fb2', 'b', 'endB')}
      ${flow('fc2', 'c', 'endC')}
      <bpmn:endEvent id="endA"/>
      <bpmn:endEvent id="endB"/>
      <bpmn:endEvent id="endC"/>`,
        'p',
        ROOTS,
      ),
    );
    expect(run.effectsOf('signalSubscribed')).toEqual([
      { type: 'signalSubscribed', subscriptionId: expect.any(String), elementId: 'a', name: 'alarm' },
      { type: 'signalSubscribed', subscriptionId: expect.any(String), elementId: 'b', name: 'alarm' },
      { type: 'signalSubscribed', subscriptionId: expect.any(String), elementId: 'c', name: 'other' },
    ]);
    const [subA, subB] = run.effectsOf('signalSubscribed').map((e) => e.subscriptionId);
    run.signal('nobody-listens');
    expect(run.completed()).toEqual(['start', 'fork']);
    run.signal('alarm', { level: 'red' });
    expect(run.completed()).toEqual(['start', 'fork', 'a', 'b', 'endA', 'endB']);
    expect(run.last.filter((e) => e.type === 'signalUnsubscribed')).toEqual([
      { type: 'signalUnsubscribed', subscriptionId: subA },
      { type: 'signalUnsubscribed', subscriptionId: subB },
    ]);
    expect(run.variables).toEqual({ level: 'red' });
    expect(run.hasWait('signal', 'c')).toBe(true);
    run.signal('other');
    expect(run.status).toBe('completed');
  });
});

describe('link events', () => {
  it('a link throw continues at the link catch of the same name, without a sequence flow', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'goTo')}
      <bpmn:intermediateThrowEvent id="goTo"><bpmn:linkEventDefinition name="page2"/></bpmn:intermediateThrowEvent>
      <bpmn:intermediateCatchEvent id="landOther"><bpmn:linkEventDefinition name="page3"/></bpmn:intermediateCatchEvent>
      ${flow('f2', 'landOther', 'wrong')}
      <bpmn:endEvent id="wrong"/>
      <bpmn:intermediateCatchEvent id="land"><bpmn:linkEventDefinition name="page2"/></bpmn:intermediateCatchEvent>
      ${flow('f3', 'land', 'work')}
      <bpmn:userTask id="work"/>
      ${flow('f4', 'work', 'end')}
      <bpmn:endEvent id="end"/>`),
    );
    expect(run.completed()).toEqual(['start', 'goTo', 'land']);
    expect(run.taken()).toEqual(['f1', 'f3']);
    run.completeTask('work');
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 'goTo', 'land', 'work', 'end']);
  });
});

describe('intermediate conditional catch', () => {
  const conditional = `<bpmn:intermediateCatchEvent id="catch"><bpmn:conditionalEventDefinition><bpmn:condition xsi:type="bpmn:tFormalExpression">=approved = true</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:intermediateCatchEvent>`;

  it('waits until a setVariables command makes its condition true', async () => {
    const run = await Run.start(around(conditional, 'catch'), { approved: false });
    expect(run.hasWait('conditional', 'catch')).toBe(true);
    run.do({ type: 'setVariables', variables: { note: 'still thinking' } });
    expect(run.completed()).toEqual(['start']);
    run.do({ type: 'setVariables', variables: { approved: true } });
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 'catch', 'end']);
    expect(run.variables).toEqual({ approved: true, note: 'still thinking' });
  });

  it('fires at once when the condition already holds on arrival', async () => {
    const run = await Run.start(around(conditional, 'catch'), { approved: true });
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 'catch', 'end']);
    expect(run.state.waits).toEqual({});
  });
});

describe('intermediate throw events', () => {
  it('a none throw passes the token straight on', async () => {
    const run = await Run.start(around('<bpmn:intermediateThrowEvent id="throw"/>', 'throw'));
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 'throw', 'end']);
    expect(run.taken()).toEqual(['f1', 'f2']);
    expect(run.effects.map((e) => e.type)).toEqual(['instanceEnded']);
  });

  it('a message throw emits messageThrown with its input mappings as variables and moves on', async () => {
    const run = await Run.start(
      around(
        `<bpmn:intermediateThrowEvent id="throw">
          <bpmn:extensionElements><sl:inputOutput>
            <sl:input source="=orderId" target="correlationKey"/>
            <sl:input source="=&quot;paid&quot;" target="state"/>
          </sl:inputOutput></bpmn:extensionElements>
          <bpmn:messageEventDefinition messageRef="m1"/>
        </bpmn:intermediateThrowEvent>`,
        'throw',
      ),
      { orderId: 'A-1' },
    );
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 'throw', 'end']);
    expect(run.effectsOf('messageThrown')).toEqual([
      {
        type: 'messageThrown',
        elementId: 'throw',
        name: 'payment',
        correlationKey: 'A-1',
        variables: { correlationKey: 'A-1', state: 'paid' },
      },
    ]);
  });

  it('a message throw without input mappings sends no variables and no key', async () => {
    const run = await Run.start(
      around(
        '<bpmn:intermediateThrowEvent id="throw"><bpmn:messageEventDefinition messageRef="m1"/></bpmn:intermediateThrowEvent>',
        'throw',
      ),
      { orderId: 'A-1' },
    );
    expect(run.effectsOf('messageThrown')).toEqual([{ type: 'messageThrown', elementId: 'throw', name: 'payment', variables: {} }]);
  });

  it('a signal throw emits signalThrown and moves on', async () => {
    const run = await Run.start(
      around(
        `<bpmn:intermediateThrowEvent id="throw">
          <bpmn:extensionElements><sl:inputOutput><sl:input source="=ci" target="affected"/></sl:inputOutput></bpmn:extensionElements>
          <bpmn:signalEventDefinition signalRef="s1"/>
        </bpmn:intermediateThrowEvent>`,
        'throw',
      ),
      { ci: 'db-01' },
    );
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 'throw', 'end']);
    expect(run.effectsOf('signalThrown')).toEqual([
      { type: 'signalThrown', elementId: 'throw', name: 'alarm', variables: { affected: 'db-01' } },
    ]);
  });

  it('an escalation throw caught by a non-interrupting boundary of the subprocess lets both paths go on', async () => {
    const run = await Run.start(
      bpmn(
        `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'sub')}
      <bpmn:subProcess id="sub">
        <bpmn:startEvent id="subStart"/>
        ${flow('i1', 'subStart', 'throw')}
        <bpmn:intermediateThrowEvent id="throw"><bpmn:escalationEventDefinition escalationRef="x1"/></bpmn:intermediateThrowEvent>
        ${flow('i2', 'throw', 'work')}
        <bpmn:userTask id="work"/>
        ${flow('i3', 'work', 'subEnd')}
        <bpmn:endEvent id="subEnd"/>
      </bpmn:subProcess>
      <bpmn:boundaryEvent id="onEsc" attachedToRef="sub" cancelActivity="false"><bpmn:escalationEventDefinition escalationRef="x1"/></bpmn:boundaryEvent>
      ${flow('f2', 'sub', 'end')}
      ${flow('f3', 'onEsc', 'escEnd')}
      <bpmn:endEvent id="end"/>
      <bpmn:endEvent id="escEnd"/>`,
        'p',
        ROOTS,
      ),
    );
    expect(run.completed()).toEqual(['start', 'subStart', 'throw', 'onEsc', 'escEnd']);
    expect(run.taken()).toEqual(['f1', 'i1', 'i2', 'f3']);
    expect(run.hasWait('task', 'work')).toBe(true);
    run.completeTask('work');
    expect(run.status).toBe('completed');
  });

  it('an escalation throw caught by an interrupting boundary ends the throw event with its subprocess', async () => {
    const run = await Run.start(
      bpmn(
        `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'sub')}
      <bpmn:subProcess id="sub">
        <bpmn:startEvent id="subStart"/>
        ${flow('i1', 'subStart', 'throw')}
        <bpmn:intermediateThrowEvent id="throw"><bpmn:escalationEventDefinition escalationRef="x1"/></bpmn:intermediateThrowEvent>
        ${flow('i2', 'throw', 'subEnd')}
        <bpmn:endEvent id="subEnd"/>
      </bpmn:subProcess>
      <bpmn:boundaryEvent id="onEsc" attachedToRef="sub"><bpmn:escalationEventDefinition escalationRef="x1"/></bpmn:boundaryEvent>
      ${flow('f2', 'sub', 'end')}
      ${flow('f3', 'onEsc', 'escEnd')}
      <bpmn:endEvent id="end"/>
      <bpmn:endEvent id="escEnd"/>`,
        'p',
        ROOTS,
      ),
    );
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 'subStart', 'onEsc', 'escEnd']);
    expect(run.cancelled()).toEqual(['throw', 'sub']);
    expect(run.taken()).toEqual(['f1', 'i1', 'f3']);
  });

  it('an uncaught escalation throw changes nothing: the token moves on', async () => {
    const run = await Run.start(
      around(
        '<bpmn:intermediateThrowEvent id="throw"><bpmn:escalationEventDefinition escalationRef="x1"/></bpmn:intermediateThrowEvent>',
        'throw',
      ),
    );
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 'throw', 'end']);
    expect(run.effectsOf('faultRaised')).toEqual([]);
    expect(openWaits(run.state)).toEqual([]);
  });
});
