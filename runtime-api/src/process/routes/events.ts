import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ACCESS } from '../../platform/auth/roles.ts';
import { errors, Variables } from '../../platform/schemas/common.ts';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { events } = app.services;

  app.post(
    '/api/v1/messages',
    {
      config: { roles: ACCESS.sendEvents },
      schema: {
        summary:
          'Publish a message: it reaches the oldest waiting catch with its name and key, and starts processes with that message start',
        tags: ['events'],
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200 }),
            correlationKey: Type.Optional(Type.String({ maxLength: 500 })),
            variables: Type.Optional(Variables),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ correlated: Type.Integer() }), ...errors(400, 401, 403, 422) },
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
      schema: {
        summary: 'Broadcast a signal to every waiting catch and signal start with its name',
        tags: ['events'],
        body: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 200 }), variables: Type.Optional(Variables) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ delivered: Type.Integer() }), ...errors(400, 401, 403, 422) },
      },
    },
    async (request) => ({
      delivered: await events.broadcast(request.principal.tenantId, request.body.name, request.body.variables, request.principal.username),
    }),
  );
};
export default routes;
