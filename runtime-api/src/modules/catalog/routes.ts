// The catalog's and the approvals' routes. Anyone signed in reads the catalog and decides their
// own approvals; tenant admins manage the catalog.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  Approval,
  ApprovalList,
  ApprovalQuery,
  CatalogItem,
  CatalogKeyParams,
  CatalogList,
  CreateCatalogItemBody,
  DecisionBody,
  IdParams,
  NoContent,
  UpdateCatalogItemBody,
} from '@serviceloom/contracts';
import { ACCESS } from '../../platform/auth/roles.ts';
import { errors } from '../../platform/schemas/common.ts';
import type { ApprovalService } from './approvals.ts';
import type { CatalogService } from './service.ts';

export interface CatalogRoutesOptions {
  catalog: CatalogService;
  approvals: ApprovalService;
}

const routes: FastifyPluginAsyncTypebox<CatalogRoutesOptions> = async (app, { catalog, approvals }) => {
  const anyUser = { roles: ACCESS.anyUser };
  const admin = { roles: ACCESS.tenantAdmin };

  app.get(
    '/api/v1/catalog',
    {
      config: anyUser,
      schema: {
        summary: 'The service catalog: what you may request, with each item’s form and approval chain',
        tags: ['catalog'],
        response: { 200: CatalogList, ...errors(401) },
      },
    },
    async (request) => catalog.list(request.principal),
  );

  app.post(
    '/api/v1/catalog',
    {
      config: admin,
      schema: {
        summary: 'Add a catalog item (tenant admins); `when` of each approval step is FEEL over the request’s fields',
        tags: ['catalog'],
        body: CreateCatalogItemBody,
        response: { 201: CatalogItem, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(await catalog.create(request.principal, request.body)),
  );

  app.put(
    '/api/v1/catalog/:key',
    {
      config: admin,
      schema: {
        summary: 'Replace a catalog item (tenant admins); requests already in approval keep the chain they started with',
        tags: ['catalog'],
        params: CatalogKeyParams,
        body: UpdateCatalogItemBody,
        response: { 200: CatalogItem, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => catalog.update(request.principal, request.params.key, request.body),
  );

  app.delete(
    '/api/v1/catalog/:key',
    {
      config: admin,
      schema: {
        summary: 'Remove a catalog item (tenant admins); requests raised from it keep their chain',
        tags: ['catalog'],
        params: CatalogKeyParams,
        response: { 204: NoContent, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await catalog.remove(request.principal, request.params.key);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/approvals',
    {
      config: anyUser,
      schema: {
        summary: 'Your approvals, newest first, optionally in one state',
        tags: ['approvals'],
        querystring: ApprovalQuery,
        response: { 200: ApprovalList, ...errors(400, 401) },
      },
    },
    async (request) => approvals.list(request.principal, request.query.state),
  );

  for (const [verb, verdict] of [
    ['approve', 'approved'],
    ['reject', 'rejected'],
  ] as const) {
    app.post(
      `/api/v1/approvals/:id/${verb}`,
      {
        config: anyUser,
        schema: {
          summary:
            verb === 'approve'
              ? 'Approve one of your approvals; the ticket goes on once its step (and its chain) is approved'
              : 'Reject one of your approvals: the ticket is rejected',
          tags: ['approvals'],
          params: IdParams,
          body: DecisionBody,
          response: { 200: Approval, ...errors(400, 401, 404, 409) },
        },
      },
      async (request) => approvals.decide(request.principal, request.params.id, verdict, request.body?.comment),
    );
  }
};

export default routes;
