// The audit log of the caller's tenant, newest first, for tenant admins.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ACCESS } from '../auth/roles.ts';
import { errors, Nullable } from '../schemas/common.ts';

const Entry = Type.Object({
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
  actorId: Nullable(Type.String()),
  actor: Type.String(),
  action: Type.String({ description: 'such as user.create, group.member_add, definition.deploy, tenant.settings' }),
  targetType: Type.String(),
  targetId: Nullable(Type.String()),
  before: Type.Unknown(),
  after: Type.Unknown(),
});

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/audit',
    {
      config: { roles: ACCESS.tenantAdmin },
      schema: {
        summary: 'Who changed what and when (definitions, users, groups, roles, identity providers, tenant settings), newest first',
        tags: ['audit'],
        querystring: Type.Object(
          {
            action: Type.Optional(Type.String({ maxLength: 100 })),
            targetType: Type.Optional(Type.String({ maxLength: 100 })),
            targetId: Type.Optional(Type.String({ maxLength: 200 })),
            actor: Type.Optional(Type.String({ maxLength: 300 })),
            before: Type.Optional(Type.String({ maxLength: 100, description: 'entries older than this entry id' })),
            limit: Type.Optional(Type.String({ pattern: '^(?:[1-9][0-9]?|[1-4][0-9]{2}|500)$', description: '1 to 500; default 100' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(Entry), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { limit, ...filter } = request.query;
      return app.services.audit.list(request.principal.tenantId, { ...filter, ...(limit ? { limit: Number(limit) } : {}) });
    },
  );
};
export default routes;
