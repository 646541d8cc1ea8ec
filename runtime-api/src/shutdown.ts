// Closes the app (draining workers, closing the database) on SIGINT/SIGTERM, then exits.
import type { FastifyInstance } from 'fastify';

export function closeOnSignals(app: FastifyInstance, what: string): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      app.log.info({ signal }, `${what} shutting down`);
      app.close().then(
        () => process.exit(0),
        (e) => {
          app.log.error(e);
          process.exit(1);
        },
      );
    });
  }
}
