import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CompleteTaskBody, IdParams, Task, TaskList, TaskQuery } from '@serviceloom/contracts';
import { ACCESS } from '../../platform/auth/roles.ts';
import { errors } from '../../platform/schemas/common.ts';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { tasks } = app.services;

  app.get(
    '/api/v1/tasks',
    {
      config: { roles: ACCESS.workTasks },
      schema: {
        summary: 'User tasks the caller may work (all of them for tenant admins); open ones unless `status` says otherwise',
        tags: ['tasks'],
        querystring: TaskQuery,
        response: { 200: TaskList, ...errors(400, 401, 403) },
      },
    },
    async (request) => tasks.list(request.principal, request.query),
  );

  app.get(
    '/api/v1/tasks/:id',
    {
      config: { roles: ACCESS.workTasks },
      schema: {
        summary: 'One user task, if your task list shows it (404 otherwise)',
        tags: ['tasks'],
        params: IdParams,
        response: { 200: Task, ...errors(401, 403, 404) },
      },
    },
    async (request) => tasks.read(request.principal, request.params.id),
  );

  app.post(
    '/api/v1/tasks/:id/claim',
    {
      config: { roles: ACCESS.workTasks },
      schema: {
        summary: 'Assign the task to yourself',
        tags: ['tasks'],
        params: IdParams,
        response: { 200: Task, ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => tasks.claim(request.principal, request.params.id),
  );

  app.post(
    '/api/v1/tasks/:id/unclaim',
    {
      config: { roles: ACCESS.workTasks },
      schema: {
        summary: 'Give the task back to its candidate groups',
        tags: ['tasks'],
        params: IdParams,
        response: { 200: Task, ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => tasks.unclaim(request.principal, request.params.id),
  );

  app.post(
    '/api/v1/tasks/:id/complete',
    {
      config: { roles: ACCESS.workTasks },
      schema: {
        summary: 'Complete the task; its variables are set in the instance',
        tags: ['tasks'],
        params: IdParams,
        body: CompleteTaskBody,
        response: { 200: Task, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => tasks.complete(request.principal, request.params.id, request.body.variables),
  );
};
export default routes;
