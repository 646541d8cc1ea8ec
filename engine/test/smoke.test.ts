import { describe, expect, it } from 'vitest';
import { bpmn, flow, HOUR, Run } from './harness.ts';

describe('harness smoke', () => {
  it('runs a user task with a timer boundary to the end', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'review')}
      <bpmn:userTask id="review" sl:candidateGroups="service-desk"/>
      <bpmn:boundaryEvent id="late" attachedToRef="review"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      ${flow('f2', 'review', 'done')}
      ${flow('f3', 'late', 'escalated')}
      <bpmn:endEvent id="done"/>
      <bpmn:endEvent id="escalated"/>`),
    );
    run.advance(3 * HOUR);
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 'late', 'escalated']);
    expect(run.cancelled()).toEqual(['review']);
    expect(run.effectsOf('taskCancelled')).toHaveLength(1);
  });
});
