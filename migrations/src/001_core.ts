// Core schema: identity, definitions, instances and everything an instance waits for, history,
// faults and the outbox. Every tenant-owned row carries tenant_id. Statements run one at a
// time (knex-pglite runs one statement per call).
import type { Knex } from 'knex';

const now = (knex: Knex) => knex.fn.now();

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tenants', (t) => {
    t.text('id').primary();
    t.text('name').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(now(knex));
  });

  // Platform-wide settings (the token secret when none is configured); not tenant data.
  await knex.schema.createTable('settings', (t) => {
    t.text('key').primary();
    t.text('value').notNullable();
  });

  await knex.schema.createTable('users', (t) => {
    t.text('id').primary();
    t.text('tenant_id').notNullable().references('tenants.id');
    t.text('username').notNullable();
    t.text('display_name');
    t.text('password_hash').notNullable();
    t.jsonb('roles').notNullable().defaultTo('[]');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(now(knex));
    t.unique(['tenant_id', 'username']);
  });

  await knex.schema.createTable('groups', (t) => {
    t.text('tenant_id').notNullable().references('tenants.id');
    t.text('id').notNullable();
    t.text('name').notNullable();
    t.primary(['tenant_id', 'id']);
  });

  await knex.schema.createTable('user_groups', (t) => {
    t.text('tenant_id').notNullable();
    t.text('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('group_id').notNullable();
    t.primary(['tenant_id', 'user_id', 'group_id']);
    t.foreign(['tenant_id', 'group_id']).references(['tenant_id', 'id']).inTable('groups').onDelete('CASCADE');
  });

  await knex.schema.createTable('definitions', (t) => {
    t.text('id').primary();
    t.text('tenant_id').notNullable().references('tenants.id');
    t.text('key').notNullable();
    t.integer('version').notNullable();
    t.text('name');
    t.text('bpmn_xml').notNullable();
    t.text('checksum').notNullable();
    t.text('deployed_by');
    t.timestamp('deployed_at', { useTz: true }).notNullable();
    t.unique(['tenant_id', 'key', 'version']);
  });

  // Message, signal and timer start events of the latest version of each definition key.
  await knex.schema.createTable('start_events', (t) => {
    t.bigIncrements('id');
    t.text('tenant_id').notNullable();
    t.text('definition_id').notNullable().references('definitions.id');
    t.text('definition_key').notNullable();
    t.text('element_id').notNullable();
    t.text('kind').notNullable();
    t.text('name');
    t.index(['tenant_id', 'kind', 'name']);
    t.index(['tenant_id', 'definition_key']);
  });

  await knex.schema.createTable('instances', (t) => {
    t.text('id').primary();
    t.text('tenant_id').notNullable();
    t.text('definition_id').notNullable().references('definitions.id');
    t.text('definition_key').notNullable();
    t.integer('definition_version').notNullable();
    t.text('business_key');
    t.text('status').notNullable();
    t.jsonb('state').notNullable();
    // Optimistic concurrency: every step bumps it and writes only over the version it read.
    t.integer('version_no').notNullable().defaultTo(1);
    t.text('parent_instance_id');
    // Unique: a call activity starts at most one child, however often its outbox row is dispatched.
    t.text('parent_call_id').unique();
    t.text('root_instance_id').notNullable();
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.timestamp('ended_at', { useTz: true });
    t.index(['tenant_id', 'status']);
    t.index(['tenant_id', 'definition_key']);
    t.index(['tenant_id', 'business_key']);
    t.index(['parent_instance_id']);
  });

  await knex.schema.createTable('tasks', (t) => {
    t.text('id').primary();
    t.text('tenant_id').notNullable();
    t.text('instance_id').notNullable();
    t.text('element_id').notNullable();
    t.text('name');
    t.text('assignee');
    t.jsonb('candidate_groups').notNullable().defaultTo('[]');
    t.text('form_key');
    t.timestamp('due_at', { useTz: true });
    t.text('status').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('completed_at', { useTz: true });
    t.text('completed_by');
    t.index(['tenant_id', 'status']);
    t.index(['tenant_id', 'assignee']);
    t.index(['instance_id']);
  });

  await knex.schema.createTable('jobs', (t) => {
    t.text('id').primary();
    t.text('tenant_id').notNullable();
    t.text('instance_id').notNullable();
    t.text('element_id').notNullable();
    t.text('type').notNullable();
    // activatable | locked | completed | failed | cancelled
    t.text('status').notNullable();
    t.integer('retries').notNullable();
    t.jsonb('variables').notNullable().defaultTo('{}');
    t.text('lock_owner');
    t.timestamp('lock_expires_at', { useTz: true });
    t.text('error_message');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['tenant_id', 'type', 'status']);
    t.index(['instance_id']);
  });

  await knex.schema.createTable('timers', (t) => {
    t.text('id').primary();
    t.text('tenant_id').notNullable();
    // Null for a timer start event: it belongs to a definition, not an instance.
    t.text('instance_id');
    t.text('definition_id');
    t.text('element_id').notNullable();
    t.timestamp('due_at', { useTz: true }).notNullable();
    t.integer('repeat');
    t.text('every');
    // scheduled | fired | cancelled
    t.text('status').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['status', 'due_at']);
    t.index(['instance_id']);
  });

  await knex.schema.createTable('message_subscriptions', (t) => {
    t.text('id').primary();
    // Creation order, for "the oldest matching catch wins".
    t.bigIncrements('seq', { primaryKey: false });
    t.text('tenant_id').notNullable();
    t.text('instance_id').notNullable();
    t.text('element_id').notNullable();
    t.text('name').notNullable();
    t.text('correlation_key');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['tenant_id', 'name', 'correlation_key']);
    t.index(['instance_id']);
  });

  await knex.schema.createTable('signal_subscriptions', (t) => {
    t.text('id').primary();
    t.bigIncrements('seq', { primaryKey: false });
    t.text('tenant_id').notNullable();
    t.text('instance_id').notNullable();
    t.text('element_id').notNullable();
    t.text('name').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['tenant_id', 'name']);
    t.index(['instance_id']);
  });

  await knex.schema.createTable('history', (t) => {
    t.bigIncrements('id');
    t.text('tenant_id').notNullable();
    t.text('instance_id').notNullable();
    t.text('element_id').notNullable();
    t.text('element_type').notNullable();
    t.text('event').notNullable();
    t.text('element_instance_id');
    t.timestamp('at', { useTz: true }).notNullable();
    t.index(['instance_id', 'id']);
  });

  await knex.schema.createTable('faults', (t) => {
    t.text('id').primary();
    t.text('tenant_id').notNullable();
    t.text('instance_id').notNullable();
    t.text('element_id').notNullable();
    t.text('job_id');
    t.text('message').notNullable();
    // open | resolved
    t.text('status').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('resolved_at', { useTz: true });
    t.index(['tenant_id', 'status']);
    t.index(['instance_id']);
  });

  // Work that must happen after a step committed: follow-up steps (timers, call activities,
  // thrown messages and signals) and jobs. A row is dispatched in its own transaction that also
  // sets dispatched_at, so a crash between commit and dispatch loses nothing.
  await knex.schema.createTable('outbox', (t) => {
    t.bigIncrements('id');
    t.text('tenant_id').notNullable();
    t.text('instance_id');
    t.text('kind').notNullable();
    t.jsonb('payload').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    // Not before: a timer's due time, or a retry's backoff.
    t.timestamp('available_at', { useTz: true }).notNullable();
    t.timestamp('dispatched_at', { useTz: true });
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error');
  });
  await knex.raw('CREATE INDEX outbox_pending ON outbox (available_at, id) WHERE dispatched_at IS NULL');
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'outbox',
    'faults',
    'history',
    'signal_subscriptions',
    'message_subscriptions',
    'timers',
    'jobs',
    'tasks',
    'instances',
    'start_events',
    'definitions',
    'user_groups',
    'groups',
    'users',
    'settings',
    'tenants',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
