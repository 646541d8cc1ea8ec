// Builds the server: infrastructure plugins first (config, errors, db, clock, auth, OpenAPI),
// then the services and the outbox, then the routes. Tests build it and call app.inject.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import formRoutes from './forms/routes.ts';
import authRoutes from './identity/routes/auth.ts';
import oidcRoutes from './identity/routes/oidc.ts';
import tenantRoutes from './identity/routes/tenants.ts';
import userRoutes from './identity/routes/users.ts';
import calendarsModule from './modules/calendars/index.ts';
import catalogModule from './modules/catalog/index.ts';
import channelsModule from './modules/channels/index.ts';
import notificationsModule from './modules/notifications/index.ts';
import slaModule from './modules/sla/index.ts';
import templatesModule from './modules/templates/index.ts';
import ticketsModule from './modules/tickets/index.ts';
import type { Config } from './platform/config.ts';
import { logSerializers } from './platform/logging.ts';
import authPlugin from './platform/plugins/auth.ts';
import clockPlugin from './platform/plugins/clock.ts';
import configPlugin from './platform/plugins/config.ts';
import dbPlugin from './platform/plugins/db.ts';
import errorsPlugin from './platform/plugins/errors.ts';
import securityPlugin from './platform/plugins/security.ts';
import swaggerPlugin from './platform/plugins/swagger.ts';
import webPlugin, { type WebOptions } from './platform/plugins/web.ts';
import adminClockRoutes from './platform/routes/admin-clock.ts';
import auditRoutes from './platform/routes/audit.ts';
import healthRoutes from './platform/routes/health.ts';
import definitionRoutes from './process/routes/definitions.ts';
import eventRoutes from './process/routes/events.ts';
import instanceRoutes from './process/routes/instances.ts';
import jobRoutes from './process/routes/jobs.ts';
import taskRoutes from './process/routes/tasks.ts';
import outboxPlugin from './wiring/outbox.ts';
import seedPlugin from './wiring/seed.ts';
import servicesPlugin from './wiring/services.ts';

export interface BuildOptions {
  logger?: FastifyServerOptions['logger'];
  /** The web app at `/` (web/dist when built); false: the API only. */
  web?: WebOptions | false;
}

const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel, serializers: logSerializers },
    bodyLimit: 1024 * 1024,
    // Opening (and recovering) an embedded database on a busy machine can take longer than
    // fastify's 10 s default: a slow start is still a start, not a crash.
    pluginTimeout: 120_000,
    // Behind a reverse proxy, every request would come from the proxy's address: one client's
    // failed sign-ins would rate-limit everyone. Only the configured proxies are believed.
    // A hop count means: believe that many proxies in front, whatever their addresses.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    ajv: {
      // Wrong types are the caller's error, not something to coerce; unknown fields are refused, not dropped.
      customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(configPlugin, { config });
  await app.register(errorsPlugin);
  await app.register(securityPlugin);
  await app.register(dbPlugin);
  await app.register(clockPlugin);
  await app.register(authPlugin);
  await app.register(swaggerPlugin);
  await app.register(servicesPlugin);
  await app.register(outboxPlugin);
  await app.register(seedPlugin);

  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(oidcRoutes);
  await app.register(tenantRoutes);
  await app.register(userRoutes);
  await app.register(auditRoutes);
  await app.register(definitionRoutes);
  await app.register(instanceRoutes);
  await app.register(taskRoutes);
  await app.register(formRoutes);
  await app.register(jobRoutes);
  await app.register(eventRoutes);
  await app.register(ticketsModule);
  await app.register(templatesModule);
  await app.register(catalogModule);
  await app.register(calendarsModule);
  await app.register(slaModule);
  await app.register(notificationsModule);
  await app.register(channelsModule);
  await app.register(adminClockRoutes);
  if (options.web !== false) await app.register(webPlugin, options.web ?? {});

  return app as unknown as FastifyInstance;
}
