// Users and groups of the caller's tenant, for tenant admins.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ACCESS, ROLES } from '../../platform/auth/roles.ts';
import { errors, IdParams, Nullable } from '../../platform/schemas/common.ts';
import { GROUP_ID_PATTERN } from '../groups.ts';

const RoleName = Type.String({ minLength: 1, maxLength: 50, description: `one of ${ROLES.join(', ')}` });
const GroupId = Type.String({ pattern: GROUP_ID_PATTERN });
const Password = Type.String({ minLength: 1, maxLength: 1000, description: 'at least 8 characters' });

const User = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Nullable(Type.String()),
  roles: Type.Array(Type.String()),
  groups: Type.Array(Type.String()),
  disabled: Type.Boolean(),
  lockedUntil: Nullable(Type.String({ format: 'date-time' })),
  identityProvider: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const Group = Type.Object({
  id: Type.String(),
  name: Type.String(),
  members: Type.Array(Type.Object({ id: Type.String(), username: Type.String() })),
  createdAt: Type.String({ format: 'date-time' }),
});

const MemberParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 200 }), userId: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

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
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 200 }),
            password: Type.Optional(Password),
            displayName: Type.Optional(Type.String({ maxLength: 200 })),
            roles: Type.Optional(Type.Array(RoleName, { maxItems: 20 })),
            groups: Type.Optional(Type.Array(GroupId, { maxItems: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: User, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(await users.create(request.principal, request.body)),
  );

  app.get(
    '/api/v1/users',
    {
      config: admin,
      schema: { summary: 'Users of your tenant', tags: ['users'], response: { 200: Type.Array(User), ...errors(401, 403) } },
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
        summary: 'Change a user: name, roles, groups, password (a reset), disabled, unlock',
        description: 'Disabling, resetting the password or taking a role away ends the user’s sessions at once.',
        tags: ['users'],
        params: IdParams,
        body: Type.Object(
          {
            displayName: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
            roles: Type.Optional(Type.Array(RoleName, { maxItems: 20 })),
            groups: Type.Optional(Type.Array(GroupId, { maxItems: 200 })),
            password: Type.Optional(Password),
            disabled: Type.Optional(Type.Boolean()),
            unlock: Type.Optional(Type.Boolean({ description: 'clear a lockout after failed sign-ins' })),
          },
          { additionalProperties: false },
        ),
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
        response: { 204: Type.Null(), ...errors(401, 403, 404, 409) },
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
        body: Type.Object({ id: GroupId, name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
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
        response: { 200: Type.Array(Group), ...errors(401, 403) },
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
        summary: 'Rename a group',
        tags: ['groups'],
        params: IdParams,
        body: Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }, { additionalProperties: false }),
        response: { 200: Group, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => groups.update(request.principal, request.params.id, request.body),
  );

  app.delete(
    '/api/v1/groups/:id',
    {
      config: admin,
      schema: { summary: 'Delete a group', tags: ['groups'], params: IdParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } },
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
