// The tickets module: incidents, requests, problems, changes and releases, each run by its flow.
// An encapsulated plugin (no fastify-plugin): what it registers stays inside it.
import type { FastifyPluginAsync } from 'fastify';
import { approvalBridge } from './approval-bridge.ts';
import { TicketAttachments } from './attachments.ts';
import { TicketImport } from './import.ts';
import { notificationTimeline } from './notification-timeline.ts';
import routes from './routes.ts';
import { TicketService } from './service.ts';
import { ItsmSettings } from './settings.ts';
import { slaBridge } from './sla-view.ts';
import streamRoutes, { TicketStreamHub } from './stream.ts';
import { ticketStateSync } from './sync.ts';

const IMPORT_LIMIT_BYTES = 200 * 1024 * 1024;

const tickets: FastifyPluginAsync = async (app) => {
  const { transactions, process, moduleEvents } = app.services;
  const settings = new ItsmSettings(transactions);
  const service = new TicketService(transactions, process, settings, moduleEvents);
  process.observeSteps(ticketStateSync(moduleEvents));
  approvalBridge(moduleEvents);
  slaBridge(moduleEvents);
  notificationTimeline(moduleEvents);
  // CSV imports of another tool's history (`POST /tickets/import`).
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: IMPORT_LIMIT_BYTES }, (_request, body, done) => done(null, body));
  await app.register(routes, {
    tickets: service,
    settings,
    importer: new TicketImport(transactions),
    attachments: new TicketAttachments(transactions, service),
  });
  const hub = new TicketStreamHub(transactions);
  hub.subscribe(moduleEvents);
  app.addHook('preClose', async () => hub.closeAll());
  await app.register(streamRoutes, { hub });
};

export default tickets;
