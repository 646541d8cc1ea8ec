// The roles a user can hold (the contract's ROLES). `admin` of the demo tenant holds them all.
import { ROLES, type Role } from '@serviceloom/contracts';

export { ROLES, type Role };

/** Roles a tenant admin may grant. `platform-admin` only a platform admin may grant or take away. */
export const TENANT_ROLES: readonly Role[] = ROLES.filter((r) => r !== 'platform-admin');

/** Who may do what; routes name one of these in `config.roles`. */
export const ACCESS = {
  anyUser: [] as Role[],
  deploy: ['tenant-admin', 'process-owner'] as Role[],
  startInstance: ['tenant-admin', 'process-owner', 'agent', 'requester'] as Role[],
  operateInstance: ['tenant-admin', 'process-owner'] as Role[],
  /** Read every instance of the tenant; others read only theirs (process/instances.ts readScope). */
  readAllInstances: ['tenant-admin', 'process-owner'] as Role[],
  workTasks: ['tenant-admin', 'agent'] as Role[],
  workJobs: ['tenant-admin', 'worker'] as Role[],
  sendEvents: ['tenant-admin', 'process-owner', 'agent', 'worker'] as Role[],
  /** Users, groups, identity providers, tenant settings, the audit log. */
  tenantAdmin: ['tenant-admin'] as Role[],
  /** Tenants themselves, and the test clock. */
  platform: ['platform-admin'] as Role[],
} satisfies Record<string, Role[]>;

export function hasAnyRole(roles: readonly string[], needed: readonly Role[]): boolean {
  return needed.length === 0 || needed.some((r) => roles.includes(r));
}

export const isRole = (r: string): r is Role => (ROLES as readonly string[]).includes(r);

/**
 * The roles whose powers a user has: a tenant admin has those of every tenant role (ACCESS names
 * `tenant-admin` wherever a tenant role is named), but never `platform-admin`.
 */
export function heldRoles(roles: readonly string[]): string[] {
  return roles.includes('tenant-admin') ? [...new Set([...roles, ...TENANT_ROLES])] : [...roles];
}

/** Roles of `roles` the actor does not hold (`heldRoles`), sorted and once each. */
export function rolesNotHeld(actorRoles: readonly string[], roles: readonly string[]): string[] {
  const held = heldRoles(actorRoles);
  return [...new Set(roles.filter((r) => !held.includes(r)))].sort();
}
