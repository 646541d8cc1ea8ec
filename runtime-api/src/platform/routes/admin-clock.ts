// The test clock: registered only with SERVICELOOM_TEST_CLOCK=1.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Duration } from 'luxon';
import { Type } from 'typebox';
import { ACCESS } from '../auth/roles.ts';
import { badRequest } from '../errors.ts';
import { errors } from '../schemas/common.ts';

const MAX_ADVANCE_MS = 100 * 366 * 24 * 3_600_000;

const ClockReply = Type.Object({ now: Type.String({ format: 'date-time' }) });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const clock = app.testClock;
  if (!clock) return;

  app.get(
    '/api/v1/admin/clock',
    {
      config: { roles: ACCESS.platform },
      schema: { summary: "The server's current (test) time", tags: ['admin'], response: { 200: ClockReply, ...errors(401, 403) } },
    },
    async () => ({ now: new Date(clock.now()).toISOString() }),
  );

  app.post(
    '/api/v1/admin/clock',
    {
      config: { roles: ACCESS.platform },
      schema: {
        summary: 'Move the test clock forward; every timer due by then fires before the reply',
        tags: ['admin'],
        body: Type.Object({ advanceBy: Type.String({ minLength: 2, maxLength: 50 }) }, { additionalProperties: false }),
        response: { 200: ClockReply, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const duration = Duration.fromISO(request.body.advanceBy);
      const ms = duration.isValid ? duration.toMillis() : Number.NaN;
      // Bounded so that the clock stays a valid date.
      if (!(ms >= 0 && ms <= MAX_ADVANCE_MS)) {
        throw badRequest('VALIDATION_FAILED', 'advanceBy must be an ISO 8601 duration of at most 100 years, such as PT2H', [
          { field: 'advanceBy', in: 'body', message: 'must be an ISO 8601 duration such as PT2H' },
        ]);
      }
      clock.advance(ms);
      await app.outbox.dispatcher.drain();
      return { now: new Date(clock.now()).toISOString() };
    },
  );
};
export default routes;
