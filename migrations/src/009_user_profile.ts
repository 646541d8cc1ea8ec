// Users gain what the ITSM layer needs of a person: a manager (approval chains escalate to them),
// an e-mail address (notifications), a language and a time zone; groups gain a manager.
//
// A manager is a user of the same tenant. The foreign keys carry tenant_id, so the database
// itself refuses a manager from another tenant (the service refuses it first, with a 400). When
// the manager is deleted only the manager column is cleared (`SET NULL (column)`, PostgreSQL 15+),
// never the row's tenant_id. E-mail addresses are unique per tenant regardless of case.
// The tables are protected by row-level security already (002); new columns are covered by it.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The target of the tenant-scoped foreign keys below (id alone is unique already).
  await knex.raw('ALTER TABLE users ADD CONSTRAINT users_tenant_id_id UNIQUE (tenant_id, id)');
  await knex.schema.alterTable('users', (t) => {
    t.text('manager_id');
    t.text('email');
    t.text('locale');
    t.text('timezone');
    t.index(['tenant_id', 'manager_id']);
  });
  await knex.raw(`ALTER TABLE users ADD CONSTRAINT users_manager FOREIGN KEY (tenant_id, manager_id)
                    REFERENCES users (tenant_id, id) ON DELETE SET NULL (manager_id)`);
  await knex.raw('ALTER TABLE users ADD CONSTRAINT users_not_own_manager CHECK (manager_id IS NULL OR manager_id <> id)');
  await knex.raw('CREATE UNIQUE INDEX users_email ON users (tenant_id, lower(email)) WHERE email IS NOT NULL');

  await knex.schema.alterTable('groups', (t) => {
    t.text('manager_id');
  });
  await knex.raw(`ALTER TABLE groups ADD CONSTRAINT groups_manager FOREIGN KEY (tenant_id, manager_id)
                    REFERENCES users (tenant_id, id) ON DELETE SET NULL (manager_id)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE groups DROP CONSTRAINT IF EXISTS groups_manager');
  await knex.schema.alterTable('groups', (t) => t.dropColumn('manager_id'));
  await knex.raw('DROP INDEX IF EXISTS users_email');
  await knex.raw('ALTER TABLE users DROP CONSTRAINT IF EXISTS users_not_own_manager');
  await knex.raw('ALTER TABLE users DROP CONSTRAINT IF EXISTS users_manager');
  await knex.schema.alterTable('users', (t) => {
    t.dropIndex(['tenant_id', 'manager_id']);
    t.dropColumn('manager_id');
    t.dropColumn('email');
    t.dropColumn('locale');
    t.dropColumn('timezone');
  });
  await knex.raw('ALTER TABLE users DROP CONSTRAINT IF EXISTS users_tenant_id_id');
}
