// Drafts of process definitions, saved from the designer so a process owner can leave and come back:
// one per tenant and key, replaced on every save. Deployed versions stay in `definitions`.
import type { Knex } from 'knex';
import { protectTenantTable, unprotectTenantTable } from './rls.ts';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('definition_drafts', (t) => {
    t.text('tenant_id').notNullable().references('tenants.id');
    t.text('key').notNullable();
    t.text('bpmn_xml').notNullable();
    t.text('updated_by');
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.primary(['tenant_id', 'key']);
  });
  await protectTenantTable(knex, 'definition_drafts');
}

export async function down(knex: Knex): Promise<void> {
  await unprotectTenantTable(knex, 'definition_drafts');
  await knex.schema.dropTable('definition_drafts');
}
