// Seeding a tenant: its row, groups, users and its copy of the templates, in one transaction of
// that tenant. `POST /tenants` and the first start's demo tenant both come through `seedTenant`.
import { FORMS, GROUPS, PROCESS_TEMPLATES } from '@serviceloom/templates';
import type { FastifyBaseLogger } from 'fastify';
import { publishFormIn } from '../forms/forms.ts';
import { type Actor, audit, SYSTEM_ACTOR } from '../platform/audit.ts';
import { hashPassword, randomPassword } from '../platform/auth/passwords.ts';
import { ROLES, type Role } from '../platform/auth/roles.ts';
import type { Transactions, Work } from '../platform/db/transactions.ts';
import type { DefinitionService } from '../process/definitions.ts';
import { createGroup } from './groups.ts';
import { createUser } from './users.ts';

export const DEMO_TENANT = 'demo';

export interface TenantSeed {
  id: string;
  name: string;
  /** `manager`: the username of the group's manager (one of `users`). */
  groups: Array<{ id: string; name: string; manager?: string }>;
  /** `manager`: the username of the user's manager, listed before them. */
  users: Array<{
    username: string;
    displayName?: string;
    roles: readonly Role[];
    groups: string[];
    passwordHash: string;
    email?: string;
    manager?: string;
  }>;
}

/**
 * Creates the tenant `seed.id` with its groups, users and templates, inside `work` (which must run
 * in that tenant). False if the tenant exists (or existed: deleted tenants keep their id).
 */
export async function seedTenant(work: Work, definitions: DefinitionService, seed: TenantSeed, actor: Actor): Promise<boolean> {
  if (work.tenantId !== seed.id) throw new Error(`seeding tenant "${seed.id}" needs a transaction in it`);
  const inserted = await work
    .tx('tenants')
    .insert({ id: seed.id, name: seed.name, status: 'active', settings: '{}', created_at: work.at, updated_at: work.at })
    .onConflict('id')
    .ignore()
    .returning('id');
  if (inserted.length === 0) return false;
  await audit(work, actor, { action: 'tenant.create', targetType: 'tenant', targetId: seed.id, after: { id: seed.id, name: seed.name } });
  for (const g of seed.groups) {
    await createGroup(work, { id: g.id, name: g.name });
    await audit(work, actor, { action: 'group.create', targetType: 'group', targetId: g.id, after: { name: g.name } });
  }
  const ids = new Map<string, string>();
  const idOf = (username: string | undefined) => {
    if (username === undefined) return null;
    const id = ids.get(username);
    if (!id) throw new Error(`seed of tenant "${seed.id}": manager "${username}" must be listed before those they manage`);
    return id;
  };
  for (const u of seed.users) {
    const created = await createUser(work, actor, {
      username: u.username,
      displayName: u.displayName ?? null,
      passwordHash: u.passwordHash,
      roles: [...u.roles],
      groups: u.groups,
      email: u.email ?? null,
      managerId: idOf(u.manager),
    });
    ids.set(u.username, created.id);
  }
  for (const g of seed.groups) {
    if (g.manager)
      await work
        .tx('groups')
        .where({ tenant_id: seed.id, id: g.id })
        .update({ manager_id: idOf(g.manager) });
  }
  await seedTemplates(work, definitions, actor);
  return true;
}

/**
 * The tenant's own copy of the templates (@serviceloom/templates): version 1 of every flow's
 * definition and of every form, and the groups the flows name. The inspection flow is deployed
 * suspended, so that no tenant gets a daily checklist it did not ask for: activating it
 * (`POST /definitions/:id/activate`) starts the daily timer.
 */
export async function seedTemplates(work: Work, definitions: DefinitionService, actor: Actor): Promise<void> {
  for (const g of GROUPS) {
    if (await createGroup(work, { id: g.id, name: g.name.en })) {
      await audit(work, actor, { action: 'group.create', targetType: 'group', targetId: g.id, after: { name: g.name.en } });
    }
  }
  for (const f of FORMS) {
    await publishFormIn(work, actor, f.key, { name: f.name.en, labels: f.name, schema: f.schema, uiSchema: f.uiSchema });
  }
  for (const t of PROCESS_TEMPLATES) {
    const { definition } = await definitions.deployIn(work, actor, t.bpmn);
    if (SUSPENDED_ON_SEED.has(t.key)) {
      await work.tx('definitions').where({ tenant_id: work.tenantId, id: definition.id }).update({ suspended: true });
      await audit(work, actor, {
        action: 'definition.suspend',
        targetType: 'definition',
        targetId: definition.id,
        before: { id: definition.id, key: t.key, version: definition.version, suspended: false },
        after: { id: definition.id, key: t.key, version: definition.version, suspended: true },
      });
    }
  }
}

/** Templates a tenant opts into: deployed, but suspended. */
const SUSPENDED_ON_SEED = new Set(['itsm-inspection']);

const DEMO_GROUPS = [
  { id: 'service-desk', name: 'Service Desk', manager: 'manager' },
  { id: 'network', name: 'Network', manager: 'admin' },
];

/**
 * The demo's people, managers first. The chain of managers lets approvals be shown: requester
 * (and the agents) report to `manager`, who reports to `admin`.
 */
const DEMO_USERS: Array<{ username: string; displayName: string; roles: readonly Role[]; groups: string[]; manager?: string }> = [
  { username: 'admin', displayName: 'Administrator', roles: ROLES, groups: ['service-desk', 'network'] },
  { username: 'manager', displayName: 'Team Manager', roles: ['requester'], groups: [], manager: 'admin' },
  { username: 'owner', displayName: 'Process Owner', roles: ['process-owner'], groups: [], manager: 'admin' },
  { username: 'formadmin', displayName: 'Form Admin', roles: ['form-admin'], groups: [], manager: 'admin' },
  { username: 'agent1', displayName: 'Agent One', roles: ['agent'], groups: ['service-desk', 'network'], manager: 'manager' },
  { username: 'agent2', displayName: 'Agent Two', roles: ['agent'], groups: ['service-desk', 'network'], manager: 'manager' },
  { username: 'requester', displayName: 'Requester', roles: ['requester'], groups: [], manager: 'manager' },
];

/** Demo addresses, on a domain reserved for examples: nothing is ever delivered there. */
const demoEmail = (username: string) => `${username}@demo.example.com`;

/** Seeds tenant `demo` when no tenant exists. Returns the random password it chose, if it chose one. */
export async function seedDemo(
  transactions: Transactions,
  definitions: DefinitionService,
  demoPassword: string | undefined,
  log: FastifyBaseLogger,
): Promise<{ seeded: boolean; generatedPassword?: string }> {
  // The tenant directory is one of the two views that read across tenants.
  const any = await transactions.run((work) => work.tx('tenant_directory').first('id'));
  if (any) return { seeded: false };
  const password = demoPassword ?? randomPassword();
  const passwordHash = await hashPassword(password);
  // Two servers starting at once on one PostgreSQL: only the first seeds (the tenant row is the lock).
  const seeded = await transactions.withTenant(DEMO_TENANT, (work) =>
    seedTenant(
      work,
      definitions,
      {
        id: DEMO_TENANT,
        name: 'Demo',
        groups: DEMO_GROUPS,
        users: DEMO_USERS.map((u) => ({ ...u, email: demoEmail(u.username), passwordHash })),
      },
      SYSTEM_ACTOR,
    ),
  );
  if (!seeded) return { seeded: false };
  log.info('seeded tenant "demo" with its users and the ITSM templates');
  return demoPassword ? { seeded: true } : { seeded: true, generatedPassword: password };
}
