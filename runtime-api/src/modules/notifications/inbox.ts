// In-app notifications: each person's list, read marks, and delivery. A delivery writes the rows
// and, in the same transaction, `notification.created` for the live stream, which therefore
// only ever shows a notification that committed.
import type { Notification, NotificationList, NotificationQuery } from '@serviceloom/contracts';
import type { Principal } from '../../platform/auth/tokens.ts';
import type { Transactions, Work } from '../../platform/db/transactions.ts';
import { notFound } from '../../platform/errors.ts';
import type { ModuleEvents } from '../../platform/outbox/module-events.ts';
import type { Person } from './facts.ts';
import { type NotificationRow, notificationOf } from './rows.ts';
import type { Messages } from './templates.ts';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;
export const CREATED = 'notification.created';

export class Inbox {
  constructor(
    private readonly transactions: Transactions,
    private readonly moduleEvents: ModuleEvents,
  ) {}

  async list(p: Principal, query: NotificationQuery): Promise<NotificationList> {
    const limit = Math.min(query.limit ? Number(query.limit) : DEFAULT_LIMIT, MAX_LIMIT);
    return this.transactions.read(p.tenantId, async (tx) => {
      const q = tx('notifications')
        .where({ tenant_id: p.tenantId, user_id: p.userId })
        .orderBy([
          { column: 'created_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(limit);
      if (query.unread === 'true') q.andWhere('read', false);
      if (query.unread === 'false') q.andWhere('read', true);
      const rows = (await q) as NotificationRow[];
      const count = await tx('notifications').where({ tenant_id: p.tenantId, user_id: p.userId, read: false }).count({ n: '*' }).first();
      return { items: rows.map(notificationOf), unread: Number(count?.n ?? 0) };
    });
  }

  /** Marks one of the caller's own notifications read (anyone else's id is 404). */
  async read(p: Principal, id: string): Promise<Notification> {
    return this.transactions.withTenant(p.tenantId, async (work) => {
      const [row] = (await work
        .tx('notifications')
        .where({ tenant_id: p.tenantId, user_id: p.userId, id })
        .update({ read: true })
        .returning('*')) as NotificationRow[];
      if (!row) throw notFound('notification', id);
      return notificationOf(row);
    });
  }

  async readAll(p: Principal): Promise<{ read: number }> {
    return this.transactions.withTenant(p.tenantId, async (work) => {
      const marked = await work
        .tx('notifications')
        .where({ tenant_id: p.tenantId, user_id: p.userId, read: false })
        .update({ read: true })
        .returning('id');
      return { read: (marked as unknown[]).length };
    });
  }

  /** One notification per person, in their language. */
  async deliver(work: Work, people: Person[], event: string, ticket: string | null, messages: Messages): Promise<void> {
    const tenantId = work.tenantId as string;
    for (const person of people) {
      const m = messages[person.locale];
      const row: NotificationRow = {
        tenant_id: tenantId,
        id: crypto.randomUUID(),
        user_id: person.userId,
        event,
        ticket,
        title: m.subject,
        body: m.body,
        read: false,
        created_at: work.at,
      };
      await work.tx('notifications').insert(row);
      await this.moduleEvents.emit(work, CREATED, { userId: person.userId, notification: notificationOf(row) });
    }
  }
}
