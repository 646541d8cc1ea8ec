// Events between ITSM modules, through the outbox. A module never calls another: it writes an
// event in its own transaction, and each subscriber's handler runs once that transaction
// committed, in the transaction that marks the event's outbox row done. A delayed event
// (`availableAt`) is how a module schedules its own later work (a reminder, an escalation)
// without polling.
//
// One outbox row per event, whatever the number of subscribers (a row per subscriber cost a
// transaction per subscriber for every ticket change). The first time, the subscribers run
// together; if one fails, the row is rolled back and retried like any outbox row, and from then on
// each subscriber runs in a savepoint of its own: one that fails again is rolled back alone and
// retried later with backoff in a row of its own, while the others' work commits once.
//
// Live listeners (`onCommitted`) are not durable: they hear an event in this process right after
// its transaction committed, for what only matters while someone watches (a live view).
//
// An inline subscriber (`onInline`) runs inside the emitter's transaction, before `emit` returns:
// for what must commit with the change itself (the SLA clocks a new ticket shows at once). Its
// failure fails the emitter's transaction; a delayed event does not run inline subscribers.
import type { Work } from '../db/transactions.ts';
import type { OutboxEntry, OutboxPayloads } from './messages.ts';

export type ModuleEventHandler = (work: Work, tenantId: string, data: Record<string, unknown>) => Promise<void>;
export type LiveListener = (tenantId: string, data: Record<string, unknown>) => void | Promise<void>;

const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 3_600_000;

export class ModuleEvents {
  private readonly subscribers = new Map<string, Map<string, ModuleEventHandler>>();
  private readonly live = new Map<string, LiveListener[]>();

  private readonly inline = new Map<string, Map<string, ModuleEventHandler>>();

  constructor(private readonly log: { error(obj: object, msg: string): void } = console) {}

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

  /** Hears an event in this process once its transaction committed; never retried, never replayed. */
  onCommitted(name: string, listener: LiveListener): void {
    this.live.set(name, [...(this.live.get(name) ?? []), listener]);
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

  /** The outbox row of one event, for every subscriber (none if nobody subscribes). */
  entries(tenantId: string, name: string, data: Record<string, unknown>, availableAt?: number): OutboxEntry<'module.event'>[] {
    const subscribers = [...(this.subscribers.get(name)?.keys() ?? [])];
    if (subscribers.length === 0) return [];
    return [
      {
        tenantId,
        kind: 'module.event',
        payload: { subscribers, name, data },
        ...(availableAt !== undefined ? { availableAt } : {}),
      },
    ];
  }

  /** Writes an event in the caller's transaction (and tells the live listeners once it committed). */
  async emit(work: Work, name: string, data: Record<string, unknown>, availableAt?: number): Promise<void> {
    await work.enqueue(this.pending(work, name, data, availableAt));
    if (availableAt !== undefined) return;
    for (const handler of this.inline.get(name)?.values() ?? []) await handler(work, work.tenantId as string, data);
  }

  /**
   * The outbox rows of an event for the caller to write with its own statements (a step's
   * observer does), the live listeners told once the transaction committed.
   */
  pending(work: Work, name: string, data: Record<string, unknown>, availableAt?: number): OutboxEntry<'module.event'>[] {
    const tenantId = work.tenantId as string;
    const listeners = availableAt === undefined ? this.live.get(name) : undefined;
    for (const listener of listeners ?? []) {
      work.afterCommit(async () => {
        try {
          await listener(tenantId, data);
        } catch (e) {
          this.log.error({ err: e, event: name }, 'a live listener of a module event failed');
        }
      });
    }
    return this.entries(tenantId, name, data, availableAt);
  }

  /**
   * Runs one row's subscribers: together at first (`attempts` 0), each in a savepoint once the row
   * failed before. Those that fail then are rolled back and written into a new row, due after a
   * backoff; a handler since removed has nothing left to do.
   */
  async handle(work: Work, tenantId: string, payload: OutboxPayloads['module.event'], attempts = 0): Promise<void> {
    // Rows written before one row served every subscriber name a single one.
    const names = payload.subscribers ?? (payload.subscriber ? [payload.subscriber] : []);
    const handlers = this.subscribers.get(payload.name);
    const failed: string[] = [];
    for (const subscriber of names) {
      const handler = handlers?.get(subscriber);
      if (!handler) continue;
      if (names.length === 1 || attempts === 0) {
        await handler(work, tenantId, payload.data);
        continue;
      }
      const mark = work.written.length;
      await work.tx.raw('SAVEPOINT module_event');
      try {
        await handler(work, tenantId, payload.data);
        await work.tx.raw('RELEASE SAVEPOINT module_event');
      } catch (e) {
        await work.tx.raw('ROLLBACK TO SAVEPOINT module_event');
        work.written.splice(mark);
        failed.push(subscriber);
        this.log.error({ err: e, event: payload.name, subscriber }, 'a module event subscriber failed; it will be retried alone');
      }
    }
    if (failed.length) {
      const attempt = (payload.attempt ?? 0) + 1;
      const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(attempt, 22));
      await work.enqueue([
        {
          tenantId,
          kind: 'module.event',
          payload: { subscribers: failed, name: payload.name, data: payload.data, attempt },
          availableAt: work.now + delay,
        },
      ]);
    }
  }
}
