import fp from 'fastify-plugin';
import { seedDemo } from '../identity/seed.ts';

export default fp(
  async (app) => {
    if (!app.config.seedDemo) return;
    const result = await seedDemo(app.services.transactions, app.services.definitions, app.config.demoPassword, app.log);
    if (result.generatedPassword) {
      // Printed once, on the console, for the person starting the server the first time.
      console.log(
        `\n  ServiceLoom seeded tenant "demo". Users admin, owner, formadmin, agent1, agent2, requester\n` +
          `  share the password: ${result.generatedPassword}\n  (set SERVICELOOM_DEMO_PASSWORD to choose it; it is not shown again)\n`,
      );
    }
  },
  { name: 'seed', dependencies: ['services'] },
);
