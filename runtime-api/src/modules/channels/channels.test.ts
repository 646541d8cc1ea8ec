// Notification channels over HTTP and their deliveries, against real receivers on loopback: an
// SMTP server (smtp-server, mails parsed with mailparser) and HTTP servers standing in for
// DingTalk, WeCom, Slack, Teams and a webhook. `notification.send` is emitted here as the
// notifications module emits it (NOTIFY-SEND.md); retries run on the test clock.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Call, deploy, PASSWORD, settle, startServer, type TestServer, tokenFor } from '../../../test/helpers.ts';
import { incidentFlow } from './test/flow.ts';
import { httpReceiver, type MailSink, type Receiver, smtpSink } from './test/receivers.ts';

let s: TestServer;
let admin: Call;
let agent: Call;
let requester: Call;
let smtp: MailSink;
let ticket: string;
const receivers: Receiver[] = [];

const DING_TOKEN = 'dingtoken0123456789abcdef';
const DING_SECRET = 'SECding-secret-0123456789';
const HOOK_SECRET = 'hook-secret-abcdef';
const SMTP_PASSWORD = 'smtp-password-xyz';
const SLACK_PATH = '/services/T000/B000/slacktoken0123456789';
const SECRETS = [DING_TOKEN, DING_SECRET, HOOK_SECRET, SMTP_PASSWORD, 'slacktoken0123456789', 'wecomkey0123456789'];

async function receiver(answers?: Array<{ status: number; body: string }>) {
  const r = await httpReceiver(answers);
  receivers.push(r);
  return r;
}

const allowLoopback = (hosts: string[] = ['127.0.0.1']) => admin('PATCH', '/api/v1/tenant', { settings: { egressAllowHosts: hosts } });

let sent = 0;
/** Emits `notification.send` as the notifications module does, and lets the outbox run. */
async function notify(channel: string, extra: Record<string, unknown> = {}) {
  const data = await notifyData(channel, extra);
  await s.app.services.transactions.withTenant('demo', (work) => s.app.services.moduleEvents.emit(work, 'notification.send', data));
  await settle(s.app);
  return data;
}

/** What the notifications module sends for a new ticket, to a channel. */
async function notifyData(channel: string, extra: Record<string, unknown> = {}) {
  sent++;
  return {
    deliveryKey: `rule-${sent}:${ticket}:ticket.created`,
    channel,
    event: 'ticket.created',
    ticket,
    at: new Date().toISOString(),
    data: { number: ticket, title: 'Printer <b>on fire</b>', priority: 2 },
    recipients: [
      { userId: 'u1', username: 'agent1', displayName: 'Agent One', email: 'agent1@demo.example.com', locale: 'en' },
      { userId: 'u2', username: 'li', displayName: '李雷', email: 'li@demo.example.com', locale: 'zh-CN' },
      { userId: 'u3', username: 'nomail', displayName: 'No Mail', email: null, locale: 'en' },
    ],
    messages: {
      en: { subject: `${ticket} was opened`, body: 'Printer <b>on fire</b>\nPlease look & act.' },
      'zh-CN': { subject: `${ticket} 已创建`, body: '打印机着火了\n请处理。' },
    },
    defaultLocale: 'en',
    ...extra,
  };
}

async function deliveriesOf(channel: string) {
  const res = await admin('GET', `/api/v1/itsm/deliveries?channel=${channel}`);
  expect(res.status).toBe(200);
  return res.body.items as Array<{
    status: string;
    attempt: number;
    error: string | null;
    nextAttemptAt: string | null;
    deliveryKey: string;
  }>;
}

async function notificationEntries(channel: string) {
  const res = await agent('GET', `/api/v1/tickets/${ticket}/timeline`);
  expect(res.status).toBe(200);
  return (res.body as Array<{ kind: string; data: any }>)
    .filter((e) => e.kind === 'notification' && e.data.channel === channel)
    .map((e) => e.data);
}

async function advance(seconds: number) {
  const res = await admin('POST', '/api/v1/admin/clock', { advanceBy: `PT${seconds}S` });
  expect(res.status).toBe(200);
  await settle(s.app);
}

beforeAll(async () => {
  s = await startServer();
  admin = as(s.app, s.tokens.admin);
  agent = as(s.app, s.tokens.agent1);
  requester = as(s.app, s.tokens.requester);
  smtp = await smtpSink();
  await deploy(admin, incidentFlow());
  const res = await requester('POST', '/api/v1/tickets', { type: 'incident', title: 'Printer on fire' });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  ticket = res.body.number;
  await settle(s.app);
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await smtp?.close();
  await s?.close();
});

describe('saving a channel', () => {
  it('refuses a loopback or private address (400 naming config.url or config.host) until the allow-list admits it', async () => {
    await allowLoopback([]);
    const r = await receiver();
    const hook = await admin('POST', '/api/v1/itsm/channels', { id: 'private-hook', kind: 'webhook', config: { url: `${r.url}/hook` } });
    expect(hook.status).toBe(400);
    expect(hook.body.details.map((d: { field: string }) => d.field)).toEqual(['config.url']);
    const mail = await admin('POST', '/api/v1/itsm/channels', {
      id: 'private-mail',
      kind: 'email',
      config: { host: '10.1.2.3', port: 25, secure: false, from: 'desk@demo.example.com' },
    });
    expect(mail.status).toBe(400);
    expect(mail.body.details.map((d: { field: string }) => d.field)).toEqual(['config.host']);
    expect((await admin('GET', '/api/v1/itsm/channels')).body.items.map((c: { id: string }) => c.id)).not.toContain('private-hook');

    expect((await allowLoopback()).status).toBe(200);
    const ok = await admin('POST', '/api/v1/itsm/channels', { id: 'private-hook', kind: 'webhook', config: { url: `${r.url}/hook` } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
  });

  it('checks each kind’s settings, naming the field', async () => {
    const stray = await admin('POST', '/api/v1/itsm/channels', {
      id: 'bad',
      kind: 'slack',
      config: { url: 'http://127.0.0.1:1/x', host: 'a' },
    });
    expect(stray.status).toBe(400);
    expect(stray.body.details[0].field).toBe('config.host');
    const noUrl = await admin('POST', '/api/v1/itsm/channels', { id: 'bad', kind: 'teams', config: {} });
    expect(noUrl.status).toBe(400);
    expect(noUrl.body.details[0].field).toBe('config.url');
    const ftp = await admin('POST', '/api/v1/itsm/channels', { id: 'bad', kind: 'webhook', config: { url: 'ftp://127.0.0.1/x' } });
    expect(ftp.status).toBe(400);
    const noFrom = await admin('POST', '/api/v1/itsm/channels', { id: 'bad', kind: 'email', config: { host: '127.0.0.1', port: 25 } });
    expect(noFrom.status).toBe(400);
    expect(noFrom.body.details[0].field).toBe('config.from');
    const kind = await admin('POST', '/api/v1/itsm/channels', { id: 'bad', kind: 'pager', config: {} });
    expect(kind.status).toBe(400);
  });

  it('never returns nor audits a secret: passwords, signing secrets and the tokens in URLs', async () => {
    await allowLoopback();
    const ding = await admin('POST', '/api/v1/itsm/channels', {
      id: 'secret-ding',
      kind: 'dingtalk',
      config: { url: `http://127.0.0.1:9/robot/send?access_token=${DING_TOKEN}`, secret: DING_SECRET },
    });
    expect(ding.status, JSON.stringify(ding.body)).toBe(201);
    expect(ding.body).toMatchObject({
      id: 'secret-ding',
      kind: 'dingtalk',
      hasSecret: true,
      config: { url: 'http://127.0.0.1:9/robot/***?access_token=***' },
    });
    const slack = await admin('POST', '/api/v1/itsm/channels', {
      id: 'secret-slack',
      kind: 'slack',
      config: { url: `http://127.0.0.1:9${SLACK_PATH}` },
    });
    expect(slack.body).toMatchObject({ hasSecret: false, config: { url: 'http://127.0.0.1:9/services/***' } });
    const wecom = await admin('POST', '/api/v1/itsm/channels', {
      id: 'secret-wecom',
      kind: 'wecom',
      config: { url: 'http://127.0.0.1:9/cgi-bin/webhook/send?key=wecomkey0123456789' },
    });
    expect(wecom.status).toBe(201);
    const mail = await admin('POST', '/api/v1/itsm/channels', {
      id: 'secret-mail',
      kind: 'email',
      config: { host: '127.0.0.1', port: 2525, secure: false, user: 'desk', password: SMTP_PASSWORD, from: 'desk@demo.example.com' },
    });
    expect(mail.status).toBe(201);
    expect(mail.body).toMatchObject({
      hasSecret: true,
      config: { host: '127.0.0.1', port: 2525, user: 'desk', from: 'desk@demo.example.com' },
    });

    // A change that leaves the secrets out (or sends the masked URL back) keeps them.
    const put = await admin('PUT', '/api/v1/itsm/channels/secret-ding', {
      kind: 'dingtalk',
      config: { url: 'http://127.0.0.1:9/robot/***?access_token=***' },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.hasSecret).toBe(true);
    const mailPut = await admin('PUT', '/api/v1/itsm/channels/secret-mail', {
      kind: 'email',
      config: { host: '127.0.0.1', port: 2526, secure: false, user: 'desk', from: 'desk@demo.example.com' },
    });
    expect(mailPut.body).toMatchObject({ hasSecret: true, config: { port: 2526 } });

    const replies = [
      await admin('GET', '/api/v1/itsm/channels'),
      ...(await Promise.all(
        ['secret-ding', 'secret-slack', 'secret-wecom', 'secret-mail'].map((id) => admin('GET', `/api/v1/itsm/channels/${id}`)),
      )),
      await admin('GET', '/api/v1/audit?targetType=channel'),
    ];
    for (const reply of replies) expect(reply.status).toBe(200);
    const text = JSON.stringify(replies.map((r) => r.body));
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    expect(text).toContain('channel.create');
    expect(text).toContain('channel.update');

    // The stored row holds them sealed, not in clear.
    const rows = await s.app.services.transactions.withTenant('demo', (work) => work.tx('itsm_channels').where({ tenant_id: 'demo' }));
    const stored = JSON.stringify(rows);
    for (const secret of SECRETS) expect(stored).not.toContain(secret);

    // null clears a secret.
    const cleared = await admin('PUT', '/api/v1/itsm/channels/secret-ding', {
      kind: 'dingtalk',
      config: { url: 'http://127.0.0.1:9/robot/***?access_token=***', secret: null },
    });
    expect(cleared.body.hasSecret).toBe(false);
    expect((await admin('DELETE', '/api/v1/itsm/channels/secret-wecom')).status).toBe(204);
    expect((await admin('GET', '/api/v1/itsm/channels/secret-wecom')).status).toBe(404);
  });

  it('is for tenant admins only', async () => {
    for (const call of [agent, requester]) {
      expect((await call('GET', '/api/v1/itsm/channels')).status).toBe(403);
      expect(
        (await call('POST', '/api/v1/itsm/channels', { id: 'x', kind: 'webhook', config: { url: 'https://example.com/x' } })).status,
      ).toBe(403);
      expect((await call('GET', '/api/v1/itsm/deliveries')).status).toBe(403);
      expect((await call('POST', '/api/v1/itsm/channels/private-hook/test', {})).status).toBe(403);
    }
    expect((await as(s.app, undefined)('GET', '/api/v1/itsm/channels')).status).toBe(401);
  });
});

describe('delivering notification.send', () => {
  it('mails each recipient with an address, in their language, HTML and text, the ticket number in the subject, threaded', async () => {
    await allowLoopback();
    const res = await admin('POST', '/api/v1/itsm/channels', {
      id: 'mail',
      kind: 'email',
      config: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'ServiceLoom <desk@demo.example.com>' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await notify('mail');
    expect(smtp.mails).toHaveLength(2);
    const byTo = Object.fromEntries(smtp.mails.map((m) => [m.envelopeTo[0], m]));
    const en = byTo['agent1@demo.example.com'];
    const zh = byTo['li@demo.example.com'];
    expect(en?.subject).toBe(`[${ticket}] ${ticket} was opened`);
    expect(zh?.subject).toBe(`[${ticket}] ${ticket} 已创建`);
    expect(en?.text?.trim()).toBe('Printer <b>on fire</b>\nPlease look & act.');
    expect(zh?.text?.trim()).toBe('打印机着火了\n请处理。');
    expect(en?.html).toContain('Printer &#60;b&#62;on fire&#60;/b&#62;<br>Please look &#38; act.');
    expect(en?.html).not.toContain('<b>');
    expect(zh?.html).toContain('lang="zh-CN"');
    expect(en?.from?.value[0]?.address).toBe('desk@demo.example.com');
    expect(en?.inReplyTo).toBe(`<${ticket}@demo.example.com>`);
    expect(en?.references).toEqual(`<${ticket}@demo.example.com>`);
    expect(en?.messageId).not.toBe(zh?.messageId);
    expect((await deliveriesOf('mail')).map((d) => [d.status, d.attempt])).toEqual([['sent', 1]]);
    expect(await notificationEntries('mail')).toEqual([{ channel: 'mail', status: 'sent', attempt: 1 }]);
  });

  it('signs DingTalk robot posts (timestamp and sign) and sends markdown', async () => {
    const r = await receiver([{ status: 200, body: '{"errcode":0,"errmsg":"ok"}' }]);
    await admin('POST', '/api/v1/itsm/channels', {
      id: 'ding',
      kind: 'dingtalk',
      config: { url: `${r.url}/robot/send?access_token=${DING_TOKEN}`, secret: DING_SECRET },
    });
    await notify('ding');
    expect(r.got).toHaveLength(1);
    const [post] = r.got;
    expect(post?.query.get('access_token')).toBe(DING_TOKEN);
    const timestamp = post?.query.get('timestamp') as string;
    expect(Math.abs(Number(timestamp) - Date.parse((await admin('GET', '/api/v1/admin/clock')).body.now))).toBeLessThan(60_000);
    const expected = createHmac('sha256', DING_SECRET).update(`${timestamp}\n${DING_SECRET}`).digest('base64');
    expect(post?.query.get('sign')).toBe(expected);
    // Sent percent-encoded, as DingTalk reads it.
    expect(post?.target).toContain(`&sign=${encodeURIComponent(expected)}`);
    expect(post?.json).toEqual({
      msgtype: 'markdown',
      markdown: { title: `${ticket} was opened`, text: `#### ${ticket} was opened\n\nPrinter <b>on fire</b>\nPlease look & act.` },
    });
    expect((await deliveriesOf('ding'))[0]?.status).toBe('sent');
  });

  it('counts a 200 with errcode other than 0 (DingTalk, WeCom) as failed', async () => {
    const r = await receiver([{ status: 200, body: '{"errcode":310000,"errmsg":"sign not match"}' }]);
    await admin('POST', '/api/v1/itsm/channels', {
      id: 'wecom',
      kind: 'wecom',
      config: { url: `${r.url}/cgi-bin/webhook/send?key=wecomkey0123456789` },
    });
    await notify('wecom');
    expect(r.got[0]?.json).toEqual({
      msgtype: 'markdown',
      markdown: { content: `**${ticket} was opened**\n\nPrinter <b>on fire</b>\nPlease look & act.` },
    });
    const [d] = await deliveriesOf('wecom');
    expect(d).toMatchObject({ status: 'retrying', attempt: 1 });
    expect(d?.error).toContain('310000');
    expect(await notificationEntries('wecom')).toEqual([{ channel: 'wecom', status: 'failed', attempt: 1, error: d?.error }]);
    // The delivery log (addresses, receivers' errors) is the service desk's: the requester never sees it.
    const theirs = (await requester('GET', `/api/v1/tickets/${ticket}/timeline`)).body as Array<{ kind: string }>;
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.some((e) => e.kind === 'notification')).toBe(false);
  });

  it('posts Slack (text and blocks) and Teams (MessageCard) payloads', async () => {
    const slack = await receiver();
    const teams = await receiver([{ status: 200, body: '1' }]);
    await admin('POST', '/api/v1/itsm/channels', { id: 'slack', kind: 'slack', config: { url: `${slack.url}${SLACK_PATH}` } });
    await admin('POST', '/api/v1/itsm/channels', {
      id: 'teams',
      kind: 'teams',
      config: { url: `${teams.url}/webhookb2/abc@def/IncomingWebhook/123/456` },
    });
    await notify('slack', { defaultLocale: 'zh-CN' });
    await notify('teams');
    expect(slack.got[0]?.path).toBe(SLACK_PATH);
    expect(slack.got[0]?.json).toEqual({
      text: `${ticket} 已创建\n打印机着火了\n请处理。`,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: `${ticket} 已创建`, emoji: true } },
        { type: 'section', text: { type: 'mrkdwn', text: '打印机着火了\n请处理。' } },
      ],
    });
    // Slack reads <...> as links: the body's markup is escaped.
    await notify('slack');
    expect(slack.got[1]?.json.blocks[1].text.text).toBe('Printer &lt;b&gt;on fire&lt;/b&gt;\nPlease look &amp; act.');
    expect(teams.got[0]?.json).toMatchObject({
      '@type': 'MessageCard',
      '@context': 'https://schema.org/extensions',
      summary: `${ticket} was opened`,
      title: `${ticket} was opened`,
      text: 'Printer <b>on fire</b>\n\nPlease look & act.',
    });
    expect((await deliveriesOf('slack')).map((d) => d.status)).toEqual(['sent', 'sent']);
    expect((await deliveriesOf('teams'))[0]?.status).toBe('sent');
  });

  it('signs the generic webhook’s raw body with HMAC-SHA256 in X-ServiceLoom-Signature', async () => {
    const r = await receiver();
    await admin('POST', '/api/v1/itsm/channels', { id: 'hook', kind: 'webhook', config: { url: `${r.url}/in`, secret: HOOK_SECRET } });
    const data = await notify('hook');
    const [post] = r.got;
    expect(post?.headers['x-serviceloom-signature']).toBe(
      `sha256=${createHmac('sha256', HOOK_SECRET)
        .update(post?.raw as string)
        .digest('hex')}`,
    );
    expect(post?.json).toEqual({ event: 'ticket.created', at: data.at, ticket, data: data.data });
    expect(post?.headers['content-type']).toContain('application/json');
  });

  it('calls a receiver outside any transaction: while one is slow to answer, the database serves everyone else', async () => {
    await allowLoopback();
    const slow = await receiver();
    let release = () => {};
    slow.gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    expect(
      (await admin('POST', '/api/v1/itsm/channels', { id: 'slow', kind: 'webhook', config: { url: `${slow.url}/hook` } })).status,
    ).toBe(201);
    const delivering = notify('slow');
    while (slow.got.length === 0) await new Promise((r) => setTimeout(r, 20));
    // The receiver holds its answer: a request still gets the database (on PGlite, its one connection).
    expect((await agent('GET', `/api/v1/tickets/${ticket}`)).status).toBe(200);
    expect((await deliveriesOf('slow'))[0]).toMatchObject({ status: 'sending', attempt: 1 });
    release();
    await delivering;
    expect((await deliveriesOf('slow'))[0]).toMatchObject({ status: 'sent', attempt: 1 });
    expect(await notificationEntries('slow')).toEqual([{ channel: 'slow', status: 'sent', attempt: 1 }]);
  });

  it('records an attempt whose outcome never came (the process died during the send) as failed, and tries again', async () => {
    await allowLoopback();
    const r = await receiver();
    expect((await admin('POST', '/api/v1/itsm/channels', { id: 'orphan', kind: 'webhook', config: { url: `${r.url}/hook` } })).status).toBe(
      201,
    );
    // A claimed attempt with no send behind it: what a crash between the claim and the answer leaves.
    const key = `orphan-${Date.now()}`;
    await s.app.services.transactions.withTenant('demo', async (work) => {
      await work.tx('itsm_deliveries').insert({
        tenant_id: 'demo',
        id: crypto.randomUUID(),
        delivery_key: key,
        channel: 'orphan',
        ticket,
        event: 'ticket.created',
        status: 'sending',
        attempt: 1,
        created_at: work.at,
        updated_at: work.at,
      });
      const n = await notifyData('orphan', { deliveryKey: key });
      await s.app.services.moduleEvents.emit(work, 'channels.retry', { ...n, attempt: 1, watchdog: true }, work.now + 5 * 60_000);
    });
    await advance(5 * 60 + 1);
    expect((await deliveriesOf('orphan'))[0]).toMatchObject({
      status: 'retrying',
      attempt: 1,
      error: expect.stringContaining('interrupted'),
    });
    await advance(61);
    expect((await deliveriesOf('orphan'))[0]).toMatchObject({ status: 'sent', attempt: 2 });
    expect(r.got.length).toBe(1);
  });

  it('retries a failing receiver with backoff on the server clock until it is sent, once per attempt even when events come twice', async () => {
    const r = await receiver([
      { status: 500, body: 'down' },
      { status: 503, body: 'still down' },
      { status: 200, body: 'ok' },
    ]);
    await admin('POST', '/api/v1/itsm/channels', { id: 'flaky', kind: 'webhook', config: { url: `${r.url}/in` } });
    const data = await notify('flaky');
    expect(r.got).toHaveLength(1);
    let [d] = await deliveriesOf('flaky');
    expect(d).toMatchObject({ status: 'retrying', attempt: 1, error: 'HTTP 500: down' });
    const now = Date.parse((await admin('GET', '/api/v1/admin/clock')).body.now);
    expect(Date.parse(d?.nextAttemptAt as string) - now).toBeGreaterThan(50_000);
    expect(Date.parse(d?.nextAttemptAt as string) - now).toBeLessThanOrEqual(60_000);

    // The outbox may deliver the event again: the attempt it names is done, nothing is sent.
    await s.app.services.transactions.withTenant('demo', (work) => s.app.services.moduleEvents.emit(work, 'notification.send', data));
    await settle(s.app);
    expect(r.got).toHaveLength(1);

    await advance(30);
    expect(r.got).toHaveLength(1);
    await advance(31);
    expect(r.got).toHaveLength(2);
    [d] = await deliveriesOf('flaky');
    expect(d).toMatchObject({ status: 'retrying', attempt: 2, error: 'HTTP 503: still down' });

    await advance(4 * 60);
    expect(r.got).toHaveLength(2);
    await advance(61);
    expect(r.got).toHaveLength(3);
    [d] = await deliveriesOf('flaky');
    expect(d).toMatchObject({ status: 'sent', attempt: 3, nextAttemptAt: null });
    expect(await notificationEntries('flaky')).toEqual([
      { channel: 'flaky', status: 'failed', attempt: 1, error: 'HTTP 500: down' },
      { channel: 'flaky', status: 'failed', attempt: 2, error: 'HTTP 503: still down' },
      { channel: 'flaky', status: 'sent', attempt: 3 },
    ]);
    // Nothing further is due.
    await advance(24 * 3600);
    expect(r.got).toHaveLength(3);
    // The ticket did not move for it.
    expect((await agent('GET', `/api/v1/tickets/${ticket}`)).body.state).toBe('new');
  });

  it('gives up after 6 attempts (1, 5, 15, 60 and 240 minutes apart): the delivery stays failed', async () => {
    const r = await receiver([{ status: 502, body: 'gone' }]);
    await admin('POST', '/api/v1/itsm/channels', { id: 'dead', kind: 'teams', config: { url: `${r.url}/webhookb2/x` } });
    await notify('dead');
    for (const minutes of [1, 5, 15, 60, 240]) await advance(minutes * 60 + 1);
    expect(r.got).toHaveLength(6);
    const [d] = await deliveriesOf('dead');
    expect(d).toMatchObject({ status: 'failed', attempt: 6, nextAttemptAt: null, error: 'HTTP 502: gone' });
    await advance(48 * 3600);
    expect(r.got).toHaveLength(6);
    expect((await notificationEntries('dead')).map((e) => [e.status, e.attempt])).toEqual([1, 2, 3, 4, 5, 6].map((n) => ['failed', n]));
  });

  it('records `blocked`, and does not retry, when the allow-list no longer admits a saved channel’s address', async () => {
    const r = await receiver();
    await allowLoopback();
    expect((await admin('POST', '/api/v1/itsm/channels', { id: 'fenced', kind: 'webhook', config: { url: `${r.url}/in` } })).status).toBe(
      201,
    );
    await allowLoopback([]);
    await notify('fenced');
    expect(r.got).toHaveLength(0);
    const [d] = await deliveriesOf('fenced');
    expect(d).toMatchObject({ status: 'blocked', attempt: 1, nextAttemptAt: null });
    expect(d?.error).toContain('allow-list');
    await advance(3600);
    expect(r.got).toHaveLength(0);
    expect(await notificationEntries('fenced')).toEqual([{ channel: 'fenced', status: 'blocked', attempt: 1, error: d?.error }]);
    expect((await admin('GET', '/api/v1/itsm/deliveries?status=blocked')).body.items.map((x: { channel: string }) => x.channel)).toContain(
      'fenced',
    );
    await allowLoopback();
  });

  it('filters deliveries by status, ticket and channel', async () => {
    const sentOnes = (await admin('GET', '/api/v1/itsm/deliveries?status=sent')).body.items;
    expect(sentOnes.length).toBeGreaterThan(0);
    expect(sentOnes.every((d: { status: string }) => d.status === 'sent')).toBe(true);
    const ofTicket = (await admin('GET', `/api/v1/itsm/deliveries?ticket=${ticket}&channel=hook`)).body.items;
    expect(ofTicket.map((d: { channel: string; ticket: string }) => [d.channel, d.ticket])).toEqual([['hook', ticket]]);
    expect((await admin('GET', '/api/v1/itsm/deliveries?ticket=INC9999999')).body.items).toEqual([]);
    expect((await admin('GET', '/api/v1/itsm/deliveries?status=lost')).status).toBe(400);
  });
});

describe('send a test', () => {
  it('answers how the test went: sent, failed, or blocked', async () => {
    const ok = await receiver();
    await admin('POST', '/api/v1/itsm/channels', { id: 'test-ok', kind: 'webhook', config: { url: `${ok.url}/in`, secret: HOOK_SECRET } });
    expect((await admin('POST', '/api/v1/itsm/channels/test-ok/test', {})).body).toEqual({ status: 'sent' });
    expect(ok.got[0]?.json).toMatchObject({ event: 'channel.test', ticket: null });

    const down = await receiver([{ status: 500, body: 'nope' }]);
    await admin('POST', '/api/v1/itsm/channels', { id: 'test-down', kind: 'slack', config: { url: `${down.url}/services/a/b/c` } });
    expect((await admin('POST', '/api/v1/itsm/channels/test-down/test', {})).body).toEqual({ status: 'failed', error: 'HTTP 500: nope' });

    const before = smtp.mails.length;
    const mail = await admin('POST', '/api/v1/itsm/channels/mail/test', { to: 'someone@demo.example.com' });
    expect(mail.body).toEqual({ status: 'sent' });
    expect(smtp.mails.slice(before).map((m) => [m.envelopeTo[0], m.subject])).toEqual([
      ['someone@demo.example.com', 'ServiceLoom test message'],
    ]);

    await allowLoopback([]);
    const blocked = await admin('POST', '/api/v1/itsm/channels/test-ok/test', {});
    expect(blocked.body.status).toBe('blocked');
    await allowLoopback();
    expect((await admin('POST', '/api/v1/itsm/channels/nope/test', {})).status).toBe(404);
    // No delivery is recorded for a test.
    expect((await deliveriesOf('test-ok')).length).toBe(0);
  });
});

describe('tenants', () => {
  it('never see each other’s channels or deliveries', async () => {
    const create = await admin('POST', '/api/v1/tenants', {
      id: 'other',
      name: 'Other Corp',
      admin: { username: 'other-admin', password: PASSWORD },
    });
    expect(create.status, JSON.stringify(create.body)).toBe(201);
    const other = as(s.app, await tokenFor(s.app, 'other-admin', 'other'));
    expect((await other('GET', '/api/v1/itsm/channels')).body.items).toEqual([]);
    expect((await other('GET', '/api/v1/itsm/channels/hook')).status).toBe(404);
    expect((await other('PUT', '/api/v1/itsm/channels/hook', { kind: 'webhook', config: { url: 'https://example.com/x' } })).status).toBe(
      404,
    );
    expect((await other('DELETE', '/api/v1/itsm/channels/hook')).status).toBe(404);
    expect((await other('POST', '/api/v1/itsm/channels/hook/test', {})).status).toBe(404);
    expect((await other('GET', '/api/v1/itsm/deliveries')).body.items).toEqual([]);
    // Its own channel of the same id is its own.
    const own = await other('POST', '/api/v1/itsm/channels', { id: 'hook', kind: 'webhook', config: { url: 'http://127.0.0.1:9/x' } });
    expect(own.status).toBe(400);
    expect((await admin('GET', '/api/v1/itsm/channels/hook')).body.config.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/in$/);
  });
});
