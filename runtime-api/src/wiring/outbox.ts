// Follow-ups and jobs: the outbox processor and the dispatcher that drives it. With REDIS_URL the
// rows go to BullMQ queues, run by workers in this process (unless SERVICELOOM_WORKERS=0) and in
// any `npm run worker` process; without it the embedded dispatcher runs them in-process. Either
// starts once the server is ready.
import fp from 'fastify-plugin';
import { TenantBudget } from '../platform/outbox/budget.ts';
import { BullmqDispatcher } from '../platform/outbox/bullmq.ts';
import type { OutboxDispatcher } from '../platform/outbox/dispatcher.ts';
import { EmbeddedDispatcher } from '../platform/outbox/embedded.ts';
import { OutboxProcessor } from '../platform/outbox/processor.ts';
import { FollowUps } from '../process/follow-ups.ts';

export default fp(
  async (app) => {
    const { definitions, steps, events, transactions, moduleEvents } = app.services;
    const { config } = app;
    const followUps = new FollowUps(definitions, steps, events, { callDepth: config.callDepthLimit }, moduleEvents);
    const budget = new TenantBudget(config.tenantBudgetPerMinute);
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
    app.addHook('onReady', async () => {
      await dispatcher.start();
    });
    app.addHook('preClose', async () => {
      await dispatcher.stop();
    });
  },
  { name: 'outbox', dependencies: ['services'] },
);
