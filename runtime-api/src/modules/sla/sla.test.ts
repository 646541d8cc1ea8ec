// SLA policies and records over HTTP, on the test clock: the default targets, met, warned at 50
// and 75, breached (with its breach actions), paused across a weekend, reopened, a priority
// changed mid-way, the inbox's filters and sort, roles and tenants.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Call, deploy, settle, startServer, type TestServer, tokenFor } from '../../../test/helpers.ts';
import { ticketFlow } from '../tickets/test/flow.ts';

let s: TestServer;
let admin: Call;
let agent: Call;
let requester: Call;

const HOUR = 3_600_000;
const MINUTE = 60_000;

const now = async () => Date.parse((await admin('GET', '/api/v1/admin/clock')).body.now);
async function advanceTo(at: number) {
  const by = Math.ceil((at - (await now())) / 1000);
  if (by > 0) expect((await admin('POST', '/api/v1/admin/clock', { advanceBy: `PT${by}S` })).status).toBe(200);
  await settle(s.app);
  // Sessions end after a week of the test clock: everyone signs in again.
  admin = as(s.app, await tokenFor(s.app, 'admin'));
  agent = as(s.app, await tokenFor(s.app, 'agent1'));
  requester = as(s.app, await tokenFor(s.app, 'requester'));
}
/** The next Monday (UTC) at the hour, at least a day ahead. */
async function nextMonday(hour: number): Promise<number> {
  const d = new Date((await now()) + 24 * HOUR);
  d.setUTCHours(hour, 0, 0, 0);
  while (d.getUTCDay() !== 1) d.setUTCDate(d.getUTCDate() + 1);
  return d.getTime();
}

beforeAll(async () => {
  s = await startServer();
  admin = as(s.app, s.tokens.admin);
  agent = as(s.app, s.tokens.agent1);
  requester = as(s.app, s.tokens.requester);
  await deploy(admin, ticketFlow('itsm-incident'));
  await deploy(admin, ticketFlow('itsm-request'));
});
afterAll(() => s.close());

async function raise(body: Record<string, unknown> = {}, call: Call = agent) {
  const res = await call('POST', '/api/v1/tickets', { type: 'incident', title: 'Mail is down', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await settle(s.app);
  return res.body;
}
const get = async (number: string) => (await agent('GET', `/api/v1/tickets/${number}`)).body;
const slaOf = async (number: string, policy: string) =>
  ((await get(number)).sla as Array<Record<string, unknown>>).find((r) => r.policy === policy);
async function act(number: string, action: string, body: Record<string, unknown> = {}) {
  const res = await agent('POST', `/api/v1/tickets/${number}/actions/${action}`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  await settle(s.app);
  return res.body;
}
async function slaEntries(number: string) {
  const timeline = (await agent('GET', `/api/v1/tickets/${number}/timeline`)).body as Array<{ kind: string; at: string; data: any }>;
  return timeline.filter((e) => e.kind === 'sla').map((e) => ({ at: e.at, ...e.data }));
}
const without = ({ id: _id, ...rest }: Record<string, unknown>) => rest;
const RESOLVE = { closeCode: 'solved', resolutionNotes: 'done' };

describe('policies', () => {
  it('seeds the defaults: response by symptom and service class, resolution by priority', async () => {
    const res = await agent('GET', '/api/v1/itsm/sla-policies');
    expect(res.status).toBe(200);
    const byId = Object.fromEntries((res.body as Array<{ id: string }>).map((p) => [p.id, p]));
    expect(Object.keys(byId)).toHaveLength(17);
    expect(byId['resolution-p3']).toMatchObject({
      kind: 'resolution',
      target: 'PT27H',
      calendar: 'default',
      pauseStates: ['on_hold'],
      warnAt: [50, 75],
    });
    expect(byId['resolution-p1']).toMatchObject({ target: 'PT4H', calendar: null });
    expect(byId['response-system_down-class1']).toMatchObject({ kind: 'response', target: 'PT10M', calendar: null });
  });

  it.each([
    ['system_down', ['PT10M', 'PT15M', 'PT30M']],
    ['cannot_access', ['PT15M', 'PT20M', 'PT40M']],
    ['slow', ['PT20M', 'PT30M', 'PT1H']],
    ['other', ['PT1H', 'PT2H', 'PT4H']],
  ])('gives %s the response targets of the table by service class 1, 2, 3', async (symptom, targets) => {
    for (const [i, target] of targets.entries()) {
      const res = await agent('POST', '/api/v1/itsm/sla-policies/preview', {
        values: { type: 'incident', symptom, priority: 3, service: { serviceClass: i + 1 } },
      });
      expect(res.status).toBe(200);
      const response = (res.body as Array<{ kind: string; target: string; dueAt: string }>).filter((p) => p.kind === 'response');
      expect(response.map((p) => p.target)).toEqual([target]);
    }
    // A ticket without a service is class 3, and its record starts at once.
    const t = await raise({ symptom });
    const response = (t.sla as Array<Record<string, unknown>>).filter((r) => r.kind === 'response');
    expect(response).toEqual([expect.objectContaining({ target: targets[2], state: 'in_progress', startedAt: t.openedAt })]);
  });

  it('checks a policy when it is saved, naming the field', async () => {
    const base = { id: 'vip', name: 'VIP', ticketType: 'incident', kind: 'resolution', condition: 'priority = 1', target: 'PT2H' };
    const bad = async (patch: Record<string, unknown>, field: string) => {
      const res = await admin('POST', '/api/v1/itsm/sla-policies', { ...base, ...patch });
      expect(res.status).toBe(400);
      expect(res.body.message).toContain(`"${field}"`);
    };
    await bad({ condition: 'priority = (1' }, 'condition');
    await bad({ target: 'two hours' }, 'target');
    await bad({ calendar: 'nowhere' }, 'calendar');
    const created = await admin('POST', '/api/v1/itsm/sla-policies', base);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ pauseStates: ['on_hold'], warnAt: [50, 75], onBreach: [], calendar: null });
    expect((await admin('POST', '/api/v1/itsm/sla-policies', base)).status).toBe(409);
    expect((await admin('PUT', '/api/v1/itsm/sla-policies/vip', { ...without(base), target: 'PT3H' })).body.target).toBe('PT3H');
    expect((await admin('DELETE', '/api/v1/itsm/sla-policies/vip')).status).toBe(204);
    expect((await admin('GET', '/api/v1/itsm/sla-policies/vip')).status).toBe(404);
  });

  it('is managed by tenant admins; agents read and preview; requesters neither', async () => {
    const base = { id: 'x', name: 'X', ticketType: 'incident', kind: 'resolution', condition: 'true', target: 'PT2H' };
    expect((await agent('POST', '/api/v1/itsm/sla-policies', base)).status).toBe(403);
    expect((await agent('DELETE', '/api/v1/itsm/sla-policies/resolution-p1')).status).toBe(403);
    expect((await requester('GET', '/api/v1/itsm/sla-policies')).status).toBe(403);
    expect((await requester('POST', '/api/v1/itsm/sla-policies/preview', { values: {} })).status).toBe(403);
    expect((await as(s.app, undefined)('GET', '/api/v1/itsm/sla-policies')).status).toBe(401);
  });
});
