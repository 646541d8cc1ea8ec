// Live ticket changes as Server-Sent Events (`GET /tickets/stream`), for the inbox, my requests and
// the ticket page. The module's events (`ticket.updated`, `ticket.state_changed`) reach the hub
// right after their transaction committed, in the process that committed it (live listeners: a
// live view needs no outbox row); the hub passes each to the signed-in clients of that tenant who
// may see the ticket: agents every ticket, requesters those they requested or watch, and never a
// change only agents may see (a work note).
//
// One process only: clients connected to another API process miss the events it committed.
// Several processes need a pub/sub between them (the scale work), see docs/itsm-api.md.
import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { TicketEventStream, type TicketStreamEvent, TicketStreamQuery } from '@serviceloom/contracts';
import { ACCESS } from '../../platform/auth/roles.ts';
import type { Principal } from '../../platform/auth/tokens.ts';
import type { Transactions } from '../../platform/db/transactions.ts';
import type { ModuleEvents } from '../../platform/outbox/module-events.ts';
import { errors } from '../../platform/schemas/common.ts';
import { Heartbeat, openEventStream, sendFrame } from '../../platform/sse.ts';
import { isAgent } from './service.ts';

interface Client {
  userId: string;
  agent: boolean;
  out: ServerResponse;
}

export class TicketStreamHub {
  private readonly byTenant = new Map<string, Set<Client>>();
  private readonly heartbeat: Heartbeat;

  constructor(
    private readonly transactions: Transactions,
    heartbeatMs?: number,
  ) {
    this.heartbeat = new Heartbeat(() => this.streams(), heartbeatMs);
  }

  /** Follows the tickets module's events, once each committed. */
  subscribe(moduleEvents: ModuleEvents): void {
    moduleEvents.onCommitted('ticket.updated', (tenantId, data) =>
      this.publish(tenantId, { number: String(data.number), kind: 'updated' }, data.internal === true),
    );
    moduleEvents.onCommitted('ticket.state_changed', (tenantId, data) =>
      this.publish(tenantId, { number: String(data.number), kind: 'state_changed', state: String(data.to) }, false),
    );
  }

  /** Opens a client's stream; it ends when the client leaves or the server closes. */
  open(p: Principal, out: ServerResponse): void {
    openEventStream(out);
    const client: Client = { userId: p.userId, agent: isAgent(p), out };
    let clients = this.byTenant.get(p.tenantId);
    if (!clients) {
      clients = new Set();
      this.byTenant.set(p.tenantId, clients);
    }
    clients.add(client);
    out.on('close', () => this.remove(p.tenantId, client));
    this.heartbeat.start();
  }

  /** Sends one event to the tenant's clients who may see the ticket. */
  async publish(tenantId: string, event: TicketStreamEvent, internal: boolean): Promise<void> {
    const clients = this.byTenant.get(tenantId);
    if (!clients?.size) return;
    const frame = `event: ticket\ndata: ${JSON.stringify(event)}\n\n`;
    const requesters = [...clients].filter((c) => !c.agent);
    // Who besides agents may see it: one indexed read, only when a requester is listening.
    const allowed = requesters.length && !internal ? await this.audience(tenantId, event.number) : new Set<string>();
    for (const client of clients) {
      if (client.agent || allowed.has(client.userId)) sendFrame(client.out, frame);
    }
  }

  /** Ends every stream (the server is closing). */
  closeAll(): void {
    for (const clients of this.byTenant.values()) for (const c of clients) c.out.end();
    this.byTenant.clear();
    this.heartbeat.stop();
  }

  /** How many clients are connected (for tests and metrics). */
  get size(): number {
    let n = 0;
    for (const clients of this.byTenant.values()) n += clients.size;
    return n;
  }

  /** The ticket's requester and watchers. */
  private async audience(tenantId: string, number: string): Promise<Set<string>> {
    return this.transactions.read(tenantId, async (tx) => {
      const ticket = await tx('tickets').where({ tenant_id: tenantId, number }).first('id', 'requester_id');
      if (!ticket) return new Set<string>();
      const watchers: string[] = await tx('ticket_watchers').where({ tenant_id: tenantId, ticket_id: ticket.id }).pluck('user_id');
      return new Set([ticket.requester_id as string, ...watchers]);
    });
  }

  private remove(tenantId: string, client: Client): void {
    const clients = this.byTenant.get(tenantId);
    clients?.delete(client);
    if (clients && !clients.size) this.byTenant.delete(tenantId);
    if (!this.byTenant.size) this.heartbeat.stop();
  }

  private *streams(): Iterable<ServerResponse> {
    for (const clients of this.byTenant.values()) for (const c of clients) yield c.out;
  }
}

export interface TicketStreamOptions {
  hub: TicketStreamHub;
}

/** The route; the hub comes from the module (index.ts). */
const streamRoutes: FastifyPluginAsyncTypebox<TicketStreamOptions> = async (app, opts) => {
  app.get(
    '/api/v1/tickets/stream',
    {
      config: { roles: ACCESS.anyUser, queryToken: true },
      schema: {
        summary: 'Live ticket changes as Server-Sent Events (the tickets you may see); the token as Bearer header or ?access_token=',
        description:
          'Each change is `event: ticket` with data `{ number, kind: updated | state_changed, state? }`; fetch the ticket again to see it. ' +
          'Requesters get the tickets they requested or watch, never work notes. A comment line every 15 s keeps the connection alive.',
        tags: ['tickets'],
        querystring: TicketStreamQuery,
        // The stream itself, or a JSON error before it opens.
        produces: ['text/event-stream', 'application/json'],
        response: { 200: TicketEventStream, ...errors(400, 401) },
      },
    },
    async (request, reply) => {
      reply.hijack();
      opts.hub.open(request.principal, reply.raw);
    },
  );
};

export default streamRoutes;
