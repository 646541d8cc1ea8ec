// Dispatches outbox rows: each in a transaction that locks the row (FOR UPDATE SKIP LOCKED, so
// several processes can share the table), runs its follow-up and marks it dispatched. A row whose
// follow-up fails for an unexpected reason is retried later with backoff. A row of a tenant that
// spent its budget (budget.ts) is postponed instead: available_at moves later, nothing is lost.
import { EngineError } from '@serviceloom/engine';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.ts';
import type { Queryable } from '../db/connect.ts';
import type { OutboxRow } from '../db/rows.ts';
import type { Transactions, Work } from '../db/transactions.ts';
import { type Budget, TenantBudget } from './budget.ts';

export type ProcessOutcome = 'done' | 'skipped' | 'failed' | 'deferred';

/**
 * The budget holds back what processes do by themselves. Not `job` (external workers poll for
 * jobs) nor `module.event`: an ITSM module's event follows a person's request, which the API's own
 * start budget and rate limits already bound, and postponing it would only make a ticket's
 * timeline, approvals and live views lag behind it.
 */
const budgeted = (kind: string) => kind !== 'job' && kind !== 'module.event';

/** What a postponed row's last_error says, so that an operator looking at the outbox sees why. */
const deferredNote = (perMinute: number) => `deferred: the tenant's budget of ${perMinute} follow-ups a minute is spent`;

const MAX_BACKOFF_MS = 3_600_000;

/** What dispatching a row does (process/follow-ups.ts), given to the processor by the app's wiring. */
export interface FollowUpHandler {
  handle(work: Work, row: OutboxRow): Promise<void>;
  /** Whether a failure means the world moved on (the instance ended, the wait closed): nothing left to do. */
  isSettled(e: unknown): boolean;
}

export class OutboxProcessor {
  constructor(
    private readonly db: Queryable,
    private readonly transactions: Transactions,
    private readonly followUps: FollowUpHandler,
    private readonly clock: Clock,
    private readonly log: FastifyBaseLogger,
    readonly budget: Budget = new TenantBudget(0),
  ) {}

  /** Ids of undispatched rows due by now, in due order. */
  async due(limit: number): Promise<number[]> {
    return (await this.dueRows(limit)).map((r) => r.id);
  }

  private async dueRows(limit: number): Promise<Array<{ id: number; tenantId: string; kind: string }>> {
    const rows: Array<{ id: number; tenant_id: string; kind: string }> = await this.scheduling()
      .select('id', 'tenant_id', 'kind')
      .whereNull('dispatched_at')
      .andWhere('available_at', '<=', new Date(this.clock.now()).toISOString())
      .orderBy('available_at')
      .orderBy('id')
      .limit(limit);
    return rows.map((r) => ({ id: Number(r.id), tenantId: r.tenant_id, kind: r.kind }));
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
        if (budgeted(row.kind) && !(await this.budget.take(row.tenant_id))) {
          await this.defer(work, row.tenant_id, [id]);
          return 'deferred';
        }
        let note: string | null = null;
        try {
          await this.followUps.handle(work, row);
        } catch (e) {
          // The instance ended or the wait closed meanwhile: nothing left to do. An engine refusal
          // (a runaway loop, a bad command) is as final: no retry would change it.
          if (!this.followUps.isSettled(e) && !(e instanceof EngineError)) throw e;
          note = (e as Error).message;
          if (this.followUps.isSettled(e))
            this.log.debug({ outboxId: id, kind: row.kind, reason: note }, 'outbox follow-up had nothing to do');
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

  /**
   * Moves rows of a tenant over its budget later, each to a random moment of the spread, so that
   * they come back a few at a time, not all at once. Runs in the tenant's transaction.
   */
  private async defer(work: Work, tenantId: string, ids: number[]): Promise<void> {
    const { waitMs, spreadMs, firstInWindow } = this.budget.postpone(tenantId, ids.length);
    const from = new Date(this.clock.now() + waitMs).toISOString();
    await work
      .tx('outbox')
      .whereIn('id', ids)
      .whereNull('dispatched_at')
      .update({
        available_at: work.tx.raw("?::timestamptz + floor(random() * ?) * interval '1 millisecond'", [from, spreadMs]),
        last_error: deferredNote(this.budget.perMinute),
      });
    // Once a minute per tenant: the process owner's hint in the log (GET /api/v1/tenant/usage has the numbers).
    if (firstInWindow) {
      this.log.warn(
        { tenantId, perMinute: this.budget.perMinute, rows: ids.length },
        "a tenant's processes started or stepped more often than its budget allows: their follow-ups are postponed",
      );
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

  /**
   * Dispatches due rows until none is left, `limit` rows ran, or `stopping()` says so. Rows of a
   * tenant over its budget are postponed together, in one statement. Between rows it lets the
   * event loop run (HTTP requests, other timers): an in-process database answers without ever
   * yielding to it otherwise, and a long drain would starve the server.
   */
  async drain(limit = 100_000, stopping: () => boolean = () => false): Promise<number> {
    let done = 0;
    while (done < limit && !stopping()) {
      const rows = await this.dueRows(100);
      if (rows.length === 0) return done;
      let progressed = false;
      const over = new Map<string, number[]>();
      for (const row of rows) {
        if (stopping()) return done;
        if (budgeted(row.kind) && (await this.budget.exhausted(row.tenantId))) {
          over.set(row.tenantId, [...(over.get(row.tenantId) ?? []), row.id]);
          continue;
        }
        await yieldToEventLoop();
        const outcome = await this.process(row.id);
        if (outcome === 'done') done++;
        if (outcome === 'done' || outcome === 'deferred') progressed = true;
      }
      for (const [tenantId, ids] of over) {
        await this.transactions.withTenant(tenantId, (work) => this.defer(work, tenantId, ids));
        progressed = true;
      }
      if (!progressed) return done;
    }
    return done;
  }
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
