// The service catalog and approvals (runtime-api/src/modules/catalog).
//
// `catalog_items` are the tenant's orderable items with their approval chain (deleted items stay,
// marked, so that requests raised from them keep their chain and the defaults are not seeded
// again). `approval_runs` is one chain run for one ticket (the steps as they were when the ticket
// entered approval, and the step in progress); `approvals` is one person's decision in a run.
//
// Users gain `manager_id` (their manager, a user id): the approver of a manager step and of an
// escalation. Migration 009 adds it too; whichever runs first adds it, the other leaves it.
import type { Knex } from 'knex';
import { protectTenantTable, unprotectTenantTable } from './rls.ts';

const TABLES = ['catalog_items', 'approval_runs', 'approvals'] as const;

export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasColumn('users', 'manager_id'))) {
    await knex.schema.alterTable('users', (t) => {
      t.text('manager_id');
    });
  }

  await knex.schema.createTable('catalog_items', (t) => {
    t.text('tenant_id').notNullable();
    t.text('key').notNullable();
    /** `{ en, 'zh-CN'? }` */
    t.jsonb('name').notNullable();
    t.text('category').notNullable();
    t.jsonb('description').notNullable();
    t.text('form_key');
    t.jsonb('approval').notNullable().defaultTo('[]');
    t.text('fulfilment_group');
    t.boolean('deleted').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.primary(['tenant_id', 'key']);
  });

  await knex.schema.createTable('approval_runs', (t) => {
    t.text('tenant_id').notNullable();
    t.text('id').notNullable();
    t.text('ticket').notNullable();
    t.text('title').notNullable();
    t.text('instance_id').notNullable();
    t.text('requester_id');
    /** The steps that apply, in order: `{ step, kind, group?, policy: all | any }`. */
    t.jsonb('steps').notNullable();
    /** Index into `steps` of the step in progress. */
    t.integer('current').notNullable().defaultTo(0);
    /** running | approved | rejected | cancelled */
    t.text('state').notNullable();
    /** What `ticket.approved` gives the flow. */
    t.jsonb('outcome').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.primary(['tenant_id', 'id']);
    t.index(['tenant_id', 'ticket']);
  });

  await knex.schema.createTable('approvals', (t) => {
    t.text('tenant_id').notNullable();
    t.text('id').notNullable();
    t.text('run_id').notNullable();
    t.text('ticket').notNullable();
    /** The step's position in the item's approval list, from 1. */
    t.integer('step').notNullable();
    t.text('approver_id').notNullable();
    /** requested | approved | rejected | escalated | cancelled */
    t.text('state').notNullable();
    t.timestamp('requested_at', { useTz: true }).notNullable();
    t.timestamp('decided_at', { useTz: true });
    t.timestamp('reminded_at', { useTz: true });
    t.text('comment');
    t.text('escalated_from');
    t.primary(['tenant_id', 'id']);
    t.foreign(['tenant_id', 'run_id']).references(['tenant_id', 'id']).inTable('approval_runs').onDelete('CASCADE');
    t.index(['tenant_id', 'approver_id', 'state']);
    t.index(['tenant_id', 'run_id']);
  });

  for (const table of TABLES) await protectTenantTable(knex, table);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [...TABLES].reverse()) {
    await unprotectTenantTable(knex, table);
    await knex.schema.dropTable(table);
  }
  // users.manager_id stays: migration 009 may own it.
}
