import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../src/index.ts';
import { bpmn, flow, HOUR, MINUTE, Run } from './harness.ts';

const ROOTS = `
  <bpmn:message id="m1" name="customerReply"/>
  <bpmn:error id="e1" errorCode="E42"/>`;

const iso = (hours: number, minutes = 0) => new Date(Date.parse('2026-01-05T09:00:00Z') + hours * HOUR + minutes * MINUTE).toISOString();

/** History without element instance ids, as [elementId, elementType, event, at]. */
const rows = (history: HistoryEvent[]) => history.map((h) => [h.elementId, h.elementType, h.event, h.at]);

/**
 * Every flow node instance starts once, then ends once (completed or cancelled), never before it
 * started; flows carry no element instance id. Returns the instances still open.
 */
function checkLifecycles(history: HistoryEvent[]): string[] {
  const open = new Map<string, string>();
  const ended = new Set<string>();
  for (const h of history) {
    if (h.event === 'taken') {
      expect(h.elementType).toBe('sequenceFlow');
      expect(h.elementInstanceId).toBeUndefined();
      continue;
    }
    const id = h.elementInstanceId as string;
    expect(id, `${h.elementId} ${h.event} has an element instance id`).toBeTypeOf('string');
    if (h.event === 'started') {
      expect(open.has(id) || ended.has(id), `${h.elementId} (${id}) starts once`).toBe(false);
      open.set(id, h.elementId);
    } else {
      expect(open.get(id), `${h.elementId} (${id}) ${h.event} after it started`).toBe(h.elementId);
      open.delete(id);
      ended.add(id);
    }
  }
  return [...open.values()];
}

describe('history', () => {
  it('records the process, every element started and completed, and every flow taken, in order, at the time of each command', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'review')}
      <bpmn:userTask id="review"/>
      ${flow('f2', 'review', 'decide')}
      <bpmn:exclusiveGateway id="decide" default="f4"/>
      ${flow('f3', 'decide', 'rework', '=approved = false')}
      ${flow('f4', 'decide', 'end')}
      <bpmn:userTask id="rework"/>
      ${flow('f5', 'rework', 'review')}
      <bpmn:endEvent id="end"/>`),
    );
    run.advance(HOUR).completeTask('review', { approved: false });
    run.advance(2 * HOUR + 30 * MINUTE).completeTask('rework');
    run.advance(MINUTE).completeTask('review', { approved: true });
    expect(run.status).toBe('completed');
    expect(rows(run.history)).toEqual([
      ['p', 'process', 'started', iso(0)],
      ['start', 'startEvent', 'started', iso(0)],
      ['start', 'startEvent', 'completed', iso(0)],
      ['f1', 'sequenceFlow', 'taken', iso(0)],
      ['review', 'userTask', 'started', iso(0)],
      ['review', 'userTask', 'completed', iso(1)],
      ['f2', 'sequenceFlow', 'taken', iso(1)],
      ['decide', 'exclusiveGateway', 'started', iso(1)],
      ['decide', 'exclusiveGateway', 'completed', iso(1)],
      ['f3', 'sequenceFlow', 'taken', iso(1)],
      ['rework', 'userTask', 'started', iso(1)],
      ['rework', 'userTask', 'completed', iso(3, 30)],
      ['f5', 'sequenceFlow', 'taken', iso(3, 30)],
      ['review', 'userTask', 'started', iso(3, 30)],
      ['review', 'userTask', 'completed', iso(3, 31)],
      ['f2', 'sequenceFlow', 'taken', iso(3, 31)],
      ['decide', 'exclusiveGateway', 'started', iso(3, 31)],
      ['decide', 'exclusiveGateway', 'completed', iso(3, 31)],
      ['f4', 'sequenceFlow', 'taken', iso(3, 31)],
      ['end', 'endEvent', 'started', iso(3, 31)],
      ['end', 'endEvent', 'completed', iso(3, 31)],
      ['p', 'process', 'completed', iso(3, 31)],
    ]);
    expect(checkLifecycles(run.history.filter((h) => h.elementType !== 'process'))).toEqual([]);
    const reviews = run.history.filter((h) => h.elementId === 'review').map((h) => h.elementInstanceId);
    expect(reviews[0]).toBe(reviews[1]);
    expect(reviews[2]).toBe(reviews[3]);
    expect(reviews[0]).not.toBe(reviews[2]);
    expect(run.history[0]?.elementInstanceId).toBe('0');
    expect(run.state.startedAt).toBe(iso(0));
    expect(run.state.endedAt).toBe(iso(3, 31));
  });

  it('an interrupting boundary records the host cancelled at the time the timer fired, before the boundary path', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'work')}
      <bpmn:serviceTask id="work" sl:type="crm"/>
      <bpmn:boundaryEvent id="late" attachedToRef="work"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      ${flow('f2', 'work', 'end')}
      ${flow('f3', 'late', 'escalated')}
      <bpmn:endEvent id="end"/>
      <bpmn:endEvent id="escalated"/>`),
    );
    run.advance(5 * HOUR);
    expect(rows(run.history)).toEqual([
      ['p', 'process', 'started', iso(0)],
      ['start', 'startEvent', 'started', iso(0)],
      ['start', 'startEvent', 'completed', iso(0)],
      ['f1', 'sequenceFlow', 'taken', iso(0)],
      ['work', 'serviceTask', 'started', iso(0)],
      // The harness fires the timer when the clock reaches 5h: `at` is the time of that command.
      ['work', 'serviceTask', 'cancelled', iso(5)],
      ['late', 'boundaryEvent', 'started', iso(5)],
      ['late', 'boundaryEvent', 'completed', iso(5)],
      ['f3', 'sequenceFlow', 'taken', iso(5)],
      ['escalated', 'endEvent', 'started', iso(5)],
      ['escalated', 'endEvent', 'completed', iso(5)],
      ['p', 'process', 'completed', iso(5)],
    ]);
    expect(checkLifecycles(run.history.filter((h) => h.elementType !== 'process'))).toEqual([]);
  });

  it('subprocesses start before and complete after what runs inside them; parallel joins start once', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'sub')}
      <bpmn:subProcess id="sub">
        <bpmn:startEvent id="subStart"/>
        ${flow('i1', 'subStart', 'fork')}
        <bpmn:parallelGateway id="fork"/>
        ${flow('i2', 'fork', 'a')}
        ${flow('i3', 'fork', 'b')}
        <bpmn:userTask id="a"/>
        <bpmn:userTask id="b"/>
        ${flow('i4', 'a', 'join')}
        ${flow('i5', 'b', 'join')}
        <bpmn:parallelGateway id="join"/>
        ${flow('i6', 'join', 'subEnd')}
        <bpmn:endEvent id="subEnd"/>
      </bpmn:subProcess>
      ${flow('f2', 'sub', 'end')}
      <bpmn:endEvent id="end"/>`),
    );
    run.advance(HOUR).completeTask('b');
    run.advance(HOUR).completeTask('a');
    expect(rows(run.history)).toEqual([
      ['p', 'process', 'started', iso(0)],
      ['start', 'startEvent', 'started', iso(0)],
      ['start', 'startEvent', 'completed', iso(0)],
      ['f1', 'sequenceFlow', 'taken', iso(0)],
      ['sub', 'subProcess', 'started', iso(0)],
      ['subStart', 'startEvent', 'started', iso(0)],
      ['subStart', 'startEvent', 'completed', iso(0)],
      ['i1', 'sequenceFlow', 'taken', iso(0)],
      ['fork', 'parallelGateway', 'started', iso(0)],
      ['fork', 'parallelGateway', 'completed', iso(0)],
      ['i2', 'sequenceFlow', 'taken', iso(0)],
      ['a', 'userTask', 'started', iso(0)],
      ['i3', 'sequenceFlow', 'taken', iso(0)],
      ['b', 'userTask', 'started', iso(0)],
      ['b', 'userTask', 'completed', iso(1)],
      ['i5', 'sequenceFlow', 'taken', iso(1)],
      ['a', 'userTask', 'completed', iso(2)],
      ['i4', 'sequenceFlow', 'taken', iso(2)],
      ['join', 'parallelGateway', 'started', iso(2)],
      ['join', 'parallelGateway', 'completed', iso(2)],
      ['i6', 'sequenceFlow', 'taken', iso(2)],
      ['subEnd', 'endEvent', 'started', iso(2)],
      ['subEnd', 'endEvent', 'completed', iso(2)],
      ['sub', 'subProcess', 'completed', iso(2)],
      ['f2', 'sequenceFlow', 'taken', iso(2)],
      ['end', 'endEvent', 'started', iso(2)],
      ['end', 'endEvent', 'completed', iso(2)],
      ['p', 'process', 'completed', iso(2)],
    ]);
    expect(checkLifecycles(run.history.filter((h) => h.elementType !== 'process'))).toEqual([]);
  });

  it('cancelling the instance records every active element cancelled, innermost first, then the process', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'sub')}
      <bpmn:subProcess id="sub">
        <bpmn:startEvent id="subStart"/>
        ${flow('i1', 'subStart', 'inner')}
        <bpmn:userTask id="inner"/>
        ${flow('i2', 'inner', 'subEnd')}
        <bpmn:endEvent id="subEnd"/>
      </bpmn:subProcess>
      ${flow('f2', 'sub', 'end')}
      <bpmn:endEvent id="end"/>`),
    );
    run.advance(HOUR).do({ type: 'cancel' });
    expect(run.status).toBe('cancelled');
    expect(rows(run.history).slice(-3)).toEqual([
      ['inner', 'userTask', 'cancelled', iso(1)],
      ['sub', 'subProcess', 'cancelled', iso(1)],
      ['p', 'process', 'cancelled', iso(1)],
    ]);
    expect(run.last).toEqual([
      { type: 'taskCancelled', taskId: run.effectsOf('taskCreated')[0]?.taskId },
      { type: 'instanceEnded', status: 'cancelled', variables: {} },
    ]);
    expect(checkLifecycles(run.history)).toEqual([]);
  });

  it('a terminate end records the end event completed and the other tokens cancelled at the time it was reached', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'fork')}
      <bpmn:parallelGateway id="fork"/>
      ${flow('f2', 'fork', 'a')}
      ${flow('f3', 'fork', 'b')}
      <bpmn:userTask id="a"/>
      <bpmn:userTask id="b"/>
      ${flow('f4', 'a', 'kill')}
      ${flow('f5', 'b', 'end')}
      <bpmn:endEvent id="kill"><bpmn:terminateEventDefinition/></bpmn:endEvent>
      <bpmn:endEvent id="end"/>`),
    );
    run.advance(HOUR).completeTask('a');
    expect(run.status).toBe('terminated');
    expect(rows(run.history).slice(-6)).toEqual([
      ['a', 'userTask', 'completed', iso(1)],
      ['f4', 'sequenceFlow', 'taken', iso(1)],
      ['kill', 'endEvent', 'started', iso(1)],
      ['kill', 'endEvent', 'completed', iso(1)],
      ['b', 'userTask', 'cancelled', iso(1)],
      ['p', 'process', 'completed', iso(1)],
    ]);
    expect(checkLifecycles(run.history)).toEqual([]);
  });

  it('an error caught by an event subprocess records the interrupted elements cancelled before the event subprocess starts', async () => {
    const run = await Run.start(
      bpmn(
        `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'charge')}
      <bpmn:serviceTask id="charge" sl:type="payment"/>
      ${flow('f2', 'charge', 'end')}
      <bpmn:endEvent id="end"/>
      <bpmn:subProcess id="recover" triggeredByEvent="true">
        <bpmn:startEvent id="recoverStart"><bpmn:errorEventDefinition errorRef="e1"/></bpmn:startEvent>
        ${flow('r1', 'recoverStart', 'recoverEnd')}
        <bpmn:endEvent id="recoverEnd"/>
      </bpmn:subProcess>`,
        'p',
        ROOTS,
      ),
    );
    run.advance(30 * MINUTE).throwError('charge', 'E42');
    expect(rows(run.history).slice(5)).toEqual([
      ['charge', 'serviceTask', 'cancelled', iso(0, 30)],
      ['recover', 'subProcess', 'started', iso(0, 30)],
      ['recoverStart', 'startEvent', 'started', iso(0, 30)],
      ['recoverStart', 'startEvent', 'completed', iso(0, 30)],
      ['r1', 'sequenceFlow', 'taken', iso(0, 30)],
      ['recoverEnd', 'endEvent', 'started', iso(0, 30)],
      ['recoverEnd', 'endEvent', 'completed', iso(0, 30)],
      ['recover', 'subProcess', 'completed', iso(0, 30)],
      ['p', 'process', 'completed', iso(0, 30)],
    ]);
    expect(checkLifecycles(run.history.filter((h) => h.elementType !== 'process'))).toEqual([]);
  });

  it('a message catch and a non-interrupting boundary record their own lifecycles at the delivery time', async () => {
    const run = await Run.start(
      bpmn(
        `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'work')}
      <bpmn:userTask id="work"/>
      <bpmn:boundaryEvent id="nudge" attachedToRef="work" cancelActivity="false"><bpmn:messageEventDefinition messageRef="m1"/></bpmn:boundaryEvent>
      ${flow('f2', 'work', 'wait')}
      ${flow('f3', 'nudge', 'nudged')}
      <bpmn:endEvent id="nudged"/>
      <bpmn:intermediateCatchEvent id="wait"><bpmn:messageEventDefinition messageRef="m1"/></bpmn:intermediateCatchEvent>
      ${flow('f4', 'wait', 'end')}
      <bpmn:endEvent id="end"/>`,
        'p',
        ROOTS,
      ),
    );
    run.advance(HOUR).message('nudge');
    run.advance(HOUR).completeTask('work');
    run.advance(HOUR).message('wait');
    expect(rows(run.history).slice(5)).toEqual([
      ['nudge', 'boundaryEvent', 'started', iso(1)],
      ['nudge', 'boundaryEvent', 'completed', iso(1)],
      ['f3', 'sequenceFlow', 'taken', iso(1)],
      ['nudged', 'endEvent', 'started', iso(1)],
      ['nudged', 'endEvent', 'completed', iso(1)],
      ['work', 'userTask', 'completed', iso(2)],
      ['f2', 'sequenceFlow', 'taken', iso(2)],
      ['wait', 'intermediateCatchEvent', 'started', iso(2)],
      ['wait', 'intermediateCatchEvent', 'completed', iso(3)],
      ['f4', 'sequenceFlow', 'taken', iso(3)],
      ['end', 'endEvent', 'started', iso(3)],
      ['end', 'endEvent', 'completed', iso(3)],
      ['p', 'process', 'completed', iso(3)],
    ]);
    expect(checkLifecycles(run.history.filter((h) => h.elementType !== 'process'))).toEqual([]);
  });
});
