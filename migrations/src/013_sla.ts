// SLA policies and records (runtime-api/src/modules/sla), and the tickets' SLA snapshot.
//
// `sla_policies` are a tenant's policies (deleted defaults stay, marked, so that they are not
// seeded again). `sla_records` is one policy's clock on one ticket: business time spent while
// running (`elapsed_ms`, plus the running segment from `segment_start`), business time paused
// (`paused_ms`, plus the pause from `paused_since`), the thresholds already warned, and
// `generation`, bumped whenever its timers are rescheduled: a timer of an older generation is
// ignored when it fires.
//
// The tickets gain the snapshot the SLA module keeps on them (`sla`, `sla_due_at` of the next
// running record, `sla_breached`, `sla_at_risk_at`: when the earliest running record passes its
// last warning threshold), so that the tickets' list filters and sorts without reading SLA tables.
// Groups gain `manager_id` (the `groupManager` of a breach), if no other migration added it.
import type { Knex } from 'knex';
import { protectTenantTable, unprotectTenantTable } from './rls.ts';

const TABLES = ['sla_policies', 'sla_records'] as const;

export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasColumn('groups', 'manager_id'))) {
    await knex.schema.alterTable('groups', (t) => {
      t.text('manager_id');
    });
  }

  await knex.schema.createTable('sla_policies', (t) => {
    t.text('tenant_id').notNullable();
    t.text('id').notNullable();
    t.text('name').notNullable();
    t.text('ticket_type').notNullable();
    /** response | resolution */
    t.text('kind').notNullable();
    t.text('condition').notNullable();
    /** ISO duration of business time */
    t.text('target').notNullable();
    t.text('calendar');
    t.jsonb('pause_states').notNullable();
    t.jsonb('warn_at').notNullable();
    t.jsonb('on_breach').notNullable();
    t.boolean('deleted').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.primary(['tenant_id', 'id']);
  });

  await knex.schema.createTable('sla_records', (t) => {
    t.text('tenant_id').notNullable();
    t.text('id').notNullable();
    t.text('ticket_id').notNullable();
    t.text('ticket_number').notNullable();
    t.text('policy_id').notNullable();
    t.text('kind').notNullable();
    t.text('target').notNullable();
    t.bigInteger('target_ms').notNullable();
    t.text('calendar');
    t.jsonb('pause_states').notNullable();
    t.jsonb('warn_at').notNullable();
    t.jsonb('on_breach').notNullable();
    t.timestamp('started_at', { useTz: true }).notNullable();
    /** running | paused | stopped (resolved or responded) | cancelled */
    t.text('phase').notNullable();
    t.timestamp('segment_start', { useTz: true });
    t.bigInteger('elapsed_ms').notNullable().defaultTo(0);
    t.timestamp('paused_since', { useTz: true });
    t.bigInteger('paused_ms').notNullable().defaultTo(0);
    t.timestamp('due_at', { useTz: true }).notNullable();
    t.boolean('breached').notNullable().defaultTo(false);
    t.timestamp('stopped_at', { useTz: true });
    t.jsonb('warned').notNullable().defaultTo('[]');
    t.integer('generation').notNullable().defaultTo(0);
    /** Who a warning or breach is for, as the ticket last said. */
    t.text('assignee_id');
    t.text('assignment_group_id');
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.primary(['tenant_id', 'id']);
    t.index(['tenant_id', 'ticket_id']);
  });

  await knex.schema.alterTable('tickets', (t) => {
    t.jsonb('sla').notNullable().defaultTo('[]');
    /** Far in the future (9999) when nothing runs: the list sorts and pages on it without nulls. */
    t.timestamp('sla_due_at', { useTz: true }).notNullable().defaultTo('9999-12-31T00:00:00Z');
    t.boolean('sla_breached').notNullable().defaultTo(false);
    t.timestamp('sla_at_risk_at', { useTz: true });
    t.index(['tenant_id', 'sla_due_at', 'id'], 'tickets_sla_due_idx');
    t.index(['tenant_id', 'sla_breached'], 'tickets_sla_breached_idx');
  });

  for (const table of TABLES) await protectTenantTable(knex, table);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tickets', (t) => {
    t.dropIndex([], 'tickets_sla_due_idx');
    t.dropIndex([], 'tickets_sla_breached_idx');
    t.dropColumns('sla', 'sla_due_at', 'sla_breached', 'sla_at_risk_at');
  });
  for (const table of [...TABLES].reverse()) {
    await unprotectTenantTable(knex, table);
    await knex.schema.dropTable(table);
  }
  // groups.manager_id stays: another migration may own it.
}
