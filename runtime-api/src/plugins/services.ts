// The application services, wired once: each is a plain class that takes what it needs.
import fp from 'fastify-plugin';
import { Transactions } from '../db/transactions.ts';
import { DefinitionService } from '../services/definitions.ts';
import { EventService } from '../services/events.ts';
import { IdentityService } from '../services/identity.ts';
import { InstanceService } from '../services/instances.ts';
import { JobService } from '../services/jobs.ts';
import { StepRunner } from '../services/steps.ts';
import { TaskService } from '../services/tasks.ts';

export default fp(
  async (app) => {
    const transactions = new Transactions(app.db, app.clock);
    const definitions = new DefinitionService(app.db, transactions);
    const steps = new StepRunner(definitions);
    app.decorate('services', {
      transactions,
      definitions,
      steps,
      instances: new InstanceService(app.db, transactions, definitions, steps),
      tasks: new TaskService(app.db, transactions, steps),
      jobs: new JobService(app.db, transactions, steps),
      events: new EventService(app.db, transactions, steps),
      identity: new IdentityService(app.db, app.tokens, app.clock),
    });
  },
  { name: 'services', dependencies: ['db', 'clock', 'auth'] },
);
