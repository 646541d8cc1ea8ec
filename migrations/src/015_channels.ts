// Notification channels and their deliveries (runtime-api/src/modules/channels).
//
// `itsm_channels` are the tenant's outbound channels (SMTP, chat robots, webhooks). What may be
// shown is in `config`; whatever opens a door (the URL with its token, the signing secret, the
// SMTP password) is in `secrets`, sealed under the platform data key with the row bound in.
// `itsm_deliveries` is one row per delivery (one `notification.send` to one channel), updated by
// each attempt: its key makes a redelivered event or attempt a no-op.
import type { Knex } from 'knex';
import { protectTenantTable, unprotectTenantTable } from './rls.ts';

const TABLES = ['itsm_channels', 'itsm_deliveries'] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('itsm_channels', (t) => {
    t.text('tenant_id').notNullable();
    t.text('id').notNullable();
    /** email | dingtalk | wecom | slack | teams | webhook */
    t.text('kind').notNullable();
    /** What the API shows: `{ host, port, secure, user, from }` or `{ url }` with its tokens masked. */
    t.jsonb('config').notNullable().defaultTo('{}');
    /** Sealed JSON `{ url?, secret?, password? }` (platform/auth/sealed.ts). */
    t.text('secrets');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.primary(['tenant_id', 'id']);
  });

  await knex.schema.createTable('itsm_deliveries', (t) => {
    t.text('tenant_id').notNullable();
    t.text('id').notNullable();
    /** The sender's idempotency key (`notification.send`'s deliveryKey). */
    t.text('delivery_key').notNullable();
    t.text('channel').notNullable();
    t.text('ticket');
    t.text('event').notNullable();
    /** sent | failed | retrying | blocked */
    t.text('status').notNullable();
    /** The last attempt made, from 1. */
    t.integer('attempt').notNullable();
    t.text('error');
    t.timestamp('next_attempt_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.primary(['tenant_id', 'id']);
    t.unique(['tenant_id', 'delivery_key']);
    t.index(['tenant_id', 'created_at']);
    t.index(['tenant_id', 'ticket']);
  });

  for (const table of TABLES) await protectTenantTable(knex, table);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [...TABLES].reverse()) {
    await unprotectTenantTable(knex, table);
    await knex.schema.dropTable(table);
  }
}
