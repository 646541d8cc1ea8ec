// Every route declares who may call it, and the server keeps to the declaration. The route table
// is the server's own (collected by fastify's onRoute hook in plugins/auth.ts), so a route added
// later is covered without touching this file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../src/platform/auth/roles.ts';
import type { RouteAccess } from '../src/platform/plugins/auth.ts';
import { addUser, as, startServer, type TestServer, tokenFor } from './helpers.ts';

/** The routes anyone may call: health, sign-in and the OIDC flow. A new public route must be added here on purpose. */
const PUBLIC = [
  'GET /health',
  'GET /health/ready',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/refresh',
  'GET /api/v1/auth/oidc/:tenant/:provider/login',
  'GET /api/v1/auth/oidc/:tenant/:provider/callback',
  'POST /api/v1/auth/oidc/exchange',
];

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
  // One user per role, holding only that role.
  for (const role of ROLES) await addUser(s.app, `only-${role}`, [role]);
});
afterAll(() => s.close());

const api = () => s.app.routeAccess.filter((r) => r.url.startsWith('/api/'));

/** Routes that answer with a stream that stays open (Server-Sent Events): read up to the status, then leave. */
const STREAMS = ['GET /api/v1/tickets/stream', 'GET /api/v1/notifications/stream'];
async function openStream(token: string, url: string): Promise<{ status: number; body: { code?: string } }> {
  const res = await s.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` }, payloadAsStream: true });
  const stream = res.stream();
  if (res.statusCode < 300) {
    stream.destroy();
    return { status: res.statusCode, body: {} };
  }
  let text = '';
  for await (const chunk of stream) text += chunk;
  return { status: res.statusCode, body: JSON.parse(text) };
}
const name = (r: RouteAccess) => `${r.method} ${r.url}`;

describe('route declarations', () => {
  it('has every route declare the roles it needs, or that it is public', () => {
    expect(api().length).toBeGreaterThan(40);
    for (const route of api()) {
      expect(route.public || Array.isArray(route.roles), `${name(route)} declares roles or public`).toBe(true);
      for (const role of route.roles ?? []) expect(ROLES, `${name(route)}: unknown role ${role}`).toContain(role);
    }
    // Outside /api: /health (public) and what only serves static files (the docs UI, the web app).
    for (const route of s.app.routeAccess.filter((r) => !r.url.startsWith('/api/'))) {
      if (route.url === '/health' || route.url === '/health/ready') expect(route.public).toBe(true);
      else expect(route.url, `${name(route)} is outside /api and declares nothing`).toMatch(/^\/(docs|\*|$|assets|[^/]*\.[a-z]+$)/);
    }
  });

  it('has exactly the expected public routes', () => {
    const publicRoutes = s.app.routeAccess.filter((r) => r.public).map(name);
    expect(publicRoutes.sort()).toEqual([...PUBLIC].sort());
  });

  it('documents the bearer requirement of every signed-in route in OpenAPI', async () => {
    const doc = (await s.app.inject({ method: 'GET', url: '/docs/json' })).json();
    for (const route of api().filter((r) => !r.public)) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[path]?.[route.method.toLowerCase()]?.security, name(route)).toEqual([{ bearerAuth: [] }]);
    }
  });
});

describe('roles', () => {
  it('lets each role through exactly the routes that declare it, and answers 403 to the others', async () => {
    const outcomes: string[] = [];
    for (const route of api().filter((r) => !r.public)) {
      const url = route.url.replace(/:(\w+)/g, 'no-such-thing');
      for (const role of ROLES) {
        const allowed = route.roles?.length === 0 || (route.roles ?? []).includes(role as Role);
        // A fresh session each time: the logout route ends the one it is called with.
        const token = await tokenFor(s.app, `only-${role}`);
        // A body no route accepts: an allowed caller gets past the roles and stops at validation
        // (or at the unknown id), so nothing is changed.
        const body = ['POST', 'PUT', 'PATCH'].includes(route.method) ? { 'not-a-field': true } : undefined;
        const res = STREAMS.includes(name(route)) ? await openStream(token, url) : await as(s.app, token)(route.method as never, url, body);
        if (allowed) {
          expect([401, 403], `${name(route)} as ${role}: ${res.status} ${JSON.stringify(res.body)}`).not.toContain(res.status);
          expect(res.status, `${name(route)} as ${role}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
        } else {
          expect(res.status, `${name(route)} as ${role}`).toBe(403);
          expect(res.body.code).toBe('FORBIDDEN');
        }
        outcomes.push(`${name(route)} ${role} ${res.status}`);
      }
    }
    if (process.env.SHOW_ROUTE_OUTCOMES) console.log(outcomes.join('\n'));
    expect(outcomes.length).toBe(api().filter((r) => !r.public).length * ROLES.length);
    // Every route times every role, each with a session of its own: slow on a busy machine.
  }, 120_000);

  it('answers 401 to every signed-in route without a token', async () => {
    for (const route of api().filter((r) => !r.public)) {
      const res = await as(s.app, undefined)(route.method as never, route.url.replace(/:(\w+)/g, 'x'));
      expect(res.status, name(route)).toBe(401);
    }
  });
});
