// The simulation: the real engine run in the browser on the diagram being edited. It does what the
// runtime does between steps (delivers thrown messages and signals, keeps the clock) and records
// the path, so the view can show where tokens stand and which flows were taken.
import {
  type Command,
  type Definition,
  type Effect,
  EngineError,
  execute,
  findMessageSubscription,
  type HistoryEvent,
  type InstanceState,
  instanceVariables,
  openWaits,
  type Variables,
  type Wait,
} from '@serviceloom/engine';

export interface TokenView {
  active: string[];
  taken: string[];
  done: string[];
}

export interface SimulationSnapshot {
  state: InstanceState;
  now: number;
  history: HistoryEvent[];
  effects: Effect[];
}

export class Simulation {
  state: InstanceState | undefined;
  history: HistoryEvent[] = [];
  effects: Effect[] = [];

  constructor(
    readonly definition: Definition,
    public now: number = Date.UTC(2026, 0, 1, 9),
  ) {}

  start(variables: Variables = {}, startEventId?: string): void {
    this.state = undefined;
    this.history = [];
    this.effects = [];
    this.apply({ type: 'start', instanceId: 'sim', variables, ...(startEventId ? { startEventId } : {}) });
  }

  get status(): InstanceState['status'] | 'idle' {
    return this.state?.status ?? 'idle';
  }

  get variables(): Variables {
    return this.state ? instanceVariables(this.state) : {};
  }

  waits(): Wait[] {
    return this.state && this.state.status === 'active' ? openWaits(this.state) : [];
  }

  faults() {
    return this.state ? Object.values(this.state.faults) : [];
  }

  /** Applies a command, then delivers what the instance threw to itself, like the runtime would. */
  apply(command: Command): void {
    const pending: Command[] = [command];
    let guard = 0;
    while (pending.length && guard++ < 100) {
      const next = pending.shift() as Command;
      if (next.type !== 'start' && (!this.state || this.state.status !== 'active')) break;
      const result = execute(this.definition, this.state, next, this.now);
      this.state = result.state;
      this.history.push(...result.history);
      this.effects.push(...result.effects);
      for (const effect of result.effects) {
        if (effect.type === 'signalThrown') pending.push({ type: 'signal', name: effect.name, variables: effect.variables });
        if (effect.type === 'messageThrown') {
          const sub = findMessageSubscription(this.state, effect.name, effect.correlationKey);
          if (sub) pending.push({ type: 'deliverMessage', subscriptionId: sub.id, variables: effect.variables });
        }
      }
    }
  }

  /** Moves the clock to the earliest due timer and fires it (and any other timer due by then). */
  advanceToNextTimer(): boolean {
    const timers = this.waits().filter((w) => w.kind === 'timer' && w.dueAt);
    if (timers.length === 0) return false;
    const due = Math.min(...timers.map((w) => Date.parse(w.dueAt as string)));
    this.now = Math.max(this.now, due);
    for (const timer of timers.filter((w) => Date.parse(w.dueAt as string) <= due)) {
      if (this.state?.waits[timer.id]) this.apply({ type: 'timerFired', timerId: timer.id });
    }
    return true;
  }

  tokens(): TokenView {
    return tokensFromHistory(this.history, this.state);
  }
}

/** Where tokens stand and what was taken, from history events (and the live state when there is one). */
export function tokensFromHistory(history: readonly Pick<HistoryEvent, 'elementId' | 'event'>[], state?: InstanceState): TokenView {
  const taken = new Set<string>();
  const done = new Set<string>();
  const open = new Map<string, number>();
  for (const h of history) {
    if (h.event === 'taken') taken.add(h.elementId);
    else if (h.event === 'started') open.set(h.elementId, (open.get(h.elementId) ?? 0) + 1);
    else {
      done.add(h.elementId);
      open.set(h.elementId, Math.max(0, (open.get(h.elementId) ?? 0) - 1));
    }
  }
  let active = [...open].filter(([, n]) => n > 0).map(([id]) => id);
  if (state) {
    const live = new Set<string>();
    for (const ei of Object.values(state.elements)) if (ei.id !== '0') live.add(ei.el);
    for (const key of Object.keys(state.joins)) live.add(key.slice(key.indexOf('/') + 1));
    live.delete(state.processId);
    active = [...live];
  }
  return { active, taken: [...taken], done: [...done] };
}

export function describeEngineError(e: unknown): string {
  if (e instanceof EngineError) return `${e.code}: ${e.message}`;
  return (e as Error).message;
}
