// In-app notifications over HTTP: each person's list (newest first, unread filter, unread count),
// marking read (another person's id is 404, another tenant's too), and the built-in notifications:
// SLA warnings and breaches, assignments, urges (the group manager from the third on), major
// incidents, approval requests and the 2-business-day reminder on the test clock, each in the
// recipient's language.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, type Call, deploy, PASSWORD, settle, startServer, type TestServer, tokenFor } from '../../../test/helpers.ts';
import { requestFlow } from '../../../test/itsm/request-flows.ts';
import { ticketFlow } from '../../../test/itsm/ticket-flow.ts';
import { addBusinessDays } from '../../platform/time/business-days.ts';
import { about, emitEvent, inbox, setGroupManager, setUser, userId } from './test/setup.ts';

let s: TestServer;
let admin: Call;
let agent: Call;
let requester: Call;
const people: Record<string, Call> = {};
const person = (name: string) => people[name] as Call;

beforeAll(async () => {
  s = await startServer();
  admin = as(s.app, s.tokens.admin);
  agent = as(s.app, s.tokens.agent1);
  requester = as(s.app, s.tokens.requester);
  for (const [name, roles, groups] of [
    ['desk1', ['agent'], ['desk']],
    ['desk2', ['agent'], ['desk']],
    ['deskboss', ['agent'], []],
    ['major1', ['agent'], ['major-incident']],
    ['major2', ['agent'], ['major-incident']],
    ['approver', ['requester'], []],
  ] as Array<[string, string[], string[]]>) {
    people[name] = as(s.app, await addUser(s.app, name, roles, groups));
  }
  await setGroupManager(s, 'desk', 'deskboss');
  await setUser(s, 'desk2', { locale: 'zh-CN' });
  await setUser(s, 'major2', { locale: 'zh-CN' });
  await s.app.services.transactions.withTenant('demo', async (work) => {
    const boss = await work.tx('users').where({ tenant_id: 'demo', username: 'approver' }).first('id');
    await work.tx('users').where({ tenant_id: 'demo', username: 'requester' }).update({ manager_id: boss.id });
  });
  await deploy(admin, ticketFlow('itsm-incident'));
  await deploy(admin, requestFlow());
});
afterAll(() => s.close());

async function incident(body: Record<string, unknown> = {}): Promise<string> {
  const res = await requester('POST', '/api/v1/tickets', { type: 'incident', title: 'Printer on fire', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await settle(s.app);
  return res.body.number as string;
}

async function act(call: Call, number: string, action: string, body: Record<string, unknown> = {}) {
  const res = await call('POST', `/api/v1/tickets/${number}/actions/${action}`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  await settle(s.app);
}

describe('the list and read marks', () => {
  it('lists the caller’s notifications newest first, filters unread, marks read; another person’s id is 404', async () => {
    const n = await incident();
    await act(agent, n, 'assign', { assignee: 'desk1' });
    await act(agent, n, 'assign', { assignee: 'desk2' });
    await act(agent, n, 'assign', { assignee: 'desk1' });
    const mine = await about(person('desk1'), n);
    expect(mine.map((i) => i.event)).toEqual(['ticket.assigned', 'ticket.assigned']);
    const all = await inbox(person('desk1'));
    expect(Date.parse(all[0]?.createdAt as string)).toBeGreaterThanOrEqual(Date.parse(all[1]?.createdAt as string));
    const first = mine[0] as (typeof mine)[number];
    expect(first).toMatchObject({ ticket: n, read: false, title: 'Assigned: Printer on fire' });
    expect(first.body).toContain(n);

    // desk2's notification is not desk1's to read.
    const [theirs] = await about(person('desk2'), n);
    expect((await person('desk1')('POST', `/api/v1/notifications/${theirs?.id}/read`)).status).toBe(404);
    expect((await agent('POST', '/api/v1/notifications/nope/read')).status).toBe(404);

    const before = (await person('desk1')('GET', '/api/v1/notifications')).body.unread as number;
    const read = await person('desk1')('POST', `/api/v1/notifications/${first.id}/read`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: first.id, read: true });
    expect((await person('desk1')('GET', '/api/v1/notifications')).body.unread).toBe(before - 1);
    expect((await inbox(person('desk1'), '?unread=true')).map((i) => i.id)).not.toContain(first.id);
    expect((await inbox(person('desk1'), '?unread=false')).map((i) => i.id)).toContain(first.id);

    const all2 = await person('desk1')('POST', '/api/v1/notifications/read-all');
    expect(all2.status).toBe(200);
    expect(all2.body.read).toBe(before - 1);
    expect(await inbox(person('desk1'), '?unread=true')).toEqual([]);
    // Bounded: `limit` caps the page.
    expect(await inbox(person('desk1'), '?limit=1')).toHaveLength(1);
    expect((await person('desk1')('GET', '/api/v1/notifications?limit=0')).status).toBe(400);
  });

  it('needs a signed-in user; any role reads its own', async () => {
    expect((await as(s.app, undefined)('GET', '/api/v1/notifications')).status).toBe(401);
    expect((await requester('GET', '/api/v1/notifications')).status).toBe(200);
    expect((await person('approver')('GET', '/api/v1/notifications')).status).toBe(200);
  });

  it('keeps tenants apart: another tenant’s user never sees nor reads a notification of this one', async () => {
    const n = await incident();
    await act(agent, n, 'assign', { assignee: 'desk1' });
    const [item] = await about(person('desk1'), n);
    const created = await admin('POST', '/api/v1/tenants', {
      id: 'ntfco',
      name: 'Ntf Co',
      admin: { username: 'ntf-admin', password: PASSWORD },
    });
    expect(created.status).toBe(201);
    const other = as(s.app, await tokenFor(s.app, 'ntf-admin', 'ntfco'));
    expect(await inbox(other)).toEqual([]);
    expect((await other('POST', `/api/v1/notifications/${item?.id}/read`)).status).toBe(404);
    expect((await about(person('desk1'), n))[0]?.read).toBe(false);
  });
});

describe('built-in notifications', () => {
  it('an assignment tells the person assigned, not someone assigning themselves', async () => {
    const n = await incident();
    await act(person('desk1'), n, 'assign', { assignee: 'desk1' });
    expect(await about(person('desk1'), n)).toEqual([]);
    await act(person('desk1'), n, 'assign', { assignee: 'desk2', assignmentGroup: 'desk' });
    const [zh] = await about(person('desk2'), n);
    // desk2 reads Chinese.
    expect(zh).toMatchObject({ event: 'ticket.assigned', title: '工单已分派：Printer on fire' });
  });

  it('SLA warnings and breaches go to the assignee, else to every member of the assignment group, in their language', async () => {
    const n = await incident();
    await act(agent, n, 'assign', { assignee: 'desk1', assignmentGroup: 'desk' });
    const sla = { ticket: n, policy: 'p3-resolution', kind: 'resolution', dueAt: '2026-12-03T17:00:00.000Z' };
    await emitEvent(s, 'sla.warning', { ...sla, threshold: 75, assigneeId: await userId(s, 'desk1'), assignmentGroupId: 'desk' });
    const [warning] = await about(person('desk1'), n, 'sla.warning');
    expect(warning?.title).toBe(`SLA warning: ${n} at 75%`);
    expect(warning?.body).toContain('p3-resolution');
    expect(await about(person('desk2'), n, 'sla.warning')).toEqual([]);

    const m = await incident();
    await act(agent, m, 'assign', { assignmentGroup: 'desk' });
    await emitEvent(s, 'sla.breached', { ...sla, ticket: m, threshold: 100, assigneeId: null, assignmentGroupId: 'desk' });
    expect((await about(person('desk1'), m, 'sla.breached'))[0]?.title).toBe(`SLA breached: ${m}`);
    expect((await about(person('desk2'), m, 'sla.breached'))[0]?.title).toBe(`SLA 已违约：工单 ${m}`);
    expect(await about(person('deskboss'), m, 'sla.breached')).toEqual([]);
  });

  it('an urge tells the assignee each time, and the group’s manager from the third urge', async () => {
    const n = await incident();
    await act(agent, n, 'assign', { assignee: 'desk1', assignmentGroup: 'desk' });
    await act(requester, n, 'urge', { comment: 'any news?' });
    await act(requester, n, 'urge', { comment: 'hello?' });
    expect(await about(person('desk1'), n, 'ticket.urged')).toHaveLength(2);
    expect(await about(person('deskboss'), n, 'ticket.urged')).toEqual([]);
    await act(requester, n, 'urge', { comment: 'third time' });
    const urges = await about(person('desk1'), n, 'ticket.urged');
    expect(urges).toHaveLength(3);
    expect(urges[2]?.body).toContain('third time');
    const boss = await about(person('deskboss'), n, 'ticket.urged');
    expect(boss).toHaveLength(1);
    expect(boss[0]?.body).toContain('(urge 3)');
  });

  it('a major incident tells the members of group major-incident', async () => {
    const n = await incident();
    await act(agent, n, 'declare-major', { reason: 'whole floor down' });
    const [en] = await about(person('major1'), n, 'major.declared');
    expect(en?.title).toBe('Major incident: Printer on fire');
    expect(en?.body).toContain('whole floor down');
    expect((await about(person('major2'), n, 'major.declared'))[0]?.title).toBe('重大事件：Printer on fire');
    expect(await about(person('desk1'), n, 'major.declared')).toEqual([]);
  });

  it('an approval request tells the approver, and after 2 silent business days so does a reminder', async () => {
    const res = await requester('POST', '/api/v1/tickets', {
      type: 'request',
      title: 'Install 7-Zip',
      catalogItem: 'software-install',
      fields: { software: '7-Zip', reason: 'logs' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await settle(s.app);
    const n = res.body.number as string;
    const requested = await about(person('approver'), n);
    expect(requested.map((i) => i.event)).toEqual(['approval.requested']);
    expect(requested[0]?.title).toBe('Approval requested: Install 7-Zip');

    const now = Date.parse((await admin('GET', '/api/v1/admin/clock')).body.now);
    const advance = async (to: number) => {
      const r = await admin('POST', '/api/v1/admin/clock', {
        advanceBy: `PT${Math.ceil((to - Date.parse((await admin('GET', '/api/v1/admin/clock')).body.now)) / 1000)}S`,
      });
      expect(r.status).toBe(200);
      await settle(s.app);
    };
    await advance(addBusinessDays(now, 2, 'UTC') - 60_000);
    const approver = as(s.app, await tokenFor(s.app, 'approver'));
    expect((await about(approver, n)).map((i) => i.event)).toEqual(['approval.requested']);
    await advance(addBusinessDays(now, 2, 'UTC') + 60_000);
    const after = await about(as(s.app, await tokenFor(s.app, 'approver')), n);
    expect(after.map((i) => i.event)).toEqual(['approval.requested', 'approval.reminder']);
    expect(after[1]?.title).toBe(`Reminder: ${n} awaits your approval`);
  });
});
