// Tickets: the records the ITSM flows run (incidents, requests, problems, changes, releases), their
// timeline, relations and watchers, the per-type number counters, and the tenant's ITSM settings.
//
// A ticket's state is written by the step of its process that entered the state (in the same
// transaction), so the columns here never disagree with the instance. Numbers come from
// `ticket_counters`: the row of (tenant, type) is locked by the create that draws from it, so 20
// concurrent creates get 20 consecutive numbers, and a create that rolls back gives its number
// back with it (no gap a user sees).
import type { Knex } from 'knex';
import { grantSequences, protectTenantTable, unprotectTenantTable } from './rls.ts';

const TABLES = ['tickets', 'ticket_timeline', 'ticket_relations', 'ticket_watchers', 'ticket_counters', 'itsm_settings'] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tickets', (t) => {
    t.text('id').primary();
    t.text('tenant_id').notNullable();
    t.text('number').notNullable();
    t.text('type').notNullable();
    t.text('state').notNullable();
    t.text('title').notNullable();
    t.text('description').notNullable().defaultTo('');
    t.smallint('priority').notNullable();
    t.smallint('impact').notNullable();
    t.smallint('urgency').notNullable();
    t.text('category');
    t.text('subcategory');
    t.text('symptom');
    t.text('ci_id');
    t.text('service_id');
    t.text('requester_id');
    t.text('assignee_id');
    t.text('assignment_group_id');
    t.text('parent_id');
    t.boolean('major').notNullable().defaultTo(false);
    t.text('catalog_item');
    t.text('change_type');
    t.text('risk');
    t.timestamp('planned_start', { useTz: true });
    t.timestamp('planned_end', { useTz: true });
    t.jsonb('affected_cis').notNullable().defaultTo('[]');
    t.text('hold_reason');
    t.timestamp('opened_at', { useTz: true }).notNullable();
    t.timestamp('responded_at', { useTz: true });
    t.timestamp('resolved_at', { useTz: true });
    t.timestamp('closed_at', { useTz: true });
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.text('close_code');
    t.text('resolution_notes');
    t.integer('reassignment_count').notNullable().defaultTo(0);
    t.integer('reopen_count').notNullable().defaultTo(0);
    t.integer('urge_count').notNullable().defaultTo(0);
    t.smallint('csat_score');
    t.text('csat_comment');
    t.timestamp('csat_at', { useTz: true });
    t.jsonb('fields').notNullable().defaultTo('{}');
    t.text('process_instance_id');
    t.integer('definition_version');
    /** Imported from another tool's export: no process runs it. */
    t.boolean('imported').notNullable().defaultTo(false);
    t.unique(['tenant_id', 'number']);
    t.index(['tenant_id', 'process_instance_id']);
    t.index(['tenant_id', 'parent_id']);
  });
  // The list's and the inbox's orders, each with the id as tie-breaker for keyset pagination.
  await knex.raw('CREATE INDEX tickets_by_opened ON tickets (tenant_id, opened_at DESC, id DESC)');
  await knex.raw('CREATE INDEX tickets_by_updated ON tickets (tenant_id, updated_at DESC, id DESC)');
  await knex.raw('CREATE INDEX tickets_by_priority ON tickets (tenant_id, priority, opened_at DESC, id DESC)');
  await knex.raw('CREATE INDEX tickets_by_requester ON tickets (tenant_id, requester_id, opened_at DESC)');
  await knex.raw('CREATE INDEX tickets_by_assignee ON tickets (tenant_id, assignee_id, state)');
  await knex.raw('CREATE INDEX tickets_by_group ON tickets (tenant_id, assignment_group_id, state)');
  await knex.raw('CREATE INDEX tickets_by_type_state ON tickets (tenant_id, type, state)');

  await knex.schema.createTable('ticket_timeline', (t) => {
    t.bigIncrements('id');
    t.text('tenant_id').notNullable();
    t.text('ticket_id').notNullable().references('tickets.id').onDelete('CASCADE');
    t.timestamp('at', { useTz: true }).notNullable();
    t.text('kind').notNullable();
    t.text('actor_id');
    t.text('actor_name');
    t.jsonb('data').notNullable().defaultTo('{}');
    t.index(['tenant_id', 'ticket_id', 'id']);
  });

  await knex.schema.createTable('ticket_relations', (t) => {
    t.text('tenant_id').notNullable();
    t.text('ticket_id').notNullable().references('tickets.id').onDelete('CASCADE');
    t.text('kind').notNullable();
    /** A ticket number, or a knowledge article's id for `solved_by`. */
    t.text('other').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.primary(['tenant_id', 'ticket_id', 'kind', 'other']);
    t.index(['tenant_id', 'other']);
  });

  await knex.schema.createTable('ticket_watchers', (t) => {
    t.text('tenant_id').notNullable();
    t.text('ticket_id').notNullable().references('tickets.id').onDelete('CASCADE');
    t.text('user_id').notNullable();
    t.primary(['tenant_id', 'ticket_id', 'user_id']);
    t.index(['tenant_id', 'user_id']);
  });

  await knex.schema.createTable('ticket_counters', (t) => {
    t.text('tenant_id').notNullable();
    t.text('type').notNullable();
    t.bigInteger('last').notNullable();
    t.primary(['tenant_id', 'type']);
  });

  await knex.schema.createTable('itsm_settings', (t) => {
    t.text('tenant_id').notNullable();
    t.text('name').notNullable();
    t.jsonb('value').notNullable();
    t.primary(['tenant_id', 'name']);
  });

  for (const table of TABLES) await protectTenantTable(knex, table);
  await grantSequences(knex);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [...TABLES].reverse()) {
    await unprotectTenantTable(knex, table);
    await knex.schema.dropTable(table);
  }
}
