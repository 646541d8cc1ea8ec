// Follow-ups and jobs: the outbox processor and the dispatcher that drives it. With REDIS_URL the
// rows go to BullMQ queues, run by workers in this process (unless SERVICELOOM_WORKERS=0) and in
// any `npm run worker` process; without it the embedded dispatcher runs them in-process. Either
// starts once the server is ready. Here too the tenants' budgets: of follow-ups (the processor's)
// and of starts through the API (`app.startBudget`), counted in Redis with REDIS_URL.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';
import { type Budget, TenantBudget } from '../platform/outbox/budget.ts';
import { BullmqDispatcher } from '../platform/outbox/bullmq.ts';
import type { OutboxDispatcher } from '../platform/outbox/dispatcher.ts';
import { EmbeddedDispatcher } from '../platform/outbox/embedded.ts';
import { OutboxProcessor } from '../platform/outbox/processor.ts';
import { RedisBudget } from '../platform/outbox/redis-budget.ts';
import { FollowUps } from '../process/follow-ups.ts';

export default fp(
  async (app) => {
    const { definitions, steps, events, transactions, moduleEvents } = app.services;
    const { config } = app;
    const followUps = new FollowUps(definitions, steps, events, { callDepth: config.callDepthLimit }, moduleEvents);
    const budgets = tenantBudgets(app);
    const budget = budgets.followUps;
    const processor = new OutboxProcessor(app.db, transactions, followUps, app.clock, app.log, budget);
    let dispatcher: OutboxDispatcher;
    if (config.redisUrl) {
      const { workers } = config;
      dispatcher = new BullmqDispatcher(
        processor,
        app.clock,
        {
          redisUrl: config.redisUrl,
          prefix: config.queuePrefix,
          workers,
          concurrency: config.workerConcurrency,
          sweepIntervalMs: config.sweepIntervalMs,
        },
        app.log,
      );
      app.log.info({ prefix: config.queuePrefix, workers }, 'outbox: BullMQ');
      if (!workers && app.dbKind === 'pglite')
        app.log.warn('SERVICELOOM_WORKERS=0 on embedded PGlite: no other process can open this database, so nothing runs the outbox');
    } else {
      dispatcher = new EmbeddedDispatcher(processor, app.clock, config.pollIntervalMs, app.log);
    }
    transactions.onCommit = (rows) => dispatcher.committed(rows);
    app.decorate('outbox', { processor, dispatcher });
    app.decorate('startBudget', budgets.starts);
    app.addHook('onReady', async () => {
      await dispatcher.start();
    });
    app.addHook('preClose', async () => {
      await dispatcher.stop();
    });
  },
  { name: 'outbox', dependencies: ['services'] },
);

/**
 * The follow-up budget counts by real time (a test clock moved ahead to fire timers must not
 * refill it); the start budget by the server's clock, which tests move to refill it.
 */
function tenantBudgets(app: FastifyInstance): { followUps: Budget; starts: Budget } {
  const { config } = app;
  const followUps = new TenantBudget(config.tenantBudgetPerMinute);
  const starts = new TenantBudget(config.tenantStartBudgetPerMinute, () => app.clock.now());
  if (!config.redisUrl) return { followUps, starts };
  // Its own connection: a budget must answer at once or not at all (no queue while disconnected,
  // no retries), so that a Redis outage costs a request nothing but the fallback.
  const redis = new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 500 });
  // Failures reach the budgets, which log them once per outage.
  redis.on('error', () => {});
  app.addHook('onClose', async () => redis.disconnect());
  const prefix = `${config.queuePrefix}:budget`;
  return {
    followUps: new RedisBudget(redis, followUps, `${prefix}:follow-ups`, app.log),
    starts: new RedisBudget(redis, starts, `${prefix}:starts`, app.log, () => app.clock.now()),
  };
}
