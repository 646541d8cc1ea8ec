import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  BpmnBody,
  DefinitionDraft,
  DefinitionDraftList,
  DefinitionDraftWithXml,
  DefinitionKeyParams,
  DefinitionList,
  DefinitionSummary,
  DefinitionWithXml,
  DeployedDefinition,
  IdParams,
  ImportReport,
  NoContent,
} from '@serviceloom/contracts';
import { ACCESS } from '../../platform/auth/roles.ts';
import { errors } from '../../platform/schemas/common.ts';
import { type DefinitionVersionRow, type DraftRow, MAX_BPMN_BYTES } from '../definitions.ts';

const draftView = (d: Omit<DraftRow, 'bpmn_xml'>) => ({
  key: d.key,
  updatedAt: new Date(d.updated_at).toISOString(),
  updatedBy: d.updated_by,
});

const summary = (d: DefinitionVersionRow) => ({
  id: d.id,
  key: d.key,
  version: d.version,
  name: d.name,
  deployedAt: new Date(d.deployed_at).toISOString(),
  deployedBy: d.deployed_by,
  suspended: Boolean(d.suspended),
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
        body: BpmnBody,
        response: { 201: DeployedDefinition, ...errors(400, 401, 403, 409, 413) },
      },
    },
    async (request, reply) => {
      const { definition, warnings } = await app.services.definitions.deploy(
        request.principal.tenantId,
        request.principal.username,
        request.body.bpmnXml,
        request.principal.userId,
      );
      return reply.status(201).send({ ...summary(definition), warnings });
    },
  );

  // Before deploying a model from Camunda, Flowable or Activiti, its owner sees what it would become here.
  app.post(
    '/api/v1/definitions/import-check',
    {
      config: { roles: ACCESS.deploy },
      bodyLimit: MAX_BPMN_BYTES * 2,
      schema: {
        summary: 'What a model of any dialect would become here: run as written, mapped, ignored or refused (nothing is stored)',
        description:
          'A model that is refused is a 200 report with `runs: false`; only a document that cannot be read as BPMN XML at all is a 400 (BPMN_UNREADABLE).',
        tags: ['definitions'],
        body: BpmnBody,
        response: { 200: ImportReport, ...errors(400, 401, 403, 413) },
      },
    },
    async (request) => app.services.definitions.importCheck(request.body.bpmnXml),
  );

  app.get(
    '/api/v1/definitions',
    {
      config: { roles: ACCESS.anyUser },
      schema: {
        summary: 'The latest version of each process key',
        tags: ['definitions'],
        response: { 200: DefinitionList, ...errors(401) },
      },
    },
    async (request) => (await app.services.definitions.latestOfEachKey(request.principal.tenantId)).map(summary),
  );

  app.get(
    '/api/v1/definitions/:key/versions',
    {
      config: { roles: ACCESS.anyUser },
      schema: {
        summary: 'Every version of a process key, oldest first, with how many instances run on each',
        tags: ['definitions'],
        params: DefinitionKeyParams,
        response: { 200: DefinitionList, ...errors(401, 404) },
      },
    },
    async (request) => {
      const { tenantId } = request.principal;
      const versions = await app.services.definitions.versions(tenantId, request.params.key);
      const counts = await app.services.definitions.instanceCounts(tenantId, request.params.key);
      return versions.map((v) => ({ ...summary(v), instances: counts.get(v.version) ?? { active: 0, total: 0 } }));
    },
  );

  // Drafts: the designer saves work in progress here, so a process owner can leave and come back.
  app.get(
    '/api/v1/definition-drafts',
    {
      config: { roles: ACCESS.deploy },
      schema: {
        summary: "The designer's saved drafts (without their XML)",
        tags: ['definitions'],
        response: { 200: DefinitionDraftList, ...errors(401, 403) },
      },
    },
    async (request) => (await app.services.definitions.drafts(request.principal.tenantId)).map(draftView),
  );

  app.get(
    '/api/v1/definitions/:key/draft',
    {
      config: { roles: ACCESS.deploy },
      schema: {
        summary: 'The saved draft of a process key',
        tags: ['definitions'],
        params: DefinitionKeyParams,
        response: { 200: DefinitionDraftWithXml, ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const d = await app.services.definitions.draft(request.principal.tenantId, request.params.key);
      return { ...draftView(d), bpmnXml: d.bpmn_xml };
    },
  );

  app.put(
    '/api/v1/definitions/:key/draft',
    {
      config: { roles: ACCESS.deploy },
      bodyLimit: MAX_BPMN_BYTES * 2,
      schema: {
        summary: 'Save the draft of a process key (not checked: drafts may be unfinished; deploying checks)',
        tags: ['definitions'],
        params: DefinitionKeyParams,
        body: BpmnBody,
        response: { 200: DefinitionDraft, ...errors(400, 401, 403, 413) },
      },
    },
    async (request) => {
      const { tenantId, username } = request.principal;
      return draftView(await app.services.definitions.saveDraft(tenantId, request.params.key, request.body.bpmnXml, username));
    },
  );

  app.delete(
    '/api/v1/definitions/:key/draft',
    {
      config: { roles: ACCESS.deploy },
      schema: {
        summary: 'Throw away the draft of a process key',
        tags: ['definitions'],
        params: DefinitionKeyParams,
        response: { 204: NoContent, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await app.services.definitions.deleteDraft(request.principal.tenantId, request.params.key);
      return reply.status(204).send(null);
    },
  );

  // Suspension (like Camunda's): a runaway timer cycle or start flood stops without undeploying.
  for (const [action, suspended] of [
    ['suspend', true],
    ['activate', false],
  ] as const) {
    const what = suspended
      ? 'its start events (API, timer, message, signal) start nothing; running instances go on'
      : 'its start events start instances again, and its timer cycles resume';
    app.post(
      `/api/v1/definitions/:id/${action}`,
      {
        config: { roles: ACCESS.deploy },
        schema: {
          summary: `${suspended ? 'Suspend' : 'Activate'} one deployed version: ${what}`,
          tags: ['definitions'],
          params: IdParams,
          response: { 200: DefinitionSummary, ...errors(401, 403, 404) },
        },
      },
      async (request) => {
        const { tenantId, userId, username } = request.principal;
        const [row] = await app.services.definitions.setSuspended(tenantId, { userId, username }, { id: request.params.id }, suspended);
        return summary(row as DefinitionVersionRow);
      },
    );
    app.post(
      `/api/v1/definitions/:key/versions/${action}`,
      {
        config: { roles: ACCESS.deploy },
        schema: {
          summary: `${suspended ? 'Suspend' : 'Activate'} every version of a process key: ${what}`,
          tags: ['definitions'],
          params: DefinitionKeyParams,
          response: { 200: DefinitionList, ...errors(401, 403, 404) },
        },
      },
      async (request) => {
        const { tenantId, userId, username } = request.principal;
        const rows = await app.services.definitions.setSuspended(tenantId, { userId, username }, { key: request.params.key }, suspended);
        return rows.map(summary);
      },
    );
  }

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
