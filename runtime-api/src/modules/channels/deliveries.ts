// Deliveries: each `notification.send` (from the notifications module) goes out through its
// channel, after the sender's transaction committed, and never holds up nor fails the ticket.
//
// The receiver is called outside any transaction: the attempt is claimed (`sending`) in the
// event's transaction, the send runs once that committed, and its outcome is recorded in a
// transaction of its own. A slow or hanging receiver holds no database connection (on embedded
// PGlite, the only one) and no lock. A watchdog event, due after the longest a send may take,
// records an attempt whose outcome never came (the process died during the send) as failed, and
// the delivery goes on with its next attempt.
//
// One row per delivery, keyed by its deliveryKey, updated by each attempt. A failed attempt is
// tried again after a backoff (1 min, 5, 15, 60, 240) as a delayed module event of this module's
// own (`channels.retry`, due on the server's clock: crash-safe, no polling), up to 6 attempts; an
// address the egress guard refuses is `blocked` and not tried again. The outbox delivers at least
// once: an attempt whose number the row already holds is not made again.
//
// Every attempt on a ticket is told as `notification.attempted { number, at, channel, status,
// attempt, error? }`, which the tickets module writes to the ticket's timeline.
import { randomUUID } from 'node:crypto';
import type { Delivery, DeliveryQuery } from '@serviceloom/contracts';
import type { Principal } from '../../platform/auth/tokens.ts';
import type { Transactions, Work } from '../../platform/db/transactions.ts';
import type { ModuleEvents } from '../../platform/outbox/module-events.ts';
import { attemptSend, type Outcome } from './attempt.ts';
import { egressPolicyOf } from './egress.ts';
import type { Notification } from './message.ts';
import { type ChannelRow, type DeliveryRow, deliveryOf, openChannel, openSecrets } from './rows.ts';

export const MAX_ATTEMPTS = 6;
/** The wait after attempt n fails (index n - 1). */
export const BACKOFF_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000, 240 * 60_000];

/** How long after its claim an attempt without an outcome counts as interrupted (senders time out well before). */
export const WATCHDOG_MS = 5 * 60_000;

export const SEND_EVENT = 'notification.send';
export const RETRY_EVENT = 'channels.retry';
export const ATTEMPTED_EVENT = 'notification.attempted';

export class DeliveryService {
  constructor(
    private readonly transactions: Transactions,
    private readonly moduleEvents: ModuleEvents,
    private readonly dataKey: Buffer,
  ) {}

  listen(): void {
    const handler = (work: Work, _tenantId: string, data: Record<string, unknown>) => this.deliver(work, data as unknown as Notification);
    this.moduleEvents.on(SEND_EVENT, 'channels.deliver', handler);
    this.moduleEvents.on(RETRY_EVENT, 'channels.retry', handler);
  }

  async list(p: Principal, query: DeliveryQuery): Promise<Delivery[]> {
    return this.transactions.withTenant(p.tenantId, async (work) => {
      const q = work.tx('itsm_deliveries').where({ tenant_id: p.tenantId });
      if (query.status) q.andWhere('status', query.status);
      if (query.ticket) q.andWhere('ticket', query.ticket);
      if (query.channel) q.andWhere('channel', query.channel);
      const rows = (await q
        .orderBy([
          { column: 'updated_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(query.limit ?? 100)) as DeliveryRow[];
      return rows.map(deliveryOf);
    });
  }

  /**
   * One attempt of one delivery: claimed in the transaction that marks its outbox row done, sent
   * once that committed. A watchdog event for the attempt finds it still `sending` only if its
   * outcome never came.
   */
  async deliver(work: Work, n: Notification & { watchdog?: boolean }): Promise<void> {
    const tenantId = work.tenantId as string;
    const attempt = n.attempt ?? 1;
    const existing = (await work.tx('itsm_deliveries').where({ tenant_id: tenantId, delivery_key: n.deliveryKey }).forUpdate().first()) as
      | DeliveryRow
      | undefined;
    if (n.watchdog) {
      if (existing?.attempt === attempt && existing.status === 'sending')
        await this.record(work, n, attempt, existing, {
          status: 'failed',
          error: 'the attempt was interrupted before its receiver answered',
        });
      return;
    }
    if (existing && existing.attempt >= attempt) return;

    const row = (await work.tx('itsm_channels').where({ tenant_id: tenantId, id: n.channel }).first()) as ChannelRow | undefined;
    if (!row) {
      await this.record(work, n, attempt, existing, { status: 'failed', error: `channel "${n.channel}" does not exist`, permanent: true });
      return;
    }
    const claim = {
      channel: n.channel,
      ticket: n.ticket,
      event: n.event,
      status: 'sending',
      attempt,
      error: null,
      next_attempt_at: null,
      updated_at: work.at,
    };
    const id = existing?.id ?? randomUUID();
    if (existing) await work.tx('itsm_deliveries').where({ tenant_id: tenantId, id }).update(claim);
    else await work.tx('itsm_deliveries').insert({ tenant_id: tenantId, id, delivery_key: n.deliveryKey, created_at: work.at, ...claim });
    await this.moduleEvents.emit(
      work,
      RETRY_EVENT,
      { ...n, attempt, watchdog: true } as unknown as Record<string, unknown>,
      work.now + WATCHDOG_MS,
    );

    const context = {
      channel: openChannel(row, openSecrets(this.dataKey, row)),
      notification: n,
      policy: await egressPolicyOf(work),
      now: work.now,
    };
    work.afterCommit(async () => {
      const outcome = await attemptSend(context);
      await this.transactions.withTenant(tenantId, async (w) => {
        const current = (await w.tx('itsm_deliveries').where({ tenant_id: tenantId, id }).forUpdate().first()) as DeliveryRow | undefined;
        // The watchdog came first (a send slower than it allows): its verdict stands.
        if (current?.attempt !== attempt || current.status !== 'sending') return;
        await this.record(w, n, attempt, current, outcome);
      });
    });
  }

  /** Records an attempt's outcome: the row, the next attempt after its backoff, the ticket's timeline. */
  private async record(work: Work, n: Notification, attempt: number, existing: DeliveryRow | undefined, outcome: Outcome): Promise<void> {
    const tenantId = work.tenantId as string;
    const retry = outcome.status === 'failed' && !outcome.permanent && attempt < MAX_ATTEMPTS;
    const nextAt = retry ? work.now + (BACKOFF_MS[attempt - 1] ?? (BACKOFF_MS.at(-1) as number)) : null;
    const values = {
      channel: n.channel,
      ticket: n.ticket,
      event: n.event,
      status: retry ? 'retrying' : outcome.status,
      attempt,
      error: outcome.error ?? null,
      next_attempt_at: nextAt === null ? null : new Date(nextAt).toISOString(),
      updated_at: work.at,
    };
    if (existing) await work.tx('itsm_deliveries').where({ tenant_id: tenantId, id: existing.id }).update(values);
    else
      await work
        .tx('itsm_deliveries')
        .insert({ tenant_id: tenantId, id: randomUUID(), delivery_key: n.deliveryKey, created_at: work.at, ...values });

    if (retry && nextAt !== null) {
      const { watchdog: _, ...next } = n as Notification & { watchdog?: boolean };
      await this.moduleEvents.emit(
        work,
        RETRY_EVENT,
        { ...next, attempt: attempt + 1, delivered: outcome.delivered ?? [] } as unknown as Record<string, unknown>,
        nextAt,
      );
    }
    if (n.ticket) {
      await this.moduleEvents.emit(work, ATTEMPTED_EVENT, {
        number: n.ticket,
        at: work.at,
        channel: n.channel,
        status: outcome.status,
        attempt,
        ...(outcome.error ? { error: outcome.error } : {}),
      });
    }
  }
}
