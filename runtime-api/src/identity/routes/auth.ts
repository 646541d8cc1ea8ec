// Signing in and out: password login, refresh (rotating), logout, password change, and who am I.
// The routes that take credentials are rate-limited per client address.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ChangePasswordBody, LoginBody, Me, Ok, RefreshBody, SessionReply } from '@serviceloom/contracts';
import type { FastifyReply } from 'fastify';
import { ACCESS } from '../../platform/auth/roles.ts';
import { errors } from '../../platform/schemas/common.ts';
import { retryAfterOf, type SessionTokens } from '../identity.ts';

/** Adds Retry-After to a lockout before it leaves. */
export async function withRetryAfter(reply: FastifyReply, work: () => Promise<SessionTokens>): Promise<SessionTokens> {
  try {
    return await work();
  } catch (e) {
    const seconds = retryAfterOf(e);
    if (seconds !== undefined) reply.header('retry-after', String(seconds));
    throw e;
  }
}

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { identity, users } = app.services;

  app.post(
    '/api/v1/auth/login',
    {
      config: { public: true, rateLimit: app.authRateLimit },
      schema: {
        summary: 'Sign in; returns an access token and a refresh token',
        description: 'Repeated wrong passwords lock the account for a while (429 with Retry-After).',
        tags: ['auth'],
        body: LoginBody,
        response: { 200: SessionReply, ...errors(400, 401, 403, 429) },
      },
    },
    async (request, reply) =>
      withRetryAfter(reply, () => identity.login(request.body.tenant, request.body.username, request.body.password)),
  );

  app.post(
    '/api/v1/auth/refresh',
    {
      config: { public: true, rateLimit: app.authRateLimit },
      schema: {
        summary: 'Trade a refresh token for new tokens (the refresh token is used up; reusing it ends the session)',
        tags: ['auth'],
        body: RefreshBody,
        response: { 200: SessionReply, ...errors(400, 401, 403, 429) },
      },
    },
    async (request) => identity.refresh(request.body.refreshToken),
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { roles: ACCESS.anyUser },
      schema: {
        summary: 'End this session: its access and refresh tokens stop working',
        tags: ['auth'],
        response: { 200: Ok, ...errors(401) },
      },
    },
    async (request) => {
      await identity.logout(request.principal);
      return { status: 'signed out' };
    },
  );

  app.post(
    '/api/v1/auth/password',
    {
      config: { roles: ACCESS.anyUser, rateLimit: app.authRateLimit },
      schema: {
        summary: 'Change your password; your other sessions end',
        tags: ['auth'],
        body: ChangePasswordBody,
        response: { 200: Ok, ...errors(400, 401, 429) },
      },
    },
    async (request, reply) => {
      try {
        await identity.changePassword(request.principal, request.body.currentPassword, request.body.newPassword);
      } catch (e) {
        const seconds = retryAfterOf(e);
        if (seconds !== undefined) reply.header('retry-after', String(seconds));
        throw e;
      }
      return { status: 'password changed' };
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      config: { roles: ACCESS.anyUser },
      schema: {
        summary:
          'Who the token belongs to: roles and groups as the token carries them, the profile (manager, e-mail, language, time zone) as it is now',
        tags: ['auth'],
        response: {
          200: Me,
          ...errors(401),
        },
      },
    },
    async (request) => {
      const p = request.principal;
      // Roles and groups as the token carries them; the profile as it is now.
      const user = await users.get(p.tenantId, p.userId);
      return {
        id: p.userId,
        tenant: p.tenantId,
        username: p.username,
        displayName: user.displayName,
        roles: p.roles,
        groups: p.groups,
        managerId: user.managerId,
        email: user.email,
        locale: user.locale,
        timezone: user.timezone,
      };
    },
  );
};
export default routes;
