// Redis away at start: the server still starts and listens, /health/ready answers 503 naming
// Redis, a start during the outage commits, and its follow-up runs once Redis comes up. Uses a
// redis-server of its own on a private port (skipped when there is no redis-server binary).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import {
  as,
  deploy,
  freePort,
  inTenant,
  integrationDatabaseUrl,
  line,
  startInstance,
  startServer,
  type TestServer,
  userTask,
} from './helpers.ts';

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;
const run = randomUUID().slice(0, 8);
const key = (name: string) => `${name}-${run}`;

let redis: ChildProcess | undefined;
let s: TestServer | undefined;
afterAll(async () => {
  await s?.close();
  redis?.kill('SIGTERM');
});

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(!hasRedisServer)('a server whose Redis is away (skipped without redis-server)', () => {
  it('listens, reports degraded, keeps what was committed and runs it once Redis is back', async () => {
    const port = await freePort();
    const databaseUrl = integrationDatabaseUrl();
    s = await startServer({
      redisUrl: `redis://127.0.0.1:${port}`,
      queuePrefix: `sltest-outage-${run}`,
      testClock: false,
      sweepIntervalMs: 1000,
      ...(databaseUrl ? { databaseUrl } : {}),
    });
    const server = s;
    const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
    const ready = await fetch(`${address}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'degraded', unavailable: ['redis'] });
    expect((await fetch(`${address}/health`)).status).toBe(200);

    const admin = as(server.app, server.tokens.admin);
    await deploy(admin, line(key('outage-child'), [userTask('work')]));
    await deploy(admin, line(key('outage-parent'), [`<bpmn:callActivity id="call" calledElement="${key('outage-child')}"/>`]));
    const parent = await startInstance(admin, key('outage-parent'));
    const children = () => inTenant(server.app, 'demo', (tx) => tx('instances').where({ parent_instance_id: parent.id }));
    await new Promise((r) => setTimeout(r, 1500));
    expect(await children()).toHaveLength(0);
    const pending = await inTenant(server.app, 'demo', (tx) =>
      tx('outbox').where({ instance_id: parent.id, kind: 'call.start' }).whereNull('dispatched_at'),
    );
    expect(pending).toHaveLength(1);

    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    // ioredis retries with growing pauses (BullMQ caps them at 20 s).
    const [child] = await until(
      'the child started once Redis is back',
      async () => {
        const rows = await children();
        return rows.length > 0 && rows;
      },
      60_000,
    );
    expect(child.status).toBe('active');
    await until('/health/ready 200', async () => (await fetch(`${address}/health/ready`)).status === 200, 30_000);
    expect(await children()).toHaveLength(1);
  }, 120_000);
});
