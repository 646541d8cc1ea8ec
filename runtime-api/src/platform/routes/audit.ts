// The audit log of the caller's tenant, newest first, for tenant admins.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AuditLog, AuditQuery } from '@serviceloom/contracts';
import { ACCESS } from '../auth/roles.ts';
import { errors } from '../schemas/common.ts';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/audit',
    {
      config: { roles: ACCESS.tenantAdmin },
      schema: {
        summary: 'Who changed what and when (definitions, users, groups, roles, identity providers, tenant settings), newest first',
        tags: ['audit'],
        querystring: AuditQuery,
        response: { 200: AuditLog, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { limit, ...filter } = request.query;
      return app.services.audit.list(request.principal.tenantId, { ...filter, ...(limit ? { limit: Number(limit) } : {}) });
    },
  );
};
export default routes;
