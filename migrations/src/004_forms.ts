// Forms: a tenant's JSON-schema forms with an editable draft and immutable published versions,
// the form version a task pinned when it was created, the record of every submission (which
// version validated it), and uploaded attachments that form data references by id.
import type { Knex } from 'knex';
import { grantSequences, protectTenantTable, unprotectTenantTable } from './rls.ts';

/** New tables and what the runtime may do to them: published versions and submissions are never changed. */
const TABLES: Array<[string, string]> = [
  ['forms', 'SELECT, INSERT, UPDATE, DELETE'],
  ['form_versions', 'SELECT, INSERT'],
  ['form_submissions', 'SELECT, INSERT'],
  ['attachments', 'SELECT, INSERT, UPDATE, DELETE'],
];

export async function up(knex: Knex): Promise<void> {
  // One row per form key: the draft being edited (null once published and not edited since).
  await knex.schema.createTable('forms', (t) => {
    t.text('tenant_id').notNullable().references('tenants.id');
    t.text('key').notNullable();
    t.text('draft_name');
    // The name per language: { "en": "...", "zh-CN": "..." }.
    t.jsonb('draft_labels');
    t.jsonb('draft_schema');
    t.jsonb('draft_ui_schema');
    t.text('draft_updated_by');
    t.timestamp('draft_updated_at', { useTz: true });
    // 0 until the first publication.
    t.integer('latest_version').notNullable().defaultTo(0);
    t.text('created_by');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.primary(['tenant_id', 'key']);
  });

  await knex.schema.createTable('form_versions', (t) => {
    t.text('tenant_id').notNullable();
    t.text('form_key').notNullable();
    t.integer('version').notNullable();
    t.text('name').notNullable();
    t.jsonb('labels').notNullable().defaultTo('{}');
    t.jsonb('schema').notNullable();
    t.jsonb('ui_schema').notNullable().defaultTo('{}');
    t.text('checksum').notNullable();
    t.text('published_by');
    t.timestamp('published_at', { useTz: true }).notNullable();
    t.primary(['tenant_id', 'form_key', 'version']);
    t.foreign(['tenant_id', 'form_key']).references(['tenant_id', 'key']).inTable('forms');
  });

  // Every accepted submission: which form version validated which data, from whom, for what.
  await knex.schema.createTable('form_submissions', (t) => {
    t.bigIncrements('id');
    t.text('tenant_id').notNullable();
    t.text('form_key').notNullable();
    t.integer('form_version').notNullable();
    // start (instance start form) | task (task completion)
    t.text('kind').notNullable();
    t.text('instance_id').notNullable();
    t.text('task_id');
    t.jsonb('data').notNullable();
    t.text('submitted_by');
    t.timestamp('submitted_at', { useTz: true }).notNullable();
    t.index(['tenant_id', 'instance_id']);
    t.index(['tenant_id', 'form_key', 'form_version']);
  });

  // The form version a task pinned when it was created (null: its form had no published version).
  await knex.schema.alterTable('tasks', (t) => {
    t.integer('form_version');
  });

  // Uploaded files. Bound to the task (or instance) they were uploaded for, or, uploaded for a
  // start form, to the instance its submission started; until then only the uploader sees them.
  await knex.schema.createTable('attachments', (t) => {
    t.text('id').primary();
    t.text('tenant_id').notNullable();
    t.text('filename').notNullable();
    t.text('content_type').notNullable();
    t.integer('size').notNullable();
    t.text('sha256').notNullable();
    t.binary('data').notNullable();
    t.text('uploaded_by').notNullable();
    t.timestamp('uploaded_at', { useTz: true }).notNullable();
    t.text('task_id');
    t.text('instance_id');
    t.index(['tenant_id', 'instance_id']);
  });

  for (const [table, privileges] of TABLES) await protectTenantTable(knex, table, { privileges });
  await grantSequences(knex);
}

export async function down(knex: Knex): Promise<void> {
  for (const [table] of [...TABLES].reverse()) await unprotectTenantTable(knex, table);
  await knex.schema.dropTable('attachments');
  await knex.schema.alterTable('tasks', (t) => t.dropColumn('form_version'));
  await knex.schema.dropTable('form_submissions');
  await knex.schema.dropTable('form_versions');
  await knex.schema.dropTable('forms');
}
