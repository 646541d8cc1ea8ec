// What the plugins add to fastify's types.
import type { Role } from './auth/roles.ts';
import type { Principal, TokenSigner } from './auth/tokens.ts';
import type { Config } from './config.ts';
import type { Db, PlatformSecrets } from './db/connect.ts';
import type { Transactions } from './db/transactions.ts';
import type { OutboxDispatcher } from './outbox/dispatcher.ts';
import type { OutboxProcessor } from './outbox/processor.ts';
import type { RouteAccess } from './plugins/auth.ts';
import type { AttachmentService } from './services/attachments.ts';
import type { AuditService } from './services/audit.ts';
import type { Clock, TestClock } from './services/clock.ts';
import type { DefinitionService } from './services/definitions.ts';
import type { EventService } from './services/events.ts';
import type { FormService } from './services/forms.ts';
import type { GroupService } from './services/groups.ts';
import type { IdentityService } from './services/identity.ts';
import type { InstanceService } from './services/instances.ts';
import type { JobService } from './services/jobs.ts';
import type { OidcService } from './services/oidc.ts';
import type { StepRunner } from './services/steps.ts';
import type { TaskService } from './services/tasks.ts';
import type { TenantService } from './services/tenants.ts';
import type { UserService } from './services/users.ts';

export interface Services {
  transactions: Transactions;
  definitions: DefinitionService;
  steps: StepRunner;
  instances: InstanceService;
  tasks: TaskService;
  jobs: JobService;
  events: EventService;
  identity: IdentityService;
  users: UserService;
  groups: GroupService;
  tenants: TenantService;
  audit: AuditService;
  forms: FormService;
  attachments: AttachmentService;
  oidc: OidcService;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Db;
    dbKind: 'postgres' | 'pglite';
    /** Read once at start by the schema owner; the runtime role cannot read them from the database. */
    platformSecrets: PlatformSecrets;
    /** Every route and the roles it declares. */
    routeAccess: RouteAccess[];
    /** `config.rateLimit` of the routes that take credentials. */
    authRateLimit: { max: number; timeWindow: number };
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
