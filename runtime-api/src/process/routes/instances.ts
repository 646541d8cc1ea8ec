import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ACCESS } from '../../platform/auth/roles.ts';
import { errors, IdParams, Nullable, Variables } from '../../platform/schemas/common.ts';
import type { CancelBatchRow } from '../cancellation.ts';

const Status = Type.Union([Type.Literal('active'), Type.Literal('completed'), Type.Literal('terminated'), Type.Literal('cancelled')]);

const Instance = Type.Object({
  id: Type.String(),
  definitionKey: Type.String(),
  version: Type.Integer(),
  businessKey: Nullable(Type.String()),
  status: Status,
  variables: Variables,
  activeElementIds: Type.Array(Type.String()),
  startedAt: Type.String({ format: 'date-time' }),
  endedAt: Nullable(Type.String({ format: 'date-time' })),
  parentInstanceId: Nullable(Type.String()),
  faults: Type.Array(Type.Object({ id: Type.String(), elementId: Type.String(), message: Type.String(), jobId: Nullable(Type.String()) }), {
    description: 'Open faults: elements held until an operator retries them',
  }),
});

const StartBody = Type.Object(
  {
    definitionKey: Type.String({ minLength: 1, maxLength: 200 }),
    version: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
    businessKey: Type.Optional(Type.String({ maxLength: 500 })),
    variables: Type.Optional(Variables),
  },
  { additionalProperties: false },
);

const HistoryEntry = Type.Object({
  elementId: Type.String(),
  elementType: Type.String(),
  event: Type.Union([Type.Literal('started'), Type.Literal('completed'), Type.Literal('cancelled'), Type.Literal('taken')]),
  at: Type.String({ format: 'date-time' }),
});

const CancelBody = Type.Object(
  {
    definitionKey: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    definitionId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    version: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
    businessKey: Type.Optional(Type.String({ maxLength: 500 })),
    startedBefore: Type.Optional(Type.String({ format: 'date-time' })),
    status: Type.Optional(Type.Literal('active', { description: 'Only active instances can be cancelled' })),
  },
  { additionalProperties: false },
);

const CancelBatch = Type.Object({
  batchId: Type.String(),
  matched: Type.Integer({ description: 'Active instances the filter matched when the batch was asked for' }),
  cancelled: Type.Integer({ description: 'Cancelled so far (their descendants are cancelled by batches of their own)' }),
  status: Type.Union([Type.Literal('running'), Type.Literal('done')]),
  filter: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String({ format: 'date-time' }),
  finishedAt: Nullable(Type.String({ format: 'date-time' })),
});

const batchView = (b: CancelBatchRow) => ({
  batchId: b.id,
  matched: b.matched,
  cancelled: b.cancelled,
  status: b.status,
  filter: (typeof b.filter === 'string' ? JSON.parse(b.filter) : b.filter) as Record<string, unknown>,
  createdAt: new Date(b.created_at).toISOString(),
  finishedAt: b.finished_at ? new Date(b.finished_at).toISOString() : null,
});

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { instances } = app.services;

  app.post(
    '/api/v1/process-instances',
    {
      config: { roles: ACCESS.startInstance },
      schema: {
        summary: 'Start a process instance (the latest version unless `version` is given)',
        tags: ['process-instances'],
        body: StartBody,
        response: { 201: Instance, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const view = await instances.start(request.principal.tenantId, request.principal.username, request.body);
      return reply.status(201).send(view);
    },
  );

  app.get(
    '/api/v1/process-instances',
    {
      config: { roles: ACCESS.anyUser },
      schema: {
        summary: 'Process instances you may read, newest first (at most 100)',
        description:
          'Tenant admins and process owners read every instance; agents those they started or hold a task of (as their task list shows it); everyone else those they started.',
        tags: ['process-instances'],
        querystring: Type.Object(
          {
            definitionKey: Type.Optional(Type.String()),
            status: Type.Optional(Status),
            businessKey: Type.Optional(Type.String()),
            parentInstanceId: Type.Optional(Type.String()),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(Instance), ...errors(400, 401) },
      },
    },
    async (request) => instances.list(request.principal, request.query),
  );

  app.get(
    '/api/v1/process-instances/:id',
    {
      config: { roles: ACCESS.anyUser },
      schema: {
        summary: 'One process instance, if you may read it (404 otherwise)',
        tags: ['process-instances'],
        params: IdParams,
        response: { 200: Instance, ...errors(401, 404) },
      },
    },
    async (request) => instances.get(request.principal, request.params.id),
  );

  app.get(
    '/api/v1/process-instances/:id/history',
    {
      config: { roles: ACCESS.anyUser },
      schema: {
        summary: 'What the instance did, in order',
        tags: ['process-instances'],
        params: IdParams,
        response: { 200: Type.Array(HistoryEntry), ...errors(401, 404) },
      },
    },
    async (request) => instances.history(request.principal, request.params.id),
  );

  app.post(
    '/api/v1/process-instances/:id/cancel',
    {
      config: { roles: ACCESS.operateInstance },
      schema: {
        summary: 'Cancel an active instance, and the instances it called (recursively, in the background)',
        tags: ['process-instances'],
        params: IdParams,
        response: { 200: Instance, ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => instances.cancel(request.principal.tenantId, request.principal.username, request.params.id),
  );

  // Operators stopping a flood: cancels in chunks through the outbox (process/cancellation.ts).
  app.post(
    '/api/v1/process-instances/cancel',
    {
      config: { roles: ACCESS.operateInstance },
      schema: {
        summary: 'Cancel every active instance a filter matches (started no later than now), in the background',
        description:
          'At least one of definitionKey, definitionId, businessKey. Answers 202 with the batch: the outbox cancels its instances ' +
          '50 per transaction (surviving restarts), each with the instances it called; GET /process-instances/cancel-batches/:id follows it.',
        tags: ['process-instances'],
        body: CancelBody,
        response: { 202: CancelBatch, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { status: _active, ...filter } = request.body;
      const batch = await instances.cancelMatching(request.principal.tenantId, request.principal.username, filter);
      return reply.status(202).send(batchView(batch));
    },
  );

  app.get(
    '/api/v1/process-instances/cancel-batches/:id',
    {
      config: { roles: ACCESS.operateInstance },
      schema: {
        summary: 'A cancel batch: how many it matched and cancelled, and whether it is done',
        tags: ['process-instances'],
        params: IdParams,
        response: { 200: CancelBatch, ...errors(401, 403, 404) },
      },
    },
    async (request) => batchView(await instances.cancelBatch(request.principal.tenantId, request.params.id)),
  );

  app.post(
    '/api/v1/process-instances/:id/faults/:faultId/retry',
    {
      config: { roles: ACCESS.operateInstance },
      schema: {
        summary: 'Retry a fault once its cause is fixed: the job is offered again, or the element runs again',
        tags: ['process-instances'],
        params: Type.Object(
          { id: Type.String({ minLength: 1, maxLength: 200 }), faultId: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        body: Type.Object({ retries: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }, { additionalProperties: false }),
        response: { 200: Instance, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      instances.retryFault(
        request.principal.tenantId,
        request.principal.username,
        request.params.id,
        request.params.faultId,
        request.body.retries,
      ),
  );
};
export default routes;
