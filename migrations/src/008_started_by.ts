// Who started each instance (the username; null for call-activity children, timer starts and
// instances older than this column): a requester reads only the instances they started.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('instances', (t) => {
    t.text('started_by');
    t.index(['tenant_id', 'started_by']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('instances', (t) => {
    t.dropIndex(['tenant_id', 'started_by']);
    t.dropColumn('started_by');
  });
}
