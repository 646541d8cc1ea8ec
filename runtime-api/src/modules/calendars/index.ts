// The calendars module: a tenant's business calendars (working hours in a time zone, holidays,
// make-up days) that SLA targets and business days are counted on. An encapsulated plugin (no
// fastify-plugin). The arithmetic and the reading of a calendar are in platform/time, shared by
// every module that counts business time.
import type { FastifyPluginAsync } from 'fastify';
import routes from './routes.ts';
import { CalendarService } from './service.ts';

const calendarsModule: FastifyPluginAsync = async (app) => {
  await app.register(routes, { calendars: new CalendarService(app.services.transactions) });
};

export default calendarsModule;
