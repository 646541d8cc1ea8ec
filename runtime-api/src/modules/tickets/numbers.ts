// Ticket numbers: per tenant and type, counting up from 1, never reused. The counter row is
// locked by the create that draws from it (INSERT ... ON CONFLICT DO UPDATE), so concurrent
// creates queue on it and get consecutive numbers; a create that rolls back takes its number back
// with it. Imports raise the counter to their highest number, so later tickets continue above.
import type { TicketType } from '@serviceloom/contracts';
import type { Queryable } from '../../platform/db/connect.ts';
import { formatNumber } from './rows.ts';

export async function nextNumber(q: Queryable, tenantId: string, type: TicketType): Promise<string> {
  const result = (await q.raw(
    `INSERT INTO ticket_counters (tenant_id, type, last) VALUES (?, ?, 1)
     ON CONFLICT (tenant_id, type) DO UPDATE SET last = ticket_counters.last + 1
     RETURNING last`,
    [tenantId, type],
  )) as { rows: Array<{ last: string | number }> };
  return formatNumber(type, Number(result.rows[0]?.last));
}

/** Makes later numbers of the type continue above `n`. */
export async function raiseCounter(q: Queryable, tenantId: string, type: TicketType, n: number): Promise<void> {
  await q.raw(
    `INSERT INTO ticket_counters (tenant_id, type, last) VALUES (?, ?, ?)
     ON CONFLICT (tenant_id, type) DO UPDATE SET last = greatest(ticket_counters.last, excluded.last)`,
    [tenantId, type, n],
  );
}
