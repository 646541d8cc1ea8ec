// Single sign-on through OpenID Connect (openid-client), the enterprise path. A tenant admin
// configures an issuer per tenant (client id and secret, scopes, which claims name the user, their
// groups and roles, and how those map to ServiceLoom roles and groups). Sign-in is the
// authorization code flow with PKCE, state and nonce, all kept server-side in `oidc_logins`:
//
//   GET  /auth/oidc/:tenant/:provider/login?returnTo=/path  -> 302 to the issuer
//   GET  /auth/oidc/:tenant/:provider/callback              -> tokens (JSON), or with returnTo a 302 to
//        returnTo#oidcCode=<one-time code>&tenant=<id>, which the web app trades at POST /auth/oidc/exchange
//
// Each sign-in syncs the user's display name, roles and group memberships from the claims. Users
// are matched by (provider, sub), never by a username the issuer asserts; a new user is created if
// the provider allows it and the username is free. `platform-admin` is never granted this way.
// Requests to the issuer go through the egress guard with the tenant's allow-list.
import { createHash, randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import { type Actor, actorOf, audit } from '../platform/audit.ts';
import { isRole, type Role } from '../platform/auth/roles.ts';
import { open, seal } from '../platform/auth/sealed.ts';
import type { Principal } from '../platform/auth/tokens.ts';
import type { Tx } from '../platform/db/connect.ts';
import type { TenantSettings, UserRow } from '../platform/db/rows.ts';
import { isTenantId, type Transactions, type Work } from '../platform/db/transactions.ts';
import { guardedFetch } from '../platform/egress/guard.ts';
import { badRequest, conflict, DomainError, forbidden, notFound } from '../platform/errors.ts';
import type { IdentityService, SessionTokens } from './identity.ts';
import { createUser, setMemberships } from './users.ts';

export interface ClaimMapping {
  /** Claim holding the username. Default `preferred_username` (then `email`, then `sub`). */
  username?: string;
  /** Default `name`. */
  displayName?: string;
  /** Claim listing the user's groups at the issuer. Default `groups`. */
  groups?: string;
  /** Claim listing roles at the issuer (mapped through roleMapping). */
  roles?: string;
  /** If set, this claim must equal the tenant id: one issuer serving many tenants. */
  tenant?: string;
}

export interface ProviderInput {
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  clientSecret?: string;
  scopes?: string;
  claims?: ClaimMapping;
  /** Issuer group or role value -> ServiceLoom roles. */
  roleMapping?: Record<string, string[]>;
  /** Issuer group value -> ServiceLoom group id (values without an entry are taken as group ids). */
  groupMapping?: Record<string, string>;
  /** Roles every user of this provider gets. */
  defaultRoles?: string[];
  autoCreateUsers?: boolean;
  enabled?: boolean;
}

export interface ProviderView extends Required<Omit<ProviderInput, 'clientSecret'>> {
  hasClientSecret: boolean;
  /** Register this at the issuer. */
  redirectUri: string;
  /** Where the web app sends a browser to sign in. */
  loginUrl: string;
  createdAt: string;
  updatedAt: string;
}

interface ProviderRow {
  tenant_id: string;
  id: string;
  name: string;
  issuer: string;
  client_id: string;
  client_secret_enc: string | null;
  scopes: string;
  claims: ClaimMapping;
  role_mapping: Record<string, string[]>;
  group_mapping: Record<string, string>;
  default_roles: string[];
  auto_create_users: boolean;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface OidcConfig {
  publicUrl: string;
  allowHttp: boolean;
  dataKey: Buffer;
}

const LOGIN_TTL_MS = 10 * 60_000;
const EXCHANGE_TTL_MS = 2 * 60_000;
const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');
const secretContext = (tenantId: string, id: string) => `identity_providers/${tenantId}/${id}`;

const oidcFailed = (message: string) => new DomainError('upstream', 'OIDC_FAILED', message);
const stateInvalid = () => new DomainError('invalid', 'OIDC_STATE_INVALID', 'this sign-in is unknown, used or expired; start again');

export class OidcService {
  private readonly discovered = new Map<string, Promise<client.Configuration>>();

  constructor(
    private readonly transactions: Transactions,
    private readonly identity: IdentityService,
    private readonly config: OidcConfig,
  ) {}

  // ---- configuration, for tenant admins ----

  list(tenantId: string): Promise<ProviderView[]> {
    return this.transactions.read(tenantId, async (tx) =>
      ((await tx('identity_providers').where({ tenant_id: tenantId }).orderBy('id')) as ProviderRow[]).map((r) => this.view(r)),
    );
  }

  get(tenantId: string, id: string): Promise<ProviderView> {
    return this.transactions.read(tenantId, async (tx) => this.view(await this.row(tx, tenantId, id)));
  }

  create(actor: Principal, input: ProviderInput): Promise<ProviderView> {
    checkProvider(input);
    return this.transactions.withTenant(actor.tenantId, async (work) => {
      if (await work.tx('identity_providers').where({ tenant_id: actor.tenantId, id: input.id }).first('id')) {
        throw conflict('PROVIDER_EXISTS', `identity provider "${input.id}" exists already`);
      }
      await work.tx('identity_providers').insert({
        tenant_id: actor.tenantId,
        id: input.id,
        ...this.columns(actor.tenantId, input.id, { ...input, scopes: input.scopes ?? 'openid profile email' }),
        created_at: work.at,
        updated_at: work.at,
      });
      const after = this.view(await this.row(work.tx, actor.tenantId, input.id));
      await audit(work, actorOf(actor), { action: 'identity_provider.create', targetType: 'identity_provider', targetId: input.id, after });
      return after;
    });
  }

  update(actor: Principal, id: string, patch: Partial<Omit<ProviderInput, 'id'>>): Promise<ProviderView> {
    return this.transactions.withTenant(actor.tenantId, async (work) => {
      const before = this.view(await this.row(work.tx, actor.tenantId, id));
      const merged: ProviderInput = { ...before, ...patch, id };
      checkProvider(merged);
      await work
        .tx('identity_providers')
        .where({ tenant_id: actor.tenantId, id })
        .update({ ...this.columns(actor.tenantId, id, patch), updated_at: work.at });
      const after = this.view(await this.row(work.tx, actor.tenantId, id));
      await audit(work, actorOf(actor), {
        action: 'identity_provider.update',
        targetType: 'identity_provider',
        targetId: id,
        before,
        after: { ...after, ...(patch.clientSecret !== undefined ? { clientSecret: 'changed' } : {}) },
      });
      return after;
    });
  }

  delete(actor: Principal, id: string): Promise<void> {
    return this.transactions.withTenant(actor.tenantId, async (work) => {
      const before = this.view(await this.row(work.tx, actor.tenantId, id));
      await work.tx('oidc_logins').where({ tenant_id: actor.tenantId, provider_id: id }).delete();
      await work.tx('identity_providers').where({ tenant_id: actor.tenantId, id }).delete();
      await audit(work, actorOf(actor), { action: 'identity_provider.delete', targetType: 'identity_provider', targetId: id, before });
    });
  }

  /** Input fields to columns; only the fields given. The secret is sealed, never stored in clear. */
  private columns(tenantId: string, id: string, input: Partial<ProviderInput>): Record<string, unknown> {
    const c: Record<string, unknown> = {};
    if (input.name !== undefined) c.name = input.name;
    if (input.issuer !== undefined) c.issuer = input.issuer;
    if (input.clientId !== undefined) c.client_id = input.clientId;
    if (input.clientSecret !== undefined) {
      c.client_secret_enc = input.clientSecret === '' ? null : seal(this.config.dataKey, input.clientSecret, secretContext(tenantId, id));
    }
    if (input.scopes !== undefined) c.scopes = input.scopes;
    if (input.claims !== undefined) c.claims = JSON.stringify(input.claims);
    if (input.roleMapping !== undefined) c.role_mapping = JSON.stringify(input.roleMapping);
    if (input.groupMapping !== undefined) c.group_mapping = JSON.stringify(input.groupMapping);
    if (input.defaultRoles !== undefined) c.default_roles = JSON.stringify(input.defaultRoles);
    if (input.autoCreateUsers !== undefined) c.auto_create_users = input.autoCreateUsers;
    if (input.enabled !== undefined) c.enabled = input.enabled;
    return c;
  }

  private async row(tx: Tx, tenantId: string, id: string): Promise<ProviderRow> {
    const row: ProviderRow | undefined = await tx('identity_providers').where({ tenant_id: tenantId, id }).first();
    if (!row) throw notFound('identity provider', id);
    return row;
  }

  private base(tenantId: string, id: string): string {
    return `${this.config.publicUrl}/api/v1/auth/oidc/${encodeURIComponent(tenantId)}/${encodeURIComponent(id)}`;
  }

  private view(r: ProviderRow): ProviderView {
    return {
      id: r.id,
      name: r.name,
      issuer: r.issuer,
      clientId: r.client_id,
      hasClientSecret: r.client_secret_enc !== null,
      scopes: r.scopes,
      claims: r.claims ?? {},
      roleMapping: r.role_mapping ?? {},
      groupMapping: r.group_mapping ?? {},
      defaultRoles: r.default_roles ?? [],
      autoCreateUsers: r.auto_create_users,
      enabled: r.enabled,
      redirectUri: `${this.base(r.tenant_id, r.id)}/callback`,
      loginUrl: `${this.base(r.tenant_id, r.id)}/login`,
      createdAt: new Date(r.created_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
    };
  }

  // ---- signing in ----

  /** Starts a sign-in: the URL of the issuer's authorization endpoint to send the browser to. */
  async begin(tenantId: string, providerId: string, returnTo?: string): Promise<string> {
    if (returnTo !== undefined && !isLocalPath(returnTo)) {
      throw badRequest('VALIDATION_FAILED', 'returnTo must be a path on this server, such as /tasks', [
        { field: 'returnTo', in: 'querystring', message: 'must be a path starting with a single /' },
      ]);
    }
    const { provider, settings } = await this.usable(tenantId, providerId);
    const configuration = await this.discover(provider, settings);
    const state = client.randomState();
    const nonce = client.randomNonce();
    const verifier = client.randomPKCECodeVerifier();
    await this.transactions.withTenant(tenantId, async (work) => {
      // Sign-ins never finished are of no use once expired.
      await work.tx('oidc_logins').where({ tenant_id: tenantId }).andWhere('expires_at', '<', work.at).delete();
      await work.tx('oidc_logins').insert({
        state,
        tenant_id: tenantId,
        provider_id: providerId,
        code_verifier: verifier,
        nonce,
        return_to: returnTo ?? null,
        created_at: work.at,
        expires_at: new Date(work.now + LOGIN_TTL_MS).toISOString(),
      });
    });
    return client
      .buildAuthorizationUrl(configuration, {
        redirect_uri: this.view(provider).redirectUri,
        scope: provider.scopes,
        state,
        nonce,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      })
      .toString();
  }

  /**
   * The issuer sent the browser back. `currentPath` is the request URL as received (path and query).
   * Returns tokens, or where to send the browser with a one-time code.
   */
  async callback(tenantId: string, providerId: string, currentPath: string): Promise<{ tokens: SessionTokens } | { redirect: string }> {
    const current = new URL(currentPath, this.config.publicUrl);
    const state = current.searchParams.get('state') ?? '';
    const { provider, settings } = await this.usable(tenantId, providerId);
    // Single use: the sign-in is marked completed before anything else happens.
    const login = await this.transactions.withTenant(tenantId, async (work) => {
      const row: { state: string; code_verifier: string; nonce: string; return_to: string | null; expires_at: Date } | undefined =
        await work
          .tx('oidc_logins')
          .where({ tenant_id: tenantId, state, provider_id: providerId })
          .whereNull('completed_at')
          .forUpdate()
          .first();
      if (!row || new Date(row.expires_at).getTime() <= work.now) return undefined;
      await work.tx('oidc_logins').where({ state }).update({ completed_at: work.at });
      return row;
    });
    if (!login) throw stateInvalid();
    const configuration = await this.discover(provider, settings);
    let claims: Record<string, unknown>;
    try {
      const tokens = await client.authorizationCodeGrant(configuration, current, {
        pkceCodeVerifier: login.code_verifier,
        expectedState: login.state,
        expectedNonce: login.nonce,
        idTokenExpected: true,
      });
      claims = (tokens.claims() ?? {}) as Record<string, unknown>;
    } catch (e) {
      if (e instanceof client.AuthorizationResponseError)
        throw new DomainError('unauthenticated', 'OIDC_DENIED', `the identity provider said: ${e.error}`);
      throw oidcFailed(`signing in with "${provider.name}" failed: ${reason(e)}`);
    }
    const mapped = mapClaims(tenantId, provider, claims);
    return this.transactions.withTenant(tenantId, async (work) => {
      const user = await this.upsertUser(work, provider, mapped);
      if (!login.return_to) return { tokens: await this.identity.openSession(work, user, 'oidc') };
      const code = randomBytes(32).toString('base64url');
      await work
        .tx('oidc_logins')
        .where({ state: login.state })
        .update({ user_id: user.id, exchange_hash: sha256(code) });
      // In the fragment: browsers never send it to a server, so no access log keeps it.
      const target = new URL(login.return_to, this.config.publicUrl);
      target.hash = new URLSearchParams({ oidcCode: code, tenant: tenantId }).toString();
      return { redirect: target.toString() };
    });
  }

  /** Trades the one-time code of a finished sign-in for tokens. */
  async exchange(tenantId: string, code: string): Promise<SessionTokens> {
    if (!isTenantId(tenantId)) throw stateInvalid();
    const outcome = await this.transactions.withTenant(tenantId, async (work) => {
      const row: { state: string; user_id: string; completed_at: Date } | undefined = await work
        .tx('oidc_logins')
        .where({ tenant_id: tenantId, exchange_hash: sha256(code) })
        .forUpdate()
        .first();
      if (!row || new Date(row.completed_at).getTime() + EXCHANGE_TTL_MS <= work.now) return undefined;
      await work.tx('oidc_logins').where({ state: row.state }).delete();
      const user: UserRow | undefined = await work.tx('users').where({ id: row.user_id }).first();
      if (!user || user.disabled) return undefined;
      const tenant: { status: string } | undefined = await work.tx('tenants').where({ id: tenantId }).first('status');
      if (tenant?.status !== 'active') return undefined;
      return this.identity.openSession(work, user, 'oidc');
    });
    if (!outcome) throw stateInvalid();
    return outcome;
  }

  /** The provider, if it exists, is enabled and its tenant active; else 404 (a suspended tenant says so). */
  private async usable(tenantId: string, providerId: string): Promise<{ provider: ProviderRow; settings: TenantSettings }> {
    if (!isTenantId(tenantId)) throw notFound('identity provider', providerId);
    const found = await this.transactions.read(tenantId, async (tx) => {
      const tenant: { status: string; settings: TenantSettings } | undefined = await tx('tenants').where({ id: tenantId }).first();
      const provider: ProviderRow | undefined = await tx('identity_providers').where({ tenant_id: tenantId, id: providerId }).first();
      return { tenant, provider };
    });
    if (!found.tenant || found.tenant.status === 'deleted' || !found.provider || !found.provider.enabled) {
      throw notFound('identity provider', providerId);
    }
    if (found.tenant.status !== 'active') throw forbidden(`tenant "${tenantId}" is suspended`);
    return { provider: found.provider, settings: found.tenant.settings ?? {} };
  }

  private discover(provider: ProviderRow, settings: TenantSettings): Promise<client.Configuration> {
    const allowHosts = settings.egressAllowHosts ?? [];
    const key = JSON.stringify([provider.tenant_id, provider.id, new Date(provider.updated_at).toISOString(), allowHosts]);
    let found = this.discovered.get(key);
    if (found) return found;
    const issuer = new URL(provider.issuer);
    if (issuer.protocol !== 'https:' && !this.config.allowHttp) {
      return Promise.reject(oidcFailed('the issuer must be an https:// URL (SERVICELOOM_OIDC_ALLOW_HTTP=1 allows http:// for testing)'));
    }
    const secret = provider.client_secret_enc
      ? open(this.config.dataKey, provider.client_secret_enc, secretContext(provider.tenant_id, provider.id))
      : undefined;
    found = client
      .discovery(issuer, provider.client_id, secret, secret ? client.ClientSecretBasic(secret) : client.None(), {
        [client.customFetch]: guardedFetch({ allowHosts }) as client.CustomFetch,
        ...(issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
      })
      .catch((e: Error) => {
        this.discovered.delete(key);
        throw e instanceof DomainError ? e : oidcFailed(`cannot reach the issuer of "${provider.name}": ${reason(e)}`);
      });
    if (this.discovered.size > 200) this.discovered.clear();
    this.discovered.set(key, found);
    return found;
  }

  /** Finds the user by (provider, sub) and syncs them, or creates them. */
  private async upsertUser(work: Work, provider: ProviderRow, mapped: MappedClaims): Promise<UserRow> {
    const tenantId = work.tenantId as string;
    const actor: Actor = { userId: null, username: `oidc:${provider.id}` };
    const existingGroups: string[] = await work.tx('groups').where({ tenant_id: tenantId }).pluck('id');
    const groups = mapped.groups.filter((g) => existingGroups.includes(g)).sort();
    let user: UserRow | undefined = await work
      .tx('users')
      .where({ tenant_id: tenantId, idp_id: provider.id, idp_subject: mapped.subject })
      .first();
    if (!user) {
      if (!provider.auto_create_users) throw forbidden(`no user is linked to this ${provider.name} account; ask a tenant admin`);
      const created = await createUser(work, actor, {
        username: mapped.username,
        passwordHash: '!',
        displayName: mapped.displayName,
        roles: mapped.roles,
        groups,
        idpId: provider.id,
        idpSubject: mapped.subject,
      });
      return (await work.tx('users').where({ id: created.id }).first()) as UserRow;
    }
    if (user.disabled) throw new DomainError('unauthenticated', 'INVALID_CREDENTIALS', 'this user is disabled');
    const before: string[] = await work.tx('user_groups').where({ user_id: user.id }).orderBy('group_id').pluck('group_id');
    const roles = [...new Set(mapped.roles)].sort();
    const changed =
      JSON.stringify(before) !== JSON.stringify(groups) ||
      JSON.stringify([...(user.roles ?? [])].sort()) !== JSON.stringify(roles) ||
      user.display_name !== mapped.displayName;
    if (changed) {
      await work
        .tx('users')
        .where({ id: user.id })
        .update({ roles: JSON.stringify(roles), display_name: mapped.displayName, updated_at: work.at });
      await setMemberships(work, user.id, groups);
      await audit(work, actor, {
        action: 'user.update',
        targetType: 'user',
        targetId: user.id,
        before: { username: user.username, displayName: user.display_name, roles: user.roles, groups: before },
        after: { username: user.username, displayName: mapped.displayName, roles, groups },
      });
      user = (await work.tx('users').where({ id: user.id }).first()) as UserRow;
    }
    return user;
  }
}

interface MappedClaims {
  subject: string;
  username: string;
  displayName: string | null;
  roles: Role[];
  groups: string[];
}

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];

/** Claims to ServiceLoom's user, roles and groups, as the provider's mapping says. */
export function mapClaims(
  tenantId: string,
  provider: Pick<ProviderRow, 'claims' | 'role_mapping' | 'group_mapping' | 'default_roles'>,
  claims: Record<string, unknown>,
): MappedClaims {
  const mapping = provider.claims ?? {};
  if (mapping.tenant && claims[mapping.tenant] !== tenantId) {
    throw forbidden(`this account belongs to another tenant (claim "${mapping.tenant}")`);
  }
  const subject = typeof claims.sub === 'string' ? claims.sub : '';
  if (!subject) throw oidcFailed('the ID token has no subject');
  const pick = (name: string | undefined) => (name && typeof claims[name] === 'string' ? (claims[name] as string) : undefined);
  const username = pick(mapping.username ?? 'preferred_username') ?? pick('email') ?? subject;
  const groupValues = strings(claims[mapping.groups ?? 'groups']);
  const roleValues = mapping.roles ? strings(claims[mapping.roles]) : [];
  const roles = new Set<Role>();
  for (const r of provider.default_roles ?? []) if (isRole(r)) roles.add(r);
  for (const v of [...groupValues, ...roleValues]) for (const r of provider.role_mapping?.[v] ?? []) if (isRole(r)) roles.add(r);
  roles.delete('platform-admin');
  const groups = [...new Set(groupValues.map((g) => provider.group_mapping?.[g] ?? g))];
  return { subject, username, displayName: pick(mapping.displayName ?? 'name') ?? null, roles: [...roles].sort(), groups };
}

function checkProvider(input: ProviderInput): void {
  let issuer: URL | undefined;
  try {
    issuer = new URL(input.issuer);
  } catch {}
  if (!issuer || !['http:', 'https:'].includes(issuer.protocol) || issuer.username || issuer.password || issuer.hash) {
    throw badRequest('VALIDATION_FAILED', 'issuer must be an https:// URL', [
      { field: 'issuer', in: 'body', message: 'must be an https:// URL' },
    ]);
  }
  const roles = [...(input.defaultRoles ?? []), ...Object.values(input.roleMapping ?? {}).flat()];
  const bad = roles.filter((r) => !isRole(r) || r === 'platform-admin');
  if (bad.length) {
    throw badRequest(
      'UNKNOWN_ROLE',
      `roles an identity provider may grant are the tenant roles; not: ${[...new Set(bad)].join(', ')}`,
      bad.map((r) => ({ field: 'roleMapping', in: 'body', message: `"${r}" cannot be granted by an identity provider` })),
    );
  }
}

/** openid-client wraps what went wrong ("something went wrong") around its cause: say the cause. */
function reason(e: unknown): string {
  const messages: string[] = [];
  for (let x = e as { message?: string; cause?: unknown } | undefined; x && messages.length < 4; x = x.cause as typeof x) {
    if (x.message && x.message !== 'something went wrong') messages.push(x.message);
  }
  return messages.join(': ') || 'no reason given';
}

/** A path on this server: "/x", never "//host" or "/\\host" (which browsers take for another host). */
export function isLocalPath(p: string): boolean {
  return /^\/(?![/\\])[^\s\\]*$/.test(p) && p.length <= 2000;
}
