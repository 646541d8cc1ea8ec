// Sign-in and sessions. A sign-in (password or OIDC) opens a session and returns a short-lived
// access token plus a refresh token. Refresh tokens are stored as SHA-256 hashes and used once:
// refreshing marks the token used and issues the next one; presenting a used token again means
// it was copied, and the whole session is revoked. Logout revokes the session, which ends its
// access tokens at once (every request checks the session; see plugins/auth.ts).
//
// Brute force: each failed password counts against the account; at `lockoutThreshold` in a row the
// account is locked for `lockoutSeconds` (429, Retry-After). Unknown usernames are counted in
// memory the same way, so the answers do not tell which accounts exist. Password checks run
// outside any transaction: scrypt takes tens of milliseconds, a connection should not wait on it.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { actorOf, audit } from '../platform/audit.ts';
import { hashPassword, verifyPassword } from '../platform/auth/passwords.ts';
import type { Principal, TokenSigner } from '../platform/auth/tokens.ts';
import type { Clock } from '../platform/clock.ts';
import type { UserRow } from '../platform/db/rows.ts';
import { isTenantId, type Transactions, type Work } from '../platform/db/transactions.ts';
import { badRequest, DomainError, unauthorized } from '../platform/errors.ts';

export interface IdentityConfig {
  refreshTtlSeconds: number;
  lockoutThreshold: number;
  lockoutSeconds: number;
}

export interface SessionTokens {
  token: string;
  /** Seconds until `token` expires. */
  expiresIn: number;
  refreshToken: string;
  refreshExpiresAt: string;
  user: { id: string; username: string; displayName: string | null; roles: string[]; groups: string[] };
}

export const MIN_PASSWORD_LENGTH = 8;

/**
 * How long a session found valid is taken as valid without asking the database again. Revoking in
 * this process clears it at once; another server behind the same load balancer notices within this.
 */
export const SESSION_CHECK_CACHE_MS = 1000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');

const invalidCredentials = () => new DomainError('unauthenticated', 'INVALID_CREDENTIALS', 'the tenant, username or password is wrong');
const invalidRefresh = () =>
  new DomainError('unauthenticated', 'INVALID_REFRESH_TOKEN', 'the refresh token is invalid, used or expired; sign in again');
export const tenantSuspended = (tenantId: string) =>
  new DomainError('forbidden', 'TENANT_SUSPENDED', `tenant "${tenantId}" is suspended; ask the platform administrator`);

class Locked extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited', 'TOO_MANY_ATTEMPTS', `too many failed sign-ins; try again in ${retryAfterSeconds} seconds`);
  }
}

export function retryAfterOf(e: unknown): number | undefined {
  return e instanceof Locked ? e.retryAfterSeconds : undefined;
}

/** Failed sign-ins for usernames that do not exist, kept in memory (bounded) so they lock alike. */
class PhantomFailures {
  private readonly entries = new Map<string, { count: number; lockedUntil: number }>();

  constructor(private readonly max = 10_000) {}

  lockedUntil(key: string, now: number): number {
    const e = this.entries.get(key);
    return e && e.lockedUntil > now ? e.lockedUntil : 0;
  }

  fail(key: string, now: number, threshold: number, lockMs: number): number {
    const e = this.entries.get(key) ?? { count: 0, lockedUntil: 0 };
    this.entries.delete(key);
    e.count++;
    if (e.count >= threshold) {
      e.count = 0;
      e.lockedUntil = now + lockMs;
    }
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, e);
    return e.lockedUntil > now ? e.lockedUntil : 0;
  }
}

export class IdentityService {
  // Compared against when the user does not exist, so both cases take the same time.
  private readonly decoy = hashPassword('decoy');
  private readonly phantoms = new PhantomFailures();
  /** Sessions found open (with their tenant active), until when (performance.now()). */
  private readonly checked = new Map<string, number>();
  /** Bumped by forget(): a check that began before a revocation does not remember its answer. */
  private generation = 0;

  constructor(
    private readonly transactions: Transactions,
    private readonly signer: TokenSigner,
    private readonly clock: Clock,
    private readonly config: IdentityConfig,
  ) {}

  async login(tenantId: string, username: string, password: string): Promise<SessionTokens> {
    const now = this.clock.now();
    const known = isTenantId(tenantId)
      ? await this.transactions.read(tenantId, async (tx) => {
          const tenant: { status: string } | undefined = await tx('tenants').where({ id: tenantId }).first('status');
          const user: UserRow | undefined = tenant ? await tx('users').where({ tenant_id: tenantId, username }).first() : undefined;
          return { tenant, user };
        })
      : { tenant: undefined, user: undefined };
    const { tenant, user } = known;
    const phantomKey = `${tenantId}\u0000${username}`;
    const lockedUntil = user ? (user.locked_until ? new Date(user.locked_until).getTime() : 0) : this.phantoms.lockedUntil(phantomKey, now);
    if (lockedUntil > now) throw new Locked(Math.ceil((lockedUntil - now) / 1000));

    const ok = await verifyPassword(password, user?.password_hash ?? (await this.decoy));
    if (!user || !tenant || !ok) {
      const until = user ? await this.recordFailure(tenantId, user) : this.phantoms.fail(phantomKey, now, ...this.lockout());
      if (until > now) throw new Locked(Math.ceil((until - now) / 1000));
      throw invalidCredentials();
    }
    if (user.disabled || tenant.status === 'deleted') throw invalidCredentials();
    if (tenant.status !== 'active') throw tenantSuspended(tenantId);
    return this.transactions.withTenant(tenantId, async (work) => {
      if (user.failed_logins > 0 || user.locked_until) {
        await work.tx('users').where({ id: user.id }).update({ failed_logins: 0, locked_until: null });
      }
      return this.openSession(work, user, 'password');
    });
  }

  private lockout(): [number, number] {
    return [this.config.lockoutThreshold, this.config.lockoutSeconds * 1000];
  }

  /** Counts a wrong password; returns when the account is now locked until (0: not locked). */
  private async recordFailure(tenantId: string, user: UserRow): Promise<number> {
    return this.transactions.withTenant(tenantId, async (work) => {
      const [row]: Array<{ failed_logins: number }> = await work
        .tx('users')
        .where({ id: user.id })
        .update({ failed_logins: work.tx.raw('failed_logins + 1') })
        .returning('failed_logins');
      if (!row || row.failed_logins < this.config.lockoutThreshold) return 0;
      const until = work.now + this.config.lockoutSeconds * 1000;
      await work
        .tx('users')
        .where({ id: user.id })
        .update({ failed_logins: 0, locked_until: new Date(until).toISOString() });
      await audit(
        work,
        { userId: null, username: 'system' },
        {
          action: 'user.locked',
          targetType: 'user',
          targetId: user.id,
          after: { username: user.username, lockedUntil: new Date(until).toISOString(), failedSignIns: row.failed_logins },
        },
      );
      return until;
    });
  }

  /** Opens a session for a user in the transaction's tenant and signs its first tokens. */
  async openSession(work: Work, user: Pick<UserRow, 'id' | 'username' | 'display_name' | 'roles'>, method: 'password' | 'oidc') {
    const tenantId = work.tenantId as string;
    const sessionId = randomUUID();
    const expiresAt = new Date(work.now + this.config.refreshTtlSeconds * 1000).toISOString();
    await work.tx('sessions').insert({
      id: sessionId,
      tenant_id: tenantId,
      user_id: user.id,
      method,
      created_at: work.at,
      expires_at: expiresAt,
      last_used_at: work.at,
    });
    return this.issue(work, user, sessionId, expiresAt);
  }

  private async issue(
    work: Work,
    user: Pick<UserRow, 'id' | 'username' | 'display_name' | 'roles'>,
    sessionId: string,
    expiresAt: string,
  ): Promise<SessionTokens> {
    const tenantId = work.tenantId as string;
    // The tenant travels in the token so that a refresh knows where to look; the rest is random.
    const refreshToken = `${tenantId}.${randomBytes(32).toString('base64url')}`;
    await work
      .tx('refresh_tokens')
      .insert({ token_hash: sha256(refreshToken), tenant_id: tenantId, session_id: sessionId, created_at: work.at });
    const groups: string[] = await work.tx('user_groups').where({ user_id: user.id }).orderBy('group_id').pluck('group_id');
    const principal: Principal = { userId: user.id, tenantId, username: user.username, roles: user.roles ?? [], groups, sessionId };
    return {
      token: this.signer.sign(principal, work.now),
      expiresIn: this.signer.ttlSeconds,
      refreshToken,
      refreshExpiresAt: new Date(expiresAt).toISOString(),
      user: { id: user.id, username: user.username, displayName: user.display_name, roles: principal.roles, groups },
    };
  }

  /** Trades a refresh token for new tokens (with the user's current roles and groups). */
  async refresh(refreshToken: string): Promise<SessionTokens> {
    const tenantId = refreshToken.split('.')[0] ?? '';
    if (!isTenantId(tenantId)) throw invalidRefresh();
    const outcome = await this.transactions.withTenant(tenantId, async (work) => {
      const stored: { session_id: string; used_at: Date | null } | undefined = await work
        .tx('refresh_tokens')
        .where({ token_hash: sha256(refreshToken) })
        .forUpdate()
        .first();
      if (!stored) return { error: invalidRefresh() };
      const session: { id: string; user_id: string; expires_at: Date; revoked_at: Date | null } | undefined = await work
        .tx('sessions')
        .where({ id: stored.session_id })
        .first();
      if (!session || session.revoked_at || new Date(session.expires_at).getTime() <= work.now) return { error: invalidRefresh() };
      if (stored.used_at) {
        // Replayed: someone else holds this session's tokens. End it for everyone.
        await this.revokeWhere(work, { id: session.id }, 'refresh token reused');
        return { error: invalidRefresh() };
      }
      const tenant: { status: string } | undefined = await work.tx('tenants').where({ id: tenantId }).first('status');
      if (tenant?.status !== 'active') return { error: tenantSuspended(tenantId) };
      const user: UserRow | undefined = await work.tx('users').where({ id: session.user_id }).first();
      if (!user || user.disabled) {
        await this.revokeWhere(work, { id: session.id }, 'user disabled');
        return { error: invalidRefresh() };
      }
      await work
        .tx('refresh_tokens')
        .where({ token_hash: sha256(refreshToken) })
        .update({ used_at: work.at });
      await work.tx('sessions').where({ id: session.id }).update({ last_used_at: work.at });
      return { tokens: await this.issue(work, user, session.id, new Date(session.expires_at).toISOString()) };
    });
    if ('error' in outcome) {
      this.forget();
      throw outcome.error;
    }
    return outcome.tokens;
  }

  /** Ends the session of the token (and so every access and refresh token of it). */
  async logout(p: Principal): Promise<void> {
    await this.transactions.withTenant(p.tenantId, (work) => this.revokeWhere(work, { id: p.sessionId }, 'logout'));
    // Again once committed: a check between revokeWhere and the commit may have read the session open.
    this.forget();
  }

  /** Revokes sessions matching `where` (in the transaction's tenant). */
  async revokeWhere(work: Work, where: Record<string, string>, reason: string, except?: string): Promise<void> {
    const q = work.tx('sessions').where(where).whereNull('revoked_at');
    if (except) q.andWhereNot({ id: except });
    await q.update({ revoked_at: work.at, revoked_reason: reason });
    this.forget();
  }

  /** Drops what `check` remembers: after anything that may end sessions (revocation, suspension, deletion). */
  forget(): void {
    this.generation++;
    this.checked.clear();
  }

  /**
   * Whether a verified access token may still act: its session is open and its tenant active.
   * One short read per session and second (SESSION_CHECK_CACHE_MS); this is what makes logout,
   * suspension and user removal take effect at once (within that second on other servers).
   */
  async check(p: Principal): Promise<void> {
    const until = this.checked.get(p.sessionId);
    if (until !== undefined && until > performance.now()) return;
    const generation = this.generation;
    const state = await this.transactions.read(p.tenantId, async (tx) => {
      const row: { status: string; revoked_at: Date | null; user_id: string | null } | undefined = await tx('tenants as t')
        .leftJoin('sessions as s', (j) => j.on('s.id', '=', tx.raw('?', [p.sessionId])))
        .where('t.id', p.tenantId)
        .first('t.status', 's.revoked_at', 's.user_id');
      return row;
    });
    if (!state || state.status === 'deleted') throw unauthorized('the token is invalid or has expired; sign in again');
    if (state.status !== 'active') throw tenantSuspended(p.tenantId);
    if (!state.user_id || state.user_id !== p.userId || state.revoked_at) throw unauthorized('the session has ended; sign in again');
    if (generation !== this.generation) return;
    if (this.checked.size >= 10_000) this.checked.clear();
    this.checked.set(p.sessionId, performance.now() + SESSION_CHECK_CACHE_MS);
  }

  /** Changes the caller's own password; ends their other sessions. */
  async changePassword(p: Principal, current: string, next: string): Promise<void> {
    if (next.length < MIN_PASSWORD_LENGTH) {
      throw badRequest('PASSWORD_TOO_SHORT', `a password needs at least ${MIN_PASSWORD_LENGTH} characters`, [
        { field: 'newPassword', in: 'body', message: `must have at least ${MIN_PASSWORD_LENGTH} characters` },
      ]);
    }
    const now = this.clock.now();
    const user: UserRow | undefined = await this.transactions.read(p.tenantId, (tx) => tx('users').where({ id: p.userId }).first());
    if (!user) throw unauthorized();
    if (user.locked_until && new Date(user.locked_until).getTime() > now) {
      throw new Locked(Math.ceil((new Date(user.locked_until).getTime() - now) / 1000));
    }
    if (!(await verifyPassword(current, user.password_hash))) {
      const until = await this.recordFailure(p.tenantId, user);
      if (until > now) throw new Locked(Math.ceil((until - now) / 1000));
      throw badRequest('WRONG_PASSWORD', 'the current password is wrong', [{ field: 'currentPassword', in: 'body', message: 'is wrong' }]);
    }
    const hash = await hashPassword(next);
    await this.transactions.withTenant(p.tenantId, async (work) => {
      await work
        .tx('users')
        .where({ id: p.userId })
        .update({ password_hash: hash, failed_logins: 0, locked_until: null, updated_at: work.at });
      await this.revokeWhere(work, { user_id: p.userId }, 'password changed', p.sessionId);
      await audit(work, actorOf(p), {
        action: 'user.password_change',
        targetType: 'user',
        targetId: p.userId,
        after: { username: user.username, password: 'changed' },
      });
    });
    this.forget();
  }
}
