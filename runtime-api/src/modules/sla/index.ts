// The SLA module: policies (which clocks a ticket gets) and records (each clock on each ticket),
// their warnings and breaches as delayed module events. It learns of tickets through module
// events only (the tickets module's sla-view.ts is the other side). An encapsulated plugin.
import type { FastifyPluginAsync } from 'fastify';
import { notFound } from '../../platform/errors.ts';
import { SlaEngine } from './engine.ts';
import { SlaPolicies } from './policies.ts';
import routes from './routes.ts';

const slaModule: FastifyPluginAsync = async (app) => {
  const { transactions, moduleEvents } = app.services;
  const policies = new SlaPolicies(transactions);
  new SlaEngine(moduleEvents, policies).listen();
  // The preview of an existing ticket reads the fields a condition may name, and nothing else.
  const ticketValues = (tenantId: string, number: string) =>
    transactions.read(tenantId, async (tx) => {
      const t = await tx('tickets').where({ tenant_id: tenantId, number }).first();
      if (!t) throw notFound('ticket', number);
      return {
        type: t.type,
        state: t.state,
        priority: t.priority,
        impact: t.impact,
        urgency: t.urgency,
        symptom: t.symptom,
        category: t.category,
        subcategory: t.subcategory,
        catalogItem: t.catalog_item,
        serviceId: t.service_id,
        ciId: t.ci_id,
        major: t.major,
        fields: t.fields ?? {},
      } as Record<string, unknown>;
    });
  await app.register(routes, { policies, ticketValues });
};

export default slaModule;
