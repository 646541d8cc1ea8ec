// Production hardening on PostgreSQL: the runtime logs in as a role that owns nothing and is only a
// member of serviceloom_app (DATABASE_URL), while migrations run as the owner (DATABASE_OWNER_URL).
// Then even a session that resets its role stays under row-level security: no code path in the
// process can read another tenant's rows. Needs DATABASE_URL to be a superuser's (to create the role).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, integrationDatabaseUrl, PASSWORD, startServer, type TestServer } from './helpers.ts';

const ownerUrl = integrationDatabaseUrl();
const role = `sl_runtime_${randomUUID().slice(0, 8)}`;

describe.skipIf(!ownerUrl)('a runtime login role that owns nothing (PostgreSQL)', () => {
  let s: TestServer;
  let runtimeUrl: string;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: ownerUrl });
    await c.connect();
    try {
      return await c.query(sql);
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    // The migrations create serviceloom_app; a first server run on the owner URL makes sure of it.
    const first = await startServer({ databaseUrl: ownerUrl });
    await first.app.close();
    await admin(`CREATE ROLE ${role} LOGIN PASSWORD 'runtime-password' NOSUPERUSER NOBYPASSRLS IN ROLE serviceloom_app`);
    const url = new URL(ownerUrl as string);
    url.username = role;
    url.password = 'runtime-password';
    runtimeUrl = url.toString();
    s = await startServer({ databaseUrl: runtimeUrl, databaseOwnerUrl: ownerUrl });
  });
  afterAll(async () => {
    await s?.app.close();
    await admin(`DROP OWNED BY ${role}`).catch(() => {});
    await admin(`DROP ROLE IF EXISTS ${role}`);
  });

  it('serves as usual', async () => {
    const signedIn = await as(s.app, undefined)('POST', '/api/v1/auth/login', { tenant: 'demo', username: 'agent1', password: PASSWORD });
    expect(signedIn.status).toBe(200);
    expect((await as(s.app, signedIn.body.token)('GET', '/api/v1/definitions')).status).toBe(200);
  });

  it('sees no tenant rows even after RESET ROLE, and cannot read the platform secrets', async () => {
    const c = new pg.Client({ connectionString: runtimeUrl });
    await c.connect();
    try {
      await c.query('RESET ROLE');
      expect((await c.query('SELECT current_user AS u')).rows[0].u).toBe(role);
      expect((await c.query('SELECT count(*)::int AS n FROM users')).rows[0].n).toBe(0);
      expect((await c.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n).toBe(0);
      await expect(c.query('SELECT * FROM settings')).rejects.toThrow(/permission denied/);
      await expect(c.query('ALTER TABLE users DISABLE ROW LEVEL SECURITY')).rejects.toThrow(/must be owner/);
      await c.query('BEGIN');
      await c.query("SELECT set_config('serviceloom.tenant', 'demo', true)");
      expect((await c.query('SELECT count(*)::int AS n FROM users')).rows[0].n).toBeGreaterThan(0);
      expect((await c.query("SELECT count(*)::int AS n FROM users WHERE tenant_id <> 'demo'")).rows[0].n).toBe(0);
      await c.query('ROLLBACK');
    } finally {
      await c.end();
    }
  });
});
