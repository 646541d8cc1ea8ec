// OpenID Connect sign-in against a real provider (oidc-provider) started here on loopback: a
// tenant admin configures the issuer, a browser (played by fetch with a cookie jar) signs in, and
// the claims become the user, their roles and groups.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Call, PASSWORD, startServer, type TestServer } from './helpers.ts';

const PUBLIC_URL = 'http://sl.test';
const TENANT = 'sso';

interface Account {
  sub: string;
  preferred_username: string;
  name: string;
  groups: string[];
  org?: string;
}

let s: TestServer;
let idp: Server;
let issuer: string;
let admin: Call;
let nextAccount: Account;
const accounts = new Map<string, Account>();

async function startProvider(): Promise<void> {
  const warn = console.warn;
  console.warn = () => {};
  const { default: Provider } = await import('oidc-provider');
  idp = createServer();
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'serviceloom',
        client_secret: 'provider-client-secret',
        redirect_uris: [
          `${PUBLIC_URL}/api/v1/auth/oidc/${TENANT}/corp/callback`,
          `${PUBLIC_URL}/api/v1/auth/oidc/${TENANT}/strict/callback`,
        ],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    findAccount: async (_ctx: unknown, id: string) => ({ accountId: id, claims: async () => accounts.get(id) }),
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], groups: ['groups'], org: ['org'] },
    scopes: ['openid', 'profile', 'groups', 'org'],
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['test-cookie-key'] },
    pkce: { required: () => true },
  });
  console.warn = warn;
  const handle = provider.callback();
  // The "user" signs in as nextAccount and consents at once.
  idp.on('request', async (req: IncomingMessage, res: ServerResponse) => {
    if (!req.url?.startsWith('/interaction/')) return handle(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      accounts.set(nextAccount.sub, nextAccount);
      const grant = new provider.Grant({ accountId: nextAccount.sub, clientId: details.params.client_id });
      grant.addOIDCScope(details.params.scope);
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: nextAccount.sub }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    } catch (e) {
      res.statusCode = 500;
      res.end(String(e));
    }
  });
}

/** Plays the browser: follows the issuer's redirects with its cookies until it is sent back to us. */
async function browse(authorizationUrl: string): Promise<string> {
  const jar = new Map<string, string>();
  let url = authorizationUrl;
  for (let hop = 0; hop < 10; hop++) {
    if (url.startsWith(PUBLIC_URL)) return url.slice(PUBLIC_URL.length);
    const res = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, ...v] = (pair as string).split('=');
      jar.set(k as string, v.join('='));
    }
    const location = res.headers.get('location');
    if (!location) throw new Error(`the issuer stopped at ${url}: ${res.status} ${await res.text()}`);
    url = new URL(location, url).toString();
  }
  throw new Error('too many redirects at the issuer');
}

async function signIn(account: Account, provider = 'corp', returnTo?: string) {
  nextAccount = account;
  const start = await s.app.inject({
    method: 'GET',
    url: `/api/v1/auth/oidc/${TENANT}/${provider}/login${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''}`,
  });
  if (start.statusCode !== 302) return { status: start.statusCode, body: start.json(), callback: '' };
  const callback = await browse(start.headers.location as string);
  const res = await s.app.inject({ method: 'GET', url: callback });
  return { status: res.statusCode, body: res.statusCode === 302 ? res.headers.location : res.json(), callback };
}

const alice: Account = {
  sub: 'alice-sub',
  preferred_username: 'alice',
  name: 'Alice',
  groups: ['sl-agents', 'unknown-group'],
  org: TENANT,
};

beforeAll(async () => {
  await startProvider();
  s = await startServer({ publicUrl: PUBLIC_URL, oidcAllowHttp: true });
  const platform = as(s.app, s.tokens.admin);
  await platform('POST', '/api/v1/tenants', { id: TENANT, name: 'SSO Inc', admin: { username: 'root', password: PASSWORD } });
  const signedIn = await as(s.app, undefined)('POST', '/api/v1/auth/login', { tenant: TENANT, username: 'root', password: PASSWORD });
  admin = as(s.app, signedIn.body.token);
  await admin('POST', '/api/v1/groups', { id: 'desk', name: 'Desk' });
  await admin('POST', '/api/v1/groups', { id: 'sl-approvers', name: 'Approvers' });
});
afterAll(async () => {
  await s?.close();
  await new Promise<void>((resolve) => idp.close(() => resolve()));
});

describe('configuring an identity provider', () => {
  it('lets a tenant admin configure an issuer; the client secret is write-only', async () => {
    const res = await admin('POST', '/api/v1/identity-providers', {
      id: 'corp',
      name: 'Corp SSO',
      issuer,
      clientId: 'serviceloom',
      clientSecret: 'provider-client-secret',
      scopes: 'openid profile groups',
      claims: { username: 'preferred_username', displayName: 'name', groups: 'groups' },
      roleMapping: { 'sl-agents': ['agent'], 'sl-approvers': ['process-owner'] },
      groupMapping: { 'sl-agents': 'desk' },
      defaultRoles: ['requester'],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      hasClientSecret: true,
      redirectUri: `${PUBLIC_URL}/api/v1/auth/oidc/${TENANT}/corp/callback`,
      loginUrl: `${PUBLIC_URL}/api/v1/auth/oidc/${TENANT}/corp/login`,
    });
    expect(JSON.stringify(res.body)).not.toContain('provider-client-secret');
    expect(JSON.stringify((await admin('GET', '/api/v1/identity-providers')).body)).not.toContain('provider-client-secret');
  });

  it('refuses to grant platform-admin through claims', async () => {
    const res = await admin('PATCH', '/api/v1/identity-providers/corp', { roleMapping: { admins: ['platform-admin'] } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('UNKNOWN_ROLE');
  });
});

describe('signing in', () => {
  it('refuses to reach an issuer on loopback until the tenant allow-lists it', async () => {
    const res = await signIn(alice);
    expect(res.status).toBe(502);
    expect(res.body.message).toMatch(/loopback, private or link-local/);
    await admin('PATCH', '/api/v1/tenant', { settings: { egressAllowHosts: [new URL(issuer).host] } });
  });

  it('signs a new user in, with roles and groups from the claims', async () => {
    const res = await signIn(alice);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.user).toMatchObject({ username: 'alice', displayName: 'Alice', roles: ['agent', 'requester'], groups: ['desk'] });
    const me = await as(s.app, res.body.token)('GET', '/api/v1/auth/me');
    expect(me.body).toMatchObject({ tenant: TENANT, username: 'alice' });
    const user = (await admin('GET', '/api/v1/users')).body.find((u: { username: string }) => u.username === 'alice');
    expect(user).toMatchObject({ identityProvider: 'corp', roles: ['agent', 'requester'], groups: ['desk'] });
    // An OIDC user has no password to sign in with.
    const local = await as(s.app, undefined)('POST', '/api/v1/auth/login', { tenant: TENANT, username: 'alice', password: '!' });
    expect(local.status).toBe(401);
  });

  it('syncs roles and groups from the claims at every sign-in', async () => {
    const res = await signIn({ ...alice, name: 'Alice B.', groups: ['sl-approvers'] });
    expect(res.body.user).toMatchObject({ displayName: 'Alice B.', roles: ['process-owner', 'requester'], groups: ['sl-approvers'] });
    const audit = (await admin('GET', '/api/v1/audit?action=user.update')).body;
    expect(audit[0]).toMatchObject({ actor: 'oidc:corp', after: { roles: ['process-owner', 'requester'] } });
  });

  it('uses each sign-in once', async () => {
    const first = await signIn(alice);
    expect(first.status).toBe(200);
    const replay = await s.app.inject({ method: 'GET', url: first.callback });
    expect(replay.statusCode).toBe(400);
    expect(replay.json().code).toBe('OIDC_STATE_INVALID');
  });

  it('never takes over a local account that has the same username', async () => {
    await admin('POST', '/api/v1/users', { username: 'bob', password: PASSWORD, roles: ['tenant-admin'] });
    const res = await signIn({ sub: 'mallory-sub', preferred_username: 'bob', name: 'Not Bob', groups: [] });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('USERNAME_TAKEN');
  });

  it('sends the browser back to the web app with a one-time code, traded for tokens', async () => {
    const res = await signIn(alice, 'corp', '/tasks?view=mine');
    expect(res.status).toBe(302);
    const back = new URL(res.body as string);
    expect(`${back.origin}${back.pathname}`).toBe(`${PUBLIC_URL}/tasks`);
    expect(back.searchParams.get('view')).toBe('mine');
    // The code travels in the fragment, which browsers never send to a server.
    const fragment = new URLSearchParams(back.hash.slice(1));
    expect(fragment.get('tenant')).toBe(TENANT);
    const code = fragment.get('oidcCode') as string;
    const traded = await as(s.app, undefined)('POST', '/api/v1/auth/oidc/exchange', { tenant: TENANT, code });
    expect(traded.status).toBe(200);
    expect(traded.body.user.username).toBe('alice');
    expect((await as(s.app, undefined)('POST', '/api/v1/auth/oidc/exchange', { tenant: TENANT, code })).status).toBe(400);
  });

  it('refuses returnTo addresses off this server', async () => {
    for (const returnTo of ['https://evil.example.com/', '//evil.example.com/x', '/\\evil.example.com']) {
      const res = await s.app.inject({
        method: 'GET',
        url: `/api/v1/auth/oidc/${TENANT}/corp/login?returnTo=${encodeURIComponent(returnTo)}`,
      });
      expect(res.statusCode, returnTo).toBe(400);
    }
  });

  it('checks a tenant claim when the provider names one', async () => {
    await admin('POST', '/api/v1/identity-providers', {
      id: 'strict',
      name: 'Shared SSO',
      issuer,
      clientId: 'serviceloom',
      clientSecret: 'provider-client-secret',
      scopes: 'openid profile org',
      claims: { tenant: 'org' },
    });
    expect((await signIn({ ...alice, sub: 'carol-sub', preferred_username: 'carol', org: 'another-tenant' }, 'strict')).status).toBe(403);
    const ok = await signIn({ ...alice, sub: 'dave-sub', preferred_username: 'dave', org: TENANT }, 'strict');
    expect(ok.status).toBe(200);
    expect(ok.body.user.roles).toEqual([]);
  });

  it('answers 404 for unknown tenants, unknown or disabled providers', async () => {
    await admin('PATCH', '/api/v1/identity-providers/strict', { enabled: false });
    for (const url of [
      '/api/v1/auth/oidc/nowhere/corp/login',
      `/api/v1/auth/oidc/${TENANT}/nope/login`,
      `/api/v1/auth/oidc/${TENANT}/strict/login`,
    ]) {
      expect((await s.app.inject({ method: 'GET', url })).statusCode, url).toBe(404);
    }
  });
});
