// The channels module: where notifications go out (SMTP, DingTalk, WeCom, Slack, Teams, signed
// webhooks) and the record of every delivery. It delivers the notifications module's
// `notification.send` events. An encapsulated plugin (no fastify-plugin).
import type { FastifyPluginAsync } from 'fastify';
import { DeliveryService } from './deliveries.ts';
import routes from './routes.ts';
import { ChannelService } from './service.ts';

const channelsModule: FastifyPluginAsync = async (app) => {
  const { transactions, moduleEvents } = app.services;
  const { dataKey } = app.platformSecrets;
  const deliveries = new DeliveryService(transactions, moduleEvents, dataKey);
  deliveries.listen();
  await app.register(routes, { channels: new ChannelService(transactions, dataKey), deliveries });
};

export default channelsModule;
