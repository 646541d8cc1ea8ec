import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CancelBatch,
  CancelMatchingBody,
  FaultParams,
  IdParams,
  InstanceHistory,
  InstanceQuery,
  ProcessInstance,
  ProcessInstanceList,
  RetryFaultBody,
  StartInstanceBody,
} from '@serviceloom/contracts';
import { ACCESS } from '../../platform/auth/roles.ts';
import { errors } from '../../platform/schemas/common.ts';
import type { CancelBatchRow } from '../cancellation.ts';
import { spendStartBudget } from './start-budget.ts';

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
      preHandler: spendStartBudget(app),
      schema: {
        summary: 'Start a process instance (the latest version unless `version` is given)',
        description: "Counts against the tenant's budget of starts a minute: beyond it, 429 TENANT_BUDGET_EXCEEDED with Retry-After.",
        tags: ['process-instances'],
        body: StartInstanceBody,
        response: { 201: ProcessInstance, ...errors(400, 401, 403, 404, 422, 429) },
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
        querystring: InstanceQuery,
        response: { 200: ProcessInstanceList, ...errors(400, 401) },
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
        response: { 200: ProcessInstance, ...errors(401, 404) },
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
        response: { 200: InstanceHistory, ...errors(401, 404) },
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
        response: { 200: ProcessInstance, ...errors(401, 403, 404, 409) },
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
        body: CancelMatchingBody,
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
        params: FaultParams,
        body: RetryFaultBody,
        response: { 200: ProcessInstance, ...errors(400, 401, 403, 404, 409) },
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
