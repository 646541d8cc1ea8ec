// Business calendars (runtime-api/src/modules/calendars): a tenant's working hours per weekday in a
// time zone, its holidays and its make-up days (weekend dates worked, 调休). SLA due times and
// the ITSM modules' business days are counted on them. A tenant with no row `default` uses the
// built-in one (Monday to Friday, 09:00 to 18:00, in the tenant's zone).
import type { Knex } from 'knex';
import { protectTenantTable, unprotectTenantTable } from './rls.ts';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('itsm_calendars', (t) => {
    t.text('tenant_id').notNullable();
    t.text('id').notNullable();
    t.text('name').notNullable().defaultTo('');
    t.text('timezone').notNullable();
    /** `{ mon: [["09:00", "18:00"]], ... }` */
    t.jsonb('week').notNullable().defaultTo('{}');
    /** `["2026-10-01", ...]` */
    t.jsonb('holidays').notNullable().defaultTo('[]');
    t.jsonb('workdays').notNullable().defaultTo('[]');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.primary(['tenant_id', 'id']);
  });
  await protectTenantTable(knex, 'itsm_calendars');
}

export async function down(knex: Knex): Promise<void> {
  await unprotectTenantTable(knex, 'itsm_calendars');
  await knex.schema.dropTable('itsm_calendars');
}
