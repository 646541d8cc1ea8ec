// What the plugins add to fastify's types.

import type { AttachmentService } from './forms/attachments.ts';
import type { FormService } from './forms/forms.ts';
import type { GroupService } from './identity/groups.ts';
import type { IdentityService } from './identity/identity.ts';
import type { OidcService } from './identity/oidc.ts';
import type { TenantService } from './identity/tenants.ts';
import type { UserService } from './identity/users.ts';
import type { AuditService } from './platform/audit.ts';
import type { Role } from './platform/auth/roles.ts';
import type { Principal, TokenSigner } from './platform/auth/tokens.ts';
import type { Clock, TestClock } from './platform/clock.ts';
import type { Config } from './platform/config.ts';
import type { Db, PlatformSecrets } from './platform/db/connect.ts';
import type { Transactions } from './platform/db/transactions.ts';
import type { Budget } from './platform/outbox/budget.ts';
import type { OutboxDispatcher } from './platform/outbox/dispatcher.ts';
import type { ModuleEvents } from './platform/outbox/module-events.ts';
import type { OutboxProcessor } from './platform/outbox/processor.ts';
import type { RouteAccess } from './platform/plugins/auth.ts';
import type { DefinitionService } from './process/definitions.ts';
import type { EventService } from './process/events.ts';
import type { InstanceService } from './process/instances.ts';
import type { JobService } from './process/jobs.ts';
import type { ProcessPort } from './process/port.ts';
import type { StepRunner } from './process/steps.ts';
import type { TaskService } from './process/tasks.ts';

export interface Services {
  transactions: Transactions;
  definitions: DefinitionService;
  steps: StepRunner;
  instances: InstanceService;
  tasks: TaskService;
  jobs: JobService;
  events: EventService;
  /** What ITSM modules may ask of the process core (process/port.ts). */
  process: ProcessPort;
  identity: IdentityService;
  users: UserService;
  groups: GroupService;
  tenants: TenantService;
  audit: AuditService;
  forms: FormService;
  attachments: AttachmentService;
  oidc: OidcService;
  /** Events between ITSM modules, through the outbox (platform/outbox/module-events.ts). */
  moduleEvents: ModuleEvents;
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
    /** Each tenant's budget of starts through the API (wiring/outbox.ts, process/routes/start-budget.ts). */
    startBudget: Budget;
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
    /** Also accept the token as `?access_token=` (Server-Sent Events: EventSource sends no headers). */
    queryToken?: boolean;
  }
}
