// Dispatches outbox rows: each in a transaction that locks the row (FOR UPDATE SKIP LOCKED, so
// several processes can share the table), runs its follow-up and marks it dispatched. A row whose
// follow-up fails for an unexpected reason is retried later with backoff.
import { EngineError } from '@serviceloom/engine';
import type { FastifyBaseLogger } from 'fastify';
import type { Queryable } from '../db/connect.ts';
import type { OutboxRow } from '../db/rows.ts';
import type { Transactions } from '../db/transactions.ts';
import type { Clock } from '../services/clock.ts';
import { isSettled } from '../services/events.ts';
import type { FollowUps } from './follow-ups.ts';

export type ProcessOutcome = 'done' | 'skipped' | 'failed';

const MAX_BACKOFF_MS = 3_600_000;

export class OutboxProcessor {
  constructor(
    private readonly db: Queryable,
    private readonly transactions: Transactions,
    private readonly followUps: FollowUps,
    private readonly clock: Clock,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Ids of undispatched rows due by now, in due order. */
  async due(limit: number): Promise<number[]> {
    const rows: Array<{ id: number }> = await this.scheduling()
      .select('id')
      .whereNull('dispatched_at')
      .andWhere('available_at', '<=', new Date(this.clock.now()).toISOString())
      .orderBy('available_at')
      .orderBy('id')
      .limit(limit);
    return rows.map((r) => Number(r.id));
  }

  /**
   * Undispatched rows after `afterId` (by id), due or not, optionally only those due by `dueBy`
   * (epoch ms): what a queue-based dispatcher enqueues when it starts and sweeps for later.
   */
  async pending(afterId: number, limit: number, dueBy?: number): Promise<Array<{ id: number; kind: string; availableAt: number }>> {
    const query = this.scheduling().select('id', 'kind', 'available_at').whereNull('dispatched_at').andWhere('id', '>', afterId);
    if (dueBy !== undefined) query.andWhere('available_at', '<=', new Date(dueBy).toISOString());
    const rows: Array<{ id: number; kind: string; available_at: Date | string }> = await query.orderBy('id').limit(limit);
    return rows.map((r) => ({ id: Number(r.id), kind: r.kind, availableAt: new Date(r.available_at).getTime() }));
  }

  /** Whether a row is still waiting to be dispatched. */
  async isPending(id: number): Promise<boolean> {
    return (await this.scheduling().where({ id }).whereNull('dispatched_at').first('id')) !== undefined;
  }

  /**
   * The outbox's scheduling columns (id, tenant_id, kind, available_at, dispatched_at, attempts)
   * across tenants: the `outbox_queue` view, the one cross-tenant read of the outbox (RLS).
   */
  private scheduling() {
    return this.db('outbox_queue');
  }

  /** Dispatches one row if it is still pending and nobody else holds it. */
  async process(id: number): Promise<ProcessOutcome> {
    try {
      // In the row's tenant: its follow-up sees that tenant's rows and no other.
      return await this.transactions.forOutboxRow(id, async (work) => {
        const row: OutboxRow | undefined = await work
          .tx('outbox')
          .where({ id })
          .whereNull('dispatched_at')
          .forUpdate()
          .skipLocked()
          .first();
        if (!row) return 'skipped';
        let note: string | null = null;
        try {
          await this.followUps.handle(work, row);
        } catch (e) {
          // The instance ended or the wait closed meanwhile: nothing left to do. An engine refusal
          // (a runaway loop, a bad command) is as final: no retry would change it.
          if (!isSettled(e) && !(e instanceof EngineError)) throw e;
          note = (e as Error).message;
          if (isSettled(e)) this.log.debug({ outboxId: id, kind: row.kind, reason: note }, 'outbox follow-up had nothing to do');
          else this.log.warn({ outboxId: id, kind: row.kind, reason: note }, 'the engine refused an outbox follow-up');
        }
        await work
          .tx('outbox')
          .where({ id })
          .update({ dispatched_at: work.at, attempts: row.attempts + 1, last_error: note });
        return 'done';
      });
    } catch (e) {
      await this.postpone(id, e as Error);
      return 'failed';
    }
  }

  private async postpone(id: number, error: Error): Promise<void> {
    try {
      await this.transactions.forOutboxRow(id, async (work) => {
        const row: OutboxRow | undefined = await work.tx('outbox').where({ id }).first();
        const attempts = (row?.attempts ?? 0) + 1;
        const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(attempts, 22));
        this.log.error({ err: error, outboxId: id, kind: row?.kind, attempts }, 'outbox follow-up failed; will retry');
        await work
          .tx('outbox')
          .where({ id })
          .whereNull('dispatched_at')
          .update({
            attempts,
            last_error: String(error.message).slice(0, 2000),
            available_at: new Date(this.clock.now() + delay).toISOString(),
          });
      });
    } catch (e) {
      this.log.error({ err: e, outboxId: id }, 'could not record an outbox failure');
    }
  }

  /** Dispatches due rows until none is left, `limit` rows ran, or `stopping()` says so. */
  async drain(limit = 100_000, stopping: () => boolean = () => false): Promise<number> {
    let done = 0;
    while (done < limit && !stopping()) {
      const ids = await this.due(100);
      if (ids.length === 0) return done;
      let progressed = false;
      for (const id of ids) {
        if (stopping()) return done;
        if ((await this.process(id)) === 'done') {
          done++;
          progressed = true;
        }
      }
      if (!progressed) return done;
    }
    return done;
  }
}
