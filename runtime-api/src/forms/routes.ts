// Forms (docs/api.md, Forms): drafts, published versions, a task's form for rendering, and the
// attachments form data references. Form admins (and tenant admins) author; process owners and
// agents read; requesters read published versions too, to fill in start forms.
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  Attachment,
  AttachmentFile,
  CreateFormBody,
  Form,
  FormKeyParams,
  FormList,
  FormVersion,
  FormVersionList,
  FormVersionParams,
  IdParams,
  NoContent,
  PublishedForm,
  SaveFormDraftBody,
  TaskForm,
  UploadQuery,
} from '@serviceloom/contracts';
import type { Role } from '../platform/auth/roles.ts';
import { DomainError } from '../platform/errors.ts';
import { errors } from '../platform/schemas/common.ts';
import { ATTACHMENT_TYPES } from './attachments.ts';

/** Who may do what with forms (any one role suffices). */
export const FORM_ACCESS = {
  manage: ['tenant-admin', 'form-admin'] as Role[],
  read: ['tenant-admin', 'form-admin', 'process-owner', 'agent'] as Role[],
  readPublished: ['tenant-admin', 'form-admin', 'process-owner', 'agent', 'requester'] as Role[],
  workTasks: ['tenant-admin', 'agent'] as Role[],
  anyUser: [] as Role[],
};

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { forms, attachments } = app.services;

  app.post(
    '/api/v1/forms',
    {
      config: { roles: FORM_ACCESS.manage },
      schema: {
        summary: 'Create a form: its first draft',
        tags: ['forms'],
        body: CreateFormBody,
        response: { 201: Form, ...errors(400, 401, 403, 409, 413) },
      },
    },
    async (request, reply) => {
      const { key, ...draft } = request.body;
      return reply.status(201).send(await forms.create(request.principal, key, draft));
    },
  );

  app.get(
    '/api/v1/forms',
    {
      config: { roles: FORM_ACCESS.read },
      schema: { summary: 'The forms of the tenant', tags: ['forms'], response: { 200: FormList, ...errors(401, 403) } },
    },
    async (request) => forms.list(request.principal.tenantId),
  );

  app.get(
    '/api/v1/forms/:key',
    {
      config: { roles: FORM_ACCESS.read },
      schema: {
        summary: 'A form: its draft (if any) and latest version number',
        tags: ['forms'],
        params: FormKeyParams,
        response: { 200: Form, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => forms.get(request.principal.tenantId, request.params.key),
  );

  app.put(
    '/api/v1/forms/:key/draft',
    {
      config: { roles: FORM_ACCESS.manage },
      schema: {
        summary: "Save the form's draft (creating one if the form has none)",
        tags: ['forms'],
        params: FormKeyParams,
        body: SaveFormDraftBody,
        response: { 200: Form, ...errors(400, 401, 403, 404, 413) },
      },
    },
    async (request) => forms.saveDraft(request.principal, request.params.key, request.body),
  );

  app.delete(
    '/api/v1/forms/:key/draft',
    {
      config: { roles: FORM_ACCESS.manage },
      schema: {
        summary: 'Throw the draft away (a form never published goes with it)',
        tags: ['forms'],
        params: FormKeyParams,
        response: { 204: NoContent, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await forms.deleteDraft(request.principal, request.params.key);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/forms/:key/publish',
    {
      config: { roles: FORM_ACCESS.manage },
      schema: {
        summary: 'Publish the draft as the next version (an unchanged draft gives the latest version back)',
        tags: ['forms'],
        params: FormKeyParams,
        response: { 200: PublishedForm, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { key, version } = await forms.publish(request.principal, request.params.key);
      return { key, version };
    },
  );

  app.get(
    '/api/v1/forms/:key/versions',
    {
      config: { roles: FORM_ACCESS.read },
      schema: {
        summary: 'Published versions, newest first (without their schemas)',
        tags: ['forms'],
        params: FormKeyParams,
        response: { 200: FormVersionList, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => forms.versions(request.principal.tenantId, request.params.key),
  );

  app.get(
    '/api/v1/forms/:key/versions/:version',
    {
      config: { roles: FORM_ACCESS.readPublished },
      schema: {
        summary: 'One published version with its schema and uiSchema (`latest`: the latest one)',
        tags: ['forms'],
        params: FormVersionParams,
        response: { 200: FormVersion, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { key, version } = request.params;
      // Anything but a version number (or `latest`) names no version: 404, as for one that does not exist.
      return forms.version(
        request.principal.tenantId,
        key,
        version === 'latest' ? 'latest' : /^[1-9][0-9]{0,8}$/.test(version) ? Number(version) : 0,
      );
    },
  );

  app.get(
    '/api/v1/tasks/:id/form',
    {
      config: { roles: FORM_ACCESS.workTasks },
      schema: {
        summary: "The task's form (the version it pinned) with the instance's current values, for rendering",
        tags: ['tasks', 'forms'],
        params: IdParams,
        response: { 200: TaskForm, ...errors(401, 403, 404) },
      },
    },
    async (request) => forms.taskForm(request.principal, request.params.id),
  );

  // Attachments: multipart only in this plugin's scope. The file streams (never buffered whole);
  // busboy cuts it at the size limit.
  await app.register(multipart, { limits: { fileSize: attachments.maxBytes, files: 1, fields: 0, parts: 1 } });
  const { limits } = attachments;

  app.post(
    '/api/v1/attachments',
    {
      config: { roles: FORM_ACCESS.anyUser },
      schema: {
        summary: 'Upload a file (multipart/form-data, one part named `file`) for form data to reference by id',
        description: `At most ${limits.maxBytes} bytes (a larger Content-Length is refused before the body is read); types: ${Object.keys(ATTACHMENT_TYPES).join(', ')}. With \`taskId\`, the file belongs to that task's instance at once; without, to its uploader until a submission that references it starts an instance. Quotas: ${limits.userQuotaBytes || 'unlimited'} bytes stored per user, ${limits.tenantQuotaBytes || 'unlimited'} per tenant (413 QUOTA_EXCEEDED); at most ${limits.userConcurrency} uploads in flight per user and ${limits.tenantConcurrency} per tenant (429 UPLOAD_CONCURRENCY).`,
        tags: ['forms'],
        consumes: ['multipart/form-data'],
        querystring: UploadQuery,
        response: { 201: Attachment, ...errors(400, 401, 404, 409, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      try {
        if (!request.isMultipart())
          throw new DomainError('unsupported_media', 'UNSUPPORTED_MEDIA_TYPE', 'send the file as multipart/form-data');
        const view = await attachments.upload(
          request.principal,
          { declaredBytes: declaredLength(request.headers['content-length']), taskId: request.query.taskId },
          async () => {
            const part = await request.file();
            if (!part) return undefined;
            return {
              filename: part.filename,
              contentType: part.mimetype,
              content: part.file,
              truncated: () => part.file.truncated,
            };
          },
        );
        return reply.status(201).send(view);
      } catch (e) {
        // Refused with (some of) the body unread: close the connection rather than read the rest.
        reply.header('connection', 'close');
        if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
          throw new DomainError('too_large', 'PAYLOAD_TOO_LARGE', `files are limited to ${attachments.maxBytes} bytes`);
        }
        throw e;
      }
    },
  );

  app.get(
    '/api/v1/attachments/:id',
    {
      config: { roles: FORM_ACCESS.anyUser },
      schema: {
        summary: 'Download a file: for whoever may see the task or instance it belongs to (and its uploader)',
        tags: ['forms'],
        params: IdParams,
        response: { 200: AttachmentFile, ...errors(401, 404) },
      },
    },
    async (request, reply) => {
      const file = await attachments.download(request.principal, request.params.id);
      return (
        reply
          .header('content-type', file.contentType)
          .header('content-length', file.size)
          .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'private, no-store')
          // The contract types the reply as the Blob a browser receives; the server streams the bytes.
          .send(file.content as unknown as Blob)
      );
    },
  );

  app.get(
    '/api/v1/attachments/:id/info',
    {
      config: { roles: FORM_ACCESS.anyUser },
      schema: {
        summary: "A file's name, type and size",
        tags: ['forms'],
        params: IdParams,
        response: { 200: Attachment, ...errors(401, 404) },
      },
    },
    async (request) => attachments.info(request.principal, request.params.id),
  );
};
export default routes;

/** The Content-Length header as a number; undefined when absent or not a number (chunked bodies). */
function declaredLength(header: string | undefined): number | undefined {
  if (header === undefined || !/^\d+$/.test(header)) return undefined;
  return Number(header);
}
