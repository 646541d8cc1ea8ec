// Strings PostgreSQL cannot store (NUL characters, lone UTF-16 surrogates) are refused with 400
// INVALID_STRING naming the field as a JSON pointer, on every route: one check in the errors plugin
// runs on each request's body, query string and path parameters. The routes come from the server's
// own route table, so a route added later is covered without touching this file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteAccess } from '../src/platform/plugins/auth.ts';
import { as, type Call, deploy, inTenant, line, startServer, type TestServer, userTask } from './helpers.ts';

let s: TestServer;
let admin: Call;
beforeAll(async () => {
  s = await startServer();
  admin = as(s.app, s.tokens.admin);
  await deploy(admin, line('plain', [userTask('t')]));
  // Generous: the server starts on a busy shared machine.
}, 240_000);
afterAll(() => s.close());

const name = (r: RouteAccess) => `${r.method} ${r.url}`;
const withBody = () => s.app.routeAccess.filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method) && r.url.startsWith('/api/'));
const caller = (r: RouteAccess) => (r.public ? as(s.app, undefined) : admin);
const urlOf = (r: RouteAccess) => r.url.replace(/:(\w+)/g, 'no-such-thing');

const LONE_HIGH = '\ud800';
const LONE_LOW = '\udc00';
const NUL = '\u0000';

describe('strings PostgreSQL cannot store', () => {
  it('are refused in the body of every route that takes one, naming the field', async () => {
    expect(withBody().length).toBeGreaterThan(20);
    const bodies: Array<[unknown, string]> = [
      [{ probe: `a${LONE_HIGH}b` }, '/probe'],
      [{ variables: { note: LONE_LOW } }, '/variables/note'],
      [{ variables: { [`k${LONE_HIGH}`]: 1 } }, `/variables/k${LONE_HIGH}`],
      [{ list: ['ok', `x${NUL}`] }, '/list/1'],
      [{ 'a/b': { '~c': NUL } }, '/a~1b/~0c'],
    ];
    for (const route of withBody()) {
      for (const [body, field] of bodies) {
        const res = await caller(route)(route.method as never, urlOf(route), body);
        const what = `${name(route)} ${JSON.stringify(body)}: ${res.status} ${JSON.stringify(res.body)}`;
        expect(res.status, what).toBe(400);
        expect(res.body.code, what).toBe('INVALID_STRING');
        expect(res.body.details?.[0], what).toMatchObject({ field, in: 'body' });
        expect(res.body.message, what).toContain(field);
      }
    }
  });

  it('are refused in path parameters and query strings of every route', async () => {
    const api = s.app.routeAccess.filter((r) => r.url.startsWith('/api/'));
    for (const route of api) {
      const body = ['POST', 'PUT', 'PATCH'].includes(route.method) ? {} : undefined;
      const query = await caller(route)(route.method as never, `${urlOf(route)}?q=a%00b`, body);
      expect(query.status, `${name(route)} query: ${JSON.stringify(query.body)}`).toBe(400);
      expect(query.body.code).toBe('INVALID_STRING');
      expect(query.body.details?.[0]).toMatchObject({ field: '/q', in: 'querystring' });
      if (!route.url.includes(':')) continue;
      const param = await caller(route)(route.method as never, route.url.replace(/:(\w+)/g, 'a%00b'), body);
      expect(param.status, `${name(route)} params: ${JSON.stringify(param.body)}`).toBe(400);
      expect(param.body.code).toBe('INVALID_STRING');
      expect(param.body.details?.[0].in).toBe('params');
    }
  });

  it('leave nothing behind, and well-formed text (a surrogate pair) still passes', async () => {
    const count = () => inTenant(s.app, 'demo', async (tx) => Number((await tx('instances').count({ n: '*' }))[0]?.n));
    const before = await count();
    for (const body of [
      { definitionKey: 'plain', businessKey: LONE_HIGH },
      { definitionKey: 'plain', variables: { note: `${LONE_HIGH}x` } },
      { definitionKey: 'plain', variables: { nested: [{ deep: LONE_LOW }] } },
    ]) {
      const res = await admin('POST', '/api/v1/process-instances', body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('INVALID_STRING');
    }
    expect(await count()).toBe(before);
    const ok = await admin('POST', '/api/v1/process-instances', {
      definitionKey: 'plain',
      businessKey: '😀',
      variables: { note: '票 😀' },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.variables.note).toBe('票 😀');
    expect(await count()).toBe(before + 1);
  });

  it('are refused in raw JSON escapes too (what a client other than JavaScript sends)', async () => {
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/v1/process-instances',
      headers: { authorization: `Bearer ${s.tokens.admin}`, 'content-type': 'application/json' },
      payload: '{"definitionKey":"plain","variables":{"note":"\\ud800"}}',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'INVALID_STRING', details: [{ field: '/variables/note', in: 'body' }] });
  });
});
