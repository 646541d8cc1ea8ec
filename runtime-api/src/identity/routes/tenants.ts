// Tenants: platform admins create, list, rename, suspend, resume and delete them; a tenant admin
// reads and changes their own tenant's name and settings at /tenant.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CreateTenantBody,
  NoContent,
  OwnTenant,
  RenameTenantBody,
  Tenant,
  TenantList,
  TenantParams,
  TenantUsage,
  UpdateOwnTenantBody,
} from '@serviceloom/contracts';
import { ACCESS } from '../../platform/auth/roles.ts';
import { errors } from '../../platform/schemas/common.ts';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { tenants } = app.services;

  app.post(
    '/api/v1/tenants',
    {
      config: { roles: ACCESS.platform },
      schema: {
        summary: 'Create a tenant with its first admin (role tenant-admin) and its copy of the templates',
        tags: ['tenants'],
        body: CreateTenantBody,
        response: { 201: Tenant, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(await tenants.create(request.principal, request.body)),
  );

  app.get(
    '/api/v1/tenants',
    {
      config: { roles: ACCESS.platform },
      schema: { summary: 'Every tenant', tags: ['tenants'], response: { 200: TenantList, ...errors(401, 403) } },
    },
    async () => tenants.list(),
  );

  app.get(
    '/api/v1/tenants/:id',
    {
      config: { roles: ACCESS.platform },
      schema: { summary: 'One tenant', tags: ['tenants'], params: TenantParams, response: { 200: Tenant, ...errors(401, 403, 404) } },
    },
    async (request) => tenants.get(request.params.id),
  );

  app.patch(
    '/api/v1/tenants/:id',
    {
      config: { roles: ACCESS.platform },
      schema: {
        summary: 'Rename a tenant',
        tags: ['tenants'],
        params: TenantParams,
        body: RenameTenantBody,
        response: { 200: Tenant, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => tenants.rename(request.principal, request.params.id, request.body.name),
  );

  for (const [action, status] of [
    ['suspend', 'suspended'],
    ['resume', 'active'],
  ] as const) {
    app.post(
      `/api/v1/tenants/:id/${action}`,
      {
        config: { roles: ACCESS.platform },
        schema: {
          summary:
            action === 'suspend' ? 'Suspend a tenant: its sign-ins and tokens are refused, its data kept' : 'Resume a suspended tenant',
          tags: ['tenants'],
          params: TenantParams,
          response: { 200: Tenant, ...errors(401, 403, 404, 409) },
        },
      },
      async (request) => tenants.setStatus(request.principal, request.params.id, status),
    );
  }

  app.delete(
    '/api/v1/tenants/:id',
    {
      config: { roles: ACCESS.platform },
      schema: {
        summary: 'Delete a tenant and all its data; its audit log and id are kept (the id is never reused)',
        tags: ['tenants'],
        params: TenantParams,
        response: { 204: NoContent, ...errors(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await tenants.delete(request.principal, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/tenant/usage',
    {
      config: { roles: ACCESS.operateInstance },
      schema: {
        summary:
          "Your tenant's budget of follow-ups a minute (timer, signal, message and call starts and the steps they cause), what this server process spent of it, and what waits",
        tags: ['tenants'],
        response: { 200: TenantUsage, ...errors(401, 403) },
      },
    },
    async (request) => {
      const tenantId = request.principal.tenantId;
      const postponed = await app.services.transactions.read(tenantId, (tx) =>
        tx('outbox').whereNull('dispatched_at').andWhere('last_error', 'like', 'deferred:%').count({ n: '*' }).first(),
      );
      return {
        ...(await app.outbox.processor.budget.usage(tenantId)),
        postponedNow: Number((postponed as { n: number | string } | undefined)?.n ?? 0),
      };
    },
  );

  app.get(
    '/api/v1/tenant',
    {
      config: { roles: ACCESS.tenantAdmin },
      schema: { summary: 'Your tenant and its settings', tags: ['tenants'], response: { 200: OwnTenant, ...errors(401, 403) } },
    },
    async (request) => tenants.own(request.principal.tenantId),
  );

  app.patch(
    '/api/v1/tenant',
    {
      config: { roles: ACCESS.tenantAdmin },
      schema: {
        summary: "Change your tenant's name or settings",
        tags: ['tenants'],
        body: UpdateOwnTenantBody,
        response: { 200: OwnTenant, ...errors(400, 401, 403) },
      },
    },
    async (request) => tenants.updateOwn(request.principal, request.body),
  );
};
export default routes;
