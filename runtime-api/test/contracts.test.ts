// The server answers what @serviceloom/contracts says: every core route's params, query string,
// body and replies are structurally equal to the contract's schemas for it, and the live app has
// exactly the contract's routes. The schemas are the route modules' own, collected by an onRoute
// hook on a bare fastify (no database: the handlers never run); the route list is the live app's.
import { CONTRACT, ErrorReply, ROUTES, type RouteName, type RouteSchemas } from '@serviceloom/contracts';
import Fastify, { type RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import formRoutes from '../src/forms/routes.ts';
import authRoutes from '../src/identity/routes/auth.ts';
import oidcRoutes from '../src/identity/routes/oidc.ts';
import tenantRoutes from '../src/identity/routes/tenants.ts';
import userRoutes from '../src/identity/routes/users.ts';
import calendarRoutes from '../src/modules/calendars/routes.ts';
import catalogRoutes from '../src/modules/catalog/routes.ts';
import channelRoutes from '../src/modules/channels/routes.ts';
import notificationRoutes from '../src/modules/notifications/routes.ts';
import notificationStreamRoutes from '../src/modules/notifications/stream.ts';
import slaRoutes from '../src/modules/sla/routes.ts';
import templatesRoutes from '../src/modules/templates/routes.ts';
import ticketRoutes from '../src/modules/tickets/routes.ts';
import ticketStreamRoutes from '../src/modules/tickets/stream.ts';
import adminClockRoutes from '../src/platform/routes/admin-clock.ts';
import auditRoutes from '../src/platform/routes/audit.ts';
import healthRoutes from '../src/platform/routes/health.ts';
import definitionRoutes from '../src/process/routes/definitions.ts';
import eventRoutes from '../src/process/routes/events.ts';
import instanceRoutes from '../src/process/routes/instances.ts';
import jobRoutes from '../src/process/routes/jobs.ts';
import taskRoutes from '../src/process/routes/tasks.ts';
import { startServer, type TestServer } from './helpers.ts';

const ROUTE_MODULES = [
  healthRoutes,
  authRoutes,
  oidcRoutes,
  tenantRoutes,
  userRoutes,
  auditRoutes,
  definitionRoutes,
  instanceRoutes,
  taskRoutes,
  formRoutes,
  jobRoutes,
  eventRoutes,
  templatesRoutes,
  adminClockRoutes,
  ticketRoutes,
  catalogRoutes,
  channelRoutes,
  ticketStreamRoutes,
  notificationRoutes,
  notificationStreamRoutes,
  calendarRoutes,
  slaRoutes,
];

/** Routes outside the contract on purpose: the test clock exists only in tests (SERVICELOOM_TEST_CLOCK=1). */
const NOT_IN_CONTRACT = ['GET /api/v1/admin/clock', 'POST /api/v1/admin/clock'];

type Schema = Record<string, unknown>;
interface Declared {
  params?: Schema;
  querystring?: Schema;
  body?: Schema;
  response?: Record<string, Schema>;
}

const UPLOAD_LIMITS = { maxBytes: 1024, userQuotaBytes: 0, tenantQuotaBytes: 0, userConcurrency: 1, tenantConcurrency: 1 };

/** The route modules' schemas by "METHOD /path", as they declare them. */
async function declaredSchemas(): Promise<Map<string, Declared>> {
  const app = Fastify({ logger: false });
  const declared = new Map<string, Declared>();
  app.addHook('onRoute', (route: RouteOptions) => {
    for (const method of [route.method].flat())
      if (method !== 'HEAD') declared.set(`${method} ${route.url}`, (route.schema ?? {}) as Declared);
  });
  // What the route modules read while registering (never while handling: no request is made).
  app.decorate('services', new Proxy({}, { get: () => ({ limits: UPLOAD_LIMITS }) }) as never);
  app.decorate('authRateLimit', {} as never);
  for (const routes of ROUTE_MODULES) await app.register(routes as never);
  await app.ready();
  await app.close();
  return declared;
}

/** A schema as JSON: what validation and OpenAPI see (TypeBox's own non-enumerable markers aside). */
const plain = (schema: unknown) => (schema === undefined ? undefined : JSON.parse(JSON.stringify(schema)));

const routeKey = (name: RouteName) => `${ROUTES[name][0]} ${ROUTES[name][1]}`;

let declared: Map<string, Declared>;
beforeAll(async () => {
  declared = await declaredSchemas();
});

describe('the route modules', () => {
  it("declares for each route the contract's params, query string and body", () => {
    for (const name of Object.keys(CONTRACT) as RouteName[]) {
      const contract = CONTRACT[name] as RouteSchemas;
      const server = declared.get(routeKey(name)) ?? {};
      expect(plain(server.params), `${name} params`).toEqual(plain(contract.params));
      expect(plain(server.querystring), `${name} query`).toEqual(plain(contract.query));
      expect(plain(server.body), `${name} body`).toEqual(plain(contract.body));
    }
  });

  it("answers each route's successes with the contract's replies, and its errors with ErrorReply", () => {
    for (const name of Object.keys(CONTRACT) as RouteName[]) {
      const contract = CONTRACT[name] as RouteSchemas;
      const response = declared.get(routeKey(name))?.response ?? {};
      const successes = Object.fromEntries(Object.entries(response).filter(([status]) => Number(status) < 400));
      expect(Object.keys(successes).sort(), `${name} success statuses`).toEqual(Object.keys(contract.reply).sort());
      for (const [status, schema] of Object.entries(successes)) {
        expect(plain(schema), `${name} ${status}`).toEqual(plain(contract.reply[Number(status) as keyof RouteSchemas['reply']]));
      }
      for (const [status, schema] of Object.entries(response).filter(([s]) => Number(s) >= 400)) {
        expect(plain(schema), `${name} ${status}`).toEqual(plain(ErrorReply));
      }
    }
  });
});

describe('the live app', () => {
  let live: TestServer;
  beforeAll(async () => {
    live = await startServer();
  });
  afterAll(() => live?.close());

  it("has exactly the contract's routes", () => {
    const liveRoutes = live.app.routeAccess
      .filter((r) => r.url.startsWith('/api/') || r.url === '/health')
      .map((r) => `${r.method} ${r.url}`)
      .filter((r) => !NOT_IN_CONTRACT.includes(r));
    const contractRoutes = (Object.keys(ROUTES) as RouteName[]).map(routeKey);
    expect([...contractRoutes].sort()).toEqual([...new Set(liveRoutes)].sort());
    // Every live route's schemas were collected here: a new route module must join ROUTE_MODULES.
    for (const route of liveRoutes) expect(declared.has(route), `${route} is in ROUTE_MODULES`).toBe(true);
  });
});
