// The templates module: the tenant's copies of the ITSM templates (list with upgrade offers,
// compare with template, reset to template). Seeding the copies is the tenant seed's
// (identity/seed.ts), since every tenant gets them when it is created.
import type { FastifyPluginAsync } from 'fastify';
import routes from './routes.ts';

const templatesModule: FastifyPluginAsync = async (app) => {
  await app.register(routes);
};

export default Object.assign(templatesModule, { [Symbol.for('plugin-meta')]: { name: 'templates-module', dependencies: ['services'] } });
