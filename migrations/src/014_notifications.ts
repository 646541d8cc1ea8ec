// Notifications (runtime-api/src/modules/notifications).
//
// `notifications` is a person's in-app inbox: one row per recipient and message, read or not.
// `notification_rules` are the tenant's rules (event, FEEL condition, channel, recipients, template);
// `notification_templates` the tenant's own wording of an event's default message (the module's
// built-in wording applies to an event without one).
import type { Knex } from 'knex';
import { protectTenantTable, unprotectTenantTable } from './rls.ts';

const TABLES = ['notifications', 'notification_rules', 'notification_templates'] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('notifications', (t) => {
    t.text('tenant_id').notNullable();
    t.text('id').notNullable();
    t.text('user_id').notNullable();
    t.text('event').notNullable();
    /** The ticket number, if the notification is about a ticket. */
    t.text('ticket');
    t.text('title').notNullable();
    t.text('body').notNullable();
    t.boolean('read').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.primary(['tenant_id', 'id']);
    t.index(['tenant_id', 'user_id', 'created_at']);
  });

  await knex.schema.createTable('notification_rules', (t) => {
    t.text('tenant_id').notNullable();
    t.text('id').notNullable();
    t.text('event').notNullable();
    t.text('condition');
    t.text('channel').notNullable();
    t.jsonb('recipients').notNullable().defaultTo('[]');
    /** `{ en?: { subject, body }, 'zh-CN'?: { subject, body } }`, or null for the event's default. */
    t.jsonb('template');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.primary(['tenant_id', 'id']);
    t.index(['tenant_id', 'event']);
  });

  await knex.schema.createTable('notification_templates', (t) => {
    t.text('tenant_id').notNullable();
    t.text('event').notNullable();
    t.jsonb('template').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.primary(['tenant_id', 'event']);
  });

  for (const table of TABLES) await protectTenantTable(knex, table);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [...TABLES].reverse()) {
    await unprotectTenantTable(knex, table);
    await knex.schema.dropTable(table);
  }
}
