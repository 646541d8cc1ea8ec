// OpenID Connect: tenant admins configure identity providers; browsers sign in through them.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ACCESS } from '../../platform/auth/roles.ts';
import { TENANT_ID_PATTERN } from '../../platform/db/transactions.ts';
import { errors, IdParams } from '../../platform/schemas/common.ts';
import { GROUP_ID_PATTERN } from '../groups.ts';
import { SessionReply } from './auth.ts';

const Text = (max = 500) => Type.String({ minLength: 1, maxLength: max });
const RoleList = Type.Array(Text(50), { maxItems: 20 });

const Claims = Type.Object(
  {
    username: Type.Optional(Text(100)),
    displayName: Type.Optional(Text(100)),
    groups: Type.Optional(Text(100)),
    roles: Type.Optional(Text(100)),
    tenant: Type.Optional(Text(100)),
  },
  {
    additionalProperties: false,
    description: 'Which ID token claims name the user, their groups and roles, and (optionally) must equal the tenant id',
  },
);

const ProviderFields = {
  name: Text(200),
  issuer: Text(2000),
  clientId: Text(500),
  clientSecret: Type.Optional(Type.String({ maxLength: 2000, description: 'write-only; "" removes it' })),
  scopes: Type.Optional(Text(500)),
  claims: Type.Optional(Claims),
  roleMapping: Type.Optional(Type.Record(Type.String({ maxLength: 200 }), RoleList, { description: 'issuer group or role -> roles' })),
  groupMapping: Type.Optional(
    Type.Record(Type.String({ maxLength: 200 }), Type.String({ pattern: GROUP_ID_PATTERN }), { description: 'issuer group -> group id' }),
  ),
  defaultRoles: Type.Optional(RoleList),
  autoCreateUsers: Type.Optional(Type.Boolean()),
  enabled: Type.Optional(Type.Boolean()),
};

const Provider = Type.Object({
  id: Type.String(),
  name: Type.String(),
  issuer: Type.String(),
  clientId: Type.String(),
  hasClientSecret: Type.Boolean(),
  scopes: Type.String(),
  claims: Claims,
  roleMapping: Type.Record(Type.String(), Type.Array(Type.String())),
  groupMapping: Type.Record(Type.String(), Type.String()),
  defaultRoles: Type.Array(Type.String()),
  autoCreateUsers: Type.Boolean(),
  enabled: Type.Boolean(),
  redirectUri: Type.String({ description: 'register this at the issuer' }),
  loginUrl: Type.String({ description: 'send a browser here to sign in' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const FlowParams = Type.Object(
  { tenant: Type.String({ pattern: TENANT_ID_PATTERN, maxLength: 63 }), provider: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { oidc } = app.services;
  const admin = { roles: ACCESS.tenantAdmin };

  app.post(
    '/api/v1/identity-providers',
    {
      config: admin,
      schema: {
        summary: 'Configure an OpenID Connect issuer for your tenant',
        tags: ['identity-providers'],
        body: Type.Object({ id: Type.String({ pattern: GROUP_ID_PATTERN }), ...ProviderFields }, { additionalProperties: false }),
        response: { 201: Provider, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(await oidc.create(request.principal, request.body)),
  );

  app.get(
    '/api/v1/identity-providers',
    {
      config: admin,
      schema: {
        summary: "Your tenant's identity providers (secrets are never returned)",
        tags: ['identity-providers'],
        response: { 200: Type.Array(Provider), ...errors(401, 403) },
      },
    },
    async (request) => oidc.list(request.principal.tenantId),
  );

  app.get(
    '/api/v1/identity-providers/:id',
    {
      config: admin,
      schema: {
        summary: 'One identity provider',
        tags: ['identity-providers'],
        params: IdParams,
        response: { 200: Provider, ...errors(401, 403, 404) },
      },
    },
    async (request) => oidc.get(request.principal.tenantId, request.params.id),
  );

  app.patch(
    '/api/v1/identity-providers/:id',
    {
      config: admin,
      schema: {
        summary: 'Change an identity provider',
        tags: ['identity-providers'],
        params: IdParams,
        body: Type.Partial(Type.Object(ProviderFields, { additionalProperties: false })),
        response: { 200: Provider, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => oidc.update(request.principal, request.params.id, request.body),
  );

  app.delete(
    '/api/v1/identity-providers/:id',
    {
      config: admin,
      schema: {
        summary: 'Remove an identity provider (its users stay, without a way to sign in until given a password)',
        tags: ['identity-providers'],
        params: IdParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await oidc.delete(request.principal, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/auth/oidc/:tenant/:provider/login',
    {
      config: { public: true, rateLimit: app.authRateLimit },
      schema: {
        summary: "Sign in through a tenant's identity provider: redirects to the issuer",
        tags: ['auth'],
        params: FlowParams,
        querystring: Type.Object({ returnTo: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
        response: { 302: Type.Null(), ...errors(400, 403, 404, 429, 502) },
      },
    },
    async (request, reply) => reply.redirect(await oidc.begin(request.params.tenant, request.params.provider, request.query.returnTo)),
  );

  app.get(
    '/api/v1/auth/oidc/:tenant/:provider/callback',
    {
      config: { public: true, rateLimit: app.authRateLimit },
      schema: {
        summary: 'Where the issuer sends the browser back: tokens, or a redirect to returnTo#oidcCode=<one-time code>&tenant=<id>',
        tags: ['auth'],
        params: FlowParams,
        querystring: Type.Record(Type.String(), Type.String({ maxLength: 4000 })),
        response: { 200: SessionReply, 302: Type.Null(), ...errors(400, 401, 403, 404, 409, 429, 502) },
      },
    },
    async (request, reply) => {
      const result = await oidc.callback(request.params.tenant, request.params.provider, request.url);
      if ('redirect' in result) return reply.redirect(result.redirect);
      return result.tokens;
    },
  );

  app.post(
    '/api/v1/auth/oidc/exchange',
    {
      config: { public: true, rateLimit: app.authRateLimit },
      schema: {
        summary: 'Trade the one-time oidcCode of a finished sign-in for tokens',
        tags: ['auth'],
        body: Type.Object(
          { tenant: Type.String({ minLength: 1, maxLength: 63 }), code: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 200: SessionReply, ...errors(400, 429) },
      },
    },
    async (request) => oidc.exchange(request.body.tenant, request.body.code),
  );
};
export default routes;
