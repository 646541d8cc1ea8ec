// Row-level security helpers, for this migration and every later one that adds a tenant-owned
// table. The runtime runs every query as APP_ROLE, which sees and writes only the rows whose
// tenant_id equals the transaction's `serviceloom.tenant` setting; with no tenant set it sees
// nothing. A table created without `protectTenantTable` is not granted to APP_ROLE at all, so
// forgetting it fails loudly (permission denied) instead of leaking (and the RLS test names it).
import type { Knex } from 'knex';

/** The role every runtime query runs as. NOLOGIN, no BYPASSRLS, owns nothing. */
export const APP_ROLE = 'serviceloom_app';
/** Owner of the few views that read across tenants (outbox scheduling, the tenant directory). NOLOGIN. */
export const SYSTEM_ROLE = 'serviceloom_system';
/** The per-transaction setting that names the current tenant: `set_config('serviceloom.tenant', id, true)`. */
export const TENANT_SETTING = 'serviceloom.tenant';

const CURRENT_TENANT = `current_setting('${TENANT_SETTING}', true)`;

/** Creates the roles once per cluster (roles are shared by its databases) and lets the migrating role switch to them. */
export async function createRoles(knex: Knex): Promise<void> {
  for (const role of [APP_ROLE, SYSTEM_ROLE]) {
    // Two databases migrating at once on one cluster race on CREATE ROLE: either error means "exists".
    await knex.raw(`DO $$ BEGIN
      CREATE ROLE ${role} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$`);
    // A pre-existing role of that name must not be able to bypass row-level security.
    await knex.raw(`DO $$ BEGIN
      IF (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = '${role}') THEN
        RAISE EXCEPTION 'role ${role} must not be a superuser nor bypass row-level security';
      END IF;
      IF NOT pg_has_role(current_user, '${role}', 'MEMBER') THEN
        EXECUTE format('GRANT ${role} TO %I', current_user);
      END IF;
    END $$`);
    await knex.raw(`GRANT USAGE ON SCHEMA ${await currentSchema(knex)} TO ${role}`);
  }
}

export async function currentSchema(knex: Knex): Promise<string> {
  const { rows } = (await knex.raw('SELECT quote_ident(current_schema()) AS schema')) as { rows: Array<{ schema: string }> };
  return rows[0]?.schema ?? 'public';
}

/**
 * Turns on row-level security for a tenant-owned table (FORCE: its owner is held to it too) and
 * grants APP_ROLE the given privileges, visible only for rows of the current tenant.
 */
export async function protectTenantTable(knex: Knex, table: string, options: { column?: string; privileges?: string } = {}): Promise<void> {
  const column = options.column ?? 'tenant_id';
  const privileges = options.privileges ?? 'SELECT, INSERT, UPDATE, DELETE';
  await knex.raw(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`);
  await knex.raw(`ALTER TABLE "${table}" FORCE ROW LEVEL SECURITY`);
  await knex.raw(`DROP POLICY IF EXISTS tenant_isolation ON "${table}"`);
  await knex.raw(
    `CREATE POLICY tenant_isolation ON "${table}" TO ${APP_ROLE}
       USING ("${column}" = ${CURRENT_TENANT}) WITH CHECK ("${column}" = ${CURRENT_TENANT})`,
  );
  await knex.raw(`GRANT ${privileges} ON "${table}" TO ${APP_ROLE}`);
}

export async function unprotectTenantTable(knex: Knex, table: string): Promise<void> {
  await knex.raw(`DROP POLICY IF EXISTS tenant_isolation ON "${table}"`);
  await knex.raw(`REVOKE ALL ON "${table}" FROM ${APP_ROLE}`);
  await knex.raw(`ALTER TABLE "${table}" NO FORCE ROW LEVEL SECURITY`);
  await knex.raw(`ALTER TABLE "${table}" DISABLE ROW LEVEL SECURITY`);
}

/** bigserial columns: APP_ROLE inserts rows, so it draws from their sequences. */
export async function grantSequences(knex: Knex): Promise<void> {
  await knex.raw(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${await currentSchema(knex)} TO ${APP_ROLE}`);
}
