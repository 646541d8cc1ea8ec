// Serves the web app (web/dist, built by `npm run build`) at `/`: its files as they are, and
// index.html for any other GET outside /api, /docs and /health, so the app's routes (/designer,
// /tasks, ...) load on a refresh or a bookmark. Without a build the server runs API-only and says so.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';

export const DEFAULT_WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../web/dist');

const NOT_THE_APP = /^\/(api|docs|health)(\/|$|\?)/;

export interface WebOptions {
  /** The built app; default web/dist of this repository. */
  root?: string;
}

export default fp<WebOptions>(
  async (app, options) => {
    const root = options.root ?? DEFAULT_WEB_ROOT;
    if (!existsSync(path.join(root, 'index.html'))) {
      app.log.warn({ root }, 'the web app is not built (run `npm run build`); serving the API only');
      return;
    }
    // wildcard: false registers a route per file found now; the build does not change while running.
    await app.register(fastifyStatic, { root, wildcard: false, index: false, cacheControl: false });
    const index = async (request: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply) => {
      if (NOT_THE_APP.test(request.url)) return reply.callNotFound();
      // Hashed assets may be cached for long; the page itself must be fetched fresh to pick up a new build.
      return reply.header('cache-control', 'no-cache').sendFile('index.html', root);
    };
    app.get('/', { schema: { hide: true } }, index);
    app.get('/*', { schema: { hide: true } }, index);
  },
  { name: 'web' },
);
