// The live stream of ticket changes (GET /tickets/stream) on a real listening socket, read with
// fetch as a browser's EventSource would: who gets which event (agents every ticket, requesters
// their own and watched ones, never work notes, never another tenant's), the query token, and
// the cleanup when a client leaves.
import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, type Call, deploy, PASSWORD, startServer, type TestServer, tokenFor } from '../../../test/helpers.ts';
import { ticketFlow } from '../../../test/itsm/ticket-flow.ts';
import { TicketStreamHub } from './stream.ts';

let s: TestServer;
let base: string;
let admin: Call;
let agent: Call;
let requester: Call;
let watcherToken: string;
let otherTenantAgent: string;

beforeAll(async () => {
  s = await startServer();
  await s.app.listen({ port: 0, host: '127.0.0.1' });
  const address = s.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${address.port}`;
  admin = as(s.app, s.tokens.admin);
  agent = as(s.app, s.tokens.agent1);
  requester = as(s.app, s.tokens.requester);
  watcherToken = await addUser(s.app, 'watcher', ['requester']);
  await deploy(admin, ticketFlow('itsm-incident'));
  const created = await admin('POST', '/api/v1/tenants', {
    id: 'streamco',
    name: 'Stream Co',
    admin: { username: 'streamco-admin', password: PASSWORD },
  });
  expect(created.status).toBe(201);
  otherTenantAgent = await tokenFor(s.app, 'streamco-admin', 'streamco');
});
afterAll(() => s.close());

interface Received {
  number: string;
  kind: string;
  state?: string;
}

/** A client of the stream: the `ticket` events it received so far, parsed. */
async function listen(token: string, how: 'header' | 'query' = 'query') {
  const controller = new AbortController();
  const url = `${base}/api/v1/tickets/stream${how === 'query' ? `?access_token=${encodeURIComponent(token)}` : ''}`;
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
          if (event === 'ticket' && data) events.push(JSON.parse(data));
          end = raw.indexOf('\n\n');
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    events,
    of: (number: string) => events.filter((e) => e.number === number),
    async close() {
      controller.abort();
      await reading;
    },
  };
}

/** Waits until `check` holds (the outbox delivers after commit, a moment later). */
async function until(check: () => boolean, what: string) {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const raise = async (call: Call, title: string) => {
  const res = await call('POST', '/api/v1/tickets', { type: 'incident', title });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.number as string;
};

describe('GET /tickets/stream', () => {
  it('refuses a missing or wrong token', async () => {
    expect((await fetch(`${base}/api/v1/tickets/stream`)).status).toBe(401);
    expect((await fetch(`${base}/api/v1/tickets/stream?access_token=nonsense`)).status).toBe(401);
  });

  it('only the stream takes the token from the query', async () => {
    const res = await fetch(`${base}/api/v1/tickets?access_token=${encodeURIComponent(s.tokens.agent1)}`);
    expect(res.status).toBe(401);
  });

  it('gives agents every change, requesters their own tickets without work notes, and other tenants nothing', async () => {
    const agentStream = await listen(s.tokens.agent1, 'header');
    const requesterStream = await listen(s.tokens.requester);
    const watcherStream = await listen(watcherToken);
    const foreignStream = await listen(otherTenantAgent);
    try {
      const mine = await raise(requester, 'Printer on fire');
      const someoneElses = await raise(agent, 'Disk full');

      await until(() => agentStream.of(mine).length > 0 && agentStream.of(someoneElses).length > 0, 'the agent to see both tickets');
      await until(() => requesterStream.of(mine).length > 0, 'the requester to see their ticket');

      // A work note: agents hear of it, the requester does not.
      const before = requesterStream.of(mine).length;
      const agentBefore = agentStream.of(mine).length;
      expect((await agent('POST', `/api/v1/tickets/${mine}/comments`, { body: 'checked the fuser', internal: true })).status).toBe(201);
      await until(() => agentStream.of(mine).length > agentBefore, 'the agent to hear of the work note');

      // A state change through the flow reaches both, with the new state.
      expect((await agent('POST', `/api/v1/tickets/${mine}/actions/start`, {})).status).toBe(200);
      await until(
        () => requesterStream.of(mine).some((e) => e.kind === 'state_changed' && e.state === 'in_progress'),
        'the requester to see the ticket start',
      );
      // Events arrive in commit order: a leaked work note would come before the start's events.
      const after = () => requesterStream.of(mine).slice(before);
      await until(() => after().some((e) => e.kind === 'updated'), "the requester to see the start's update");
      expect(after()[0]?.kind).toBe('state_changed'); // the start's own events, not the work note

      // Someone watching a ticket sees it; before watching they did not.
      expect(watcherStream.of(someoneElses)).toEqual([]);
      const watcherId = (await as(s.app, watcherToken)('GET', '/api/v1/auth/me')).body.id;
      expect((await agent('POST', `/api/v1/tickets/${someoneElses}/watchers/${watcherId}`)).status).toBe(204);
      expect((await agent('POST', `/api/v1/tickets/${someoneElses}/comments`, { body: 'looking into it' })).status).toBe(201);
      await until(() => watcherStream.of(someoneElses).length > 0, 'the watcher to see the watched ticket');

      expect(requesterStream.of(someoneElses)).toEqual([]);
      expect(foreignStream.events).toEqual([]);
    } finally {
      await Promise.all([agentStream.close(), requesterStream.close(), watcherStream.close(), foreignStream.close()]);
    }
  });
});

describe('TicketStreamHub', () => {
  it('sends heartbeats while clients are connected and forgets a client that left', async () => {
    const hub = new TicketStreamHub({} as never, 20);
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
    await until(() => out.frames.includes(': heartbeat\n\n'), 'a heartbeat');
    out.emit('close');
    expect(hub.size).toBe(0);
    const sent = out.frames.length;
    await new Promise((r) => setTimeout(r, 60));
    expect(out.frames.length).toBe(sent);
  });
});
