// `npm run worker`: a process that runs outbox follow-ups (timers, call activities, thrown
// messages and signals, job hand-offs) from the BullMQ queues, beside or instead of the workers
// inside the servers (SERVICELOOM_WORKERS=0). It shares the servers' PostgreSQL and Redis, serves
// no HTTP, and on start enqueues whatever a crash left undispatched, as a server does.
import { buildApp } from './app.ts';
import { loadConfig } from './platform/config.ts';
import { closeOnSignals } from './platform/shutdown.ts';

const config = loadConfig();
if (!config.redisUrl || !config.databaseUrl) {
  console.error(
    'npm run worker runs outbox follow-ups from BullMQ for servers that share its database, so it needs\n' +
      'REDIS_URL (Redis) and DATABASE_URL (PostgreSQL). Without Redis, `npm start` runs them in-process, and\n' +
      'embedded PGlite belongs to one process: no worker is needed, nor possible.',
  );
  process.exit(1);
}

// The whole app, so that the services are wired exactly as in the server; but it never listens,
// never seeds, and always runs workers.
const app = await buildApp({ ...config, seedDemo: false, workers: true });

closeOnSignals(app, 'worker');

try {
  await app.ready();
  app.log.info({ prefix: config.queuePrefix, concurrency: config.workerConcurrency }, 'worker ready');
} catch (e) {
  app.log.error(e);
  process.exit(1);
}
