// The audit log: who changed what, when, and the record before and after. Written in the same
// transaction as the change (so there is no change without its entry), into the tenant the change
// belongs to. Append-only: the database grants the runtime INSERT and SELECT on it, nothing more.
// Secrets never reach it: fields that hold one are replaced by "[redacted]" before writing.
import { randomUUID } from 'node:crypto';
import type { Principal } from './auth/tokens.ts';
import type { Transactions, Work } from './db/transactions.ts';
import { notFound } from './errors.ts';

export interface Actor {
  userId: string | null;
  username: string;
}

/** Start-up seeding and other work nobody asked for. */
export const SYSTEM_ACTOR: Actor = { userId: null, username: 'system' };

export const actorOf = (p: Pick<Principal, 'userId' | 'username' | 'tenantId'>, ownTenant?: string): Actor => ({
  userId: p.userId,
  // Someone acting from another tenant (a platform admin) is named with theirs.
  username: ownTenant !== undefined && ownTenant !== p.tenantId ? `${p.username}@${p.tenantId}` : p.username,
});

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
}

const SECRET_FIELD = /password|secret|token|hash|verifier|nonce|credential|private/i;

/** A deep copy without secrets: values of fields whose name says "secret" become "[redacted]". */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_FIELD.test(k) ? '[redacted]' : redact(v)]),
    );
  }
  return value;
}

/** Records a change, in the transaction's tenant. */
export async function audit(work: Work, actor: Actor, entry: AuditEntry): Promise<void> {
  const tenantId = work.tenantId;
  if (!tenantId) throw new Error('audit entries belong to a tenant: enter one first');
  const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(redact(v)));
  await work.tx('audit_log').insert({
    id: randomUUID(),
    tenant_id: tenantId,
    at: work.at,
    actor_id: actor.userId,
    actor: actor.username,
    action: entry.action,
    target_type: entry.targetType,
    target_id: entry.targetId ?? null,
    before: json(entry.before),
    after: json(entry.after),
  });
}

export interface AuditView {
  id: string;
  at: string;
  actorId: string | null;
  actor: string;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
}

export interface AuditFilter {
  action?: string;
  targetType?: string;
  targetId?: string;
  actor?: string;
  /** Entries older than this entry id (paging backwards). */
  before?: string;
  limit?: number;
}

interface AuditRow {
  seq: number;
  id: string;
  at: Date;
  actor_id: string | null;
  actor: string;
  action: string;
  target_type: string;
  target_id: string | null;
  before: unknown;
  after: unknown;
}

export class AuditService {
  constructor(private readonly transactions: Transactions) {}

  /** Newest first. */
  list(tenantId: string, filter: AuditFilter): Promise<AuditView[]> {
    return this.transactions.read(tenantId, async (tx) => {
      const q = tx('audit_log').where({ tenant_id: tenantId });
      if (filter.action) q.andWhere({ action: filter.action });
      if (filter.targetType) q.andWhere({ target_type: filter.targetType });
      if (filter.targetId) q.andWhere({ target_id: filter.targetId });
      if (filter.actor) q.andWhere({ actor: filter.actor });
      if (filter.before) {
        const cursor: { seq: number } | undefined = await tx('audit_log').where({ id: filter.before }).first('seq');
        if (!cursor) throw notFound('audit entry', filter.before);
        q.andWhere('seq', '<', cursor.seq);
      }
      const rows: AuditRow[] = await q.orderBy('seq', 'desc').limit(filter.limit ?? 100);
      return rows.map((r) => ({
        id: r.id,
        at: new Date(r.at).toISOString(),
        actorId: r.actor_id,
        actor: r.actor,
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id,
        before: r.before ?? null,
        after: r.after ?? null,
      }));
    });
  }
}
