// The live stream of in-app notifications (GET /notifications/stream) on a real listening socket,
// read with fetch as a browser's EventSource would: a new notification reaches its recipient's
// stream (Bearer header or ?access_token=) with the list's JSON, nobody else's, and a client that
// leaves is forgotten.
import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, type Call, deploy, startServer, type TestServer } from '../../../test/helpers.ts';
import { ticketFlow } from '../../../test/itsm/ticket-flow.ts';
import { NotificationHub } from './stream.ts';

let s: TestServer;
let base: string;
let agent: Call;
let aliceToken: string;
let bobToken: string;

beforeAll(async () => {
  s = await startServer();
  await s.app.listen({ port: 0, host: '127.0.0.1' });
  const address = s.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${address.port}`;
  agent = as(s.app, s.tokens.agent1);
  aliceToken = await addUser(s.app, 'alice', ['agent']);
  bobToken = await addUser(s.app, 'bob', ['agent']);
  await deploy(as(s.app, s.tokens.admin), ticketFlow('itsm-incident'));
});
afterAll(() => s.close());

interface Received {
  id: string;
  event: string;
  ticket: string | null;
  title: string;
  body: string;
  read: boolean;
  createdAt: string;
}

async function listen(token: string, how: 'header' | 'query' = 'query') {
  const controller = new AbortController();
  const url = `${base}/api/v1/notifications/stream${how === 'query' ? `?access_token=${encodeURIComponent(token)}` : ''}`;
  const res = await fetch(url, { signal: controller.signal, headers: how === 'header' ? { authorization: `Bearer ${token}` } : {} });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const events: Received[] = [];
  let raw = '';
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const reading = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        raw += decoder.decode(value, { stream: true });
        let end = raw.indexOf('\n\n');
        while (end >= 0) {
          const frame = raw.slice(0, end);
          raw = raw.slice(end + 2);
          const event = /^event: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (event === 'notification' && data) events.push(JSON.parse(data));
          end = raw.indexOf('\n\n');
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    events,
    async close() {
      controller.abort();
      await reading;
    },
  };
}

async function until(check: () => boolean, what: string) {
  const deadline = Date.now() + 15_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('GET /notifications/stream', () => {
  it('refuses a missing or wrong token', async () => {
    expect((await fetch(`${base}/api/v1/notifications/stream`)).status).toBe(401);
    expect((await fetch(`${base}/api/v1/notifications/stream?access_token=nonsense`)).status).toBe(401);
  });

  it('delivers a new notification to its recipient only, as the list shows it', async () => {
    const alice = await listen(aliceToken, 'header');
    const aliceAgain = await listen(aliceToken);
    const bob = await listen(bobToken);
    try {
      const res = await agent('POST', '/api/v1/tickets', { type: 'incident', title: 'Badge reader dead', assignee: 'alice' });
      expect(res.status).toBe(201);
      const number = res.body.number as string;
      await until(() => alice.events.length > 0 && aliceAgain.events.length > 0, 'alice’s streams to hear of the assignment');
      const [event] = alice.events;
      expect(event).toMatchObject({ event: 'ticket.assigned', ticket: number, title: 'Assigned: Badge reader dead', read: false });
      const listed = (await as(s.app, aliceToken)('GET', '/api/v1/notifications')).body.items;
      expect(listed[0]).toEqual(event);
      expect(aliceAgain.events).toEqual([event]);
      expect(bob.events).toEqual([]);
    } finally {
      await Promise.all([alice.close(), aliceAgain.close(), bob.close()]);
    }
  });
});

describe('NotificationHub', () => {
  it('sends heartbeats while clients are connected and forgets a client that left', async () => {
    const hub = new NotificationHub(20);
    const out = Object.assign(new EventEmitter(), {
      frames: [] as string[],
      destroyed: false,
      writableEnded: false,
      writeHead() {},
      write(frame: string) {
        this.frames.push(frame);
        return true;
      },
      end() {
        this.writableEnded = true;
      },
    });
    hub.open({ userId: 'u1', tenantId: 't1', username: 'a', roles: ['agent'], groups: [], sessionId: 's' }, out as never);
    expect(hub.size).toBe(1);
    hub.publish('t1', 'u2', { id: 'not-mine' });
    hub.publish('t2', 'u1', { id: 'other-tenant' });
    hub.publish('t1', 'u1', { id: 'mine' });
    expect(out.frames.filter((f) => f.startsWith('event: notification'))).toEqual(['event: notification\ndata: {"id":"mine"}\n\n']);
    await until(() => out.frames.includes(': heartbeat\n\n'), 'a heartbeat');
    out.emit('close');
    expect(hub.size).toBe(0);
    const sent = out.frames.length;
    await new Promise((r) => setTimeout(r, 60));
    expect(out.frames.length).toBe(sent);
  });
});
