import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ACCESS } from '../auth/roles.ts';
import type { DefinitionRow } from '../db/rows.ts';
import { errors, IdParams } from '../schemas/common.ts';
import { MAX_BPMN_BYTES } from '../services/definitions.ts';

const DefinitionSummary = Type.Object({
  id: Type.String(),
  key: Type.String(),
  version: Type.Integer(),
  name: Type.Union([Type.String(), Type.Null()]),
  deployedAt: Type.String({ format: 'date-time' }),
  deployedBy: Type.Union([Type.String(), Type.Null()]),
});

const DefinitionWithXml = Type.Intersect([DefinitionSummary, Type.Object({ bpmnXml: Type.String() })]);

const summary = (d: DefinitionRow) => ({
  id: d.id,
  key: d.key,
  version: d.version,
  name: d.name,
  deployedAt: new Date(d.deployed_at).toISOString(),
  deployedBy: d.deployed_by,
});

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/v1/definitions',
    {
      config: { roles: ACCESS.deploy },
      // JSON escaping makes the body larger than the XML; the XML itself is held to MAX_BPMN_BYTES.
      bodyLimit: MAX_BPMN_BYTES * 2,
      schema: {
        summary: 'Deploy a BPMN process (a new version of its key, unless the XML is unchanged)',
        description: `BPMN XML of at most ${MAX_BPMN_BYTES / 1024 / 1024} MB; document type declarations are refused.`,
        tags: ['definitions'],
        body: Type.Object({ bpmnXml: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
        response: { 201: DefinitionSummary, ...errors(400, 401, 403, 409, 413) },
      },
    },
    async (request, reply) => {
      const { definition } = await app.services.definitions.deploy(
        request.principal.tenantId,
        request.principal.username,
        request.body.bpmnXml,
      );
      return reply.status(201).send(summary(definition));
    },
  );

  app.get(
    '/api/v1/definitions',
    {
      config: { roles: ACCESS.anyUser },
      schema: {
        summary: 'The latest version of each process key',
        tags: ['definitions'],
        response: { 200: Type.Array(DefinitionSummary), ...errors(401) },
      },
    },
    async (request) => (await app.services.definitions.latestOfEachKey(request.principal.tenantId)).map(summary),
  );

  app.get(
    '/api/v1/definitions/:key/versions',
    {
      config: { roles: ACCESS.anyUser },
      schema: {
        summary: 'Every version of a process key, oldest first',
        tags: ['definitions'],
        params: Type.Object({ key: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
        response: { 200: Type.Array(DefinitionSummary), ...errors(401, 404) },
      },
    },
    async (request) => (await app.services.definitions.versions(request.principal.tenantId, request.params.key)).map(summary),
  );

  app.get(
    '/api/v1/definitions/:id',
    {
      config: { roles: ACCESS.anyUser },
      schema: {
        summary: 'One deployed version, with its BPMN XML',
        tags: ['definitions'],
        params: IdParams,
        response: { 200: DefinitionWithXml, ...errors(401, 404) },
      },
    },
    async (request) => {
      const d = await app.services.definitions.byId(request.principal.tenantId, request.params.id);
      return { ...summary(d), bpmnXml: d.bpmn_xml };
    },
  );
};
export default routes;
