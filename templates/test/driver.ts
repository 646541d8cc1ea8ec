// Drives one instance of a template through execute(), as the tickets module would: actions are
// delivered to the open subscription named `ticket.<action>`, and the record's states are read
// from the `sl:state` of each element a token enters.
import {
  compile,
  type Definition,
  execute,
  findMessageSubscription,
  type HistoryEvent,
  type InstanceState,
  openWaits,
  type Variables,
} from '@serviceloom/engine';
import { processTemplate } from '../src/index.ts';

export const T0 = Date.parse('2026-03-02T09:00:00Z');
export const MINUTE = 60_000;
export const DAY = 86_400_000;

const compiled = new Map<string, Promise<Definition>>();
export function definitionOf(key: string): Promise<Definition> {
  const template = processTemplate(key);
  if (!template) throw new Error(`no template ${key}`);
  if (!compiled.has(key)) compiled.set(key, compile(template.bpmn));
  return compiled.get(key) as Promise<Definition>;
}

export class Ticket {
  state!: InstanceState;
  readonly history: HistoryEvent[] = [];
  now = T0;

  private constructor(readonly def: Definition) {}

  static async start(key: string, variables: Variables = {}, startEventId?: string): Promise<Ticket> {
    const run = new Ticket(await definitionOf(key));
    run.apply(execute(run.def, undefined, { type: 'start', instanceId: 'pi', businessKey: 'T0000001', variables, startEventId }, run.now));
    return run;
  }

  private apply(result: ReturnType<typeof execute>): this {
    this.state = result.state;
    this.history.push(...result.history);
    return this;
  }

  /** The record's states in the order they were entered (repeats of the same state collapsed). */
  states(): string[] {
    const out: string[] = [];
    for (const h of this.history) {
      if (h.event !== 'started') continue;
      const s = this.def.nodes[h.elementId]?.recordState;
      if (s !== undefined && out[out.length - 1] !== s) out.push(s);
    }
    return out;
  }

  get current(): string | undefined {
    return this.states().at(-1);
  }

  get status() {
    return this.state.status;
  }

  /** Actions offered now: the open `ticket.*` subscriptions, without the module's own messages. */
  actions(moduleOnly: readonly string[] = []): string[] {
    const names = openWaits(this.state, 'message')
      .map((w) => w.name ?? '')
      .filter((n) => n.startsWith('ticket.'))
      .map((n) => n.slice('ticket.'.length))
      .filter((n) => !moduleOnly.includes(n));
    return [...new Set(names)].sort();
  }

  act(action: string, variables?: Variables): this {
    const sub = findMessageSubscription(this.state, `ticket.${action}`);
    if (!sub) throw new Error(`"${action}" is not available in ${this.current}; open: ${this.actions().join(', ')}`);
    return this.apply(execute(this.def, this.state, { type: 'deliverMessage', subscriptionId: sub.id, variables }, this.now));
  }

  tasks(elementId?: string) {
    return openWaits(this.state, 'task').filter((w) => elementId === undefined || w.trigger === elementId);
  }

  completeTask(elementId: string, variables?: Variables): this {
    const task = this.tasks(elementId)[0];
    if (!task) throw new Error(`no open task ${elementId}`);
    return this.apply(execute(this.def, this.state, { type: 'completeTask', taskId: task.id, variables }, this.now));
  }

  jobs(elementId?: string) {
    return openWaits(this.state, 'job').filter((w) => elementId === undefined || w.trigger === elementId);
  }

  completeJob(elementId: string, variables?: Variables): this {
    const job = this.jobs(elementId)[0];
    if (!job) throw new Error(`no open job ${elementId}`);
    return this.apply(execute(this.def, this.state, { type: 'completeJob', jobId: job.id, variables }, this.now));
  }

  throwError(elementId: string, errorCode: string): this {
    const job = this.jobs(elementId)[0];
    if (!job) throw new Error(`no open job ${elementId}`);
    return this.apply(execute(this.def, this.state, { type: 'throwError', jobId: job.id, errorCode }, this.now));
  }

  /** Moves the clock and fires, in due order, every timer due by then. */
  advance(ms: number): this {
    this.now += ms;
    for (;;) {
      if (this.state.status !== 'active') return this;
      const due = openWaits(this.state, 'timer')
        .filter((w) => Date.parse(w.dueAt as string) <= this.now)
        .sort((a, b) => Date.parse(a.dueAt as string) - Date.parse(b.dueAt as string));
      const first = due[0];
      if (!first) return this;
      this.apply(execute(this.def, this.state, { type: 'timerFired', timerId: first.id }, Date.parse(first.dueAt as string)));
    }
  }
}

/** What the module sends with `ticket.resolve`: the fields and when the ticket closes by itself. */
export function resolution(now: number, closeCode = 'solved') {
  return { closeCode, resolutionNotes: 'done', autoCloseAt: new Date(now + 3 * DAY).toISOString() };
}
