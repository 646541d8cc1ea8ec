// Authentication and authorisation. Every route under /api declares `config.roles` (or
// `config.public`); a route that declares neither stops the server from starting, so no route is
// open by accident. Tokens are checked, and roles enforced, before the body is even parsed.
import { randomBytes } from 'node:crypto';
import fp from 'fastify-plugin';
import { hasAnyRole } from '../auth/roles.ts';
import { TokenSigner } from '../auth/tokens.ts';
import type { Db } from '../db/connect.ts';
import { forbidden, unauthorized } from '../errors.ts';

/** The configured secret, else one generated once and kept in the database for every server process. */
async function tokenSecret(db: Db, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  await db('settings')
    .insert({ key: 'token_secret', value: randomBytes(32).toString('base64url') })
    .onConflict('key')
    .ignore();
  const row: { value: string } = await db('settings').where({ key: 'token_secret' }).first();
  return row.value;
}

export default fp(
  async (app) => {
    app.decorate('tokens', new TokenSigner(await tokenSecret(app.db, app.config.secret), app.config.tokenTtlSeconds));
    app.decorateRequest('principal', null as never);

    app.addHook('onRoute', (route) => {
      const config = (route.config ?? {}) as { roles?: unknown; public?: boolean };
      if (!route.url.startsWith('/api/')) return;
      if (!config.public && !Array.isArray(config.roles)) {
        throw new Error(`route ${route.method} ${route.url} declares neither config.roles nor config.public`);
      }
      if (!config.public && route.schema) {
        route.schema = { ...route.schema, security: [{ bearerAuth: [] }] } as typeof route.schema;
      }
    });

    app.addHook('onRequest', async (request) => {
      const { roles, public: isPublic } = request.routeOptions.config;
      if (isPublic || !roles) return;
      const header = request.headers.authorization;
      const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
      if (!match) throw unauthorized();
      const principal = app.tokens.verify(match[1] as string, app.clock.now());
      if (!principal) throw unauthorized('the token is invalid or has expired; sign in again');
      if (!hasAnyRole(principal.roles, roles)) throw forbidden(`this needs one of the roles: ${roles.join(', ')}`);
      request.principal = principal;
    });
  },
  { name: 'auth', dependencies: ['config', 'db', 'clock'] },
);
