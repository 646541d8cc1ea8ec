// Health: ready to serve, and (GET /health/ready, outside the /api routes) whether everything the server needs answers.
import { type Static, Type } from 'typebox';

export const Health = Type.Object({ status: Type.Literal('ok') });
export type Health = Static<typeof Health>;

/** GET /health/ready: 200 ok, or 503 degraded naming what the server cannot reach. */
export const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  unavailable: Type.Array(Type.String(), { description: 'What the server cannot reach now: database, redis' }),
  message: Type.Optional(Type.String()),
});
export type Readiness = Static<typeof Readiness>;
