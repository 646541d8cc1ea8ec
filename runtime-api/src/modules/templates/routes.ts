import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { TemplateDiff, TemplateKeyParams, TemplateList, TemplateReset } from '@serviceloom/contracts';
import { ACCESS } from '../../platform/auth/roles.ts';
import { errors } from '../../platform/schemas/common.ts';
import { TemplateService } from './service.ts';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const templates = new TemplateService(app.services.process);

  app.get(
    '/api/v1/itsm/templates',
    {
      config: { roles: ACCESS.deploy },
      schema: {
        summary: "The ITSM templates, each with the tenant's deployed version and whether a newer template release is offered",
        tags: ['itsm'],
        response: { 200: TemplateList, ...errors(401, 403) },
      },
    },
    async (request) => templates.list(request.principal.tenantId),
  );

  app.post(
    '/api/v1/itsm/templates/:key/reset',
    {
      config: { roles: ACCESS.deploy },
      schema: {
        summary: 'Reset to template: deploy the template as the next version of the definition (running instances keep theirs)',
        tags: ['itsm'],
        params: TemplateKeyParams,
        response: { 200: TemplateReset, ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => templates.reset(request.principal, request.params.key),
  );

  app.get(
    '/api/v1/itsm/templates/:key/diff',
    {
      config: { roles: ACCESS.deploy },
      schema: {
        summary: "Compare with template: elements (by id) the tenant's latest version added, removed or changed",
        tags: ['itsm'],
        params: TemplateKeyParams,
        response: { 200: TemplateDiff, ...errors(401, 403, 404) },
      },
    },
    async (request) => templates.diff(request.principal.tenantId, request.params.key),
  );
};

export default routes;
