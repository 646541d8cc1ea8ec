// Drives an instance of a compiled model through its waits with seeded random choices:
// completes tasks and jobs (some jobs fail), fires timers, delivers messages and signals, ends
// calls and retries faults, as a user and the runtime would. Shared by the MIWG and corpus tests.
import { expect } from 'vitest';
import { type Command, type Definition, EngineError, execute, type InstanceState, openWaits } from '../src/index.ts';
import { T0 } from './harness.ts';

/** A small seeded generator, so each model is driven the same way on every run. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The commands an instance accepts right now: one per open wait and open fault. */
export function availableCommands(state: InstanceState, rnd: () => number): Command[] {
  const commands: Command[] = [];
  for (const w of openWaits(state)) {
    switch (w.kind) {
      case 'task':
        commands.push({ type: 'completeTask', taskId: w.id, variables: { approved: rnd() < 0.5 } });
        break;
      case 'job':
        commands.push(
          rnd() < 0.2
            ? { type: 'failJob', jobId: w.id, retries: rnd() < 0.5 ? 1 : 0 }
            : { type: 'completeJob', jobId: w.id, variables: {} },
        );
        break;
      case 'timer':
        commands.push({ type: 'timerFired', timerId: w.id });
        break;
      case 'message':
        commands.push({ type: 'deliverMessage', subscriptionId: w.id, variables: {} });
        break;
      case 'signal':
        commands.push({ type: 'signal', name: w.name as string });
        break;
      case 'call':
        commands.push({ type: 'childCompleted', callId: w.id, variables: {} });
        break;
      default: // conditional events fire on variable changes, which completing tasks makes
    }
  }
  for (const f of Object.values(state.faults)) commands.push({ type: 'retryFault', faultId: f.id });
  return commands;
}

export interface DriveResult {
  status: string;
  steps: number;
  engineErrors: string[];
}

/** Starts an instance at a start event and runs up to `maxSteps` commands on it, picked at random. */
export function drive(def: Definition, startEventId: string, seed: number, maxSteps = 60): DriveResult {
  const rnd = random(seed);
  let now = T0;
  const engineErrors: string[] = [];
  const run = (state: InstanceState | undefined, command: Command): InstanceState | undefined => {
    try {
      const result = execute(def, state, command, now);
      // The state stays plain JSON after every step.
      expect(JSON.parse(JSON.stringify(result.state))).toEqual(result.state);
      return result.state;
    } catch (e) {
      if (!(e instanceof EngineError)) throw new Error(`${command.type} threw ${String(e)}`, { cause: e });
      engineErrors.push(`${e.code}: ${e.message}`);
      return undefined;
    }
  };
  let state = run(undefined, { type: 'start', instanceId: 'miwg', startEventId, variables: { approved: true } });
  let steps = 0;
  while (state && state.status === 'active' && steps < maxSteps) {
    const commands = availableCommands(state, rnd);
    if (commands.length === 0) break;
    const command = commands[Math.floor(rnd() * commands.length)] as Command;
    if (command.type === 'timerFired') {
      const due = Date.parse(state.waits[command.timerId]?.dueAt ?? '');
      if (due > now) now = due;
    }
    steps++;
    state = run(state, command) ?? state;
    now += 60_000;
  }
  return { status: state?.status ?? 'not started', steps, engineErrors };
}
