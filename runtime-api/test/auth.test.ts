import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenSigner } from '../src/platform/auth/tokens.ts';
import { as, PASSWORD, startServer, type TestServer } from './helpers.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.close());

describe('health and docs', () => {
  it('answers /health', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('serves the OpenAPI document with every core route and the UI', async () => {
    const doc = (await s.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/v1/auth/login',
      '/api/v1/definitions',
      '/api/v1/definitions/{id}',
      '/api/v1/definitions/{key}/versions',
      '/api/v1/process-instances',
      '/api/v1/process-instances/{id}',
      '/api/v1/process-instances/{id}/history',
      '/api/v1/process-instances/{id}/cancel',
      '/api/v1/process-instances/{id}/faults/{faultId}/retry',
      '/api/v1/tasks',
      '/api/v1/tasks/{id}/claim',
      '/api/v1/tasks/{id}/unclaim',
      '/api/v1/tasks/{id}/complete',
      '/api/v1/jobs/activate',
      '/api/v1/jobs/{id}/complete',
      '/api/v1/jobs/{id}/fail',
      '/api/v1/jobs/{id}/throw-error',
      '/api/v1/messages',
      '/api/v1/signals',
      '/api/v1/admin/clock',
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    expect(doc.paths['/api/v1/tasks'].get.security).toEqual([{ bearerAuth: [] }]);
    const ui = await s.app.inject({ method: 'GET', url: '/docs' });
    expect(ui.statusCode).toBeLessThan(400);
  });
});

describe('login', () => {
  it('gives a token and the user with roles and groups', async () => {
    const res = await as(s.app, undefined)('POST', '/api/v1/auth/login', { tenant: 'demo', username: 'agent1', password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.token).toEqual(expect.any(String));
    expect(res.body.user).toMatchObject({ username: 'agent1', roles: ['agent'], groups: ['network', 'service-desk'] });
  });

  it('seeds admin with every role, platform-admin included', async () => {
    const res = await as(s.app, undefined)('POST', '/api/v1/auth/login', { tenant: 'demo', username: 'admin', password: PASSWORD });
    expect(res.body.user.roles).toEqual(
      expect.arrayContaining(['platform-admin', 'tenant-admin', 'process-owner', 'form-admin', 'agent', 'requester', 'worker']),
    );
  });

  it.each([
    ['wrong password', { tenant: 'demo', username: 'agent1', password: 'nope' }],
    ['unknown user', { tenant: 'demo', username: 'nobody', password: PASSWORD }],
    ['unknown tenant', { tenant: 'elsewhere', username: 'agent1', password: PASSWORD }],
  ])('answers 401 for a %s', async (_, body) => {
    const res = await as(s.app, undefined)('POST', '/api/v1/auth/login', body);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'INVALID_CREDENTIALS', message: expect.any(String) });
  });

  it('answers 400 naming the missing and mistyped fields', async () => {
    const res = await as(s.app, undefined)('POST', '/api/v1/auth/login', { tenant: 'demo', password: 5 });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const fields = res.body.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['username', 'password']));
  });

  it('answers 400 for a body that is not JSON', async () => {
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"tenant":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('INVALID_JSON');
  });
});

describe('tokens and roles', () => {
  it('answers 401 without a token, with a forged one and with a malformed header', async () => {
    expect((await as(s.app, undefined)('GET', '/api/v1/definitions')).status).toBe(401);
    const [body] = s.tokens.agent1!.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), rol: ['tenant-admin'] }),
    ).toString('base64url');
    const res = await as(s.app, `${forged}.${s.tokens.agent1!.split('.')[1]}`)('GET', '/api/v1/definitions');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('UNAUTHORIZED');
    const basic = await s.app.inject({ method: 'GET', url: '/api/v1/definitions', headers: { authorization: 'Basic abc' } });
    expect(basic.statusCode).toBe(401);
  });

  it('refuses an expired token', async () => {
    const token = s.app.tokens.sign(
      { userId: 'x', tenantId: 'demo', username: 'agent1', roles: ['agent'], groups: [], sessionId: 'x' },
      s.app.clock.now() - (s.app.tokens.ttlSeconds + 1) * 1000,
    );
    expect((await as(s.app, token)('GET', '/api/v1/tasks')).status).toBe(401);
  });

  it('stops taking a token it took before once it expires, and never takes an altered copy', () => {
    const signer = new TokenSigner('a-secret', 60);
    const t0 = Date.parse('2026-05-01T08:00:00Z');
    const principal = { userId: 'u1', tenantId: 'demo', username: 'agent1', roles: ['agent'], groups: ['ops'], sessionId: 's1' };
    const token = signer.sign(principal, t0);
    expect(signer.verify(token, t0 + 1_000)).toEqual(principal);
    expect(signer.verify(token, t0 + 59_000)).toEqual(principal);
    expect(signer.verify(token, t0 + 60_000)).toBeUndefined();
    const [body, mac] = token.split('.');
    expect(signer.verify(`${body}.${mac!.slice(0, -1)}${mac!.endsWith('A') ? 'B' : 'A'}`, t0 + 1_000)).toBeUndefined();
    expect(new TokenSigner('another-secret', 60).verify(token, t0 + 1_000)).toBeUndefined();
  });

  it('answers 403 when a role is missing, before looking at the body', async () => {
    const res = await as(s.app, s.tokens.requester)('POST', '/api/v1/definitions', { nonsense: true });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
    expect((await as(s.app, s.tokens.agent1)('POST', '/api/v1/jobs/activate', { type: 'x', maxJobs: 1, lockDuration: 1000 })).status).toBe(
      403,
    );
    expect((await as(s.app, s.tokens.requester)('GET', '/api/v1/tasks')).status).toBe(403);
    expect((await as(s.app, s.tokens.agent1)('POST', '/api/v1/admin/clock', { advanceBy: 'PT1H' })).status).toBe(403);
  });

  it('answers unknown routes with a 404 in the error shape', async () => {
    const res = await as(s.app, s.tokens.admin)('GET', '/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });
});
