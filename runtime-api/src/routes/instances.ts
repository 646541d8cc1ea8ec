import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ACCESS } from '../auth/roles.ts';
import { errors, IdParams, Nullable, Variables } from '../schemas/common.ts';

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
        summary: 'Cancel an active instance',
        tags: ['process-instances'],
        params: IdParams,
        response: { 200: Instance, ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => instances.cancel(request.principal.tenantId, request.principal.username, request.params.id),
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
