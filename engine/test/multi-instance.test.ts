// Multi-instance activities: one inner instance per item, in parallel or in sequence, with
// their outputs gathered in collection order.
import { describe, expect, it } from 'vitest';
import { activeElementIds, openWaits } from '../src/index.ts';
import { bpmn, flow, HOUR, Run } from './harness.ts';

/** start -> activity "review" (with `loop` as its loop characteristics) -> end */
function around(activity: string, extra = ''): string {
  return bpmn(
    `
    <bpmn:startEvent id="start"/>
    ${flow('f1', 'start', 'review')}
    ${activity}
    ${flow('f2', 'review', 'end')}
    <bpmn:endEvent id="end"/>`,
    'p',
    extra,
  );
}

function loop(attrs: string, body = ''): string {
  return `<bpmn:multiInstanceLoopCharacteristics ${attrs}>${body}</bpmn:multiInstanceLoopCharacteristics>`;
}

const condition = (text: string) =>
  `<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">${text.replace(/>/g, '&gt;').replace(/</g, '&lt;')}</bpmn:completionCondition>`;

const jobs = (run: Run) => openWaits(run.state, 'job');

describe('parallel multi-instance', () => {
  const reviewAll = around(
    `<bpmn:serviceTask id="review" sl:type="review">
      ${loop('sl:collection="=reviewers" sl:elementVariable="reviewer" sl:outputCollection="verdicts" sl:outputElement="=verdict"')}
      <bpmn:extensionElements><sl:inputOutput><sl:input source="=null" target="verdict"/></sl:inputOutput></bpmn:extensionElements>
    </bpmn:serviceTask>`,
  );

  it('starts one instance per item at once, each with its element variable and loopCounter', async () => {
    const run = await Run.start(reviewAll, { reviewers: ['ann', 'bob', 'cy'] });
    expect(run.effectsOf('jobCreated').map((j) => j.variables)).toEqual([
      { reviewers: ['ann', 'bob', 'cy'], reviewer: 'ann', loopCounter: 1, verdict: null },
      { reviewers: ['ann', 'bob', 'cy'], reviewer: 'bob', loopCounter: 2, verdict: null },
      { reviewers: ['ann', 'bob', 'cy'], reviewer: 'cy', loopCounter: 3, verdict: null },
    ]);
    expect(run.effectsOf('jobCreated').map((j) => j.elementId)).toEqual(['review', 'review', 'review']);
    expect(run.variables).toEqual({ reviewers: ['ann', 'bob', 'cy'] });
    expect(activeElementIds(run.state)).toEqual(['review']);
  });

  it('gathers the outputs in collection order even when the instances complete out of order', async () => {
    const run = await Run.start(reviewAll, { reviewers: ['ann', 'bob', 'cy'] });
    const [ann, bob, cy] = jobs(run).map((j) => j.id);
    run.do({ type: 'completeJob', jobId: cy as string, variables: { verdict: 'cy-ok' } });
    run.do({ type: 'completeJob', jobId: ann as string, variables: { verdict: 'ann-ok' } });
    expect(run.status).toBe('active');
    expect(run.completed()).toEqual(['start', 'review', 'review']);
    run.do({ type: 'completeJob', jobId: bob as string, variables: { verdict: 'bob-no' } });
    expect(run.status).toBe('completed');
    // Three inner instances, then the multi-instance body itself.
    expect(run.completed()).toEqual(['start', 'review', 'review', 'review', 'review', 'end']);
    expect(run.taken()).toEqual(['f1', 'f2']);
    // "verdict" was local to each instance (input mapping), so only the collection reaches the process.
    expect(run.variables).toEqual({ reviewers: ['ann', 'bob', 'cy'], verdicts: ['ann-ok', 'bob-no', 'cy-ok'] });
  });

  it('sets completion variables that exist in no instance at the process, where the last one wins', async () => {
    const run = await Run.start(
      around(`<bpmn:serviceTask id="review" sl:type="review">
        ${loop('sl:collection="=reviewers" sl:elementVariable="reviewer" sl:outputCollection="verdicts" sl:outputElement="=verdict"')}
      </bpmn:serviceTask>`),
      { reviewers: ['ann', 'bob'] },
    );
    const [ann, bob] = jobs(run).map((j) => j.id);
    run.do({ type: 'completeJob', jobId: bob as string, variables: { verdict: 'bob-ok' } });
    run.do({ type: 'completeJob', jobId: ann as string, variables: { verdict: 'ann-ok' } });
    expect(run.variables).toEqual({ reviewers: ['ann', 'bob'], verdict: 'ann-ok', verdicts: ['ann-ok', 'bob-ok'] });
  });

  it('stops at the completion condition, cancelling the instances still running', async () => {
    const run = await Run.start(
      around(
        `<bpmn:userTask id="review" sl:assignee="=reviewer">
          ${loop(
            'sl:collection="=reviewers" sl:elementVariable="reviewer" sl:outputCollection="verdicts" sl:outputElement="=verdict"',
            condition('numberOfCompletedInstances >= 2'),
          )}
          <bpmn:extensionElements><sl:inputOutput><sl:input source="=null" target="verdict"/></sl:inputOutput></bpmn:extensionElements>
        </bpmn:userTask>`,
      ),
      { reviewers: ['ann', 'bob', 'cy'] },
    );
    const tasks = run.effectsOf('taskCreated');
    expect(tasks.map((t) => t.assignee)).toEqual(['ann', 'bob', 'cy']);
    run.do({ type: 'completeTask', taskId: tasks[2]?.taskId as string, variables: { verdict: 'yes' } });
    run.do({ type: 'completeTask', taskId: tasks[0]?.taskId as string, variables: { verdict: 'yes too' } });
    expect(run.last).toContainEqual({ type: 'taskCancelled', taskId: tasks[1]?.taskId });
    expect(run.cancelled()).toEqual(['review']);
    expect(run.completed()).toEqual(['start', 'review', 'review', 'review', 'end']);
    expect(run.status).toBe('completed');
    expect(run.variables).toEqual({ reviewers: ['ann', 'bob', 'cy'], verdicts: ['yes too', null, 'yes'] });
  });

  it('evaluates the completion condition against the completed instance variables', async () => {
    const run = await Run.start(
      around(
        `<bpmn:userTask id="review">
          ${loop('sl:collection="=reviewers" sl:elementVariable="reviewer"', condition('=rejected = true'))}
          <bpmn:extensionElements><sl:inputOutput><sl:input source="=false" target="rejected"/></sl:inputOutput></bpmn:extensionElements>
        </bpmn:userTask>`,
      ),
      { reviewers: ['ann', 'bob', 'cy'] },
    );
    run.completeTask('review', { rejected: false });
    expect(run.status).toBe('active');
    run.completeTask('review', { rejected: true });
    expect(run.status).toBe('completed');
    expect(run.effectsOf('taskCancelled')).toHaveLength(1);
  });

  it('passes straight through with an empty collection, setting an empty output collection', async () => {
    const run = await Run.start(reviewAll, { reviewers: [] });
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 'review', 'end']);
    expect(run.effectsOf('jobCreated')).toEqual([]);
    expect(run.variables).toEqual({ reviewers: [], verdicts: [] });
  });

  it('runs loopCardinality instances when there is no collection', async () => {
    const run = await Run.start(
      around(
        `<bpmn:serviceTask id="review" sl:type="review">${loop('', '<bpmn:loopCardinality xsi:type="bpmn:tFormalExpression">=copies</bpmn:loopCardinality>')}</bpmn:serviceTask>`,
      ),
      { copies: 3 },
    );
    expect(run.effectsOf('jobCreated').map((j) => j.variables.loopCounter)).toEqual([1, 2, 3]);
    for (let i = 0; i < 3; i++) run.completeJob('review');
    expect(run.completed()).toEqual(['start', 'review', 'review', 'review', 'review', 'end']);
  });

  it('raises a fault on the activity when the collection is not a list; fixing it and retrying runs the instances', async () => {
    const run = await Run.start(reviewAll, { reviewers: 'ann' });
    expect(run.effectsOf('faultRaised')).toEqual([
      { type: 'faultRaised', faultId: expect.any(String), elementId: 'review', message: expect.stringContaining('not a list') },
    ]);
    expect(run.effectsOf('jobCreated')).toEqual([]);
    expect(activeElementIds(run.state)).toEqual(['review']);
    const faultId = Object.keys(run.state.faults)[0] as string;
    run.do({ type: 'setVariables', variables: { reviewers: ['ann'] } });
    run.do({ type: 'retryFault', faultId });
    expect(run.effectsOf('jobCreated').map((j) => j.variables.reviewer)).toEqual(['ann']);
    run.completeJob('review', { verdict: 'ok' });
    expect(run.status).toBe('completed');
    expect(run.variables.verdicts).toEqual(['ok']);
  });

  it('raises a fault when the loop cardinality is not a whole number', async () => {
    const run = await Run.start(
      around(
        `<bpmn:serviceTask id="review" sl:type="review">${loop('', '<bpmn:loopCardinality xsi:type="bpmn:tFormalExpression">=copies</bpmn:loopCardinality>')}</bpmn:serviceTask>`,
      ),
      { copies: 'three' },
    );
    expect(run.effectsOf('faultRaised')).toMatchObject([{ elementId: 'review' }]);
    expect(run.effectsOf('jobCreated')).toEqual([]);
  });
});

describe('sequential multi-instance', () => {
  it('runs one instance after another, in collection order', async () => {
    const run = await Run.start(
      around(
        `<bpmn:serviceTask id="review" sl:type="review">
          ${loop('isSequential="true" sl:collection="=steps" sl:elementVariable="step" sl:outputCollection="log" sl:outputElement="=step + &quot; done&quot;"')}
        </bpmn:serviceTask>`,
      ),
      { steps: ['backup', 'patch', 'reboot'] },
    );
    expect(run.effectsOf('jobCreated').map((j) => [j.variables.step, j.variables.loopCounter])).toEqual([['backup', 1]]);
    run.completeJob('review');
    expect(run.effectsOf('jobCreated').map((j) => [j.variables.step, j.variables.loopCounter])).toEqual([
      ['backup', 1],
      ['patch', 2],
    ]);
    run.completeJob('review');
    run.completeJob('review');
    expect(run.effectsOf('jobCreated')).toHaveLength(3);
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 'review', 'review', 'review', 'review', 'end']);
    expect(run.variables).toEqual({ steps: ['backup', 'patch', 'reboot'], log: ['backup done', 'patch done', 'reboot done'] });
  });

  it('stops at the completion condition without starting the next instance', async () => {
    const run = await Run.start(
      around(
        `<bpmn:userTask id="review">${loop('isSequential="true" sl:collection="=[1,2,3]"', condition('numberOfCompletedInstances >= 2'))}</bpmn:userTask>`,
      ),
    );
    run.completeTask('review');
    run.completeTask('review');
    expect(run.status).toBe('completed');
    expect(run.effectsOf('taskCreated')).toHaveLength(2);
    expect(run.cancelled()).toEqual([]);
  });
});

describe('multi-instance subprocess', () => {
  it('runs the subprocess once per item, each with its own variables, and completes after all', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'perItem')}
      <bpmn:subProcess id="perItem">
        ${loop('sl:collection="=items" sl:elementVariable="item" sl:outputCollection="prices" sl:outputElement="=price"')}
        <bpmn:extensionElements><sl:inputOutput><sl:input source="=null" target="price"/></sl:inputOutput></bpmn:extensionElements>
        <bpmn:startEvent id="subStart"/>
        ${flow('s1', 'subStart', 'quote')}
        <bpmn:userTask id="quote" sl:assignee="=item.buyer"/>
        ${flow('s2', 'quote', 'subEnd')}
        <bpmn:endEvent id="subEnd"/>
      </bpmn:subProcess>
      ${flow('f2', 'perItem', 'end')}
      <bpmn:endEvent id="end"/>`),
      { items: [{ buyer: 'ann' }, { buyer: 'bob' }] },
    );
    const tasks = run.effectsOf('taskCreated');
    expect(tasks.map((t) => t.assignee)).toEqual(['ann', 'bob']);
    run.do({ type: 'completeTask', taskId: tasks[1]?.taskId as string, variables: { price: 20 } });
    expect(run.status).toBe('active');
    run.do({ type: 'completeTask', taskId: tasks[0]?.taskId as string, variables: { price: 10 } });
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual([
      'start',
      'subStart',
      'subStart',
      'quote',
      'subEnd',
      'perItem',
      'quote',
      'subEnd',
      'perItem',
      'perItem',
      'end',
    ]);
    expect(run.variables).toEqual({ items: [{ buyer: 'ann' }, { buyer: 'bob' }], prices: [10, 20] });
  });
});

describe('boundary events on a multi-instance activity', () => {
  it('an interrupting timer cancels every inner instance and leaves through the boundary', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'review')}
      <bpmn:userTask id="review">${loop('sl:collection="=reviewers" sl:elementVariable="reviewer"')}</bpmn:userTask>
      <bpmn:boundaryEvent id="late" attachedToRef="review"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      ${flow('f2', 'review', 'end')}
      ${flow('f3', 'late', 'escalated')}
      <bpmn:endEvent id="end"/>
      <bpmn:endEvent id="escalated"/>`),
      { reviewers: ['ann', 'bob', 'cy'] },
    );
    expect(run.effectsOf('timerScheduled')).toHaveLength(1);
    const taskIds = run.effectsOf('taskCreated').map((t) => t.taskId);
    run.completeTask('review');
    run.advance(2 * HOUR);
    expect(run.effectsOf('taskCancelled').map((t) => t.taskId)).toEqual(taskIds.slice(1));
    expect(run.cancelled()).toEqual(['review', 'review', 'review']);
    expect(run.completed()).toEqual(['start', 'review', 'late', 'escalated']);
    expect(run.taken()).toEqual(['f1', 'f3']);
    expect(run.status).toBe('completed');
    expect(run.state.waits).toEqual({});
  });

  it('closes the boundary timer when all instances complete', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'review')}
      <bpmn:userTask id="review">${loop('sl:collection="=[1,2]"')}</bpmn:userTask>
      <bpmn:boundaryEvent id="late" attachedToRef="review"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      ${flow('f2', 'review', 'end')}
      ${flow('f3', 'late', 'escalated')}
      <bpmn:endEvent id="end"/>
      <bpmn:endEvent id="escalated"/>`),
    );
    run.completeTask('review');
    run.completeTask('review');
    expect(run.effectsOf('timerCancelled')).toHaveLength(1);
    expect(run.completed()).toEqual(['start', 'review', 'review', 'review', 'end']);
  });

  it('an error thrown by one instance is caught by the error boundary of the whole activity', async () => {
    const run = await Run.start(
      bpmn(
        `
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'review')}
      <bpmn:serviceTask id="review" sl:type="review">${loop('sl:collection="=[1,2,3]"')}</bpmn:serviceTask>
      <bpmn:boundaryEvent id="failed" attachedToRef="review"><bpmn:errorEventDefinition errorRef="err"/></bpmn:boundaryEvent>
      ${flow('f2', 'review', 'end')}
      ${flow('f3', 'failed', 'failedEnd')}
      <bpmn:endEvent id="end"/>
      <bpmn:endEvent id="failedEnd"/>`,
        'p',
        '<bpmn:error id="err" errorCode="REJECTED"/>',
      ),
    );
    const [first, second, third] = jobs(run).map((j) => j.id);
    run.do({ type: 'throwError', jobId: second as string, errorCode: 'REJECTED' });
    expect(run.last).toContainEqual({ type: 'jobCancelled', jobId: first });
    expect(run.last).toContainEqual({ type: 'jobCancelled', jobId: third });
    expect(run.last).toContainEqual({ type: 'jobCompleted', jobId: second });
    expect(run.last).not.toContainEqual({ type: 'jobCancelled', jobId: second });
    expect(run.completed()).toEqual(['start', 'failed', 'failedEnd']);
    expect(run.status).toBe('completed');
  });
});
