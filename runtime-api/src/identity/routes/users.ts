// Users and groups of the caller's tenant, for tenant admins.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CreateGroupBody,
  CreateUserBody,
  Group,
  GroupList,
  IdParams,
  MemberParams,
  NoContent,
  UpdateGroupBody,
  UpdateUserBody,
  User,
  UserList,
} from '@serviceloom/contracts';
import { ACCESS } from '../../platform/auth/roles.ts';
import { errors } from '../../platform/schemas/common.ts';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { users, groups } = app.services;
  const admin = { roles: ACCESS.tenantAdmin };

  app.post(
    '/api/v1/users',
    {
      config: admin,
      schema: {
        summary: 'Create a user (without a password, the user can sign in only through an identity provider)',
        tags: ['users'],
        body: CreateUserBody,
        response: { 201: User, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(await users.create(request.principal, request.body)),
  );

  app.get(
    '/api/v1/users',
    {
      config: admin,
      schema: { summary: 'Users of your tenant', tags: ['users'], response: { 200: UserList, ...errors(401, 403) } },
    },
    async (request) => users.list(request.principal.tenantId),
  );

  app.get(
    '/api/v1/users/:id',
    {
      config: admin,
      schema: { summary: 'One user', tags: ['users'], params: IdParams, response: { 200: User, ...errors(401, 403, 404) } },
    },
    async (request) => users.get(request.principal.tenantId, request.params.id),
  );

  app.patch(
    '/api/v1/users/:id',
    {
      config: admin,
      schema: {
        summary: 'Change a user: name, roles, groups, manager, e-mail, language, time zone, password (a reset), disabled, unlock',
        description: 'Disabling, resetting the password or taking a role away ends the user’s sessions at once.',
        tags: ['users'],
        params: IdParams,
        body: UpdateUserBody,
        response: { 200: User, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => users.update(request.principal, request.params.id, request.body),
  );

  app.delete(
    '/api/v1/users/:id',
    {
      config: admin,
      schema: {
        summary: 'Delete a user',
        tags: ['users'],
        params: IdParams,
        response: { 204: NoContent, ...errors(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await users.delete(request.principal, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/groups',
    {
      config: admin,
      schema: {
        summary: 'Create a group (user tasks name groups as their candidates)',
        tags: ['groups'],
        body: CreateGroupBody,
        response: { 201: Group, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(await groups.create(request.principal, request.body)),
  );

  app.get(
    '/api/v1/groups',
    {
      config: admin,
      schema: {
        summary: 'Groups of your tenant, with their members',
        tags: ['groups'],
        response: { 200: GroupList, ...errors(401, 403) },
      },
    },
    async (request) => groups.list(request.principal.tenantId),
  );

  app.get(
    '/api/v1/groups/:id',
    {
      config: admin,
      schema: { summary: 'One group', tags: ['groups'], params: IdParams, response: { 200: Group, ...errors(401, 403, 404) } },
    },
    async (request) => groups.get(request.principal.tenantId, request.params.id),
  );

  app.patch(
    '/api/v1/groups/:id',
    {
      config: admin,
      schema: {
        summary: 'Change a group: its name or its manager',
        tags: ['groups'],
        params: IdParams,
        body: UpdateGroupBody,
        response: { 200: Group, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => groups.update(request.principal, request.params.id, request.body),
  );

  app.delete(
    '/api/v1/groups/:id',
    {
      config: admin,
      schema: { summary: 'Delete a group', tags: ['groups'], params: IdParams, response: { 204: NoContent, ...errors(401, 403, 404) } },
    },
    async (request, reply) => {
      await groups.delete(request.principal, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/api/v1/groups/:id/members/:userId',
    {
      config: admin,
      schema: {
        summary: 'Add a user to a group',
        tags: ['groups'],
        params: MemberParams,
        response: { 200: Group, ...errors(401, 403, 404) },
      },
    },
    async (request) => groups.setMember(request.principal, request.params.id, request.params.userId, true),
  );

  app.delete(
    '/api/v1/groups/:id/members/:userId',
    {
      config: admin,
      schema: {
        summary: 'Remove a user from a group',
        tags: ['groups'],
        params: MemberParams,
        response: { 200: Group, ...errors(401, 403, 404) },
      },
    },
    async (request) => groups.setMember(request.principal, request.params.id, request.params.userId, false),
  );
};
export default routes;
