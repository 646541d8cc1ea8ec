// Tenant budgets in Redis (src/platform/outbox/redis-budget.ts): two budgets on connections of
// their own, as two server processes would hold them, share one count per tenant and minute; while
// Redis does not answer, a budget counts on its own and says so once. Needs REDIS_URL; the servers
// sharing a start budget need DATABASE_URL too.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { TenantBudget } from '../src/platform/outbox/budget.ts';
import { RedisBudget } from '../src/platform/outbox/redis-budget.ts';
import { as, bpmn, deploy, freePort, integrationDatabaseUrl, startServer, type TestServer, userTask } from './helpers.ts';

const redisUrl = process.env.REDIS_URL || undefined;
const databaseUrl = integrationDatabaseUrl();
const run = randomUUID().slice(0, 8);
const PER_MINUTE = 10;

/** A connection as wiring/outbox.ts makes it: answer at once or fail. */
const connect = (url: string) => {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 500 });
  redis.on('error', () => {});
  return redis;
};
const connections: Redis[] = [];
afterAll(() => {
  for (const c of connections) c.disconnect();
});

/** A log that remembers what it was told. */
const recorder = () => {
  const lines: Array<{ level: string; msg: string }> = [];
  return {
    lines,
    warn: (_o: unknown, msg?: string) => void lines.push({ level: 'warn', msg: String(msg) }),
    info: (_o: unknown, msg?: string) => void lines.push({ level: 'info', msg: String(msg) }),
  };
};

const ready = async (redis: Redis) => {
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  return redis;
};

describe.skipIf(!redisUrl)('tenant budgets on Redis', () => {
  it('two processes share one count per tenant and minute, and the next minute refills it', async () => {
    let now = Date.parse('2030-01-01T10:00:05Z');
    const clock = () => now;
    const prefix = `sltest-${run}:budget:starts`;
    const [a, b] = await Promise.all([ready(connect(redisUrl as string)), ready(connect(redisUrl as string))]);
    connections.push(a, b);
    const log = recorder();
    const first = new RedisBudget(a, new TenantBudget(PER_MINUTE, clock), prefix, log, clock);
    const second = new RedisBudget(b, new TenantBudget(PER_MINUTE, clock), prefix, log, clock);

    // Alternating, as requests spread over two processes: ten in all, not ten each.
    const taken: boolean[] = [];
    for (let i = 0; i < PER_MINUTE + 4; i++) taken.push(await (i % 2 === 0 ? first : second).take('acme'));
    expect(taken.filter(Boolean)).toHaveLength(PER_MINUTE);
    expect(taken.slice(PER_MINUTE)).toEqual([false, false, false, false]);
    expect(await first.exhausted('acme')).toBe(true);
    expect((await second.usage('acme')).used).toBe(PER_MINUTE);
    // Until the minute is over: 55 s.
    expect(first.retryAfterMs('acme')).toBe(55_000);

    // Another tenant counts on its own.
    expect(await second.take('globex')).toBe(true);
    expect(await first.exhausted('globex')).toBe(false);

    // The next minute: a fresh count, whichever process asks.
    now += 60_000;
    expect(await second.exhausted('acme')).toBe(false);
    expect(await second.take('acme')).toBe(true);
    expect((await first.usage('acme')).used).toBe(1);
    expect(log.lines).toEqual([]);

    // The count's key expires by itself after its window.
    const ttl = await a.pttl(`${prefix}:acme:${Math.floor(now / 60_000)}`);
    expect(ttl).toBeGreaterThan(60_000);
    expect(ttl).toBeLessThanOrEqual(120_000);
  });

  it('while Redis does not answer, each process counts on its own, warned once, and never waits', async () => {
    const down = connect(`redis://127.0.0.1:${await freePort()}`);
    connections.push(down);
    const log = recorder();
    const budget = new RedisBudget(down, new TenantBudget(3), `sltest-${run}:budget:down`, log);
    const began = performance.now();
    const taken = [];
    for (let i = 0; i < 5; i++) taken.push(await budget.take('acme'));
    expect(taken).toEqual([true, true, true, false, false]);
    expect(await budget.exhausted('acme')).toBe(true);
    expect(budget.retryAfterMs('acme')).toBeGreaterThan(0);
    expect((await budget.usage('acme')).used).toBe(3);
    // Not a timed assertion of speed: a queue waiting for the connection would take seconds.
    expect(performance.now() - began).toBeLessThan(5_000);
    expect(log.lines.filter((l) => l.level === 'warn')).toHaveLength(1);
    expect(log.lines[0]?.msg).toMatch(/Redis does not answer/);
  });

  it('takes the shared count up again once Redis answers, and says so', async () => {
    const redis = await ready(connect(redisUrl as string));
    connections.push(redis);
    const log = recorder();
    const budget = new RedisBudget(redis, new TenantBudget(5), `sltest-${run}:budget:back`, log);
    expect(await budget.take('acme')).toBe(true);
    // Drops the connection and reconnects at once: meanwhile commands fail, as in an outage.
    const back = new Promise((resolve) => redis.once('close', () => redis.once('ready', resolve)));
    redis.disconnect(true);
    expect(await budget.take('acme')).toBe(true);
    await back;
    expect(await budget.take('acme')).toBe(true);
    expect((await budget.usage('acme')).used).toBe(2);
    expect(log.lines.map((l) => l.level)).toEqual(['warn', 'info']);
  });
});

describe.skipIf(!redisUrl || !databaseUrl)('two servers on one Redis', () => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    for (const server of servers) await server.close();
  });

  it('share the start budget: starts beyond it are 429 on either server', async () => {
    const BUDGET = 4;
    const shared = { databaseUrl, redisUrl, queuePrefix: `sltest-${run}-servers`, tenantStartBudgetPerMinute: BUDGET };
    servers.push(await startServer(shared), await startServer(shared));
    // Both at the start of the same minute, so that the window does not turn during the test.
    const toNextMinute = 60_000 - (Date.now() % 60_000) + 1_000;
    for (const server of servers) server.app.testClock?.advance(toNextMinute);
    const [one, two] = servers.map((server) => as(server.app, server.tokens.admin)) as [ReturnType<typeof as>, ReturnType<typeof as>];
    const key = `shared-budget-${run}`;
    await deploy(
      one,
      bpmn(key, `<bpmn:startEvent id="start"/>${userTask('work')}<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work"/>`),
    );
    const statuses: number[] = [];
    for (let i = 0; i < BUDGET + 2; i++)
      statuses.push((await (i % 2 === 0 ? one : two)('POST', '/api/v1/process-instances', { definitionKey: key })).status);
    expect(statuses).toEqual([201, 201, 201, 201, 429, 429]);
  }, 120_000);
});
