// SLA policies and records over HTTP, on the test clock: the default targets, met, warned at 50
// and 75, breached (with its breach actions), paused across a weekend, reopened, a priority
// changed mid-way, the inbox's filters and sort, roles and tenants.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Call, deploy, settle, startServer, type TestServer, tokenFor } from '../../../test/helpers.ts';
import { ticketFlow } from '../../../test/itsm/ticket-flow.ts';

let s: TestServer;
let admin: Call;
let agent: Call;
let requester: Call;
/** The sla.warning and sla.breached events, as the notifications module gets them. */
const fired: Array<{ name: string; data: Record<string, any> }> = [];

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
  for (const name of ['sla.warning', 'sla.breached'])
    s.app.services.moduleEvents.on(name, 'test.listener', async (_work, _tenant, data) => {
      fired.push({ name, data });
    });
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
/** Seconds of an ISO duration of hours, minutes and seconds. */
const seconds = (d: unknown) => {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(String(d));
  return m ? Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) : Number.NaN;
};
/**
 * The test clock is real time plus an offset: a few seconds pass between moving it and acting.
 * What follows an action's time is checked within that margin; timers fire at their exact time.
 */
const DRIFT = 10_000;
const near = (at: unknown, expected: number) => expect(Math.abs(Date.parse(String(at)) - expected)).toBeLessThan(DRIFT);
const about = (d: unknown, expectedSeconds: number) => expect(Math.abs(seconds(d) - expectedSeconds)).toBeLessThan(DRIFT / 1000);
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

describe('records on the test clock (around the clock)', () => {
  it('meets a response, warns at 50 and 75 percent once each, breaches once, and a breach stays a breach', async () => {
    await advanceTo(await nextMonday(8));
    const t = await raise({ impact: 1, urgency: 1, symptom: 'system_down' });
    const opened = Date.parse(t.openedAt);
    expect(t.priority).toBe(1);
    expect(t.sla).toEqual([
      expect.objectContaining({ policy: 'response-system_down-class3', kind: 'response', target: 'PT30M', state: 'in_progress' }),
      expect.objectContaining({
        policy: 'resolution-p1',
        kind: 'resolution',
        target: 'PT4H',
        startedAt: t.openedAt,
        dueAt: new Date(opened + 4 * HOUR).toISOString(),
        pausedFor: 'PT0S',
        elapsed: 'PT0S',
        percent: 0,
        state: 'in_progress',
      }),
    ]);
    await advanceTo(opened + 10 * MINUTE);
    await act(t.number, 'start');
    const response = await slaOf(t.number, 'response-system_down-class3');
    expect(response).toMatchObject({ state: 'met' });
    about(response?.elapsed, 600);
    expect(response?.percent).toBeCloseTo(33.3, 0);

    await advanceTo(opened + 2 * HOUR - MINUTE);
    expect((await slaEntries(t.number)).filter((e) => e.event === 'warning')).toEqual([]);
    await advanceTo(opened + 2 * HOUR + MINUTE);
    const running = await slaOf(t.number, 'resolution-p1');
    expect(running).toMatchObject({ state: 'in_progress' });
    about(running?.elapsed, 2 * 3600 + 60);
    await advanceTo(opened + 3 * HOUR + MINUTE);
    const atRisk = (await agent('GET', '/api/v1/tickets?sla=at_risk')).body.items.map((i: { number: string }) => i.number);
    expect(atRisk).toContain(t.number);
    await advanceTo(opened + 4 * HOUR + MINUTE);
    await advanceTo(opened + 5 * HOUR);
    const entries = await slaEntries(t.number);
    expect(entries.map((e) => [e.event, e.kind, e.threshold ?? null])).toEqual([
      ['started', 'response', null],
      ['started', 'resolution', null],
      ['met', 'response', null],
      ['warning', 'resolution', 50],
      ['warning', 'resolution', 75],
      ['breached', 'resolution', null],
    ]);
    // Each fired at its exact due time, not when the clock got there.
    expect(entries.slice(3).map((e) => e.at)).toEqual([2, 3, 4].map((h) => new Date(opened + h * HOUR).toISOString()));
    const mine = fired.filter((f) => f.data.ticket === t.number);
    expect(mine.map((f) => [f.name, f.data.threshold])).toEqual([
      ['sla.warning', 50],
      ['sla.warning', 75],
      ['sla.breached', 100],
    ]);
    expect(mine[0]?.data).toMatchObject({ policy: 'resolution-p1', kind: 'resolution', dueAt: new Date(opened + 4 * HOUR).toISOString() });
    expect(mine[0]?.data.assigneeId).toBeTruthy();
    const breached = (await agent('GET', '/api/v1/tickets?sla=breached')).body.items as Array<{ number: string; slaStatus: string }>;
    expect(breached.find((i) => i.number === t.number)?.slaStatus).toBe('breached');
    expect((await agent('GET', '/api/v1/tickets?sla=at_risk')).body.items.map((i: { number: string }) => i.number)).not.toContain(t.number);
    await act(t.number, 'resolve', RESOLVE);
    const ended = await slaOf(t.number, 'resolution-p1');
    expect(ended).toMatchObject({ state: 'breached' });
    about(ended?.elapsed, 5 * 3600);
    expect(ended?.percent).toBeCloseTo(125, 0);
  });

  it('runs a reopened resolution record again from the time already spent', async () => {
    const t = await raise({ impact: 1, urgency: 1 });
    const opened = Date.parse(t.openedAt);
    await act(t.number, 'start');
    await advanceTo(opened + HOUR);
    await act(t.number, 'resolve', RESOLVE);
    const met = await slaOf(t.number, 'resolution-p1');
    expect(met).toMatchObject({ state: 'met' });
    about(met?.elapsed, 3600);
    await advanceTo(opened + 3 * HOUR);
    await act(t.number, 'reopen', { comment: 'still broken' });
    const reopened = Date.parse((await get(t.number)).updatedAt);
    const again = await slaOf(t.number, 'resolution-p1');
    expect(again).toMatchObject({ state: 'in_progress' });
    about(again?.elapsed, 3600);
    near(again?.dueAt, reopened + 3 * HOUR);
    // Warned at 50 (2 of 4 hours) an hour after the reopen, at 75 after two, breached after three.
    await advanceTo(reopened + 3 * HOUR + MINUTE);
    const after = (await slaEntries(t.number)).filter((e) => e.kind === 'resolution');
    expect(after.map((e) => e.event)).toEqual(['started', 'met', 'started', 'warning', 'warning', 'breached']);
    expect(after[2]?.at).toBe(new Date(reopened).toISOString());
    for (const [i, h] of [1, 2, 3].entries()) near(after[3 + i]?.at, reopened + h * HOUR);
    expect(after[5]?.at).toBe(again?.dueAt);
  });

  it('cancels the P3 clock and starts the P1 clock when the priority changes mid-way', async () => {
    const t = await raise({ impact: 2, urgency: 2 });
    expect(t.priority).toBe(3);
    expect((t.sla as Array<{ policy: string }>).map((r) => r.policy)).toContain('resolution-p3');
    const opened = Date.parse(t.openedAt);
    await advanceTo(opened + HOUR);
    const changed = await agent('PATCH', `/api/v1/tickets/${t.number}`, { impact: 1, urgency: 1 });
    expect(changed.status).toBe(200);
    const at = Date.parse(changed.body.updatedAt);
    expect(changed.body.sla).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ policy: 'resolution-p3', state: 'cancelled' }),
        expect.objectContaining({
          policy: 'resolution-p1',
          state: 'in_progress',
          startedAt: new Date(at).toISOString(),
          dueAt: new Date(at + 4 * HOUR).toISOString(),
        }),
      ]),
    );
    const events = (await slaEntries(t.number)).filter((e) => e.kind === 'resolution').map((e) => [e.event, e.policy]);
    expect(events).toEqual([
      ['started', 'resolution-p3'],
      ['cancelled', 'resolution-p3'],
      ['started', 'resolution-p1'],
    ]);
    // The cancelled clock's timers do nothing: no warning of resolution-p3 ever comes.
    await advanceTo(at + 5 * HOUR);
    const p3 = (await slaEntries(t.number)).filter((e) => e.policy === 'resolution-p3');
    expect(p3.map((e) => e.event)).toEqual(['started', 'cancelled']);
  });

  it('does a policy’s breach actions: reassigns to its group and raises the priority (whose clocks follow)', async () => {
    expect((await admin('POST', '/api/v1/groups', { id: 'escalation', name: 'Escalation' })).status).toBe(201);
    const policy = {
      id: 'network-fast',
      name: 'Network: one hour',
      ticketType: 'incident',
      kind: 'resolution',
      condition: 'category = "network"',
      target: 'PT1H',
      onBreach: [{ notify: 'groupManager' }, { reassign: 'escalation' }, { raisePriority: true }],
    };
    expect((await admin('POST', '/api/v1/itsm/sla-policies', policy)).status).toBe(201);
    const t = await raise({ category: 'network', impact: 3, urgency: 2 });
    expect(t.priority).toBe(4);
    await advanceTo(Date.parse(t.openedAt) + HOUR + MINUTE);
    const after = await get(t.number);
    expect(after).toMatchObject({ priority: 3, assignmentGroup: { id: 'escalation' } });
    const states = Object.fromEntries((after.sla as Array<{ policy: string; state: string }>).map((r) => [r.policy, r.state]));
    expect(states).toMatchObject({ 'network-fast': 'breached', 'resolution-p4': 'cancelled', 'resolution-p3': 'in_progress' });
    expect(fired.find((f) => f.data.ticket === t.number && f.name === 'sla.breached')?.data.notify).toEqual(['groupManager']);
    expect((await admin('DELETE', '/api/v1/itsm/sla-policies/network-fast')).status).toBe(204);
  });
});

describe('records on the default calendar (Monday to Friday, 09:00 to 18:00)', () => {
  it('counts no weekend, and pauses on hold across one (the due time moves by the business time paused)', async () => {
    const friday = (await nextMonday(8)) + 4 * 24 * HOUR; // 08:00, before hours: the clock starts at 09:00
    await advanceTo(friday);
    const t = await raise({ impact: 2, urgency: 2 });
    const tuesday = friday + 4 * 24 * HOUR;
    // 27 business hours: Friday, Monday and Tuesday, 09:00 to 18:00.
    expect(await slaOf(t.number, 'resolution-p3')).toMatchObject({ target: 'PT27H', dueAt: new Date(tuesday + 10 * HOUR).toISOString() });
    await act(t.number, 'start');
    await advanceTo(friday + 3 * HOUR); // 11:00: two business hours spent
    await act(t.number, 'hold', { reason: 'awaiting_vendor' });
    const monday = friday + 3 * 24 * HOUR;
    await advanceTo(monday + 2 * HOUR); // Monday 10:00: paused 7 hours on Friday and 1 on Monday
    const paused = await slaOf(t.number, 'resolution-p3');
    expect(paused).toMatchObject({ state: 'paused' });
    about(paused?.elapsed, 2 * 3600);
    about(paused?.pausedFor, 8 * 3600);
    // The due time if it resumed now: 25 hours left from Monday 10:00 is Wednesday 17:00.
    const wednesday = tuesday + 24 * HOUR;
    near(paused?.dueAt, wednesday + 9 * HOUR);
    await act(t.number, 'resume');
    const resumed = await slaOf(t.number, 'resolution-p3');
    expect(resumed).toMatchObject({ state: 'in_progress' });
    about(resumed?.pausedFor, 8 * 3600);
    near(resumed?.dueAt, wednesday + 9 * HOUR);
    const events = (await slaEntries(t.number)).filter((e) => e.kind === 'resolution').map((e) => e.event);
    expect(events).toEqual(['started', 'paused', 'resumed']);
    // Half of 27 business hours (13.5) is spent on Tuesday at 12:30: 2 on Friday, 8 on Monday, 3.5 on Tuesday.
    await advanceTo(tuesday + 4 * HOUR + 30 * MINUTE + MINUTE);
    const warned = (await slaEntries(t.number)).filter((e) => e.event === 'warning' && e.kind === 'resolution');
    expect(warned.map((e) => e.threshold)).toEqual([50]);
    near(warned[0]?.at, tuesday + 4 * HOUR + 30 * MINUTE);
  });
  it('pauses across a holiday of its calendar: the holiday counts neither as work nor as pause', async () => {
    const nineToSix = [['09:00', '18:00']];
    const friday = (await nextMonday(8)) + 4 * 24 * HOUR; // 08:00
    const monday = friday + 3 * 24 * HOUR;
    const holiday = new Date(monday).toISOString().slice(0, 10);
    const calendar = {
      id: 'cn',
      name: 'Shanghai office',
      timezone: 'UTC',
      holidays: [holiday],
      week: { mon: nineToSix, tue: nineToSix, wed: nineToSix, thu: nineToSix, fri: nineToSix },
    };
    expect((await admin('POST', '/api/v1/itsm/calendars', calendar)).status).toBe(201);
    const policy = {
      id: 'holiday-sla',
      name: 'Two days',
      ticketType: 'incident',
      kind: 'resolution',
      condition: 'category = "holiday"',
      target: 'PT18H',
      calendar: 'cn',
    };
    expect((await admin('POST', '/api/v1/itsm/sla-policies', policy)).status).toBe(201);
    await advanceTo(friday);
    const t = await raise({ category: 'holiday' });
    const tuesday = monday + 24 * HOUR;
    // 18 business hours: Friday and Tuesday (Monday is a holiday).
    expect(await slaOf(t.number, 'holiday-sla')).toMatchObject({ dueAt: new Date(tuesday + 10 * HOUR).toISOString() });
    await act(t.number, 'start');
    await advanceTo(friday + 9 * HOUR); // Friday 17:00: 8 hours spent
    await act(t.number, 'hold', { reason: 'awaiting_caller' });
    await advanceTo(tuesday); // Tuesday 08:00: paused one business hour (Friday 17:00 to 18:00)
    await act(t.number, 'resume');
    const resumed = await slaOf(t.number, 'holiday-sla');
    expect(resumed).toMatchObject({ state: 'in_progress' });
    about(resumed?.elapsed, 8 * 3600);
    about(resumed?.pausedFor, 3600);
    // 10 hours left from Tuesday 09:00: all of Tuesday and Wednesday's first hour.
    near(resumed?.dueAt, tuesday + 24 * HOUR + 2 * HOUR);
    expect((await admin('DELETE', '/api/v1/itsm/sla-policies/holiday-sla')).status).toBe(204);
  });
});

describe('the inbox', () => {
  it('sorts by the next SLA due time, those without one last', async () => {
    const [p5, p1, p2] = [
      await raise({ title: 'Sorting five', impact: 3, urgency: 3 }),
      await raise({ title: 'Sorting one', impact: 1, urgency: 1 }),
      await raise({ title: 'Sorting two', impact: 1, urgency: 2 }),
    ];
    // Responded: what is left is resolution, P1 in 4 hours, P2 in 8, P5 in 90 business hours.
    for (const t of [p5, p1, p2]) await act(t.number, 'start');
    const none = await raise({ type: 'request', title: 'Sorting none' });
    const list = (await agent('GET', '/api/v1/tickets?q=Sorting&sort=slaDueAt')).body.items as Array<{
      number: string;
      slaDueAt: string | null;
    }>;
    expect(list.map((i) => i.number)).toEqual([p1.number, p2.number, p5.number, none.number]);
    expect(list[3]?.slaDueAt).toBeNull();
    const desc = (await agent('GET', '/api/v1/tickets?q=Sorting&sort=-slaDueAt&limit=2')).body;
    expect(desc.items.map((i: { number: string }) => i.number)).toEqual([none.number, p5.number]);
    const next = (await agent('GET', `/api/v1/tickets?q=Sorting&sort=-slaDueAt&limit=2&cursor=${desc.nextCursor}`)).body;
    expect(next.items.map((i: { number: string }) => i.number)).toEqual([p2.number, p1.number]);
  });
});

describe('tenants', () => {
  it('keeps each tenant’s policies and previews its own', async () => {
    expect(
      (
        await admin('POST', '/api/v1/itsm/sla-policies', {
          id: 'demo-only',
          name: 'Demo',
          ticketType: 'incident',
          kind: 'resolution',
          condition: 'true',
          target: 'PT1H',
        })
      ).status,
    ).toBe(201);
    const res = await admin('POST', '/api/v1/tenants', {
      id: 'globex',
      name: 'Globex',
      admin: { username: 'root', password: 'globex-secret' },
    });
    expect(res.status).toBe(201);
    const login = await as(s.app, undefined)('POST', '/api/v1/auth/login', {
      tenant: 'globex',
      username: 'root',
      password: 'globex-secret',
    });
    const globex = as(s.app, login.body.token);
    const ids = (await globex('GET', '/api/v1/itsm/sla-policies')).body.map((p: { id: string }) => p.id);
    expect(ids).toHaveLength(17);
    expect(ids).not.toContain('demo-only');
    expect((await globex('GET', '/api/v1/itsm/sla-policies/demo-only')).status).toBe(404);
    const demoTicket = await raise();
    expect((await globex('POST', '/api/v1/itsm/sla-policies/preview', { ticket: demoTicket.number })).status).toBe(404);
    expect(
      (await admin('POST', '/api/v1/itsm/sla-policies/preview', { ticket: demoTicket.number })).body.map(
        (p: { policy: string }) => p.policy,
      ),
    ).toContain('demo-only');
  });
});
