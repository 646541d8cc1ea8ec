// Events between ITSM modules, through the outbox. A module never calls another: it writes an
// event in its own transaction (`entries`, one outbox row per subscriber, so each subscriber is
// retried on its own), and each subscriber's handler runs once the transaction committed, in the
// transaction that marks its row done. A delayed event (`availableAt`) is how a module schedules
// its own later work (a reminder, an escalation) without polling.
//
// An inline subscriber (`onInline`) runs inside the emitter's transaction, before `emit` returns:
// for what must commit with the change itself (the SLA clocks a new ticket shows at once). Its
// failure fails the emitter's transaction; a delayed event does not run inline subscribers.
import type { Work } from '../db/transactions.ts';
import type { OutboxEntry, OutboxPayloads } from './messages.ts';

export type ModuleEventHandler = (work: Work, tenantId: string, data: Record<string, unknown>) => Promise<void>;

export class ModuleEvents {
  private readonly subscribers = new Map<string, Map<string, ModuleEventHandler>>();
  private readonly inline = new Map<string, Map<string, ModuleEventHandler>>();

  /** `subscriber` names the handler in the outbox rows: keep it stable across releases. */
  on(name: string, subscriber: string, handler: ModuleEventHandler): void {
    let byName = this.subscribers.get(name);
    if (!byName) {
      byName = new Map();
      this.subscribers.set(name, byName);
    }
    if (byName.has(subscriber)) throw new Error(`"${subscriber}" already handles event "${name}"`);
    byName.set(subscriber, handler);
  }

  /** `handler` runs in the emitter's transaction, each time the event is emitted without a delay. */
  onInline(name: string, subscriber: string, handler: ModuleEventHandler): void {
    let byName = this.inline.get(name);
    if (!byName) {
      byName = new Map();
      this.inline.set(name, byName);
    }
    if (byName.has(subscriber)) throw new Error(`"${subscriber}" already handles event "${name}" inline`);
    byName.set(subscriber, handler);
  }

  /** The outbox rows of one event: one per subscriber (none if nobody listens). */
  entries(tenantId: string, name: string, data: Record<string, unknown>, availableAt?: number): OutboxEntry<'module.event'>[] {
    return [...(this.subscribers.get(name)?.keys() ?? [])].map((subscriber) => ({
      tenantId,
      kind: 'module.event',
      payload: { subscriber, name, data },
      ...(availableAt !== undefined ? { availableAt } : {}),
    }));
  }

  /** Writes an event in the caller's transaction. */
  async emit(work: Work, name: string, data: Record<string, unknown>, availableAt?: number): Promise<void> {
    await work.enqueue(this.entries(work.tenantId as string, name, data, availableAt));
    if (availableAt !== undefined) return;
    for (const handler of this.inline.get(name)?.values() ?? []) await handler(work, work.tenantId as string, data);
  }

  /** Runs one row's handler; a handler since removed has nothing left to do. */
  async handle(work: Work, tenantId: string, payload: OutboxPayloads['module.event']): Promise<void> {
    await this.subscribers.get(payload.name)?.get(payload.subscriber)?.(work, tenantId, payload.data);
  }
}
