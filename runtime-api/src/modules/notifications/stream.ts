// Live in-app notifications as Server-Sent Events (`GET /notifications/stream`), the way the
// tickets module streams ticket changes: `notification.created` reaches the hub right after the
// notification committed (a live listener: no outbox row), and the hub writes it to that person's
// open streams in this process. Authenticated by the Bearer header or `?access_token=` (EventSource
// cannot send headers).
//
// One process only: a client connected to another API process misses the notifications it
// committed until the list is read again (the bell reads it on reconnect).
import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NotificationEventStream, NotificationStreamQuery } from '@serviceloom/contracts';
import { ACCESS } from '../../platform/auth/roles.ts';
import type { Principal } from '../../platform/auth/tokens.ts';
import type { ModuleEvents } from '../../platform/outbox/module-events.ts';
import { errors } from '../../platform/schemas/common.ts';
import { Heartbeat, openEventStream, sendFrame } from '../../platform/sse.ts';
import { CREATED } from './inbox.ts';

interface Client {
  userId: string;
  out: ServerResponse;
}

export class NotificationHub {
  /** tenant -> user -> that user's open streams */
  private readonly clients = new Map<string, Map<string, Set<Client>>>();
  private readonly heartbeat: Heartbeat;

  constructor(heartbeatMs?: number) {
    this.heartbeat = new Heartbeat(() => this.streams(), heartbeatMs);
  }

  subscribe(moduleEvents: ModuleEvents): void {
    moduleEvents.onCommitted(CREATED, (tenantId, data) => this.publish(tenantId, data.userId as string, data.notification));
  }

  open(p: Principal, out: ServerResponse): void {
    openEventStream(out);
    const client: Client = { userId: p.userId, out };
    let byUser = this.clients.get(p.tenantId);
    if (!byUser) {
      byUser = new Map();
      this.clients.set(p.tenantId, byUser);
    }
    let mine = byUser.get(p.userId);
    if (!mine) {
      mine = new Set();
      byUser.set(p.userId, mine);
    }
    mine.add(client);
    out.on('close', () => this.remove(p.tenantId, client));
    this.heartbeat.start();
  }

  publish(tenantId: string, userId: string, notification: unknown): void {
    const mine = this.clients.get(tenantId)?.get(userId);
    if (!mine?.size) return;
    const frame = `event: notification\ndata: ${JSON.stringify(notification)}\n\n`;
    for (const c of mine) sendFrame(c.out, frame);
  }

  closeAll(): void {
    for (const byUser of this.clients.values()) for (const set of byUser.values()) for (const c of set) c.out.end();
    this.clients.clear();
    this.heartbeat.stop();
  }

  get size(): number {
    let n = 0;
    for (const byUser of this.clients.values()) for (const set of byUser.values()) n += set.size;
    return n;
  }

  private remove(tenantId: string, client: Client): void {
    const byUser = this.clients.get(tenantId);
    const mine = byUser?.get(client.userId);
    mine?.delete(client);
    if (mine && !mine.size) byUser?.delete(client.userId);
    if (byUser && !byUser.size) this.clients.delete(tenantId);
    if (!this.clients.size) this.heartbeat.stop();
  }

  private *streams(): Iterable<ServerResponse> {
    for (const byUser of this.clients.values()) for (const set of byUser.values()) for (const c of set) yield c.out;
  }
}

const streamRoutes: FastifyPluginAsyncTypebox<{ hub: NotificationHub }> = async (app, opts) => {
  app.get(
    '/api/v1/notifications/stream',
    {
      config: { roles: ACCESS.anyUser, queryToken: true },
      schema: {
        summary: 'Your new in-app notifications as Server-Sent Events; the token as Bearer header or ?access_token=',
        description:
          'Each is `event: notification` with the notification `{ id, event, ticket, title, body, read, createdAt }` as data. ' +
          'A comment line every 15 s keeps the connection alive.',
        tags: ['notifications'],
        querystring: NotificationStreamQuery,
        produces: ['text/event-stream', 'application/json'],
        response: { 200: NotificationEventStream, ...errors(400, 401) },
      },
    },
    async (request, reply) => {
      reply.hijack();
      opts.hub.open(request.principal, reply.raw);
    },
  );
};

export default streamRoutes;
