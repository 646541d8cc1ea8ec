// The application services, wired once: each is a plain class that takes what it needs. None gets
// the database itself: they reach it through `transactions`, which names the tenant of every
// transaction (row-level security shows nothing to a transaction without one).
import fp from 'fastify-plugin';
import { AttachmentService } from '../forms/attachments.ts';
import { FormService } from '../forms/forms.ts';
import { GroupService } from '../identity/groups.ts';
import { IdentityService } from '../identity/identity.ts';
import { OidcService } from '../identity/oidc.ts';
import { TenantService } from '../identity/tenants.ts';
import { UserService } from '../identity/users.ts';
import { AuditService } from '../platform/audit.ts';
import { Transactions } from '../platform/db/transactions.ts';
import { ModuleEvents } from '../platform/outbox/module-events.ts';
import { OffThreadCompiler } from '../process/compile-off-thread.ts';
import { DefinitionService } from '../process/definitions.ts';
import { EventService } from '../process/events.ts';
import { InstanceService } from '../process/instances.ts';
import { JobService } from '../process/jobs.ts';
import { processPort } from '../process/port.ts';
import { StepRunner } from '../process/steps.ts';
import { TaskService } from '../process/tasks.ts';

export default fp(
  async (app) => {
    const { config } = app;
    const transactions = new Transactions(app.db, app.clock);
    const definitions = new DefinitionService(
      transactions,
      new OffThreadCompiler((e) =>
        app.log.warn({ err: e }, 'the BPMN compile worker failed: large models compile on the main thread for now'),
      ),
    );
    app.addHook('onClose', () => definitions.close());
    const steps = new StepRunner(definitions);
    const forms = new FormService(transactions, definitions);
    const identity = new IdentityService(transactions, app.tokens, app.clock, {
      refreshTtlSeconds: config.refreshTtlSeconds,
      lockoutThreshold: config.lockoutThreshold,
      lockoutSeconds: config.lockoutSeconds,
    });
    const instances = new InstanceService(transactions, definitions, steps, forms);
    const tasks = new TaskService(transactions, steps, forms);
    const events = new EventService(transactions, steps);
    app.decorate('services', {
      transactions,
      definitions,
      steps,
      instances,
      tasks,
      jobs: new JobService(transactions, steps),
      events,
      process: processPort({ instances, tasks, events, steps, forms, definitions }),
      identity,
      users: new UserService(transactions, identity),
      groups: new GroupService(transactions),
      tenants: new TenantService(transactions, definitions, () => identity.forget()),
      audit: new AuditService(transactions),
      forms,
      attachments: new AttachmentService(transactions, config.attachments),
      moduleEvents: new ModuleEvents(app.log),
      oidc: new OidcService(transactions, identity, {
        publicUrl: config.publicUrl,
        allowHttp: config.oidcAllowHttp,
        dataKey: app.platformSecrets.dataKey,
      }),
    });
  },
  { name: 'services', dependencies: ['db', 'clock', 'auth'] },
);
