// Users of a tenant, managed by its tenant admins. Every change is audited (without the password).
// Roles are the fixed set of auth/roles.ts. Admin boundaries: no one changes, disables, resets,
// unlocks or deletes a user holding a role they do not hold themselves, nor grants such a role
// (403 ROLE_NOT_HELD). A tenant admin holds every tenant role (auth/roles.ts heldRoles), never
// platform-admin, so a tenant admin never touches a platform admin. Disabling a user, resetting their password or taking a role away ends their
// sessions at once; added roles and group changes apply from their next token refresh.
import { randomUUID } from 'node:crypto';
import { actorOf, audit } from '../platform/audit.ts';
import { hashPassword } from '../platform/auth/passwords.ts';
import { isRole, ROLES, rolesNotHeld } from '../platform/auth/roles.ts';
import type { Principal } from '../platform/auth/tokens.ts';
import type { Tx } from '../platform/db/connect.ts';
import { isoOrNull, type UserRow } from '../platform/db/rows.ts';
import type { Transactions, Work } from '../platform/db/transactions.ts';
import { badRequest, conflict, DomainError, notFound } from '../platform/errors.ts';
import { type IdentityService, MIN_PASSWORD_LENGTH } from './identity.ts';
import { checkEmail, checkManager, checkTimezone } from './profile.ts';

export const USERNAME_PATTERN = '^[\\p{L}\\p{N}._@+-]{1,200}$';
const USERNAME = new RegExp(USERNAME_PATTERN, 'u');

export interface UserView {
  id: string;
  username: string;
  displayName: string | null;
  roles: string[];
  groups: string[];
  disabled: boolean;
  lockedUntil: string | null;
  identityProvider: string | null;
  managerId: string | null;
  email: string | null;
  locale: Locale | null;
  timezone: string | null;
  createdAt: string;
  updatedAt: string;
}

export type Locale = 'zh-CN' | 'en';

/** Who a user is to others: manager, e-mail address, language, time zone (null clears one). */
export interface UserProfile {
  managerId?: string | null;
  email?: string | null;
  locale?: Locale | null;
  timezone?: string | null;
}

export interface NewUser extends UserProfile {
  username: string;
  password?: string;
  displayName?: string;
  roles?: string[];
  groups?: string[];
}

export interface UserPatch extends UserProfile {
  displayName?: string | null;
  roles?: string[];
  groups?: string[];
  password?: string;
  disabled?: boolean;
  /** Clears a lockout after failed sign-ins. */
  unlock?: boolean;
}

export function userView(u: UserRow, groups: string[]): UserView {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    roles: u.roles ?? [],
    groups,
    disabled: u.disabled,
    lockedUntil: isoOrNull(u.locked_until),
    identityProvider: u.idp_id,
    managerId: u.manager_id ?? null,
    email: u.email ?? null,
    locale: (u.locale as Locale | null) ?? null,
    timezone: u.timezone ?? null,
    createdAt: new Date(u.created_at).toISOString(),
    updatedAt: new Date(u.updated_at).toISOString(),
  };
}

/** What the audit log keeps of a user. */
const auditable = (v: UserView) => ({
  username: v.username,
  displayName: v.displayName,
  roles: v.roles,
  groups: v.groups,
  disabled: v.disabled,
  managerId: v.managerId,
  email: v.email,
  locale: v.locale,
  timezone: v.timezone,
});

export function checkPassword(password: string, field = 'password'): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw badRequest('PASSWORD_TOO_SHORT', `a password needs at least ${MIN_PASSWORD_LENGTH} characters`, [
      { field, in: 'body', message: `must have at least ${MIN_PASSWORD_LENGTH} characters` },
    ]);
  }
}

/** Roles must exist. */
function checkRoles(roles: readonly string[]): string[] {
  const unknown = roles.filter((r) => !isRole(r));
  if (unknown.length) {
    throw badRequest(
      'UNKNOWN_ROLE',
      `unknown roles: ${unknown.join(', ')}; roles are ${ROLES.join(', ')}`,
      unknown.map((r) => ({ field: 'roles', in: 'body', message: `"${r}" is not a role` })),
    );
  }
  return [...new Set(roles)].sort();
}

/**
 * The admin boundary: the actor must hold every one of `roles` (those of the user they touch, or
 * those they grant), else 403 ROLE_NOT_HELD naming the roles. `doing` completes "so you cannot ...".
 */
export function mustHoldRoles(actor: Principal, roles: readonly string[], doing: string): void {
  const missing = rolesNotHeld(actor.roles, roles);
  if (missing.length === 0) return;
  const named = `${missing.length === 1 ? 'the role' : 'the roles'} ${missing.join(', ')}`;
  throw new DomainError(
    'forbidden',
    'ROLE_NOT_HELD',
    `you do not hold ${named}, so you cannot ${doing}`,
    missing.map((role) => ({ role, message: 'you do not hold this role' })),
  );
}

export async function checkGroups(tx: Tx, tenantId: string, groups: readonly string[]): Promise<string[]> {
  const wanted = [...new Set(groups)].sort();
  if (wanted.length === 0) return wanted;
  const found: string[] = await tx('groups').where({ tenant_id: tenantId }).whereIn('id', wanted).pluck('id');
  const missing = wanted.filter((g) => !found.includes(g));
  if (missing.length) {
    throw badRequest(
      'UNKNOWN_GROUP',
      `no such groups: ${missing.join(', ')}`,
      missing.map((g) => ({ field: 'groups', in: 'body', message: `group "${g}" does not exist` })),
    );
  }
  return wanted;
}

export class UserService {
  constructor(
    private readonly transactions: Transactions,
    private readonly identity: IdentityService,
  ) {}

  list(tenantId: string): Promise<UserView[]> {
    return this.transactions.read(tenantId, async (tx) => {
      const users: UserRow[] = await tx('users').where({ tenant_id: tenantId }).orderBy('username');
      const memberships: Array<{ user_id: string; group_id: string }> = await tx('user_groups')
        .where({ tenant_id: tenantId })
        .orderBy('group_id');
      return users.map((u) =>
        userView(
          u,
          memberships.filter((m) => m.user_id === u.id).map((m) => m.group_id),
        ),
      );
    });
  }

  get(tenantId: string, id: string): Promise<UserView> {
    return this.transactions.read(tenantId, (tx) => this.view(tx, tenantId, id));
  }

  private async view(tx: Tx, tenantId: string, id: string): Promise<UserView> {
    const user: UserRow | undefined = await tx('users').where({ tenant_id: tenantId, id }).first();
    if (!user) throw notFound('user', id);
    const groups: string[] = await tx('user_groups').where({ tenant_id: tenantId, user_id: id }).orderBy('group_id').pluck('group_id');
    return userView(user, groups);
  }

  async create(actor: Principal, input: NewUser): Promise<UserView> {
    const tenantId = actor.tenantId;
    if (input.password !== undefined) checkPassword(input.password);
    checkTimezone(input.timezone);
    const roles = checkRoles(input.roles ?? []);
    mustHoldRoles(actor, roles, 'grant it');
    const hash = input.password !== undefined ? await hashPassword(input.password) : '!';
    return this.transactions.withTenant(tenantId, (work) =>
      createUser(work, actorOf(actor), { ...input, roles, passwordHash: hash, groups: input.groups ?? [] }),
    );
  }

  async update(actor: Principal, id: string, patch: UserPatch): Promise<UserView> {
    const tenantId = actor.tenantId;
    if (patch.password !== undefined) {
      checkPassword(patch.password);
      checkTimezone(patch.timezone);
      // Refused before the (deliberately slow) hash; checked again below, in the transaction.
      const target = await this.get(tenantId, id);
      mustHoldRoles(actor, target.roles, `change user "${target.username}", who holds it`);
    }
    checkTimezone(patch.timezone);
    const hash = patch.password !== undefined ? await hashPassword(patch.password) : undefined;
    return this.transactions
      .withTenant(tenantId, async (work) => {
        const before = await this.view(work.tx, tenantId, id);
        mustHoldRoles(actor, before.roles, `change user "${before.username}", who holds it`);
        const roles = patch.roles === undefined ? before.roles : checkRoles(patch.roles);
        mustHoldRoles(actor, roles, 'grant it');
        const groups = patch.groups === undefined ? before.groups : await checkGroups(work.tx, tenantId, patch.groups);
        await checkManager(work.tx, tenantId, patch.managerId, id);
        const email = await checkEmail(work.tx, tenantId, patch.email, id);
        const changes: Record<string, unknown> = { updated_at: work.at };
        if (patch.managerId !== undefined) changes.manager_id = patch.managerId;
        if (email !== undefined) changes.email = email;
        if (patch.locale !== undefined) changes.locale = patch.locale;
        if (patch.timezone !== undefined) changes.timezone = patch.timezone;
        if (patch.displayName !== undefined) changes.display_name = patch.displayName;
        if (patch.roles !== undefined) changes.roles = JSON.stringify(roles);
        if (patch.disabled !== undefined) changes.disabled = patch.disabled;
        if (hash) Object.assign(changes, { password_hash: hash, failed_logins: 0, locked_until: null });
        if (patch.unlock) Object.assign(changes, { failed_logins: 0, locked_until: null });
        await work
          .tx('users')
          .where({ tenant_id: tenantId, id })
          .update(changes)
          .catch((e) => {
            throwIfEmailTaken(e, email);
            throw e;
          });
        if (patch.groups !== undefined) await setMemberships(work, id, groups);
        const lostRole = before.roles.some((r) => !roles.includes(r));
        if (patch.disabled || hash || lostRole) {
          const reason = patch.disabled ? 'user disabled' : hash ? 'password reset' : 'role removed';
          await this.identity.revokeWhere(work, { user_id: id }, reason);
        }
        const after = await this.view(work.tx, tenantId, id);
        await audit(work, actorOf(actor), {
          action: 'user.update',
          targetType: 'user',
          targetId: id,
          before: auditable(before),
          after: { ...auditable(after), ...(hash ? { password: 'reset' } : {}), ...(patch.unlock ? { unlocked: true } : {}) },
        });
        return after;
      })
      .finally(() => this.identity.forget());
  }

  delete(actor: Principal, id: string): Promise<void> {
    if (id === actor.userId) throw conflict('CANNOT_DELETE_SELF', 'you cannot delete your own user; ask another tenant admin');
    return this.transactions
      .withTenant(actor.tenantId, async (work) => {
        const before = await this.view(work.tx, actor.tenantId, id);
        mustHoldRoles(actor, before.roles, `delete user "${before.username}", who holds it`);
        // Sessions and refresh tokens go with the user (ON DELETE CASCADE), and with them its tokens.
        await work.tx('users').where({ tenant_id: actor.tenantId, id }).delete();
        this.identity.forget();
        await audit(work, actorOf(actor), { action: 'user.delete', targetType: 'user', targetId: id, before: auditable(before) });
      })
      .finally(() => this.identity.forget());
  }
}

/** Inserts a user in the transaction's tenant (the API, tenant seeding and OIDC sign-up all come here). */
export async function createUser(
  work: Work,
  actor: { userId: string | null; username: string },
  input: {
    username: string;
    passwordHash: string;
    displayName?: string | null;
    roles: string[];
    groups: string[];
    idpId?: string;
    idpSubject?: string;
  } & UserProfile,
): Promise<UserView> {
  const tenantId = work.tenantId as string;
  if (!USERNAME.test(input.username)) {
    throw badRequest('VALIDATION_FAILED', 'a username is letters, digits and . _ @ + -', [
      { field: 'username', in: 'body', message: 'may hold letters, digits and . _ @ + - only' },
    ]);
  }
  const groups = await checkGroups(work.tx, tenantId, input.groups);
  checkTimezone(input.timezone);
  await checkManager(work.tx, tenantId, input.managerId);
  const email = await checkEmail(work.tx, tenantId, input.email);
  const id = randomUUID();
  const taken = () => conflict('USERNAME_TAKEN', `the username "${input.username}" is taken in this tenant`);
  if (await work.tx('users').where({ tenant_id: tenantId, username: input.username }).first('id')) throw taken();
  try {
    await work.tx('users').insert({
      id,
      tenant_id: tenantId,
      username: input.username,
      display_name: input.displayName ?? null,
      password_hash: input.passwordHash,
      roles: JSON.stringify([...new Set(input.roles)].sort()),
      idp_id: input.idpId ?? null,
      idp_subject: input.idpSubject ?? null,
      manager_id: input.managerId ?? null,
      email: email ?? null,
      locale: input.locale ?? null,
      timezone: input.timezone ?? null,
      created_at: work.at,
      updated_at: work.at,
    });
  } catch (e) {
    // Created by someone else at the same moment.
    throwIfEmailTaken(e, email);
    if ((e as { code?: string }).code === '23505') throw taken();
    throw e;
  }
  await setMemberships(work, id, groups);
  const user: UserRow = await work.tx('users').where({ id }).first();
  const view = userView(user, groups);
  await audit(work, actor, { action: 'user.create', targetType: 'user', targetId: id, after: auditable(view) });
  return view;
}

export async function setMemberships(work: Work, userId: string, groups: readonly string[]): Promise<void> {
  const tenantId = work.tenantId as string;
  await work.tx('user_groups').where({ tenant_id: tenantId, user_id: userId }).delete();
  if (groups.length) await work.tx('user_groups').insert(groups.map((g) => ({ tenant_id: tenantId, user_id: userId, group_id: g })));
}

/** The e-mail index refused a write (another user took the address at the same moment): a 409, not a 500. */
function throwIfEmailTaken(e: unknown, email: string | null | undefined): void {
  const err = e as { code?: string; constraint?: string };
  if (err.code === '23505' && err.constraint === 'users_email') {
    throw conflict('EMAIL_TAKEN', `the e-mail address "${email}" belongs to another user already`);
  }
}
