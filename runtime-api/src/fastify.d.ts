// What the plugins add to fastify's types.
import type { Role } from './auth/roles.ts';
import type { Principal, TokenSigner } from './auth/tokens.ts';
import type { Config } from './config.ts';
import type { Db } from './db/connect.ts';
import type { Transactions } from './db/transactions.ts';
import type { OutboxDispatcher } from './outbox/dispatcher.ts';
import type { OutboxProcessor } from './outbox/processor.ts';
import type { Clock, TestClock } from './services/clock.ts';
import type { DefinitionService } from './services/definitions.ts';
import type { EventService } from './services/events.ts';
import type { IdentityService } from './services/identity.ts';
import type { InstanceService } from './services/instances.ts';
import type { JobService } from './services/jobs.ts';
import type { StepRunner } from './services/steps.ts';
import type { TaskService } from './services/tasks.ts';

export interface Services {
  transactions: Transactions;
  definitions: DefinitionService;
  steps: StepRunner;
  instances: InstanceService;
  tasks: TaskService;
  jobs: JobService;
  events: EventService;
  identity: IdentityService;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Db;
    dbKind: 'postgres' | 'pglite';
    clock: Clock;
    /** Set only with SERVICELOOM_TEST_CLOCK=1. */
    testClock?: TestClock;
    tokens: TokenSigner;
    services: Services;
    outbox: { processor: OutboxProcessor; dispatcher: OutboxDispatcher };
  }
  interface FastifyRequest {
    /** The signed-in user; set on every route that declares roles. */
    principal: Principal;
  }
  interface FastifyContextConfig {
    /** Roles allowed on this route (any one suffices); [] = any signed-in user. */
    roles?: Role[];
    /** No sign-in needed. Routes under /api must declare either this or `roles`. */
    public?: boolean;
  }
}
