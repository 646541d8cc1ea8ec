// Follow-ups and jobs: the outbox processor and the dispatcher that drives it. Without REDIS_URL
// the embedded dispatcher runs in this process; it starts once the server is ready.
import fp from 'fastify-plugin';
import { EmbeddedDispatcher } from '../outbox/embedded.ts';
import { FollowUps } from '../outbox/follow-ups.ts';
import { OutboxProcessor } from '../outbox/processor.ts';

export default fp(
  async (app) => {
    const { definitions, steps, events, transactions } = app.services;
    const processor = new OutboxProcessor(app.db, transactions, new FollowUps(definitions, steps, events), app.clock, app.log);
    if (app.config.redisUrl) app.log.warn('REDIS_URL is set, but BullMQ dispatch is not built yet: using the embedded dispatcher');
    const dispatcher = new EmbeddedDispatcher(processor, app.clock, app.config.pollIntervalMs, app.log);
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
