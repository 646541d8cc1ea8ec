// The simulation runs the real engine: the path a token takes, the gateway branch chosen by the
// variables a user task completes with, timers fired by jumping the clock.
import { compile } from '@serviceloom/engine';
import { describe, expect, test } from 'vitest';
import { Simulation, tokensFromHistory } from './simulator.ts';

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:sl="http://serviceloom.dev/schema/bpmn" id="d" targetNamespace="x">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review"/>
    <bpmn:userTask id="review" sl:candidateGroups="service-desk"/>
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="gw"/>
    <bpmn:exclusiveGateway id="gw"/>
    <bpmn:sequenceFlow id="yes" sourceRef="gw" targetRef="wait"><bpmn:conditionExpression>= approved</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="no" sourceRef="gw" targetRef="rejected"><bpmn:conditionExpression>= not(approved)</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f3" sourceRef="wait" targetRef="approvedEnd"/>
    <bpmn:endEvent id="approvedEnd"/>
    <bpmn:endEvent id="rejected"/>
  </bpmn:process>
</bpmn:definitions>`;

describe('Simulation', () => {
  test('runs to the end along the branch the task variables choose', async () => {
    const sim = new Simulation(await compile(XML));
    sim.start({ amount: 5 });
    expect(sim.tokens().active).toEqual(['review']);
    const task = sim.waits().find((w) => w.kind === 'task');
    sim.apply({ type: 'completeTask', taskId: task?.id as string, variables: { approved: true } });
    expect(sim.tokens().taken).toContain('yes');
    expect(sim.tokens().taken).not.toContain('no');
    expect(sim.tokens().active).toEqual(['wait']);
    const before = sim.now;
    expect(sim.advanceToNextTimer()).toBe(true);
    expect(sim.now - before).toBe(2 * 3600_000);
    expect(sim.status).toBe('completed');
    expect(sim.variables).toEqual({ amount: 5, approved: true });
    expect(sim.tokens().done).toContain('approvedEnd');
  });

  test('the other branch', async () => {
    const sim = new Simulation(await compile(XML));
    sim.start();
    sim.apply({ type: 'completeTask', taskId: sim.waits()[0]?.id as string, variables: { approved: false } });
    expect(sim.status).toBe('completed');
    expect(sim.tokens().taken).toEqual(expect.arrayContaining(['f1', 'f2', 'no']));
  });

  test('tokens from a replayed history: started but not completed is active', () => {
    const view = tokensFromHistory([
      { elementId: 'start', event: 'started' },
      { elementId: 'start', event: 'completed' },
      { elementId: 'f1', event: 'taken' },
      { elementId: 'review', event: 'started' },
    ]);
    expect(view).toEqual({ active: ['review'], taken: ['f1'], done: ['start'] });
  });
});
