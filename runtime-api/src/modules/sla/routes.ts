// The SLA policies' routes: tenant admins manage them; agents and admins preview which policies
// a ticket (or a set of values) would get.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CreateSlaPolicyBody,
  NoContent,
  SlaPolicy,
  SlaPolicyList,
  SlaPolicyParams,
  SlaPreview,
  SlaPreviewBody,
  UpdateSlaPolicyBody,
} from '@serviceloom/contracts';
import { ACCESS } from '../../platform/auth/roles.ts';
import { errors } from '../../platform/schemas/common.ts';
import type { SlaPolicies } from './policies.ts';

export interface SlaRoutesOptions {
  policies: SlaPolicies;
  /** The preview's values of a ticket by number (read through the tickets' own columns). */
  ticketValues: (tenantId: string, number: string) => Promise<Record<string, unknown>>;
}

const routes: FastifyPluginAsyncTypebox<SlaRoutesOptions> = async (app, { policies, ticketValues }) => {
  const admin = { roles: ACCESS.tenantAdmin };
  const agents = { roles: ACCESS.workTasks };
  const tags = ['sla'];

  app.get(
    '/api/v1/itsm/sla-policies',
    {
      config: agents,
      schema: { summary: 'The SLA policies (defaults seeded on first use)', tags, response: { 200: SlaPolicyList, ...errors(401, 403) } },
    },
    async (request) => policies.list(request.principal),
  );

  app.post(
    '/api/v1/itsm/sla-policies',
    {
      config: admin,
      schema: {
        summary: 'Add an SLA policy (tenant admins): `condition` FEEL over the ticket, `target` an ISO duration of business time',
        tags,
        body: CreateSlaPolicyBody,
        response: { 201: SlaPolicy, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(await policies.create(request.principal, request.body)),
  );

  app.post(
    '/api/v1/itsm/sla-policies/preview',
    {
      config: agents,
      schema: {
        summary: 'Which SLA policies would apply to a ticket (by number) or to values, each with its due time if it started now',
        tags,
        body: SlaPreviewBody,
        response: { 200: SlaPreview, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { ticket, values } = request.body;
      const base = ticket ? await ticketValues(request.principal.tenantId, ticket) : {};
      return policies.preview(request.principal, { ...base, ...(values ?? {}) });
    },
  );

  app.get(
    '/api/v1/itsm/sla-policies/:id',
    {
      config: agents,
      schema: { summary: 'One SLA policy', tags, params: SlaPolicyParams, response: { 200: SlaPolicy, ...errors(401, 403, 404) } },
    },
    async (request) => policies.get(request.principal, request.params.id),
  );

  app.put(
    '/api/v1/itsm/sla-policies/:id',
    {
      config: admin,
      schema: {
        summary: 'Change an SLA policy (tenant admins); records already attached keep the policy they started with',
        tags,
        params: SlaPolicyParams,
        body: UpdateSlaPolicyBody,
        response: { 200: SlaPolicy, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => policies.update(request.principal, request.params.id, request.body),
  );

  app.delete(
    '/api/v1/itsm/sla-policies/:id',
    {
      config: admin,
      schema: {
        summary: 'Delete an SLA policy (tenant admins)',
        tags,
        params: SlaPolicyParams,
        response: { 204: NoContent, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await policies.delete(request.principal, request.params.id);
      return reply.status(204).send(null);
    },
  );
};

export default routes;
