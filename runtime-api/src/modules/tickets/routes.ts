// The tickets' routes. Roles: any signed-in user reaches them; the service decides per ticket
// (requesters see only their own tickets, agents all, and each action names who may perform it).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ActionBody,
  ActionParams,
  Attachment,
  AttachmentFile,
  CommentBody,
  CreateTicketBody,
  ImportReply,
  ItsmSettings as ItsmSettingsSchema,
  NoContent,
  PriorityMatrix,
  RelationBody,
  RelationParams,
  Ticket,
  TicketAttachmentBody,
  TicketAttachmentParams,
  TicketAttachments,
  TicketList,
  TicketNumberParams,
  TicketQuery,
  Timeline,
  UpdateTicketBody,
  WatcherParams,
  Watchers,
} from '@serviceloom/contracts';
import { ACCESS } from '../../platform/auth/roles.ts';
import { errors } from '../../platform/schemas/common.ts';
import type { TicketAttachments as TicketFiles } from './attachments.ts';
import type { TicketImport } from './import.ts';
import type { TicketService } from './service.ts';
import type { ItsmSettings } from './settings.ts';

export interface TicketRoutesOptions {
  tickets: TicketService;
  settings: ItsmSettings;
  importer: TicketImport;
  attachments: TicketFiles;
}

const routes: FastifyPluginAsyncTypebox<TicketRoutesOptions> = async (app, { tickets, settings, importer, attachments }) => {
  const anyUser = { roles: ACCESS.anyUser };
  const admin = { roles: ACCESS.tenantAdmin };
  const tags = ['tickets'];

  app.post(
    '/api/v1/tickets',
    {
      config: anyUser,
      schema: {
        summary: 'Raise a ticket: an incident or request (anyone), or a problem, change or release (agents); starts its flow',
        tags,
        body: CreateTicketBody,
        response: { 201: Ticket, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(await tickets.create(request.principal, request.body)),
  );

  app.get(
    '/api/v1/tickets',
    {
      config: anyUser,
      schema: {
        summary: 'Tickets: a requester sees those they requested or watch, agents every one; filters, sort and cursor pages',
        tags,
        querystring: TicketQuery,
        response: { 200: TicketList, ...errors(400, 401) },
      },
    },
    async (request) => tickets.list(request.principal, request.query),
  );

  app.get(
    '/api/v1/tickets/:number',
    {
      config: anyUser,
      schema: {
        summary: 'One ticket, with the actions you may perform on it now',
        tags,
        params: TicketNumberParams,
        response: { 200: Ticket, ...errors(401, 404) },
      },
    },
    async (request) => tickets.get(request.principal, request.params.number),
  );

  app.patch(
    '/api/v1/tickets/:number',
    {
      config: { roles: ACCESS.workTasks },
      schema: {
        summary: 'Change a ticket’s fields (agents); each change enters the timeline with before and after',
        tags,
        params: TicketNumberParams,
        body: UpdateTicketBody,
        response: { 200: Ticket, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => tickets.update(request.principal, request.params.number, request.body),
  );

  app.post(
    '/api/v1/tickets/:number/comments',
    {
      config: anyUser,
      schema: {
        summary: 'Comment on a ticket; `internal: true` is a work note (agents), never shown to requesters',
        tags,
        params: TicketNumberParams,
        body: CommentBody,
        response: { 201: Ticket, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.status(201).send(await tickets.comment(request.principal, request.params.number, request.body)),
  );

  app.get(
    '/api/v1/tickets/:number/timeline',
    {
      config: anyUser,
      schema: {
        summary: 'What happened to a ticket, oldest first (work notes only for agents)',
        tags,
        params: TicketNumberParams,
        response: { 200: Timeline, ...errors(401, 404) },
      },
    },
    async (request) => tickets.timeline(request.principal, request.params.number),
  );

  app.post(
    '/api/v1/tickets/:number/actions/:action',
    {
      config: anyUser,
      schema: {
        summary: 'Perform an action (assign, start, hold, resume, resolve, reopen, close, cancel, declare-major, urge, rate, ...)',
        description:
          'Answers 403 when the caller may not perform the action, then 409 ACTION_NOT_AVAILABLE (naming the available ones) when the ticket does not offer it now, then 400 for bad input.',
        tags,
        params: ActionParams,
        body: ActionBody,
        response: { 200: Ticket, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => tickets.act(request.principal, request.params.number, request.params.action, request.body ?? {}),
  );

  app.post(
    '/api/v1/tickets/:number/relations',
    {
      config: { roles: ACCESS.workTasks },
      schema: {
        summary: 'Relate a ticket to another (or, for solved_by, to a knowledge article)',
        tags,
        params: TicketNumberParams,
        body: RelationBody,
        response: { 201: Ticket, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await tickets.relate(request.principal, request.params.number, request.body.kind, request.body.number)),
  );

  app.delete(
    '/api/v1/tickets/:number/relations/:kind/:other',
    {
      config: { roles: ACCESS.workTasks },
      schema: { summary: 'Remove a relation', tags, params: RelationParams, response: { 204: NoContent, ...errors(401, 403, 404) } },
    },
    async (request, reply) => {
      await tickets.unrelate(request.principal, request.params.number, request.params.kind, request.params.other);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/tickets/:number/watchers',
    {
      config: anyUser,
      schema: { summary: 'Who watches a ticket', tags, params: TicketNumberParams, response: { 200: Watchers, ...errors(401, 404) } },
    },
    async (request) => tickets.watchers(request.principal, request.params.number),
  );

  for (const [method, on] of [
    ['post', true],
    ['delete', false],
  ] as const) {
    app[method](
      '/api/v1/tickets/:number/watchers/:userId',
      {
        config: anyUser,
        schema: {
          summary: on ? 'Watch a ticket (agents add anyone; others themselves)' : 'Stop watching a ticket',
          tags,
          params: WatcherParams,
          response: { 204: NoContent, ...errors(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await tickets.watch(request.principal, request.params.number, request.params.userId, on);
        return reply.status(204).send(null);
      },
    );
  }

  app.get(
    '/api/v1/tickets/:number/attachments',
    {
      config: anyUser,
      schema: {
        summary: "A ticket's files, for whoever sees the ticket (its agents, requester and watchers)",
        tags,
        params: TicketNumberParams,
        response: { 200: TicketAttachments, ...errors(401, 404) },
      },
    },
    async (request) => attachments.list(request.principal, request.params.number),
  );

  app.post(
    '/api/v1/tickets/:number/attachments',
    {
      config: anyUser,
      schema: {
        summary: 'Put a file on a ticket: one the caller uploaded with `POST /attachments` (anyone else’s is 404)',
        tags,
        params: TicketNumberParams,
        body: TicketAttachmentBody,
        response: { 201: Attachment, ...errors(400, 401, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await attachments.add(request.principal, request.params.number, request.body.attachmentId)),
  );

  app.get(
    '/api/v1/tickets/:number/attachments/:id',
    {
      config: anyUser,
      schema: {
        summary: 'Download a file of a ticket, for whoever sees the ticket',
        tags,
        params: TicketAttachmentParams,
        response: { 200: AttachmentFile, ...errors(401, 404) },
      },
    },
    async (request, reply) => {
      const file = await attachments.download(request.principal, request.params.number, request.params.id);
      return (
        reply
          .header('content-type', file.contentType)
          .header('content-length', file.size)
          .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'private, no-store')
          // The contract types the reply as the Blob a browser receives; the server streams the bytes.
          .send(file.content as unknown as Blob)
      );
    },
  );

  app.post(
    '/api/v1/tickets/import',
    {
      config: admin,
      bodyLimit: 200 * 1024 * 1024,
      schema: {
        summary: 'Import another tool’s incident history (ServiceNow export columns, CSV); the last row of each number is the ticket',
        tags,
        consumes: ['text/csv'],
        response: { 200: ImportReply, ...errors(400, 401, 403, 413, 415) },
      },
    },
    async (request) => importer.importCsv(request.principal, request.body as string),
  );

  app.get(
    '/api/v1/itsm/settings',
    {
      config: admin,
      schema: {
        summary: 'The tenant’s ITSM settings (secrets only say whether they are set)',
        tags: ['itsm'],
        response: { 200: ItsmSettingsSchema, ...errors(401, 403) },
      },
    },
    async (request) => settings.all(request.principal.tenantId),
  );

  app.patch(
    '/api/v1/itsm/settings',
    {
      config: admin,
      schema: {
        summary: 'Change ITSM settings by name',
        tags: ['itsm'],
        body: ItsmSettingsSchema,
        response: { 200: ItsmSettingsSchema, ...errors(400, 401, 403) },
      },
    },
    async (request) => settings.update(request.principal.tenantId, request.body),
  );

  app.get(
    '/api/v1/itsm/priority-matrix',
    {
      config: anyUser,
      schema: { summary: 'Priority by impact, then urgency', tags: ['itsm'], response: { 200: PriorityMatrix, ...errors(401) } },
    },
    async (request) => settings.priorityMatrix(request.principal.tenantId),
  );

  app.put(
    '/api/v1/itsm/priority-matrix',
    {
      config: admin,
      schema: {
        summary: 'Set the priority matrix (tickets take it when impact or urgency next changes)',
        tags: ['itsm'],
        body: PriorityMatrix,
        response: { 200: PriorityMatrix, ...errors(400, 401, 403) },
      },
    },
    async (request) => settings.setPriorityMatrix(request.principal.tenantId, request.body),
  );
};

export default routes;
