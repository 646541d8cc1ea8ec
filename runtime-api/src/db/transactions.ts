// A unit of work: one database transaction, the time it runs at, and the outbox rows it wrote.
// Rows reach the dispatcher only after commit, so nothing is dispatched for a rolled-back step.

import type { OutboxEntry, OutboxMessage } from '../outbox/messages.ts';
import type { Clock } from '../services/clock.ts';
import type { Db, Tx } from './connect.ts';

export class Work {
  readonly written: OutboxMessage[] = [];

  constructor(
    readonly tx: Tx,
    /** The step's `now`: one time for everything the transaction does. */
    readonly now: number,
  ) {}

  get at(): string {
    return new Date(this.now).toISOString();
  }

  async enqueue(entries: OutboxEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const rows = entries.map((e) => ({
      tenant_id: e.tenantId,
      instance_id: e.instanceId ?? null,
      kind: e.kind,
      payload: JSON.stringify(e.payload),
      created_at: this.at,
      available_at: new Date(e.availableAt ?? this.now).toISOString(),
    }));
    const ids: Array<{ id: number }> = await this.tx('outbox').insert(rows).returning('id');
    entries.forEach((e, i) => {
      this.written.push({
        id: Number(ids[i]?.id),
        tenantId: e.tenantId,
        instanceId: e.instanceId ?? null,
        kind: e.kind,
        payload: e.payload,
        availableAt: e.availableAt ?? this.now,
      });
    });
  }
}

// PostgreSQL aborts one side of a deadlock or serialization conflict; running it again is safe.
const RETRYABLE = new Set(['40001', '40P01']);

export class Transactions {
  /** Told about outbox rows once their transaction committed (the dispatcher listens here). */
  onCommit: (rows: OutboxMessage[]) => void = () => {};

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async run<T>(fn: (work: Work) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let work: Work | undefined;
      try {
        const result = await this.db.transaction(async (tx) => {
          work = new Work(tx, this.clock.now());
          return fn(work);
        });
        if (work?.written.length) this.onCommit(work.written);
        return result;
      } catch (e) {
        if (attempt < 4 && RETRYABLE.has((e as { code?: string }).code ?? '')) continue;
        throw e;
      }
    }
  }
}
