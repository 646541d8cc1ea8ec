// First start on an empty database: tenant `demo`, its groups and users, and a demo definition.
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { hashPassword, randomPassword } from '../auth/passwords.ts';
import { ROLES, type Role } from '../auth/roles.ts';
import type { Db } from '../db/connect.ts';
import { DEMO_INCIDENT_BPMN } from '../demo/incident.ts';
import type { DefinitionService } from './definitions.ts';

export const DEMO_TENANT = 'demo';

const DEMO_USERS: Array<{ username: string; displayName: string; roles: readonly Role[]; groups: string[] }> = [
  { username: 'admin', displayName: 'Administrator', roles: ROLES, groups: ['service-desk', 'network'] },
  { username: 'owner', displayName: 'Process Owner', roles: ['process-owner'], groups: [] },
  { username: 'formadmin', displayName: 'Form Admin', roles: ['form-admin'], groups: [] },
  { username: 'agent1', displayName: 'Agent One', roles: ['agent'], groups: ['service-desk', 'network'] },
  { username: 'agent2', displayName: 'Agent Two', roles: ['agent'], groups: ['service-desk', 'network'] },
  { username: 'requester', displayName: 'Requester', roles: ['requester'], groups: [] },
];

/** Seeds when no tenant exists. Returns the random password it chose, if it chose one. */
export async function seedDemo(
  db: Db,
  definitions: DefinitionService,
  demoPassword: string | undefined,
  log: FastifyBaseLogger,
): Promise<{ seeded: boolean; generatedPassword?: string }> {
  const [{ n }] = await db('tenants').count('* as n');
  if (Number(n) > 0) return { seeded: false };
  const password = demoPassword ?? randomPassword();
  const hash = await hashPassword(password);
  const seeded = await db.transaction(async (tx) => {
    // Two servers starting at once on one PostgreSQL: only the first seeds.
    const inserted = await tx('tenants').insert({ id: DEMO_TENANT, name: 'Demo' }).onConflict('id').ignore().returning('id');
    if (inserted.length === 0) return false;
    await tx('groups').insert([
      { tenant_id: DEMO_TENANT, id: 'service-desk', name: 'Service Desk' },
      { tenant_id: DEMO_TENANT, id: 'network', name: 'Network' },
    ]);
    for (const u of DEMO_USERS) {
      const id = randomUUID();
      await tx('users').insert({
        id,
        tenant_id: DEMO_TENANT,
        username: u.username,
        display_name: u.displayName,
        password_hash: hash,
        roles: JSON.stringify(u.roles),
      });
      if (u.groups.length) await tx('user_groups').insert(u.groups.map((g) => ({ tenant_id: DEMO_TENANT, user_id: id, group_id: g })));
    }
    return true;
  });
  if (!seeded) return { seeded: false };
  await definitions.deploy(DEMO_TENANT, 'admin', DEMO_INCIDENT_BPMN);
  log.info('seeded tenant "demo" with its users and the demo incident process');
  return demoPassword ? { seeded: true } : { seeded: true, generatedPassword: password };
}
