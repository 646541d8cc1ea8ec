// The isolation suite, run on embedded PGlite (isolation.test.ts) and on PostgreSQL
// (isolation.integration.test.ts): two tenants with data of every kind; every route that takes an
// id, called by tenant B with tenant A's ids, answers 404 exactly as for an id that does not exist;
// lists never show a foreign row; and A's data is untouched afterwards. The routes come from the
// server's own route table, so a new route with an id is covered (or the suite says which fixture
// id it lacks).
import { expect, it } from 'vitest';
import type { RouteAccess } from '../src/platform/plugins/auth.ts';
import { as, type Call, type TestServer } from './helpers.ts';
import { createTenantWithData, type TenantData } from './tenant-fixture.ts';

/**
 * Platform-scoped or public routes: tenants are not tenant data; the OIDC flow names its tenant in
 * the URL; templates are keyed by the platform's template keys, the same in every tenant (each acts
 * on the caller's own copy).
 */
const NOT_TENANT_SCOPED = [/^\/api\/v1\/tenants(\/|$)/, /^\/api\/v1\/auth\/oidc\//, /^\/api\/v1\/itsm\/templates\//];

/** Routes that create, replace or delete by name in the caller's own tenant (B's draft "alpha-task" is B's). */
const OWN_BY_NAME = new Set([
  'PUT /api/v1/definitions/:key/draft',
  'DELETE /api/v1/definitions/:key/draft',
  // An event's wording: B sets and resets its own.
  'PUT /api/v1/itsm/notification-templates/:event',
  'DELETE /api/v1/itsm/notification-templates/:event',
]);

/** A valid body, so that validation (400) does not answer before the lookup would (404). */
const BODIES: Record<string, unknown> = {
  'POST /api/v1/jobs/:id/fail': { message: 'x', retries: 1 },
  'POST /api/v1/jobs/:id/throw-error': { errorCode: 'x' },
  'PATCH /api/v1/users/:id': { displayName: 'taken over' },
  'PATCH /api/v1/groups/:id': { name: 'taken over' },
  'PATCH /api/v1/identity-providers/:id': { name: 'taken over' },
  'PUT /api/v1/definitions/:key/draft': { bpmnXml: '<x/>' },
  'PUT /api/v1/forms/:key/draft': { name: 'taken over', schema: { type: 'object' } },
  'PUT /api/v1/catalog/:key': { name: { en: 'taken over' }, category: 'x' },
  'PATCH /api/v1/tickets/:number': { title: 'taken over' },
  'PUT /api/v1/itsm/sla-policies/:id': { name: 'taken over', ticketType: 'incident', kind: 'response', condition: 'true', target: 'PT1H' },
  'PUT /api/v1/itsm/calendars/:id': { timezone: 'UTC', week: { mon: [['09:00', '17:00']] } },
  'POST /api/v1/tickets/:number/comments': { body: 'taken over' },
  'POST /api/v1/tickets/:number/attachments': { attachmentId: '00000000-0000-4000-8000-000000000000' },
  'POST /api/v1/tickets/:number/relations': { kind: 'related', number: 'INC0000001' },
  'PUT /api/v1/itsm/notification-rules/:id': { event: 'ticket.created', channel: 'in-app', recipients: ['assignee'] },
  'PUT /api/v1/itsm/notification-templates/:event': { template: { en: { subject: 'taken over', body: 'taken over' } } },
  'PUT /api/v1/itsm/channels/:id': { kind: 'webhook', config: { url: 'https://1.1.1.1/taken-over' } },
  'POST /api/v1/itsm/channels/:id/test': {},
};

/** Well-formed ids that exist nowhere, where a parameter has a form (a ticket number, a relation kind). */
const UNKNOWN: Record<string, string> = { number: 'INC0999999', other: 'INC0999998', kind: 'related' };

function fill(route: RouteAccess, a: TenantData): string {
  // /api/v1/<resource>/..., or /api/v1/itsm/<resource>/...
  const segments = route.url.split('/');
  const resource = (segments[3] === 'itsm' ? segments[4] : segments[3]) ?? '';
  const ids: Record<string, string> = {
    definitions: a.definitionId,
    'process-instances': route.url.includes(':faultId') ? a.faultInstanceId : a.instanceId,
    tasks: a.taskId,
    jobs: a.jobId,
    users: a.userId,
    groups: a.groupId,
    'identity-providers': a.providerId,
    attachments: a.attachmentId,
    approvals: a.approvalId,
    'sla-policies': a.slaPolicyId,
    calendars: a.calendarId,
    notifications: a.notificationId,
    'notification-rules': a.ruleId,
    channels: a.channelId,
  };
  return route.url.replace(/:(\w+)/g, (_, name: string) => {
    const value =
      name === 'id'
        ? route.url.includes('/attachments/:id')
          ? a.attachmentId
          : ids[resource]
        : name === 'key'
          ? a.key
          : name === 'faultId'
            ? a.faultId
            : name === 'userId'
              ? a.userId
              : name === 'number' || name === 'other'
                ? a.ticketNumber
                : name === 'action'
                  ? 'start'
                  : name === 'kind'
                    ? 'related'
                    : name === 'version'
                      ? '1'
                      : name === 'event'
                        ? 'ticket.created'
                        : undefined;
    if (value === undefined)
      throw new Error(`the isolation suite has no tenant-A id for :${name} of ${route.method} ${route.url}; add one`);
    return encodeURIComponent(value);
  });
}

export function isolationSuite(server: () => TestServer): void {
  let a: TenantData;
  let b: TenantData;
  let bAll: Call;

  const tenantRoutes = () =>
    server().app.routeAccess.filter(
      (r) =>
        r.url.startsWith('/api/') &&
        !r.public &&
        // Platform routes (tenants, the test clock) are not tenant data.
        !(r.roles?.length && r.roles.every((role) => role === 'platform-admin')) &&
        !NOT_TENANT_SCOPED.some((re) => re.test(r.url)),
    );

  it('sets up two tenants with data of every kind', async () => {
    a = await createTenantWithData(server(), `alpha${Date.now().toString(36)}`);
    b = await createTenantWithData(server(), `bravo${Date.now().toString(36)}`);
    bAll = as(server().app, b.allRolesToken);
  });

  it("answers 404 to every route with an id when tenant B names tenant A's ids, as for ids that do not exist", async () => {
    const routes = tenantRoutes().filter((r) => r.url.includes(':'));
    expect(routes.length).toBeGreaterThan(15);
    // Deletions last, so that every other route meets A's data as it was.
    routes.sort((x, y) => Number(x.method === 'DELETE') - Number(y.method === 'DELETE'));
    for (const route of routes) {
      const key = `${route.method} ${route.url}`;
      const url = fill(route, a);
      const res = await bAll(route.method as never, url, BODIES[key]);
      if (OWN_BY_NAME.has(key)) {
        expect(res.status, `${key} acts in B's own tenant`).toBeLessThan(300);
        continue;
      }
      expect(res.status, `${key} -> ${url}: ${JSON.stringify(res.body)}`).toBe(404);
      expect(res.body.code, key).toBe('NOT_FOUND');
      // The same answer as for an id that exists nowhere (existence is not revealed).
      const unknown = await bAll(
        route.method as never,
        route.url.replace(/:(\w+)/g, (_, name: string) => UNKNOWN[name] ?? 'no-such-thing'),
        BODIES[key],
      );
      expect(unknown.status, `${key} with unknown ids`).toBe(404);
    }
  });

  it('never lists a foreign row', async () => {
    // An open stream never ends an inject: the streams' isolation is tested over a socket
    // (modules/tickets/stream.test.ts, modules/notifications/stream.test.ts).
    const lists = tenantRoutes().filter((r) => r.method === 'GET' && !r.url.includes(':') && !r.url.endsWith('/stream'));
    expect(lists.length).toBeGreaterThan(5);
    const extra = ['/api/v1/tasks?status=completed', '/api/v1/tasks?status=cancelled', '/api/v1/process-instances?status=completed'];
    for (const url of [...lists.map((r) => r.url), ...extra]) {
      const res = await bAll('GET', url);
      expect(res.status, url).toBe(200);
      const text = JSON.stringify(res.body);
      for (const secret of a.secrets) expect(text.includes(secret), `${url} shows ${secret}`).toBe(false);
    }
  });

  it("reaches none of A's waits, jobs or definitions by name", async () => {
    const p = a.tenant;
    expect((await bAll('POST', '/api/v1/messages', { name: `${p}-msg`, correlationKey: 'k' })).body).toEqual({ correlated: 0 });
    expect((await bAll('POST', '/api/v1/messages', { name: `${p}-start` })).body).toEqual({ correlated: 0 });
    expect((await bAll('POST', '/api/v1/signals', { name: `${p}-sig` })).body).toEqual({ delivered: 0 });
    expect((await bAll('POST', '/api/v1/jobs/activate', { type: `${p}-work`, maxJobs: 10, lockDuration: 1000 })).body).toEqual([]);
    expect((await bAll('POST', '/api/v1/process-instances', { definitionKey: a.key })).status).toBe(404);
  });

  it("leaves tenant A's data as it was", async () => {
    for (const url of [
      `/api/v1/definitions/${a.definitionId}`,
      `/api/v1/process-instances/${a.instanceId}`,
      `/api/v1/tasks/${a.taskId}`,
      `/api/v1/users/${a.userId}`,
      `/api/v1/groups/${a.groupId}`,
      `/api/v1/identity-providers/${a.providerId}`,
    ]) {
      const res = await a.admin('GET', url);
      expect(res.status, url).toBe(200);
      expect(JSON.stringify(res.body)).not.toContain('taken over');
    }
    const all = as(server().app, a.allRolesToken);
    expect((await all('GET', `/api/v1/process-instances/${a.instanceId}`)).body.status).toBe('active');
    expect((await all('GET', `/api/v1/tasks/${a.taskId}`)).body).toMatchObject({ status: 'open', assignee: null });
    if (server().app.routeAccess.some((r) => r.url === '/api/v1/definitions/:key/draft')) {
      expect((await all('GET', `/api/v1/definitions/${a.key}/draft`)).body.bpmnXml).toContain(`${a.tenant} task`);
    }
    const group = (await a.admin('GET', `/api/v1/groups/${a.groupId}`)).body;
    expect(group.members.map((m: { id: string }) => m.id)).toEqual([a.userId]);
    // A waits still: B's message and signal reached nothing.
    expect((await all('POST', '/api/v1/messages', { name: `${a.tenant}-msg`, correlationKey: 'k' })).body).toEqual({ correlated: 1 });
    expect((await all('POST', '/api/v1/signals', { name: `${a.tenant}-sig` })).body).toEqual({ delivered: 1 });
  });
}
