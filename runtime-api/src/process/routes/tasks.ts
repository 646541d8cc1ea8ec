import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ACCESS } from '../../platform/auth/roles.ts';
import { errors, IdParams, Nullable, Variables } from '../../platform/schemas/common.ts';

const TaskStatus = Type.Union([Type.Literal('open'), Type.Literal('completed'), Type.Literal('cancelled')]);

const Task = Type.Object({
  id: Type.String(),
  elementId: Type.String(),
  name: Nullable(Type.String()),
  processInstanceId: Type.String(),
  assignee: Nullable(Type.String()),
  candidateGroups: Type.Array(Type.String()),
  formKey: Nullable(Type.String()),
  dueAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
  status: TaskStatus,
});

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { tasks } = app.services;

  app.get(
    '/api/v1/tasks',
    {
      config: { roles: ACCESS.workTasks },
      schema: {
        summary: 'User tasks the caller may work (all of them for tenant admins); open ones unless `status` says otherwise',
        tags: ['tasks'],
        querystring: Type.Object(
          {
            processInstanceId: Type.Optional(Type.String()),
            assignee: Type.Optional(Type.String()),
            candidateGroup: Type.Optional(Type.String()),
            status: Type.Optional(TaskStatus),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(Task), ...errors(400, 401, 403) },
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
        body: Type.Object({ variables: Type.Optional(Variables) }, { additionalProperties: false }),
        response: { 200: Task, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => tasks.complete(request.principal, request.params.id, request.body.variables),
  );
};
export default routes;
