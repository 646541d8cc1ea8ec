// Attachments owned by user id, and stored in chunks.
//
// Ownership: `owner_id` names the uploading user by id. A username is only a label: a user deleted
// and a new one given the same name must not inherit the old one's files. Existing rows are
// backfilled from `uploaded_by` where that user still exists; the rest keep no owner (only those
// who may see their task or instance reach them).
//
// Storage: the content moves to `attachment_chunks`, 256 KiB per row, each written in its own
// short transaction while the upload streams in. One bytea of 10 MiB in one statement held
// PGlite's single connection for seconds (every other tenant waited); chunks keep every statement
// short and need no shared disk between servers. `status` is 'uploading' until the last chunk is
// in, then 'stored'; the size of an uploading row is the bytes it reserved against the quotas.
import type { Knex } from 'knex';
import { protectTenantTable, unprotectTenantTable } from './rls.ts';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('attachments', (t) => {
    t.text('owner_id');
    t.text('status').notNullable().defaultTo('stored');
    t.index(['tenant_id', 'owner_id']);
  });

  await knex.schema.createTable('attachment_chunks', (t) => {
    t.text('tenant_id').notNullable();
    t.text('attachment_id').notNullable().references('attachments.id').onDelete('CASCADE');
    t.integer('seq').notNullable();
    t.binary('data').notNullable();
    t.primary(['attachment_id', 'seq']);
  });

  // The schema owner is held to row-level security too (FORCE): let it through for the data move.
  await withoutForcedRls(knex, ['attachments', 'users'], async () => {
    await knex.raw(`UPDATE attachments a SET owner_id = u.id
                      FROM users u WHERE u.tenant_id = a.tenant_id AND u.username = a.uploaded_by`);
    // Each existing file becomes one chunk: readers take chunks in order, whatever their size.
    await knex.raw('INSERT INTO attachment_chunks (tenant_id, attachment_id, seq, data) SELECT tenant_id, id, 0, data FROM attachments');
  });
  await knex.schema.alterTable('attachments', (t) => t.dropColumn('data'));

  // Chunks are written once and deleted with their attachment, never changed.
  await protectTenantTable(knex, 'attachment_chunks', { privileges: 'SELECT, INSERT, DELETE' });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('attachments', (t) => t.binary('data'));
  await withoutForcedRls(knex, ['attachments', 'attachment_chunks'], async () => {
    await knex.raw(`DELETE FROM attachments WHERE status <> 'stored'`);
    await knex.raw(`UPDATE attachments a SET data = (SELECT string_agg(c.data, ''::bytea ORDER BY c.seq)
                      FROM attachment_chunks c WHERE c.attachment_id = a.id)`);
    await knex.raw(`UPDATE attachments SET data = ''::bytea WHERE data IS NULL`);
  });
  await knex.schema.alterTable('attachments', (t) => t.dropNullable('data'));
  await unprotectTenantTable(knex, 'attachment_chunks');
  await knex.schema.dropTable('attachment_chunks');
  await knex.schema.alterTable('attachments', (t) => {
    t.dropIndex(['tenant_id', 'owner_id']);
    t.dropColumn('owner_id');
    t.dropColumn('status');
  });
}

async function withoutForcedRls(knex: Knex, tables: string[], fn: () => Promise<void>): Promise<void> {
  for (const table of tables) await knex.raw(`ALTER TABLE "${table}" NO FORCE ROW LEVEL SECURITY`);
  await fn();
  for (const table of tables) await knex.raw(`ALTER TABLE "${table}" FORCE ROW LEVEL SECURITY`);
}
