// Every error leaves as `{ code, message, details? }` with a 4xx for anything the caller did:
// schema failures name their fields, engine refusals map to 404/409/400, oversized bodies to 413.
import { EngineError } from '@serviceloom/engine';
import type { FastifyError, FastifySchemaValidationError } from 'fastify';
import fp from 'fastify-plugin';
import { badRequest, DomainError, type ErrorKind, engineErrorToDomain } from '../errors.ts';
import { jsonProblem } from '../schemas/json-safety.ts';

interface FieldProblem {
  field: string;
  in: string;
  message: string;
}

/** "/variables/0" + required "name" -> "variables[0].name" */
function fieldOf(e: FastifySchemaValidationError, where: string): string {
  const path = (e.instancePath ?? '')
    .split('/')
    .filter(Boolean)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = e.params as { missingProperty?: string; additionalProperty?: string };
  const extra = params.missingProperty ?? params.additionalProperty;
  if (extra) path.push(extra);
  const joined = path.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  return joined || where;
}

function describe(e: FastifySchemaValidationError): string {
  if (e.keyword === 'required') return 'is required';
  if (e.keyword === 'additionalProperties') return 'is not allowed here';
  return e.message ?? 'is invalid';
}

/** The one place a domain error's kind becomes an HTTP status. */
const HTTP_STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media: 415,
  unprocessable: 422,
  rate_limited: 429,
  upstream: 502,
};

const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_CONTENT_LENGTH',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'EMPTY_BODY',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
};

export default fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error.validation) {
        const where = error.validationContext ?? 'body';
        const details: FieldProblem[] = error.validation.map((e) => ({ field: fieldOf(e, where), in: where, message: describe(e) }));
        const fields = [...new Set(details.map((d) => d.field))];
        return reply.status(400).send({ code: 'VALIDATION_FAILED', message: `invalid request ${where}: ${fields.join(', ')}`, details });
      }
      const mapped = error instanceof EngineError ? engineErrorToDomain(error) : error;
      if (mapped instanceof DomainError) {
        return reply
          .status(HTTP_STATUS[mapped.kind])
          .send({ code: mapped.code, message: mapped.message, ...(mapped.details ? { details: mapped.details } : {}) });
      }
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        const code = FASTIFY_CODES[error.code] ?? (error instanceof SyntaxError ? 'INVALID_JSON' : 'BAD_REQUEST');
        return reply.status(status).send({ code, message: error.message });
      }
      request.log.error({ err: error }, 'request failed');
      return reply.status(500).send({ code: 'INTERNAL', message: 'something went wrong on the server; it is logged' });
    });

    app.setNotFoundHandler((request, reply) => {
      reply.status(404).send({ code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` });
    });

    // No body at all reads as an empty object: optional bodies need no special schema, and a
    // missing required field is reported by name rather than as "body must be object".
    // Then the one check of every route's input: no string PostgreSQL cannot store, no hostile depth.
    app.addHook('preValidation', async (request) => {
      if (request.body === undefined && ['POST', 'PUT', 'PATCH'].includes(request.method)) request.body = {};
      for (const [part, value] of [
        ['params', request.params],
        ['querystring', request.query],
        ['body', request.body],
      ] as const) {
        const problem = jsonProblem(value);
        if (problem) {
          const where = problem.pointer ? `${part} field ${problem.pointer}` : part;
          throw badRequest(problem.code, `${where} ${problem.message}`, [{ field: problem.pointer, in: part, message: problem.message }]);
        }
      }
    });

    // A JSON content type with an empty body (common for action routes such as /claim) means "no body".
    const json = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      if (body === '' || (typeof body === 'string' && body.trim() === '')) return done(null, undefined);
      json(request, body as string, done);
    });
  },
  { name: 'errors' },
);
