// The outbox on BullMQ: with REDIS_URL set, follow-ups and timers run from Redis queues, by workers
// in the server or in `npm run worker` processes, on the real clock (no drain, no test clock).
// Without REDIS_URL these tests are skipped (their names say so); the embedded dispatcher's
// equivalents run in recovery.test.ts and crash.integration.test.ts.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { BullmqDispatcher, jobIdOf } from '../src/platform/outbox/bullmq.ts';
import {
  as,
  type Call,
  deploy,
  inTenant,
  integrationDatabaseUrl,
  line,
  startInstance,
  startServer,
  type TestServer,
  userTask,
} from './helpers.ts';

const redisUrl = process.env.REDIS_URL || undefined;
const databaseUrl = integrationDatabaseUrl();
const run = randomUUID().slice(0, 8);
const key = (name: string) => `${name}-${run}`;
/** Each server of this file gets queues of its own in the shared Redis. */
const prefix = (name: string) => `sltest-${run}-${name}`;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const timer = (value: string) => `<bpmn:timerEventDefinition><bpmn:timeDuration>${value}</bpmn:timeDuration></bpmn:timerEventDefinition>`;
const napper = (id: string, duration = 'PT1S') =>
  line(id, [`<bpmn:intermediateCatchEvent id="nap">${timer(duration)}</bpmn:intermediateCatchEvent>`]);

// Per test: servers sharing one database sweep each other's overdue rows into their own queues.
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

async function server(name: string, overrides: Record<string, unknown> = {}, dataDir?: string): Promise<TestServer> {
  const s = await startServer(
    {
      redisUrl,
      queuePrefix: prefix(name),
      testClock: false,
      sweepIntervalMs: 1000,
      ...(databaseUrl ? { databaseUrl } : {}),
      ...overrides,
    },
    dataDir,
  );
  return s;
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const statusOf = async (call: Call, id: string) => (await call('GET', `/api/v1/process-instances/${id}`)).body.status as string;

async function forget(name: string): Promise<void> {
  // Like a Redis restarted without persistence: every key of these queues gone.
  const redis = new Redis(redisUrl as string);
  const keys = await redis.keys(`${prefix(name)}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
}

describe.skipIf(!redisUrl)('the outbox on BullMQ (skipped without REDIS_URL)', () => {
  it('runs timers as delayed jobs and follow-ups through workers, with no drain', async () => {
    const s = await server('basic');
    cleanups.push(
      () => s.close(),
      () => forget('basic'),
    );
    expect(s.app.outbox.dispatcher).toBeInstanceOf(BullmqDispatcher);
    const admin = as(s.app, s.tokens.admin);
    await deploy(admin, napper(key('child')));
    await deploy(admin, line(key('parent'), [`<bpmn:callActivity id="call" calledElement="${key('child')}"/>`]));
    const nap = await startInstance(admin, key('child'));
    const row = await inTenant(s.app, 'demo', (tx) => tx('outbox').where({ instance_id: nap.id, kind: 'timer' }).first());
    const timers = new Queue('timers', { connection: { url: redisUrl as string }, prefix: prefix('basic') });
    cleanups.push(() => timers.close());
    const job = await timers.getJob(jobIdOf(Number(row.id)));
    expect(job && (await job.getState())).toBe('delayed');

    const parent = await startInstance(admin, key('parent'));
    await until('the parent to complete', async () => (await statusOf(admin, parent.id)) === 'completed');
    expect(await statusOf(admin, nap.id)).toBe('completed');
    const pending = await inTenant(s.app, 'demo', (tx) =>
      tx('outbox').whereIn('instance_id', [nap.id, parent.id]).whereNull('dispatched_at'),
    );
    expect(pending).toEqual([]);
  });

  it('runs a row enqueued twice once', async () => {
    const s = await server('twice');
    cleanups.push(
      () => s.close(),
      () => forget('twice'),
    );
    const admin = as(s.app, s.tokens.admin);
    await deploy(admin, line(key('work'), [userTask('work')]));
    await deploy(admin, line(key('caller'), [`<bpmn:callActivity id="call" calledElement="${key('work')}"/>`]));
    const parent = await startInstance(admin, key('caller'));
    const row = await inTenant(s.app, 'demo', (tx) => tx('outbox').where({ instance_id: parent.id, kind: 'call.start' }).first());
    const dispatcher = s.app.outbox.dispatcher as BullmqDispatcher;
    const again = { id: Number(row.id), kind: row.kind, availableAt: Date.now() };
    await Promise.all([dispatcher.enqueue([again]), dispatcher.enqueue([again])]);
    await until('the row to be dispatched', () => s.app.outbox.processor.isPending(Number(row.id)).then((p) => !p));
    await dispatcher.enqueue([again]);
    await new Promise((r) => setTimeout(r, 300));
    expect((await admin('GET', `/api/v1/process-instances?parentInstanceId=${parent.id}`)).body).toHaveLength(1);
  });

  it('enqueues at start what a crash left undispatched, and timers due while down, when Redis lost everything', async () => {
    const first = await server('restart');
    cleanups.push(() => forget('restart'));
    let napId: string;
    let parentId: string;
    try {
      const admin = as(first.app, first.tokens.admin);
      await deploy(admin, napper(key('sleep')));
      await deploy(admin, line(key('kid'), [userTask('work')]));
      await deploy(admin, line(key('mum'), [`<bpmn:callActivity id="call" calledElement="${key('kid')}"/>`]));
      // As if the process died right after commit: nothing reaches Redis.
      await first.app.outbox.dispatcher.stop();
      napId = (await startInstance(admin, key('sleep'))).id;
      parentId = (await startInstance(admin, key('mum'))).id;
    } finally {
      await first.app.close();
    }
    await forget('restart');
    await new Promise((r) => setTimeout(r, 1200));
    const second = await server('restart', first.config.databaseUrl ? { databaseUrl: first.config.databaseUrl } : {}, first.dataDir);
    cleanups.push(
      () => second.app.close(),
      () => first.removeData(),
    );
    const admin = as(second.app, second.tokens.admin);
    await until('the timer due while down to fire', async () => (await statusOf(admin, napId)) === 'completed');
    await until(
      'the child to start',
      async () => (await admin('GET', `/api/v1/process-instances?parentInstanceId=${parentId}`)).body.length === 1,
    );
  });

  it.skipIf(!databaseUrl)(
    'with DATABASE_URL too (skipped without): a server with SERVICELOOM_WORKERS=0 only enqueues; `npm run worker` runs the work',
    async () => {
      const s = await server('remote', { workers: false });
      cleanups.push(
        () => s.close(),
        () => forget('remote'),
      );
      const admin = as(s.app, s.tokens.admin);
      await deploy(admin, napper(key('remote')));
      const nap = await startInstance(admin, key('remote'));
      await new Promise((r) => setTimeout(r, 1500));
      expect(await statusOf(admin, nap.id)).toBe('active');

      const worker: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'runtime-api/src/worker.ts'], {
        cwd: root,
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl,
          REDIS_URL: redisUrl,
          SERVICELOOM_QUEUE_PREFIX: prefix('remote'),
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      cleanups.push(async () => {
        worker.kill('SIGKILL');
        await exited;
      });
      await until('the worker to fire the timer', async () => (await statusOf(admin, nap.id)) === 'completed', 40_000);
      worker.kill('SIGTERM');
      expect(await exited).toBe(0);
    },
  );
});
