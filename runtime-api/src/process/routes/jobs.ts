import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ActivatedJobList,
  ActivateJobsBody,
  CompleteJobBody,
  FailJobBody,
  IdParams,
  JobState,
  ThrowErrorBody,
} from '@serviceloom/contracts';
import { Duration } from 'luxon';
import { ACCESS } from '../../platform/auth/roles.ts';
import { badRequest } from '../../platform/errors.ts';
import { errors } from '../../platform/schemas/common.ts';

const MAX_LOCK_MS = 24 * 3_600_000;

/** Milliseconds, or an ISO 8601 duration such as "PT5M"; 1 ms to 24 hours. */
function durationMillis(value: number | string, field: string): number {
  const ms = typeof value === 'number' ? value : Duration.fromISO(value).toMillis();
  if (!Number.isFinite(ms) || ms < 1 || ms > MAX_LOCK_MS) {
    throw badRequest('VALIDATION_FAILED', `${field} must be 1 ms to 24 hours, as milliseconds or an ISO 8601 duration such as PT5M`, [
      { field, in: 'body', message: 'must be 1 ms to 24 hours' },
    ]);
  }
  return ms;
}

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { jobs } = app.services;

  app.post(
    '/api/v1/jobs/activate',
    {
      config: { roles: ACCESS.workJobs },
      schema: {
        summary: 'Fetch and lock up to maxJobs open jobs of a type',
        tags: ['jobs'],
        body: ActivateJobsBody,
        response: { 200: ActivatedJobList, ...errors(400, 401, 403) },
      },
    },
    async (request) =>
      jobs.activate(request.principal, request.body.type, request.body.maxJobs, durationMillis(request.body.lockDuration, 'lockDuration')),
  );

  app.post(
    '/api/v1/jobs/:id/complete',
    {
      config: { roles: ACCESS.workJobs },
      schema: {
        summary: 'Complete a job; its variables are set in the instance',
        tags: ['jobs'],
        params: IdParams,
        body: CompleteJobBody,
        response: { 200: JobState, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => jobs.complete(request.principal, request.params.id, request.body.variables),
  );

  app.post(
    '/api/v1/jobs/:id/fail',
    {
      config: { roles: ACCESS.workJobs },
      schema: {
        summary: 'Report a failed attempt; with 0 retries left the instance shows a fault',
        tags: ['jobs'],
        params: IdParams,
        body: FailJobBody,
        response: { 200: JobState, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { retries, message, retryBackoff } = request.body;
      const backoff = retryBackoff === undefined || retryBackoff === 0 ? 0 : durationMillis(retryBackoff, 'retryBackoff');
      return jobs.fail(request.principal, request.params.id, retries, message, backoff);
    },
  );

  app.post(
    '/api/v1/jobs/:id/throw-error',
    {
      config: { roles: ACCESS.workJobs },
      schema: {
        summary: 'Throw a BPMN error, caught by an error boundary event or event subprocess with that code',
        tags: ['jobs'],
        params: IdParams,
        body: ThrowErrorBody,
        response: { 200: JobState, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => jobs.throwError(request.principal, request.params.id, request.body.errorCode, request.body.message),
  );
};
export default routes;
