// The catalog module: the service catalog (items, their forms and approval chains) and the
// approvals of requests and changes. An encapsulated plugin (no fastify-plugin).
import type { FastifyPluginAsync } from 'fastify';
import { ApprovalService } from './approvals.ts';
import routes from './routes.ts';
import { CatalogService } from './service.ts';

const catalogModule: FastifyPluginAsync = async (app) => {
  const { transactions, process, moduleEvents } = app.services;
  const catalog = new CatalogService(transactions);
  const approvals = new ApprovalService(transactions, process, moduleEvents, catalog);
  approvals.listen();
  await app.register(routes, { catalog, approvals });
};

export default catalogModule;
