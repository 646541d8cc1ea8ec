// SERVICELOOM_PROCESSES=N: the server as N processes sharing its port (node:cluster), so that one
// machine's cores all serve requests; the way to scale past one machine stays the same (more
// servers on one PostgreSQL behind a load balancer, docs/design.md "Scale"), and each process is a whole
// server, as such a server is. This module is the primary: it forks the processes, the first alone
// until it listens (it migrates and seeds; the others find that done), replaces one that dies, and
// on SIGINT/SIGTERM stops them all and waits for them.
import cluster, { type Worker } from 'node:cluster';
import { pino } from 'pino';
import type { Config } from './platform/config.ts';

/** What refuses to run as several processes; undefined when nothing does. */
export function clusterRefusal(config: Config): string | undefined {
  if (config.processes <= 1) return undefined;
  if (!config.databaseUrl) {
    return 'SERVICELOOM_PROCESSES above 1 needs DATABASE_URL: the embedded PGlite database belongs to one process.';
  }
  if (config.testClock) return 'SERVICELOOM_TEST_CLOCK needs a single process: each process would keep a clock of its own.';
  return undefined;
}

/** A process that dies this soon after it was forked counts as failing to start. */
const EARLY_DEATH_MS = 10_000;
/** Failing to start this many times in a row stops the whole server. */
const MAX_EARLY_DEATHS = 5;

export async function runPrimary(config: Config): Promise<void> {
  // pino, as the servers' fastify logger: the same lines, to the same place, at LOG_LEVEL.
  const logger = pino({ level: config.logLevel, base: { pid: process.pid, role: 'primary' } });
  let stopping = false;
  let earlyDeaths = 0;
  const started = new Map<Worker, number>();

  const fork = (): Worker => {
    const worker = cluster.fork();
    started.set(worker, Date.now());
    return worker;
  };

  const listening = (worker: Worker) =>
    new Promise<void>((resolve, reject) => {
      worker.once('listening', () => resolve());
      worker.once('exit', (code, signal) => reject(new Error(`a server process exited before listening (code ${code}, signal ${signal})`)));
    });

  cluster.on('exit', (worker, code, signal) => {
    const since = Date.now() - (started.get(worker) ?? 0);
    started.delete(worker);
    if (stopping) return;
    earlyDeaths = since < EARLY_DEATH_MS ? earlyDeaths + 1 : 0;
    if (earlyDeaths >= MAX_EARLY_DEATHS) {
      logger.error({ code, signal }, 'server processes keep dying at start; stopping');
      void stop(1);
      return;
    }
    logger.warn({ workerPid: worker.process.pid, code, signal }, 'a server process died; starting another');
    setTimeout(() => !stopping && fork(), earlyDeaths ? 1000 * earlyDeaths : 0).unref();
  });

  const stop = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.isDead()) return resolve();
            w.once('exit', () => resolve());
            w.process.kill('SIGTERM');
          }),
      ),
    );
    process.exit(exitCode);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'server shutting down');
      void stop(0);
    });
  }

  try {
    await listening(fork());
    await Promise.all(Array.from({ length: config.processes - 1 }, () => listening(fork())));
  } catch (e) {
    logger.error((e as Error).message);
    await stop(1);
    return;
  }
  logger.info(`serving on ${config.host}:${config.port} with ${config.processes} processes`);
}
