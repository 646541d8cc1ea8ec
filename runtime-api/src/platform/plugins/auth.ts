// Authentication and authorisation. Every route under /api declares `config.roles` (any one of them
// suffices; [] = any signed-in user) or `config.public`; a route that declares neither stops the
// server from starting, so no route is open by accident. `app.routeAccess` lists every route with
// its declaration (the route tests walk it). On each request, before the body is even parsed: the
// access token's signature and expiry, its session (not revoked) and tenant (not suspended), then
// the roles.
import fp from 'fastify-plugin';
import type { Role } from '../auth/roles.ts';
import { hasAnyRole } from '../auth/roles.ts';
import { TokenSigner } from '../auth/tokens.ts';
import { forbidden, unauthorized } from '../errors.ts';

export interface RouteAccess {
  method: string;
  url: string;
  /** Roles that may call it ([] = any signed-in user); undefined for public routes. */
  roles?: Role[];
  public: boolean;
}

export default fp(
  async (app) => {
    app.decorate('tokens', new TokenSigner(app.platformSecrets.tokenSecret, app.config.tokenTtlSeconds));
    app.decorateRequest('principal', null as never);
    const routeAccess: RouteAccess[] = [];
    app.decorate('routeAccess', routeAccess);

    app.addHook('onRoute', (route) => {
      const config = (route.config ?? {}) as { roles?: Role[]; public?: boolean };
      const declared = config.public === true || Array.isArray(config.roles);
      if (route.url.startsWith('/api/') && !declared) {
        throw new Error(`route ${route.method} ${route.url} declares neither config.roles nor config.public`);
      }
      for (const method of [route.method].flat()) {
        if (method === 'HEAD') continue;
        routeAccess.push({
          method,
          url: route.url,
          ...(config.public ? {} : Array.isArray(config.roles) ? { roles: config.roles } : {}),
          public: config.public === true,
        });
      }
      if (!config.public && Array.isArray(config.roles) && route.schema) {
        route.schema = { ...route.schema, security: [{ bearerAuth: [] }] } as typeof route.schema;
      }
    });

    app.addHook('onRequest', async (request) => {
      const { roles, public: isPublic, queryToken } = request.routeOptions.config;
      if (isPublic || !roles) return;
      const header = request.headers.authorization;
      const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
      // EventSource cannot send headers: a stream route may take the token as `?access_token=`.
      const fromQuery = queryToken ? (request.query as { access_token?: unknown } | undefined)?.access_token : undefined;
      const token = match?.[1] ?? (typeof fromQuery === 'string' && fromQuery ? fromQuery : undefined);
      if (!token) throw unauthorized();
      const principal = app.tokens.verify(token, app.clock.now());
      if (!principal) throw unauthorized('the token is invalid or has expired; sign in again');
      await app.services.identity.check(principal);
      if (!hasAnyRole(principal.roles, roles)) throw forbidden(`this needs one of the roles: ${roles.join(', ')}`);
      request.principal = principal;
    });
  },
  { name: 'auth', dependencies: ['config', 'db', 'clock'] },
);
