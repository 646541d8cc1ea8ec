// The database: migrate as the schema owner, read the platform secrets, then hand out a knex whose
// every connection runs as the row-level-security-bound APP_ROLE (db/connect.ts). Closed with the server.
import fp from 'fastify-plugin';
import { connect } from '../db/connect.ts';

export default fp(
  async (app) => {
    const { db, kind, secrets } = await connect({
      databaseUrl: app.config.databaseUrl,
      databaseOwnerUrl: app.config.databaseOwnerUrl,
      dataDir: app.config.dataDir,
      tokenSecret: app.config.secret,
    });
    app.decorate('db', db);
    app.decorate('dbKind', kind);
    app.decorate('platformSecrets', secrets);
    // Closed last: plugins registered later close first (fastify runs onClose in reverse).
    app.addHook('onClose', async () => {
      await db.destroy();
    });
    app.log.info({ database: kind }, 'database ready');
  },
  { name: 'db', dependencies: ['config'] },
);
