// The database: connect (PostgreSQL or PGlite), migrate, and close with the server.
import fp from 'fastify-plugin';
import { connect } from '../db/connect.ts';
import { migrate } from '../db/migrate.ts';

export default fp(
  async (app) => {
    const { db, kind } = await connect({ databaseUrl: app.config.databaseUrl, dataDir: app.config.dataDir });
    app.decorate('db', db);
    app.decorate('dbKind', kind);
    // Closed last: plugins registered later close first (fastify runs onClose in reverse).
    app.addHook('onClose', async () => {
      await db.destroy();
    });
    await migrate(db);
    app.log.info({ database: kind }, 'database ready');
  },
  { name: 'db', dependencies: ['config'] },
);
