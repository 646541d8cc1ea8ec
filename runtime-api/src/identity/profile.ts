// The parts of a user that say who they are to others: their manager (approvals escalate to
// them), e-mail address, language and time zone; and a group's manager. Checks shared by the
// users and groups services, run inside the transaction that writes.
import { IANAZone } from 'luxon';
import type { Tx } from '../platform/db/connect.ts';
import { badRequest, conflict } from '../platform/errors.ts';

/** Longer chains than this are refused as if they looped: nobody has a thousand levels of managers. */
const MAX_CHAIN = 1000;

const invalid = (code: string, field: string, message: string) =>
  badRequest(code, `${field}: ${message}`, [{ field, in: 'body', message }]);

/** Time zones are IANA names (Asia/Shanghai, Europe/Paris, UTC); null clears the choice. */
export function checkTimezone(timezone: string | null | undefined): void {
  if (timezone == null) return;
  if (!IANAZone.isValidZone(timezone)) {
    throw invalid('INVALID_TIMEZONE', 'timezone', `"${timezone}" is not an IANA time zone (such as Asia/Shanghai or Europe/Paris)`);
  }
}

/** Stored as typed, without surrounding spaces; unique in the tenant regardless of case (a 409 otherwise). */
export async function checkEmail(
  tx: Tx,
  tenantId: string,
  email: string | null | undefined,
  userId?: string,
): Promise<string | null | undefined> {
  if (email == null) return email;
  const trimmed = email.trim();
  const holder = await tx('users')
    .where({ tenant_id: tenantId })
    .whereRaw('lower(email) = lower(?)', [trimmed])
    .modify((q) => {
      if (userId) q.whereNot({ id: userId });
    })
    .first('username');
  if (holder) throw conflict('EMAIL_TAKEN', `the e-mail address "${trimmed}" belongs to user "${holder.username}" already`);
  return trimmed;
}

/**
 * A manager must be a user of this tenant, not the user themselves, and (for a user) not one of
 * those the user manages, directly or further down: the chain of managers never loops, so an
 * escalation always ends. A user of another tenant is "unknown" here, exactly as a made-up id.
 */
export async function checkManager(tx: Tx, tenantId: string, managerId: string | null | undefined, userId?: string): Promise<void> {
  if (managerId == null) return;
  if (managerId === userId) throw invalid('INVALID_MANAGER', 'managerId', 'a user cannot be their own manager');
  // Manager changes in one tenant take turns, so two changes cannot close a loop between them.
  await tx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`serviceloom.managers/${tenantId}`]);
  const manager = await tx('users').where({ tenant_id: tenantId, id: managerId }).first('id');
  if (!manager) throw invalid('UNKNOWN_MANAGER', 'managerId', `no user "${managerId}" in this tenant`);
  if (!userId) return;
  const { rows } = (await tx.raw(
    `WITH RECURSIVE chain (id, manager_id, depth) AS (
       SELECT id, manager_id, 1 FROM users WHERE tenant_id = ? AND id = ?
       UNION ALL
       SELECT u.id, u.manager_id, c.depth + 1 FROM users u JOIN chain c ON u.id = c.manager_id
        WHERE u.tenant_id = ? AND c.depth < ?
     ) SELECT id, depth FROM chain`,
    [tenantId, managerId, tenantId, MAX_CHAIN],
  )) as { rows: Array<{ id: string; depth: number }> };
  if (rows.some((r) => r.id === userId) || rows.length >= MAX_CHAIN) {
    throw invalid(
      'MANAGER_CYCLE',
      'managerId',
      'that user is managed by this one (directly or further down), so the managers would go round in a circle',
    );
  }
}
