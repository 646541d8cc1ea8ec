// HTTP hardening: secure headers (helmet) on every reply; CORS only for the origins listed
// in SERVICELOOM_CORS_ORIGINS (none by default: browsers may call the API from its own origin
// only); rate limits (@fastify/rate-limit) on the routes that take credentials, declared per route
// with `config.rateLimit: app.authRateLimit`.
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import helmet from 'helmet';
import { DomainError } from '../errors.ts';

/**
 * The headers helmet sets, worked out once. They depend on nothing in the request (no CSP nonces
 * here), and running helmet's middleware on every request cost 3% of the server's CPU under the
 * API bench (twelve middlewares, each a `setHeader` with its checks). Fastify has no X-Powered-By
 * for it to remove.
 */
function helmetHeaders(options: Parameters<typeof helmet>[0]): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => {
      headers[name.toLowerCase()] = value;
    },
    removeHeader: () => {},
  };
  let done = false;
  helmet(options)({} as never, response as never, (err?: unknown) => {
    if (err) throw err;
    done = true;
  });
  if (!done) throw new Error('helmet did not set its headers at once');
  return headers;
}

export default fp(
  async (app) => {
    const secureHeaders = helmetHeaders({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          // The API docs UI (swagger-ui) styles itself inline and loads its images as data: URLs.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          // 'unsafe-eval': ajv compiles JSON Schemas into functions, in the browser too (the form
          // builder's preview and rendered forms validate with the server's ajv configuration).
          // No inline script is allowed, so an injected string still has no way to run.
          scriptSrc: ["'self'", "'unsafe-eval'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          workerSrc: ["'self'", 'blob:'],
          // Served over plain http on 127.0.0.1 by default: asking browsers to upgrade would break it.
          upgradeInsecureRequests: null,
        },
      },
      // Bearer tokens, no cookies: cross-origin isolation headers would only break the docs UI's fonts.
      crossOriginEmbedderPolicy: false,
    });
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(secureHeaders);
      done();
    });
    if (app.config.corsOrigins.length) {
      await app.register(cors, {
        origin: app.config.corsOrigins,
        methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
        allowedHeaders: ['authorization', 'content-type'],
        maxAge: 600,
      });
    }
    await app.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_request, context) => {
        const seconds = Math.ceil(context.ttl / 1000);
        const error = new DomainError('rate_limited', 'TOO_MANY_REQUESTS', `too many requests; try again in ${seconds} seconds`);
        return error;
      },
    });
    app.decorate('authRateLimit', { max: app.config.authRateLimit, timeWindow: 60_000 });
  },
  { name: 'security', dependencies: ['config', 'errors'] },
);
