// Sessions: short-lived access tokens, rotating refresh tokens, logout, password change, lockout
// after repeated failures, rate limits, secure headers and CORS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, PASSWORD, startServer, type TestServer, tokenFor } from './helpers.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startServer({ tokenTtlSeconds: 600, lockoutThreshold: 3, lockoutSeconds: 300 });
});
afterAll(() => s.close());

const anon = () => as(s.app, undefined);
// Access tokens here live 10 minutes and the tests move the clock: a fresh admin session each time.
const adminCall = async () => as(s.app, await tokenFor(s.app, 'admin'));
const login = (username: string, password = PASSWORD, tenant = 'demo') =>
  anon()('POST', '/api/v1/auth/login', { tenant, username, password });

describe('access and refresh tokens', () => {
  it('signs in with a short-lived access token and a refresh token', async () => {
    const res = await login('agent1');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      token: expect.any(String),
      expiresIn: 600,
      refreshToken: expect.stringMatching(/^demo\./),
      refreshExpiresAt: expect.any(String),
      user: { username: 'agent1', roles: ['agent'], groups: ['network', 'service-desk'] },
    });
    expect((await as(s.app, res.body.token)('GET', '/api/v1/auth/me')).body).toMatchObject({ tenant: 'demo', username: 'agent1' });
  });

  it('stores refresh tokens hashed, never as given', async () => {
    const { refreshToken } = (await login('agent2')).body;
    const stored = await s.app.services.transactions.read('demo', (tx) => tx('refresh_tokens').select('token_hash'));
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.map((r: { token_hash: string }) => r.token_hash)).not.toContain(refreshToken);
    expect(JSON.stringify(stored)).not.toContain(refreshToken.split('.')[1]);
  });

  it('refuses an access token once it has expired, and a refresh brings a new one', async () => {
    const { token, refreshToken } = (await login('agent1')).body;
    await (await adminCall())('POST', '/api/v1/admin/clock', { advanceBy: 'PT11M' });
    const expired = await as(s.app, token)('GET', '/api/v1/auth/me');
    expect(expired.status).toBe(401);
    const refreshed = await anon()('POST', '/api/v1/auth/refresh', { refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(refreshToken);
    expect((await as(s.app, refreshed.body.token)('GET', '/api/v1/auth/me')).status).toBe(200);
  });

  it('uses a refresh token once; presenting it again ends the whole session', async () => {
    const first = (await login('agent2')).body;
    const second = (await anon()('POST', '/api/v1/auth/refresh', { refreshToken: first.refreshToken })).body;
    const replay = await anon()('POST', '/api/v1/auth/refresh', { refreshToken: first.refreshToken });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('INVALID_REFRESH_TOKEN');
    // The thief's replay ended the session: the legitimate holder's tokens stop working too.
    expect((await anon()('POST', '/api/v1/auth/refresh', { refreshToken: second.refreshToken })).status).toBe(401);
    expect((await as(s.app, second.token)('GET', '/api/v1/auth/me')).status).toBe(401);
  });

  it('refuses forged and foreign refresh tokens', async () => {
    for (const refreshToken of ['demo.forged', 'nope', 'other.abc', `${'x'.repeat(10)}.y`]) {
      expect((await anon()('POST', '/api/v1/auth/refresh', { refreshToken })).status).toBe(401);
    }
  });

  it('gives the roles and groups the user has now on refresh', async () => {
    const admin = await adminCall();
    await addUser(s.app, 'promoted', ['requester']);
    const session = (await login('promoted')).body;
    const user = (await admin('GET', '/api/v1/users')).body.find((u: { username: string }) => u.username === 'promoted');
    await admin('PATCH', `/api/v1/users/${user.id}`, { roles: ['requester', 'agent'], groups: ['network'] });
    const refreshed = (await anon()('POST', '/api/v1/auth/refresh', { refreshToken: session.refreshToken })).body;
    expect(refreshed.user).toMatchObject({ roles: ['agent', 'requester'], groups: ['network'] });
  });
});

describe('logout and revocation', () => {
  it('ends the session: its access token and refresh token stop working at once', async () => {
    const { token, refreshToken } = (await login('agent1')).body;
    const other = (await login('agent1')).body;
    expect((await as(s.app, token)('POST', '/api/v1/auth/logout')).status).toBe(200);
    expect((await as(s.app, token)('GET', '/api/v1/tasks')).status).toBe(401);
    expect((await anon()('POST', '/api/v1/auth/refresh', { refreshToken })).status).toBe(401);
    // Another session of the same user is not affected.
    expect((await as(s.app, other.token)('GET', '/api/v1/tasks')).status).toBe(200);
  });

  it('ends every session of a user who is disabled or deleted, or loses a role', async () => {
    const admin = await adminCall();
    for (const change of ['disable', 'delete', 'demote'] as const) {
      const username = `revoked-${change}`;
      const token = await addUser(s.app, username, ['agent', 'requester']);
      expect((await as(s.app, token)('GET', '/api/v1/tasks')).status).toBe(200);
      const user = (await admin('GET', '/api/v1/users')).body.find((u: { username: string }) => u.username === username);
      if (change === 'disable') await admin('PATCH', `/api/v1/users/${user.id}`, { disabled: true });
      if (change === 'delete') expect((await admin('DELETE', `/api/v1/users/${user.id}`)).status).toBe(204);
      if (change === 'demote') await admin('PATCH', `/api/v1/users/${user.id}`, { roles: ['requester'] });
      expect((await as(s.app, token)('GET', '/api/v1/process-instances')).status, change).toBe(401);
    }
    expect((await login('revoked-disable')).status).toBe(401);
  });
});

describe('password change', () => {
  it('needs the current password, ends the other sessions, and the new password works', async () => {
    await addUser(s.app, 'changer', ['requester']);
    const mine = (await login('changer')).body;
    const elsewhere = (await login('changer')).body;
    const call = as(s.app, mine.token);
    const wrong = await call('POST', '/api/v1/auth/password', { currentPassword: 'not it', newPassword: 'a-new-password' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('WRONG_PASSWORD');
    const short = await call('POST', '/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'short' });
    expect(short.body.code).toBe('PASSWORD_TOO_SHORT');
    expect((await call('POST', '/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'a-new-password' })).status).toBe(200);
    expect((await call('GET', '/api/v1/auth/me')).status).toBe(200);
    expect((await as(s.app, elsewhere.token)('GET', '/api/v1/auth/me')).status).toBe(401);
    expect((await login('changer')).status).toBe(401);
    expect((await login('changer', 'a-new-password')).status).toBe(200);
    const audit = (await (await adminCall())('GET', '/api/v1/audit?action=user.password_change')).body;
    expect(audit[0]).toMatchObject({ actor: 'changer', after: { password: '[redacted]' } });
    expect(JSON.stringify(audit)).not.toContain('a-new-password');
  });
});

describe('brute force', () => {
  it('locks an account after repeated wrong passwords, refusing even the right one until the lock passes', async () => {
    await addUser(s.app, 'target', ['requester']);
    for (let i = 0; i < 2; i++) expect((await login('target', 'guess')).status).toBe(401);
    const locked = await s.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { tenant: 'demo', username: 'target', password: 'guess' },
    });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(200);
    expect((await login('target')).status).toBe(429);
    const admin = await adminCall();
    const user = (await admin('GET', '/api/v1/users')).body.find((u: { username: string }) => u.username === 'target');
    expect(user.lockedUntil).toEqual(expect.any(String));
    expect((await admin('GET', `/api/v1/audit?action=user.locked&targetId=${user.id}`)).body).toHaveLength(1);
    await admin('POST', '/api/v1/admin/clock', { advanceBy: 'PT6M' });
    expect((await login('target')).status).toBe(200);
  });

  it('answers unknown usernames the same way, so lockouts do not tell which accounts exist', async () => {
    for (let i = 0; i < 2; i++) expect((await login('nobody-here', 'guess')).status).toBe(401);
    expect((await login('nobody-here', 'guess')).status).toBe(429);
  });

  it('lets a tenant admin clear a lockout', async () => {
    await addUser(s.app, 'forgetful', ['requester']);
    for (let i = 0; i < 3; i++) await login('forgetful', 'guess');
    expect((await login('forgetful')).status).toBe(429);
    const admin = await adminCall();
    const user = (await admin('GET', '/api/v1/users')).body.find((u: { username: string }) => u.username === 'forgetful');
    await admin('PATCH', `/api/v1/users/${user.id}`, { unlock: true });
    expect((await login('forgetful')).status).toBe(200);
  });
});

describe('rate limits, headers and CORS', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startServer({ authRateLimit: 3, corsOrigins: ['https://desk.example.com'] });
  });
  afterAll(() => limited.close());

  it('slows down sign-in attempts from one address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await limited.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { tenant: 'demo', username: `who${i}`, password: 'guess' },
      });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) {
        expect(res.json().code).toBe('TOO_MANY_REQUESTS');
        expect(res.headers['retry-after']).toBeDefined();
      }
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it('counts sign-ins per client behind a trusted proxy, and believes no one else’s X-Forwarded-For', async () => {
    // A new username each time: repeated failures for one name lock it (429 too) whatever the address.
    let n = 0;
    const attempt = (app: TestServer, forwardedFor: string, remoteAddress = '127.0.0.1') =>
      app.app
        .inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          remoteAddress,
          headers: { 'x-forwarded-for': forwardedFor },
          payload: { tenant: 'demo', username: `proxied${n++}`, password: 'guess' },
        })
        .then((r) => (r.statusCode === 429 ? `429 ${r.json().code}` : r.statusCode));
    const proxied = await startServer({ authRateLimit: 2, trustProxy: ['127.0.0.1'] });
    try {
      expect([await attempt(proxied, '203.0.113.7'), await attempt(proxied, '203.0.113.7'), await attempt(proxied, '203.0.113.7')]).toEqual(
        [401, 401, '429 TOO_MANY_REQUESTS'],
      );
      // Another client behind the same proxy has its own allowance.
      expect(await attempt(proxied, '198.51.100.9')).toBe(401);
      // A client that is not the proxy cannot pick its address with the header.
      expect(await attempt(proxied, '192.0.2.1', '192.0.2.50')).toBe(401);
      expect(await attempt(proxied, '192.0.2.2', '192.0.2.50')).toBe(401);
      expect(await attempt(proxied, '192.0.2.3', '192.0.2.50')).toBe('429 TOO_MANY_REQUESTS');
    } finally {
      await proxied.close();
    }
    // Without SERVICELOOM_TRUST_PROXY the header counts for nothing: the proxy's address is the client.
    expect(await attempt(limited, '198.51.100.10', '10.9.8.7')).toBe(401);
    expect(await attempt(limited, '198.51.100.11', '10.9.8.7')).toBe(401);
    expect(await attempt(limited, '198.51.100.12', '10.9.8.7')).toBe(401);
    expect(await attempt(limited, '198.51.100.13', '10.9.8.7')).toBe('429 TOO_MANY_REQUESTS');
  });

  it('sends secure headers', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/health' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
    // Errors too, whoever answers them.
    for (const url of ['/api/v1/no-such-route', '/api/v1/tasks']) {
      const error = await s.app.inject({ method: 'GET', url });
      expect(error.statusCode).toBeGreaterThanOrEqual(400);
      expect(error.headers['content-security-policy']).toContain("default-src 'self'");
      expect(error.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('keeps CORS off unless origins are configured, and then allows only those', async () => {
    const preflight = (app: TestServer, origin: string) =>
      app.app.inject({
        method: 'OPTIONS',
        url: '/api/v1/definitions',
        headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });
    const off = await preflight(s, 'https://evil.example.com');
    expect(off.headers['access-control-allow-origin']).toBeUndefined();
    const get = await s.app.inject({ method: 'GET', url: '/health', headers: { origin: 'https://evil.example.com' } });
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
    expect((await preflight(limited, 'https://desk.example.com')).headers['access-control-allow-origin']).toBe('https://desk.example.com');
    expect((await preflight(limited, 'https://evil.example.com')).headers['access-control-allow-origin']).toBeUndefined();
  });
});
