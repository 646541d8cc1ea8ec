import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Health, Readiness } from '@serviceloom/contracts';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health',
    {
      config: { public: true },
      schema: { summary: 'Ready to serve', tags: ['admin'], response: { 200: Health } },
    },
    async () => ({ status: 'ok' as const }),
  );

  // For load balancers and orchestrators: 503 while the database or Redis is away. The server
  // keeps serving meanwhile (with Redis away, committed outbox rows wait and run once it is back).
  app.get(
    '/health/ready',
    {
      config: { public: true },
      schema: {
        summary: 'Whether everything the server needs answers: 200 ok, or 503 degraded naming what is missing',
        tags: ['admin'],
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
      const unavailable = [...(app.outbox.dispatcher.unavailable?.() ?? [])];
      try {
        await app.db.raw('SELECT 1');
      } catch {
        unavailable.unshift('database');
      }
      if (unavailable.length === 0) return { status: 'ok' as const, unavailable };
      return reply.status(503).send({
        status: 'degraded' as const,
        unavailable,
        message: `unreachable: ${unavailable.join(', ')}; requests that need it may fail, outbox rows wait in the database`,
      });
    },
  );
};
export default routes;
