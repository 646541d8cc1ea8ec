// The notifications module: in-app notifications (list, read, a live stream), the built-in ones
// (SLA, approvals, urges, major incidents, assignments) and the tenant's rules, which hand
// deliveries to the channels module as `notification.send` events. An encapsulated plugin.
import type { FastifyPluginAsync } from 'fastify';
import { Inbox } from './inbox.ts';
import { Notifier } from './notifier.ts';
import routes from './routes.ts';
import { RuleService } from './rules.ts';
import streamRoutes, { NotificationHub } from './stream.ts';

const notificationsModule: FastifyPluginAsync = async (app) => {
  const { transactions, moduleEvents } = app.services;
  const inbox = new Inbox(transactions, moduleEvents);
  new Notifier(moduleEvents, inbox).listen();
  const hub = new NotificationHub();
  hub.subscribe(moduleEvents);
  app.addHook('preClose', async () => hub.closeAll());
  await app.register(routes, { inbox, rules: new RuleService(transactions) });
  await app.register(streamRoutes, { hub });
};

export default notificationsModule;
