import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MessageBody, MessageReply, SignalBody, SignalReply } from '@serviceloom/contracts';
import { ACCESS } from '../../platform/auth/roles.ts';
import { errors } from '../../platform/schemas/common.ts';
import { spendStartBudget } from './start-budget.ts';

const budgetNote = "Counts against the tenant's budget of starts a minute: beyond it, 429 TENANT_BUDGET_EXCEEDED with Retry-After.";

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { events } = app.services;

  app.post(
    '/api/v1/messages',
    {
      config: { roles: ACCESS.sendEvents },
      preHandler: spendStartBudget(app),
      schema: {
        summary:
          'Publish a message: it reaches the oldest waiting catch with its name and key, and starts processes with that message start',
        description: budgetNote,
        tags: ['events'],
        body: MessageBody,
        response: { 200: MessageReply, ...errors(400, 401, 403, 422, 429) },
      },
    },
    async (request) => {
      const { name, correlationKey, variables } = request.body;
      const message = { name, ...(correlationKey !== undefined ? { correlationKey } : {}), ...(variables ? { variables } : {}) };
      return { correlated: await events.correlate(request.principal.tenantId, message, request.principal.username) };
    },
  );

  app.post(
    '/api/v1/signals',
    {
      config: { roles: ACCESS.sendEvents },
      preHandler: spendStartBudget(app),
      schema: {
        summary: 'Broadcast a signal to every waiting catch and signal start with its name',
        description: budgetNote,
        tags: ['events'],
        body: SignalBody,
        response: { 200: SignalReply, ...errors(400, 401, 403, 422, 429) },
      },
    },
    async (request) => ({
      delivered: await events.broadcast(request.principal.tenantId, request.body.name, request.body.variables, request.principal.username),
    }),
  );
};
export default routes;
