// Tenancy enforced by the database: row-level security on every tenant-owned table, the role the
// runtime runs as, and the two narrow views that read across tenants. Also what identity needs:
// tenant status and settings, account lockout, sessions with rotating refresh tokens, OIDC
// providers and logins, and the append-only audit log.
import type { Knex } from 'knex';
import { APP_ROLE, createRoles, currentSchema, grantSequences, protectTenantTable, SYSTEM_ROLE, unprotectTenantTable } from './rls.ts';

const now = (knex: Knex) => knex.fn.now();

/** Tenant-owned tables of 001_core. */
const CORE_TABLES = [
  'users',
  'groups',
  'user_groups',
  'definitions',
  'start_events',
  'instances',
  'tasks',
  'jobs',
  'timers',
  'message_subscriptions',
  'signal_subscriptions',
  'history',
  'faults',
  'outbox',
];

/** Tables added here, with what the runtime may do to them. The audit log is append-only. */
const NEW_TABLES: Array<[string, string]> = [
  ['sessions', 'SELECT, INSERT, UPDATE, DELETE'],
  ['refresh_tokens', 'SELECT, INSERT, UPDATE, DELETE'],
  ['identity_providers', 'SELECT, INSERT, UPDATE, DELETE'],
  ['oidc_logins', 'SELECT, INSERT, UPDATE, DELETE'],
  ['audit_log', 'SELECT, INSERT'],
];

/** What the outbox scheduling view shows of every tenant's rows: when and what, never the payload. */
const OUTBOX_QUEUE_COLUMNS = ['id', 'tenant_id', 'kind', 'available_at', 'dispatched_at', 'attempts'];
const TENANT_DIRECTORY_COLUMNS = ['id', 'name', 'status', 'created_at', 'updated_at'];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (t) => {
    // active | suspended | deleted (a deleted tenant keeps its row and audit log, so its id is never reused)
    t.text('status').notNullable().defaultTo('active');
    t.jsonb('settings').notNullable().defaultTo('{}');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(now(knex));
  });

  await knex.schema.alterTable('users', (t) => {
    t.boolean('disabled').notNullable().defaultTo(false);
    t.integer('failed_logins').notNullable().defaultTo(0);
    t.timestamp('locked_until', { useTz: true });
    // Users that sign in through an OIDC provider: which one, and their `sub` there.
    t.text('idp_id');
    t.text('idp_subject');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(now(knex));
  });
  await knex.raw('CREATE UNIQUE INDEX users_idp_subject ON users (tenant_id, idp_id, idp_subject) WHERE idp_id IS NOT NULL');

  await knex.schema.alterTable('groups', (t) => {
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(now(knex));
  });

  // A sign-in: access tokens name it (`sid`), so revoking it ends them at once.
  await knex.schema.createTable('sessions', (t) => {
    t.text('id').primary();
    t.text('tenant_id').notNullable();
    t.text('user_id').notNullable().references('users.id').onDelete('CASCADE');
    // password | oidc
    t.text('method').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    // Refresh tokens stop working then, however recently rotated.
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('last_used_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
    t.text('revoked_reason');
    t.index(['tenant_id', 'user_id']);
  });

  // Refresh tokens, stored as SHA-256 hashes. Each is used once: refreshing marks it used and
  // issues the next; presenting a used one again revokes the whole session (it was stolen).
  await knex.schema.createTable('refresh_tokens', (t) => {
    t.text('token_hash').primary();
    t.text('tenant_id').notNullable();
    t.text('session_id').notNullable().references('sessions.id').onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.index(['session_id']);
  });

  await knex.schema.createTable('identity_providers', (t) => {
    t.text('tenant_id').notNullable().references('tenants.id');
    t.text('id').notNullable();
    t.text('name').notNullable();
    t.text('issuer').notNullable();
    t.text('client_id').notNullable();
    // AES-256-GCM under the platform data key; never returned, logged or audited.
    t.text('client_secret_enc');
    t.text('scopes').notNullable();
    t.jsonb('claims').notNullable().defaultTo('{}');
    t.jsonb('role_mapping').notNullable().defaultTo('{}');
    t.jsonb('group_mapping').notNullable().defaultTo('{}');
    t.jsonb('default_roles').notNullable().defaultTo('[]');
    t.boolean('auto_create_users').notNullable().defaultTo(true);
    t.boolean('enabled').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.primary(['tenant_id', 'id']);
  });

  // One OIDC sign-in in flight: PKCE verifier and nonce stay here, never in the browser.
  await knex.schema.createTable('oidc_logins', (t) => {
    t.text('state').primary();
    t.text('tenant_id').notNullable();
    t.text('provider_id').notNullable();
    t.text('code_verifier').notNullable();
    t.text('nonce').notNullable();
    t.text('return_to');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    // Set by the callback when the browser goes back to `return_to` with a one-time code.
    t.text('user_id');
    t.text('exchange_hash');
    t.timestamp('completed_at', { useTz: true });
    t.index(['tenant_id', 'exchange_hash']);
  });

  // Who changed what, when, with the record before and after (secrets removed). Append-only:
  // the runtime may insert and read, never update or delete.
  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('seq');
    t.text('id').notNullable().unique();
    t.text('tenant_id').notNullable();
    t.timestamp('at', { useTz: true }).notNullable();
    t.text('actor_id');
    t.text('actor').notNullable();
    t.text('action').notNullable();
    t.text('target_type').notNullable();
    t.text('target_id');
    t.jsonb('before');
    t.jsonb('after');
    t.index(['tenant_id', 'seq']);
  });

  await createRoles(knex);

  for (const table of CORE_TABLES) await protectTenantTable(knex, table);
  for (const [table, privileges] of NEW_TABLES) await protectTenantTable(knex, table, { privileges });
  // The tenants table: a tenant sees its own row; creating tenant X happens inside tenant X.
  await protectTenantTable(knex, 'tenants', { column: 'id', privileges: 'SELECT, INSERT, UPDATE' });
  await grantSequences(knex);

  // The two cross-tenant reads, as views owned by SYSTEM_ROLE (a view reads with its owner's
  // rights): SYSTEM_ROLE may read these columns of these two tables and nothing else.
  // Handing a view to SYSTEM_ROLE needs it to hold CREATE on the schema, for that moment only.
  const schema = await currentSchema(knex);
  await knex.raw(`GRANT CREATE ON SCHEMA ${schema} TO ${SYSTEM_ROLE}`);
  await knex.raw(`GRANT SELECT (${OUTBOX_QUEUE_COLUMNS.join(', ')}) ON outbox TO ${SYSTEM_ROLE}`);
  await knex.raw(`CREATE POLICY system_queue_read ON outbox FOR SELECT TO ${SYSTEM_ROLE} USING (true)`);
  await knex.raw(`CREATE VIEW outbox_queue AS SELECT ${OUTBOX_QUEUE_COLUMNS.join(', ')} FROM outbox`);
  await knex.raw(`ALTER VIEW outbox_queue OWNER TO ${SYSTEM_ROLE}`);
  await knex.raw(`GRANT SELECT ON outbox_queue TO ${APP_ROLE}`);

  await knex.raw(`GRANT SELECT (${TENANT_DIRECTORY_COLUMNS.join(', ')}) ON tenants TO ${SYSTEM_ROLE}`);
  await knex.raw(`CREATE POLICY system_directory_read ON tenants FOR SELECT TO ${SYSTEM_ROLE} USING (true)`);
  await knex.raw(`CREATE VIEW tenant_directory AS SELECT ${TENANT_DIRECTORY_COLUMNS.join(', ')} FROM tenants`);
  await knex.raw(`ALTER VIEW tenant_directory OWNER TO ${SYSTEM_ROLE}`);
  await knex.raw(`GRANT SELECT ON tenant_directory TO ${APP_ROLE}`);
  await knex.raw(`REVOKE CREATE ON SCHEMA ${schema} FROM ${SYSTEM_ROLE}`);

  // Platform-wide settings (token secret, data key) are read at start-up by the migrating role only.
  await knex.raw(`REVOKE ALL ON settings FROM ${APP_ROLE}`);
  await knex.raw(`COMMENT ON TABLE settings IS 'platform secrets: not readable by ${APP_ROLE}'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP VIEW IF EXISTS tenant_directory');
  await knex.raw('DROP VIEW IF EXISTS outbox_queue');
  await knex.raw('DROP POLICY IF EXISTS system_directory_read ON tenants');
  await knex.raw('DROP POLICY IF EXISTS system_queue_read ON outbox');
  await knex.raw(`REVOKE ALL ON tenants FROM ${SYSTEM_ROLE}`);
  await knex.raw(`REVOKE ALL ON outbox FROM ${SYSTEM_ROLE}`);
  for (const table of [...CORE_TABLES, 'tenants']) await unprotectTenantTable(knex, table);
  for (const [table] of [...NEW_TABLES].reverse()) await knex.schema.dropTableIfExists(table);
  await knex.raw(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${await currentSchema(knex)} FROM ${APP_ROLE}`);
  await knex.raw('DROP INDEX IF EXISTS users_idp_subject');
  await knex.schema.alterTable('groups', (t) => t.dropColumn('created_at'));
  await knex.schema.alterTable('users', (t) => {
    for (const c of ['disabled', 'failed_logins', 'locked_until', 'idp_id', 'idp_subject', 'updated_at']) t.dropColumn(c);
  });
  await knex.schema.alterTable('tenants', (t) => {
    for (const c of ['status', 'settings', 'updated_at']) t.dropColumn(c);
  });
  // The roles stay: they belong to the cluster, and other databases on it may use them.
}
