// Stopping runaway processes: a definition version can be suspended (its start events start
// nothing until it is activated again), and operators cancel instances in batches that the
// outbox works through a chunk per transaction (`cancel_batches` is the record of each).
import type { Knex } from 'knex';
import { protectTenantTable } from './rls.ts';

/** SQLSTATE for `serviceloom_expect`: a start used a suspended definition version. */
export const DEFINITION_SUSPENDED_STATE = 'SLX08';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('definitions', (t) => {
    t.boolean('suspended').notNullable().defaultTo(false);
  });
  await knex.schema.createTable('cancel_batches', (t) => {
    t.text('id').primary();
    t.text('tenant_id').notNullable().references('tenants.id');
    /** `filter`: which instances (definition, version, business key, started before) or `{ descendantsOf }`. */
    t.jsonb('filter').notNullable();
    t.integer('matched').notNullable();
    t.integer('cancelled').notNullable().defaultTo(0);
    t.text('status').notNullable();
    t.text('created_by');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('finished_at', { useTz: true });
    t.index(['tenant_id', 'created_at']);
  });
  await protectTenantTable(knex, 'cancel_batches');
  // The cascade walks a cancelled instance's tree by root; active rows only.
  await knex.raw("CREATE INDEX instances_active_by_root ON instances (root_instance_id) WHERE status = 'active'");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS instances_active_by_root');
  await knex.schema.dropTable('cancel_batches');
  await knex.schema.alterTable('definitions', (t) => {
    t.dropColumn('suspended');
  });
}
