// The one schema for PostgreSQL and PGlite, as knex migrations listed in code: knex's own file
// loader cannot import TypeScript under tsx, and a fixed list makes the order explicit.
import type { Knex } from 'knex';
import * as core from './001_core.ts';
import * as tenancy from './002_tenancy.ts';
import * as drafts from './003_drafts.ts';
import * as forms from './004_forms.ts';
import * as expectations from './005_expectations.ts';
import * as attachmentOwner from './006_attachment_owner.ts';
import * as suspension from './007_suspension.ts';
import * as startedBy from './008_started_by.ts';
import * as userProfile from './009_user_profile.ts';
import * as tickets from './010_tickets.ts';
import * as catalog from './011_catalog.ts';
import * as calendars from './012_calendars.ts';
import * as sla from './013_sla.ts';
import * as notifications from './014_notifications.ts';
import * as channels from './015_channels.ts';
import * as ticketAttachments from './016_ticket_attachments.ts';

export { EXPECTATION_FAILED } from './005_expectations.ts';
export { DEFINITION_SUSPENDED_STATE } from './007_suspension.ts';
export { APP_ROLE, grantSequences, protectTenantTable, SYSTEM_ROLE, TENANT_SETTING } from './rls.ts';

export interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

const migrations: ReadonlyArray<readonly [string, Migration]> = [
  ['001_core', core],
  ['002_tenancy', tenancy],
  ['003_drafts', drafts],
  ['004_forms', forms],
  ['005_expectations', expectations],
  ['006_attachment_owner', attachmentOwner],
  ['007_suspension', suspension],
  ['008_started_by', startedBy],
  ['009_user_profile', userProfile],
  ['010_tickets', tickets],
  ['011_catalog', catalog],
  ['012_calendars', calendars],
  ['013_sla', sla],
  ['014_notifications', notifications],
  ['015_channels', channels],
  ['016_ticket_attachments', ticketAttachments],
];

/** Tables that belong to the platform, not to a tenant: no tenant_id, no row-level security, not readable by APP_ROLE. */
export const PLATFORM_TABLES = ['settings', 'knex_migrations', 'knex_migrations_lock'] as const;

/** Pass as `migrationSource` to `knex.migrate.latest()`. */
export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => migrations.map(([name]) => name),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const found = migrations.find(([n]) => n === name);
    if (!found) throw new Error(`unknown migration ${name}`);
    return found[1];
  },
};
