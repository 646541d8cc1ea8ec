// Whatever a client sends is answered with a 4xx, never a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Call, deploy, line, startServer, type TestServer, userTask } from './helpers.ts';

let s: TestServer;
let admin: Call;
beforeAll(async () => {
  s = await startServer();
  admin = as(s.app, s.tokens.admin);
  await deploy(admin, line('plain', [userTask('t')]));
});
afterAll(() => s.close());

describe('hostile input', () => {
  it('refuses NUL characters in values and keys', async () => {
    for (const body of [
      { definitionKey: 'plain', variables: { a: 'x\u0000y' } },
      { definitionKey: 'plain', variables: { 'k\u0000': 1 } },
      { definitionKey: 'plain', businessKey: '\u0000' },
    ]) {
      const res = await admin('POST', '/api/v1/process-instances', body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('INVALID_STRING');
    }
    const login = await as(s.app, undefined)('POST', '/api/v1/auth/login', { tenant: 'demo', username: 'a\u0000', password: 'x' });
    expect(login.status).toBe(400);
    expect((await admin('GET', '/api/v1/process-instances/a%00b')).status).toBe(400);
  });

  it('refuses deeply nested variables', async () => {
    let nested: unknown = 1;
    for (let i = 0; i < 200; i++) nested = { n: nested };
    expect((await admin('POST', '/api/v1/process-instances', { definitionKey: 'plain', variables: { nested } })).status).toBe(400);
    const deepArray = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/v1/process-instances',
      headers: { authorization: `Bearer ${s.tokens.admin}`, 'content-type': 'application/json' },
      payload: `{"definitionKey":"plain","variables":{"a":${deepArray}}}`,
    });
    expect(res.statusCode).toBe(400);
  });

  it('refuses numbers out of range and prototype poisoning', async () => {
    expect((await admin('POST', '/api/v1/process-instances', { definitionKey: 'plain', version: 2 ** 40 })).status).toBe(400);
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/v1/process-instances',
      headers: { authorization: `Bearer ${s.tokens.admin}`, 'content-type': 'application/json' },
      payload: '{"definitionKey":"plain","variables":{"__proto__":{"admin":true}}}',
    });
    expect(res.statusCode).toBe(400);
  });

  it('refuses unsupported content types with 415', async () => {
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/v1/process-instances',
      headers: { authorization: `Bearer ${s.tokens.admin}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'definitionKey=plain',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses a clock jump past 100 years', async () => {
    expect((await admin('POST', '/api/v1/admin/clock', { advanceBy: 'P1000Y' })).status).toBe(400);
  });
});
