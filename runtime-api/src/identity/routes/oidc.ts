// OpenID Connect: tenant admins configure identity providers; browsers sign in through them.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CreateIdentityProviderBody,
  IdentityProvider,
  IdentityProviderList,
  IdParams,
  NoContent,
  OidcCallbackQuery,
  OidcExchangeBody,
  OidcFlowParams,
  OidcLoginQuery,
  SessionReply,
  UpdateIdentityProviderBody,
} from '@serviceloom/contracts';
import { ACCESS } from '../../platform/auth/roles.ts';
import { errors } from '../../platform/schemas/common.ts';

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
        body: CreateIdentityProviderBody,
        response: { 201: IdentityProvider, ...errors(400, 401, 403, 409) },
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
        response: { 200: IdentityProviderList, ...errors(401, 403) },
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
        response: { 200: IdentityProvider, ...errors(401, 403, 404) },
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
        body: UpdateIdentityProviderBody,
        response: { 200: IdentityProvider, ...errors(400, 401, 403, 404) },
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
        response: { 204: NoContent, ...errors(401, 403, 404) },
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
        params: OidcFlowParams,
        querystring: OidcLoginQuery,
        response: { 302: NoContent, ...errors(400, 403, 404, 429, 502) },
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
        params: OidcFlowParams,
        querystring: OidcCallbackQuery,
        response: { 200: SessionReply, 302: NoContent, ...errors(400, 401, 403, 404, 409, 429, 502) },
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
        body: OidcExchangeBody,
        response: { 200: SessionReply, ...errors(400, 429) },
      },
    },
    async (request) => oidc.exchange(request.body.tenant, request.body.code),
  );
};
export default routes;
