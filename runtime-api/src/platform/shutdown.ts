// Closes the app (draining workers, closing the database) on SIGINT/SIGTERM, then exits. The first
// signal starts the close; another (Ctrl-C reaches every process of a cluster, and its primary
// then sends SIGTERM too) waits for the same close.
import type { FastifyInstance } from 'fastify';

export function closeOnSignals(app: FastifyInstance, what: string): void {
  let closing = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
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
