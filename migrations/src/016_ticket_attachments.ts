// Files on a ticket (runtime-api/src/modules/tickets/attachments.ts): the forms' attachments
// (`attachments`, uploaded through `POST /attachments`) linked to a ticket. Whoever sees the ticket
// may list and download them; the link, not the file's uploader, decides.
import type { Knex } from 'knex';
import { protectTenantTable, unprotectTenantTable } from './rls.ts';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ticket_attachments', (t) => {
    t.text('tenant_id').notNullable();
    t.text('ticket_id').notNullable();
    t.text('attachment_id').notNullable();
    /** The user who linked it (a user id). */
    t.text('added_by').notNullable();
    t.timestamp('added_at', { useTz: true }).notNullable();
    t.primary(['tenant_id', 'ticket_id', 'attachment_id']);
    t.index(['tenant_id', 'attachment_id']);
  });
  await protectTenantTable(knex, 'ticket_attachments');
}

export async function down(knex: Knex): Promise<void> {
  await unprotectTenantTable(knex, 'ticket_attachments');
  await knex.schema.dropTable('ticket_attachments');
}
