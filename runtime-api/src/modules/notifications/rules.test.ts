// Notification rules over HTTP: their CRUD and checks (tenant admins only; a condition that is not
// FEEL is a 400 naming `condition`; an unknown placeholder names the template's field; other
// tenants' rules are 404), firing (the FEEL condition over the ticket, every kind of recipient),
// the `notification.send` event they write for the channels module (recipients with their
// locale, both languages, `[<number>]` subjects), the in-app channel, the tenant's own wording,
// and the admin's preview.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, type Call, deploy, PASSWORD, settle, startServer, type TestServer, tokenFor } from '../../../test/helpers.ts';
import { ticketFlow } from '../../../test/itsm/ticket-flow.ts';
import { SEND } from './notifier.ts';
import { about, emitEvent, setGroupManager, setUser } from './test/setup.ts';

let s: TestServer;
let admin: Call;
let agent: Call;
let requester: Call;
const people: Record<string, Call> = {};
const person = (name: string) => people[name] as Call;

/** Every `notification.send` written, as the channels module would receive it. */
const sent: Array<{ tenantId: string; data: Record<string, any> }> = [];

beforeAll(async () => {
  s = await startServer();
  admin = as(s.app, s.tokens.admin);
  agent = as(s.app, s.tokens.agent1);
  requester = as(s.app, s.tokens.requester);
  for (const [name, groups] of [
    ['ops1', ['ops']],
    ['ops2', ['ops']],
    ['opsboss', []],
    ['net1', ['net']],
    ['watcher', []],
    ['auditor', []],
  ] as Array<[string, string[]]>) {
    people[name] = as(s.app, await addUser(s.app, name, ['agent'], groups));
  }
  await setGroupManager(s, 'ops', 'opsboss');
  await setUser(s, 'ops2', { locale: 'zh-CN', email: 'ops2@example.com' });
  await setUser(s, 'ops1', { email: 'ops1@example.com' });
  await deploy(admin, ticketFlow('itsm-incident'));
  s.app.services.moduleEvents.on(SEND, 'test-channels', async (_work, tenantId, data) => {
    sent.push({ tenantId, data });
  });
});
afterAll(() => s.close());

async function incident(body: Record<string, unknown> = {}, call: Call = requester): Promise<string> {
  const res = await call('POST', '/api/v1/tickets', { type: 'incident', title: 'VPN down', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await settle(s.app);
  return res.body.number as string;
}

const sentFor = (number: string, event?: string) => sent.filter((e) => e.data.ticket === number && (!event || e.data.event === event));

async function rule(body: Record<string, unknown>) {
  const res = await admin('POST', '/api/v1/itsm/notification-rules', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

describe('managing rules', () => {
  it('creates, reads, lists, replaces and deletes a rule; tenant admins only', async () => {
    const body = {
      id: 'crud',
      event: 'ticket.state_changed',
      condition: 'state = "resolved"',
      channel: 'mail',
      recipients: ['requester', 'user:watcher'],
      template: { en: { subject: 'Done: {{ticket.title}}', body: '{{ticket.number}} is {{data.to}}' } },
    };
    expect(await rule(body)).toEqual(body);
    expect((await admin('POST', '/api/v1/itsm/notification-rules', body)).status).toBe(409);
    expect((await admin('GET', '/api/v1/itsm/notification-rules/crud')).body).toEqual(body);
    expect((await admin('GET', '/api/v1/itsm/notification-rules')).body.map((r: { id: string }) => r.id)).toContain('crud');
    const { id: _id, ...rest } = body;
    const put = await admin('PUT', '/api/v1/itsm/notification-rules/crud', { ...rest, condition: null, template: null });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ ...body, condition: null, template: null });
    expect((await admin('PUT', '/api/v1/itsm/notification-rules/nope', rest)).status).toBe(404);

    expect((await agent('GET', '/api/v1/itsm/notification-rules')).status).toBe(403);
    expect((await agent('POST', '/api/v1/itsm/notification-rules', { ...body, id: 'x' })).status).toBe(403);
    expect((await requester('DELETE', '/api/v1/itsm/notification-rules/crud')).status).toBe(403);
    expect((await agent('POST', '/api/v1/itsm/notification-templates/preview', { event: 'ticket.created' })).status).toBe(403);

    expect((await admin('DELETE', '/api/v1/itsm/notification-rules/crud')).status).toBe(204);
    expect((await admin('GET', '/api/v1/itsm/notification-rules/crud')).status).toBe(404);
    expect((await admin('DELETE', '/api/v1/itsm/notification-rules/crud')).status).toBe(404);
  });

  it('refuses what it cannot run: a condition that is not FEEL, an unknown event, recipient or placeholder', async () => {
    const base = { id: 'bad', event: 'ticket.created', channel: 'mail', recipients: ['assignee'] };
    const feel = await admin('POST', '/api/v1/itsm/notification-rules', { ...base, condition: 'priority >' });
    expect(feel.status).toBe(400);
    expect(feel.body.message).toContain('"condition"');
    expect((await admin('POST', '/api/v1/itsm/notification-rules', { ...base, event: 'ticket.exploded' })).status).toBe(400);
    expect((await admin('POST', '/api/v1/itsm/notification-rules', { ...base, recipients: ['everyone'] })).status).toBe(400);
    expect((await admin('POST', '/api/v1/itsm/notification-rules', { ...base, recipients: [] })).status).toBe(400);
    const placeholder = await admin('POST', '/api/v1/itsm/notification-rules', {
      ...base,
      template: { 'zh-CN': { subject: '{{secret.key}}', body: 'x' } },
    });
    expect(placeholder.status).toBe(400);
    expect(placeholder.body.message).toContain('"template.zh-CN.subject"');
    expect((await admin('GET', '/api/v1/itsm/notification-rules/bad')).status).toBe(404);
  });

  it('keeps tenants apart: another tenant neither sees nor changes this one’s rules, nor do they fire for its tickets', async () => {
    await rule({ id: 'mine-only', event: 'ticket.commented', channel: 'chat', recipients: ['assignee'] });
    const created = await admin('POST', '/api/v1/tenants', {
      id: 'rulesco',
      name: 'Rules Co',
      admin: { username: 'rules-admin', password: PASSWORD },
    });
    expect(created.status).toBe(201);
    const other = as(s.app, await tokenFor(s.app, 'rules-admin', 'rulesco'));
    expect((await other('GET', '/api/v1/itsm/notification-rules')).body).toEqual([]);
    expect((await other('GET', '/api/v1/itsm/notification-rules/mine-only')).status).toBe(404);
    expect((await other('DELETE', '/api/v1/itsm/notification-rules/mine-only')).status).toBe(404);
    await deploy(other, ticketFlow('itsm-incident'));
    const res = await other('POST', '/api/v1/tickets', { type: 'incident', title: 'theirs' });
    expect(res.status).toBe(201);
    await other('POST', `/api/v1/tickets/${res.body.number}/comments`, { body: 'hello' });
    await settle(s.app);
    expect(sent.filter((e) => e.tenantId === 'rulesco')).toEqual([]);
    expect((await admin('DELETE', '/api/v1/itsm/notification-rules/mine-only')).status).toBe(204);
  });
});

describe('firing', () => {
  it('fires when its FEEL condition holds over the ticket, writing notification.send with the contract’s payload', async () => {
    await rule({
      id: 'p1-created',
      event: 'ticket.created',
      condition: 'priority <= 2 and type = "incident"',
      channel: 'mail',
      recipients: ['assignee', 'assignmentGroup', 'groupManager'],
      template: {
        en: { subject: 'P{{ticket.priority}}: {{ticket.title}}', body: '{{actor}} opened {{ticket.number}}' },
        'zh-CN': { subject: 'P{{ticket.priority}} 工单：{{ticket.title}}', body: '{{actor}} 创建了 {{ticket.number}}' },
      },
    });
    const low = await incident({ assignmentGroup: 'ops' }, agent);
    expect(sentFor(low, 'ticket.created')).toEqual([]);

    const high = await incident({ impact: 1, urgency: 2, assignmentGroup: 'ops', assignee: 'ops1' }, agent);
    const [send, ...more] = sentFor(high, 'ticket.created');
    expect(more).toEqual([]);
    const data = send?.data as Record<string, any>;
    expect(data).toMatchObject({ channel: 'mail', event: 'ticket.created', ticket: high, defaultLocale: 'en' });
    expect(data.deliveryKey).toMatch(/^p1-created:/);
    expect(Number.isNaN(Date.parse(data.at))).toBe(false);
    expect(data.data).toMatchObject({ number: high, priority: 2, assignmentGroupId: 'ops' });
    expect(data.recipients.map((r: { username: string }) => r.username)).toEqual(['ops1', 'ops2', 'opsboss']);
    expect(data.recipients[1]).toMatchObject({ username: 'ops2', displayName: 'ops2', email: 'ops2@example.com', locale: 'zh-CN' });
    expect(data.recipients[0]).toMatchObject({ locale: 'en', email: 'ops1@example.com' });
    expect(typeof data.recipients[0].userId).toBe('string');
    expect(data.messages).toEqual({
      en: { subject: `[${high}] P2: VPN down`, body: `Agent One opened ${high}` },
      'zh-CN': { subject: `[${high}] P2 工单：VPN down`, body: `Agent One 创建了 ${high}` },
    });
    await admin('DELETE', '/api/v1/itsm/notification-rules/p1-created');
  });

  it('resolves each kind of recipient from the ticket: requester, watchers, group:<id>, user:<username>', async () => {
    await rule({
      id: 'comments',
      event: 'ticket.commented',
      channel: 'mail',
      recipients: ['requester', 'watchers', 'group:net', 'user:auditor', 'user:nobody'],
    });
    const n = await incident({ assignee: 'ops1' }, agent);
    const res = await agent('POST', `/api/v1/tickets/${n}/watchers/watcher`);
    expect(res.status).toBe(204);
    await agent('POST', `/api/v1/tickets/${n}/comments`, { body: 'Rebooting the gateway' });
    await settle(s.app);
    const [send] = sentFor(n, 'ticket.commented');
    expect(send?.data.recipients.map((r: { username: string }) => r.username)).toEqual(['agent1', 'watcher', 'net1', 'auditor']);
    expect(send?.data.messages.en).toEqual({
      subject: `[${n}] New comment on ${n}`,
      body: 'Agent One commented on "VPN down": Rebooting the gateway',
    });

    // A work note is for agents: the requester and the watchers are not told of it.
    await agent('POST', `/api/v1/tickets/${n}/comments`, { body: 'internal', internal: true });
    await settle(s.app);
    const note = sentFor(n, 'ticket.commented')[1];
    expect(note?.data.recipients.map((r: { username: string }) => r.username)).toEqual(['net1', 'auditor']);
    await admin('DELETE', '/api/v1/itsm/notification-rules/comments');
  });

  it('follows state changes, urges, SLA events and major incidents as rule events', async () => {
    await rule({
      id: 'resolved',
      event: 'ticket.state_changed',
      condition: 'state = "resolved"',
      channel: 'hook',
      recipients: ['requester'],
    });
    await rule({ id: 'urged', event: 'ticket.urged', condition: 'urgeCount >= 2', channel: 'hook', recipients: ['groupManager'] });
    await rule({ id: 'breached', event: 'sla.breached', condition: 'data.kind = "resolution"', channel: 'hook', recipients: ['assignee'] });
    await rule({ id: 'major', event: 'major.declared', channel: 'hook', recipients: ['group:net'] });
    const n = await incident({ assignmentGroup: 'ops', assignee: 'ops1', requester: 'requester' }, agent);
    await requester('POST', `/api/v1/tickets/${n}/actions/urge`, { comment: 'one' });
    await settle(s.app);
    expect(sentFor(n, 'ticket.urged')).toEqual([]);
    await requester('POST', `/api/v1/tickets/${n}/actions/urge`, { comment: 'two' });
    await settle(s.app);
    expect(sentFor(n, 'ticket.urged').map((e) => e.data.recipients.map((r: { username: string }) => r.username))).toEqual([['opsboss']]);

    await emitEvent(s, 'sla.breached', { ticket: n, policy: 'p', kind: 'response', threshold: 100, dueAt: '2026-12-03T17:00:00.000Z' });
    expect(sentFor(n, 'sla.breached')).toEqual([]);
    await emitEvent(s, 'sla.breached', { ticket: n, policy: 'p', kind: 'resolution', threshold: 100, dueAt: '2026-12-03T17:00:00.000Z' });
    const [breach] = sentFor(n, 'sla.breached');
    expect(breach?.data.recipients.map((r: { username: string }) => r.username)).toEqual(['ops1']);
    expect(breach?.data.messages.en.subject).toBe(`[${n}] SLA breached: ${n}`);

    const res = await agent('POST', `/api/v1/tickets/${n}/actions/declare-major`, { reason: 'all offices' });
    expect(res.status).toBe(200);
    await settle(s.app);
    expect(sentFor(n, 'major.declared')[0]?.data.messages.en.body).toContain('all offices');

    await agent('POST', `/api/v1/tickets/${n}/actions/start`, {});
    await agent('POST', `/api/v1/tickets/${n}/actions/resolve`, { closeCode: 'solved', resolutionNotes: 'fixed' });
    await settle(s.app);
    const changes = sentFor(n, 'ticket.state_changed');
    expect(changes).toHaveLength(1);
    expect(changes[0]?.data.messages.en.subject).toBe(`[${n}] ${n} is now resolved`);
    for (const id of ['resolved', 'urged', 'breached', 'major']) await admin('DELETE', `/api/v1/itsm/notification-rules/${id}`);
  });

  it('channel in-app delivers in-app, in each recipient’s language, with the rule’s template (English when it lacks theirs)', async () => {
    await rule({
      id: 'in-app-assigned',
      event: 'ticket.assigned',
      channel: 'in-app',
      recipients: ['assignmentGroup'],
      template: { en: { subject: 'Queue: {{ticket.title}}', body: 'for {{ticket.assignmentGroupName}}' } },
    });
    await rule({
      id: 'in-app-created',
      event: 'ticket.created',
      channel: 'in-app',
      recipients: ['user:ops2', 'user:ops1'],
    });
    const n = await incident({ assignmentGroup: 'ops' }, agent);
    const sentBefore = sent.length;
    expect((await about(person('ops1'), n, 'ticket.created'))[0]?.title).toBe('New ticket: VPN down');
    expect((await about(person('ops2'), n, 'ticket.created'))[0]?.title).toBe('新工单：VPN down');
    await agent('POST', `/api/v1/tickets/${n}/actions/assign`, { assignmentGroup: 'ops', assignee: 'agent1' });
    await settle(s.app);
    expect((await about(person('ops2'), n, 'ticket.assigned'))[0]).toMatchObject({ title: 'Queue: VPN down', body: 'for ops' });
    expect(sent.length).toBe(sentBefore);
    await admin('DELETE', '/api/v1/itsm/notification-rules/in-app-assigned');
    await admin('DELETE', '/api/v1/itsm/notification-rules/in-app-created');
  });
});

describe('templates', () => {
  it('lists each event’s default, takes the tenant’s own wording (used by rules without a template), resets it', async () => {
    const list = await admin('GET', '/api/v1/itsm/notification-templates');
    expect(list.status).toBe(200);
    const created = list.body.find((t: { event: string }) => t.event === 'ticket.created');
    expect(created).toMatchObject({ template: null, defaults: { en: { subject: 'New ticket: {{ticket.title}}' } } });

    const own = {
      en: { subject: 'Opened: {{ticket.number}}', body: 'by {{actor}}' },
      'zh-CN': { subject: '已创建：{{ticket.number}}', body: '由 {{actor}}' },
    };
    const put = await admin('PUT', '/api/v1/itsm/notification-templates/ticket.created', { template: own });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(
      (await admin('PUT', '/api/v1/itsm/notification-templates/ticket.created', { template: { en: { subject: '{{x}}', body: 'b' } } }))
        .status,
    ).toBe(400);
    expect((await admin('PUT', '/api/v1/itsm/notification-templates/ticket.nope', { template: own })).status).toBe(400);

    await rule({ id: 'tenant-wording', event: 'ticket.created', channel: 'mail', recipients: ['user:ops2'] });
    const n = await incident({}, agent);
    expect(sentFor(n, 'ticket.created')[0]?.data.messages).toEqual({
      en: { subject: `[${n}] Opened: ${n}`, body: 'by Agent One' },
      'zh-CN': { subject: `[${n}] 已创建：${n}`, body: '由 Agent One' },
    });
    const reset = await admin('DELETE', '/api/v1/itsm/notification-templates/ticket.created');
    expect(reset.body.template).toBeNull();
    await admin('DELETE', '/api/v1/itsm/notification-rules/tenant-wording');
  });

  it('previews a template for a ticket in both languages (a sample ticket without one)', async () => {
    const n = await incident({ impact: 2, urgency: 2 }, agent);
    const template = { en: { subject: '{{ticket.number}} P{{ticket.priority}}', body: '{{ticket.title}} / {{actor}} / {{nothing.here}}' } };
    const res = await admin('POST', '/api/v1/itsm/notification-templates/preview', { event: 'ticket.created', ticket: n, template });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.message).toContain('"template.en.body"');
    const ok = await admin('POST', '/api/v1/itsm/notification-templates/preview', {
      event: 'ticket.created',
      ticket: n,
      template: { en: { subject: '{{ticket.number}} P{{ticket.priority}}', body: '{{ticket.title}} / {{actor}} / {{data.missing}}' } },
    });
    expect(ok.status).toBe(200);
    // zh-CN falls back to the rule's English, as a recipient would get it.
    expect(ok.body).toEqual({
      en: { subject: `${n} P3`, body: 'VPN down / Administrator / ' },
      'zh-CN': { subject: `${n} P3`, body: 'VPN down / Administrator / ' },
    });
    const sample = await admin('POST', '/api/v1/itsm/notification-templates/preview', { event: 'sla.warning' });
    expect(sample.body['zh-CN'].subject).toBe('SLA 预警：工单 INC0000001 已用 75%');
    expect(
      (await admin('POST', '/api/v1/itsm/notification-templates/preview', { event: 'ticket.created', ticket: 'INC9999999' })).status,
    ).toBe(400);
  });
});
