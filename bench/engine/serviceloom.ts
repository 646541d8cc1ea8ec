// Driver for our engine: compile once, then run each instance to its end in-process, completing
// every job and user task it creates with a command, as a runtime and its workers would.
import { type Command, compile, type Definition, execute, type InstanceState } from '@serviceloom/engine';
import { completion, type FlowName, oursXml } from './flows.ts';

const T0 = Date.parse('2026-01-05T09:00:00Z');

/** Filled in by a probe run (never in a timed loop). */
export interface Probe {
  jobs: number;
  tasks: number;
  /** JSON size of the live state once the first user task exists. */
  midSize?: number;
  finalSize?: number;
  /** bpmn-engine only: how much of the state is the serialized model it carries. */
  modelSize?: number;
}

export async function compileOurs(): Promise<Record<FlowName, Definition>> {
  return { automatic: await compile(oursXml.automatic), incident: await compile(oursXml.incident) };
}

export function runOurs(def: Definition, n: number, probe?: Probe): InstanceState {
  const now = T0 + n;
  let result = execute(def, undefined, { type: 'start', instanceId: `i${n}`, variables: { n } }, now);
  const pending: Command[] = [];
  for (;;) {
    for (const effect of result.effects) {
      if (effect.type === 'jobCreated') pending.push({ type: 'completeJob', jobId: effect.jobId, variables: completion });
      else if (effect.type === 'taskCreated') {
        pending.push({ type: 'completeTask', taskId: effect.taskId, variables: completion });
        if (probe && probe.midSize === undefined) probe.midSize = JSON.stringify(result.state).length;
      }
    }
    const command = pending.shift();
    if (!command) break;
    if (probe) probe[command.type === 'completeJob' ? 'jobs' : 'tasks']++;
    result = execute(def, result.state, command, now);
  }
  if (result.state.status !== 'completed') throw new Error(`instance ${n} ended ${result.state.status}`);
  if (probe) probe.finalSize = JSON.stringify(result.state).length;
  return result.state;
}
