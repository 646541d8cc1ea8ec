// The tickets module over HTTP: numbering, states driven by the flow, actions with their roles
// (403 before 409), requester isolation, work notes, the timeline, parent and child, priority,
// auto-close and reopen on the test clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, type Call, deploy, settle, startServer, type TestServer } from '../../../test/helpers.ts';
import { ticketFlow } from '../../../test/itsm/ticket-flow.ts';
import { addBusinessDays } from '../../platform/time/business-days.ts';

let s: TestServer;
let admin: Call;
let agent: Call;
let requester: Call;
let other: Call;

beforeAll(async () => {
  s = await startServer();
  admin = as(s.app, s.tokens.admin);
  agent = as(s.app, s.tokens.agent1);
  requester = as(s.app, s.tokens.requester);
  other = as(s.app, await addUser(s.app, 'requester2', ['requester']));
  await deploy(admin, ticketFlow('itsm-incident'));
  await deploy(admin, ticketFlow('itsm-request'));
});
afterAll(() => s.close());

async function raise(call: Call, body: Record<string, unknown> = {}) {
  const res = await call('POST', '/api/v1/tickets', { type: 'incident', title: 'Mail is down', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const act = (call: Call, number: string, action: string, body: Record<string, unknown> = {}) =>
  call('POST', `/api/v1/tickets/${number}/actions/${action}`, body);

describe('creating', () => {
  it('numbers per type, starts the flow with the number as business key, and shows what the caller may do', async () => {
    const t = await raise(requester, { description: 'since 9:00', impact: 2, urgency: 2 });
    expect(t).toMatchObject({
      type: 'incident',
      state: 'new',
      priority: 3,
      requester: { username: 'requester' },
      assignee: null,
      major: false,
    });
    expect(t.number).toMatch(/^INC\d{7}$/);
    expect(t.actions).toEqual(['cancel', 'urge']);
    const instance = await admin('GET', `/api/v1/process-instances/${t.processInstanceId}`);
    expect(instance.body).toMatchObject({ businessKey: t.number, definitionKey: 'itsm-incident' });
    const r = await raise(requester, { type: 'request', title: 'New mouse' });
    expect(r.number).toMatch(/^REQ\d{7}$/);
  });

  it('gives 20 concurrent creates 20 consecutive numbers', async () => {
    const before = (await raise(agent)).number as string;
    const created = await Promise.all(Array.from({ length: 20 }, () => raise(agent)));
    const numbers = created.map((t) => Number(t.number.slice(3))).sort((a, b) => a - b);
    const first = Number(before.slice(3)) + 1;
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => first + i));
  });

  it('refuses what a requester may not do, and bad input by field', async () => {
    expect((await requester('POST', '/api/v1/tickets', { type: 'change', title: 'x' })).status).toBe(403);
    expect((await requester('POST', '/api/v1/tickets', { type: 'incident', title: 'x', assignee: 'agent1' })).status).toBe(403);
    expect((await requester('POST', '/api/v1/tickets', { type: 'incident', title: 'x', requester: 'agent1' })).status).toBe(403);
    const bad = await agent('POST', '/api/v1/tickets', { type: 'incident', title: 'x', assignee: 'nobody' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('"assignee"');
    expect((await agent('POST', '/api/v1/tickets', { type: 'incident', title: '' })).status).toBe(400);
  });

  it('takes the priority from the matrix, and recomputes it when impact or urgency change', async () => {
    const t = await raise(agent, { impact: 1, urgency: 2 });
    expect(t.priority).toBe(2);
    const changed = await agent('PATCH', `/api/v1/tickets/${t.number}`, { urgency: 3 });
    expect(changed.body.priority).toBe(3);
    const timeline = (await agent('GET', `/api/v1/tickets/${t.number}/timeline`)).body;
    expect(timeline.filter((e: { kind: string }) => e.kind === 'field').map((e: { data: unknown }) => e.data)).toEqual([
      { field: 'urgency', before: 2, after: 3 },
      { field: 'priority', before: 2, after: 3 },
    ]);
  });
});

describe('the incident life', () => {
  it('assign, start, hold, resume, resolve, close: each state from the flow, in the timeline', async () => {
    const t = await raise(requester);
    const n = t.number;
    let r = await act(agent, n, 'assign', { assignmentGroup: 'service-desk' });
    expect(r.body.assignmentGroup).toMatchObject({ id: 'service-desk' });
    expect(r.body.reassignmentCount).toBe(0);
    r = await act(agent, n, 'start');
    expect(r.body).toMatchObject({ state: 'in_progress', assignee: { username: 'agent1' } });
    expect(r.body.respondedAt).not.toBeNull();
    r = await act(agent, n, 'hold', { reason: 'awaiting_caller', note: 'asked for a screenshot' });
    expect(r.body).toMatchObject({ state: 'on_hold', holdReason: 'awaiting_caller' });
    r = await act(agent, n, 'resume');
    expect(r.body.state).toBe('in_progress');
    r = await act(agent, n, 'resolve', { closeCode: 'solved', resolutionNotes: 'restarted the mail service' });
    expect(r.body).toMatchObject({ state: 'resolved', closeCode: 'solved', resolutionNotes: 'restarted the mail service' });
    expect(r.body.resolvedAt).not.toBeNull();
    r = await act(requester, n, 'close');
    expect(r.body.state).toBe('closed');
    expect(r.body.closedAt).not.toBeNull();
    expect((await agent('GET', `/api/v1/tickets/${n}`)).body.actions).toEqual([]);
    expect((await requester('GET', `/api/v1/tickets/${n}`)).body.actions).toEqual(['rate']);

    const timeline = (await agent('GET', `/api/v1/tickets/${n}/timeline`)).body as Array<{ kind: string; data: any; actor: any }>;
    expect(timeline.filter((e) => e.kind === 'state').map((e) => `${e.data.from}>${e.data.to}`)).toEqual([
      'new>in_progress',
      'in_progress>on_hold',
      'on_hold>in_progress',
      'in_progress>resolved',
      'resolved>closed',
    ]);
    expect(timeline[0]).toMatchObject({ kind: 'created', actor: { username: 'requester' } });
    expect(timeline.find((e) => e.kind === 'state' && e.data.to === 'closed')?.actor).toMatchObject({ username: 'requester' });
  });

  it('answers 403 before 409, and 409 names the available actions', async () => {
    const t = await raise(requester);
    const forbidden = await act(requester, t.number, 'resolve', { closeCode: 'solved', resolutionNotes: 'x' });
    expect(forbidden.status).toBe(403);
    const unavailable = await act(agent, t.number, 'resume');
    expect(unavailable.status).toBe(409);
    expect(unavailable.body).toMatchObject({ code: 'ACTION_NOT_AVAILABLE' });
    expect(unavailable.body.message).toContain('start');
    const badInput = await act(agent, t.number, 'resolve', { closeCode: 'fixed' });
    expect(badInput.status).toBe(400);
    expect(badInput.body.message).toContain('"closeCode"');
    expect((await act(requester, t.number, 'rate', { score: 5 })).status).toBe(409);
  });

  it('lets a requester cancel while new and not later; urge and rate are theirs', async () => {
    const a = await raise(requester);
    expect((await act(requester, a.number, 'cancel', { reason: 'works again' })).body.state).toBe('cancelled');
    const b = await raise(requester);
    await act(agent, b.number, 'start');
    expect((await act(requester, b.number, 'cancel')).status).toBe(403);
    const urged = await act(requester, b.number, 'urge', { comment: '请尽快处理' });
    expect(urged.body.urgeCount).toBe(1);
    expect((await act(agent, b.number, 'urge')).status).toBe(403);
    await act(agent, b.number, 'resolve', { closeCode: 'solved', resolutionNotes: 'ok' });
    const rated = await act(requester, b.number, 'rate', { score: 4, comment: 'quick' });
    expect(rated.body.csat).toEqual({ score: 4, comment: 'quick' });
    expect((await act(requester, b.number, 'rate', { score: 5 })).status).toBe(409);
  });

  it('counts a reassignment only when a ticket that had a person or group moves', async () => {
    const t = await raise(agent);
    // Raised without a group: the first-line group's queue.
    expect(t.assignmentGroup).toMatchObject({ id: 'service-desk' });
    await act(agent, t.number, 'assign', { assignee: 'agent1' });
    let r = await act(agent, t.number, 'assign', { assignee: 'agent1' });
    expect(r.body.reassignmentCount).toBe(0);
    r = await act(agent, t.number, 'assign', { assignee: 'agent2' });
    expect(r.body.reassignmentCount).toBe(1);
  });

  it('reopens a resolved ticket into progress, and auto-closes after the business days on the test clock', async () => {
    const t = await raise(requester);
    await act(agent, t.number, 'resolve', { closeCode: 'workaround', resolutionNotes: 'cleared the cache' });
    const reopened = await act(requester, t.number, 'reopen', { comment: 'it is back' });
    expect(reopened.body).toMatchObject({ state: 'in_progress', reopenCount: 1, resolvedAt: null, closeCode: null });
    const resolved = await act(agent, t.number, 'resolve', { closeCode: 'solved', resolutionNotes: 'fixed for good' });
    expect(resolved.body.state).toBe('resolved');
    // Three business days (the default) are at most five calendar days.
    await admin('POST', '/api/v1/admin/clock', { advanceBy: 'P5DT1H' });
    const closed = (await requester('GET', `/api/v1/tickets/${t.number}`)).body;
    expect(closed.state).toBe('closed');
    expect(closed.closedAt).not.toBeNull();
  });

  it('counts the auto-close business days on the tenant’s calendar `default`: its holidays are skipped', async () => {
    const now = Date.parse((await admin('GET', '/api/v1/admin/clock')).body.now);
    // The next eight dates are holidays: three business days end after them.
    const holidays = Array.from({ length: 8 }, (_, i) => new Date(now + (i + 1) * 86_400_000).toISOString().slice(0, 10));
    const day: [string, string][] = [['09:00', '18:00']];
    const calendar = { timezone: 'UTC', week: { mon: day, tue: day, wed: day, thu: day, fri: day }, holidays, workdays: [] };
    expect((await admin('PUT', '/api/v1/itsm/calendars/default', calendar)).status).toBe(200);
    try {
      const t = await raise(requester);
      const resolved = await act(agent, t.number, 'resolve', { closeCode: 'solved', resolutionNotes: 'fixed' });
      expect(resolved.body.state).toBe('resolved');
      const instance = (await admin('GET', `/api/v1/process-instances/${resolved.body.processInstanceId}`)).body;
      const autoCloseAt = Date.parse(instance.variables.autoCloseAt);
      const expected = addBusinessDays(Date.parse(resolved.body.resolvedAt), 3, { id: 'default', ...calendar });
      expect(autoCloseAt).toBe(expected);
      // Without the holidays three business days are at most five calendar days.
      expect(autoCloseAt).toBeGreaterThan(now + 9 * 86_400_000);
      expect(addBusinessDays(now, 3, 'UTC')).toBeLessThanOrEqual(now + 5 * 86_400_000);
    } finally {
      await admin('DELETE', '/api/v1/itsm/calendars/default');
    }
  });
});

describe('module events', () => {
  it('tells other modules of each creation and state change through the outbox, once each', async () => {
    const seen: Array<{ name: string; data: Record<string, unknown> }> = [];
    const events = s.app.services.moduleEvents;
    events.on('ticket.created', 'test-listener', async (_work, _tenant, data) => {
      seen.push({ name: 'created', data });
    });
    events.on('ticket.state_changed', 'test-listener', async (_work, _tenant, data) => {
      seen.push({ name: 'state', data });
    });
    const t = await raise(requester);
    await act(agent, t.number, 'start');
    await settle(s.app);
    const mine = seen.filter((e) => e.data.number === t.number);
    expect(mine).toEqual([
      // With what the modules that follow tickets need of it (notifications: people and priority).
      {
        name: 'created',
        data: expect.objectContaining({
          number: t.number,
          type: 'incident',
          state: 'new',
          requesterId: expect.any(String),
          actor: 'requester',
        }),
      },
      { name: 'state', data: { number: t.number, states: ['new', 'new'], to: 'new' } },
      { name: 'state', data: { number: t.number, states: ['in_progress'], to: 'in_progress' } },
    ]);
  });
});

describe('who sees what', () => {
  it('never shows a requester another requester’s ticket, nor any work note', async () => {
    const t = await raise(requester);
    expect((await other('GET', `/api/v1/tickets/${t.number}`)).status).toBe(404);
    expect((await other('GET', `/api/v1/tickets/${t.number}/timeline`)).status).toBe(404);
    expect((await act(other, t.number, 'urge')).status).toBe(404);
    const mine = (await other('GET', '/api/v1/tickets?limit=200')).body.items.map((i: { number: string }) => i.number);
    expect(mine).not.toContain(t.number);

    await agent('POST', `/api/v1/tickets/${t.number}/comments`, { body: 'caller is VIP; check with the CIO', internal: true });
    await agent('POST', `/api/v1/tickets/${t.number}/comments`, { body: 'We are on it.' });
    const seen = (await requester('GET', `/api/v1/tickets/${t.number}/timeline`)).body as Array<{ kind: string; data: any }>;
    expect(seen.some((e) => e.kind === 'work_note')).toBe(false);
    expect(JSON.stringify(seen)).not.toContain('VIP');
    expect(seen.some((e) => e.kind === 'comment' && e.data.body === 'We are on it.')).toBe(true);
    expect((await requester('POST', `/api/v1/tickets/${t.number}/comments`, { body: 'x', internal: true })).status).toBe(403);
    // An agent's public reply counts as the response.
    expect((await requester('GET', `/api/v1/tickets/${t.number}`)).body.respondedAt).not.toBeNull();

    // A watcher sees it too.
    const me = (await other('GET', '/api/v1/auth/me')).body;
    expect((await agent('POST', `/api/v1/tickets/${t.number}/watchers/${me.id}`)).status).toBe(204);
    expect((await other('GET', `/api/v1/tickets/${t.number}`)).status).toBe(200);
  });

  it('lists with filters, search and cursor pages that neither skip nor repeat', async () => {
    const tag = `printer-${Date.now()}`;
    for (let i = 0; i < 5; i++) await raise(agent, { title: `${tag} on floor ${i}`, impact: 1 + (i % 3) });
    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: Array<{ number: string }>; nextCursor: string | null } } = await agent(
        'GET',
        `/api/v1/tickets?q=${tag}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      pages.push(...res.body.items.map((i) => i.number));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(pages).toHaveLength(5);
    expect(new Set(pages).size).toBe(5);
    const byPriority = (await agent('GET', `/api/v1/tickets?q=${tag}&sort=priority`)).body.items.map(
      (i: { priority: number }) => i.priority,
    );
    expect(byPriority).toEqual([...byPriority].sort((a, b) => a - b));
    expect((await agent('GET', '/api/v1/tickets?cursor=nonsense')).status).toBe(400);
  });
});

describe('parents and major incidents', () => {
  it('resolving a parent resolves its open children with its close code and notes', async () => {
    const parent = await raise(agent, { title: 'Network outage' });
    const child = await raise(requester, { title: 'cannot print', parent: parent.number });
    expect((await agent('GET', `/api/v1/tickets/${parent.number}`)).body.children).toEqual([child.number]);
    await act(agent, parent.number, 'resolve', { closeCode: 'solved', resolutionNotes: 'switch replaced' });
    const c = (await agent('GET', `/api/v1/tickets/${child.number}`)).body;
    expect(c).toMatchObject({ state: 'resolved', closeCode: 'solved', resolutionNotes: 'switch replaced', parent: parent.number });
  });

  it('an incident raised at priority 1 is major: the flow runs its major-incident procedure', async () => {
    const t = await raise(agent, { impact: 1, urgency: 1 });
    expect(t).toMatchObject({ priority: 1, major: true });
    const tasks = (await admin('GET', `/api/v1/tasks?processInstanceId=${t.processInstanceId}`)).body;
    expect(tasks.map((x: { elementId: string }) => x.elementId)).toContain('major-comms');
    expect(t.actions).not.toContain('declare-major');
  });
});

describe('import', () => {
  it('takes the last row of each number, maps states and times, and continues numbering above', async () => {
    const csv = [
      'number,incident_state,reassignment_count,reopen_count,made_sla,opened_at,category,priority,impact,urgency,assignment_group,closed_code,resolved_at,closed_at',
      'INC0900001,New,0,0,TRUE,29-02-2016 01:16,Category 55,3 - Moderate,2 - Medium,2 - Medium,Group 56,?,?,?',
      'INC0900001,Resolved,1,0,TRUE,29-02-2016 01:16,Category 55,3 - Moderate,2 - Medium,2 - Medium,Group 56,code 5,29-02-2016 11:29,?',
      'INC0900002,Awaiting User Info,0,0,FALSE,01-03-2016 10:00,Category 9,4 - Low,3 - Low,3 - Low,Group 1,?,?,?',
      'INC0900003,Teleported,0,0,TRUE,01-03-2016 10:00,Category 9,4 - Low,3 - Low,3 - Low,Group 1,?,?,?',
      'bogus,New,0,0,TRUE,01-03-2016 10:00,Category 9,4 - Low,3 - Low,3 - Low,Group 1,?,?,?',
    ].join('\n');
    const post = () =>
      s.app.inject({
        method: 'POST',
        url: '/api/v1/tickets/import',
        payload: csv,
        headers: { authorization: `Bearer ${s.tokens.admin}`, 'content-type': 'text/csv' },
      });
    const res = await post();
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ imported: 2, updated: 0 });
    expect(res.json().rejected.map((r: { line: number }) => r.line)).toEqual([5, 6]);
    const t = (await agent('GET', '/api/v1/tickets/INC0900001')).body;
    expect(t).toMatchObject({
      state: 'resolved',
      priority: 3,
      impact: 2,
      urgency: 2,
      closeCode: 'code 5',
      reassignmentCount: 1,
      openedAt: '2016-02-29T01:16:00.000Z',
      resolvedAt: '2016-02-29T11:29:00.000Z',
      respondedAt: null,
      processInstanceId: null,
      fields: { madeSla: true, assignment_group: 'Group 56' },
    });
    expect((await agent('GET', '/api/v1/tickets/INC0900002')).body.state).toBe('on_hold');
    expect((await post()).json()).toMatchObject({ imported: 0, updated: 2 });
    expect((await raise(agent)).number).toBe('INC0900003');
    expect((await agent('POST', '/api/v1/tickets/import', 'x')).status).toBe(403);
  });
});
