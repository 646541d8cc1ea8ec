// Row-level security, checked in the database itself, on PGlite (rls.test.ts) and PostgreSQL
// (rls.integration.test.ts). Tables come from the catalogue, not from a list: a table added later
// without tenant_id, RLS and its policy fails here. With two tenants' data of every kind in place:
// a connection that names no tenant reads zero rows from every tenant-owned table; one that names
// tenant A reads only A's rows and cannot write B's; the runtime role cannot bypass any of it.
import { PLATFORM_TABLES } from '@serviceloom/migrations';
import { expect, it } from 'vitest';
import { asOwner, inTenant, type TestServer } from './helpers.ts';
import { createTenantWithData, type TenantData } from './tenant-fixture.ts';

type Rows<T> = { rows: T[] };

/**
 * Tables tenant-fixture.ts puts rows in for both tenants: for these, "zero rows" is checked against
 * rows that exist. Any other tenant table still has to pass the policy checks and read zero rows.
 */
const POPULATED = [
  'tenants',
  'users',
  'groups',
  'user_groups',
  'sessions',
  'refresh_tokens',
  'identity_providers',
  'oidc_logins',
  'audit_log',
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
  'forms',
  'form_versions',
  'attachments',
];

export function rlsSuite(server: () => TestServer): void {
  let a: TenantData;
  let b: TenantData;
  let tables: string[] = [];
  const app = () => server().app;
  const tenantColumn = (table: string) => (table === 'tenants' ? 'id' : 'tenant_id');
  const count = async (q: Promise<Array<{ n: number | string }>>) => Number((await q)[0]?.n);

  it('sets up two tenants with data of every kind', async () => {
    a = await createTenantWithData(server(), `rlsa${Date.now().toString(36)}`);
    b = await createTenantWithData(server(), `rlsb${Date.now().toString(36)}`);
    const { rows } = (await asOwner(app(), (tx) =>
      tx.raw(`SELECT table_name AS name FROM information_schema.tables
               WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`),
    )) as Rows<{ name: string }>;
    tables = rows.map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['tenants', 'users', 'instances', 'outbox', 'audit_log', 'sessions']));
  });

  it('runs every runtime connection as serviceloom_app, which is no superuser, cannot log in and cannot bypass RLS', async () => {
    const { rows } = (await app().db.raw('SELECT current_user AS role')) as Rows<{ role: string }>;
    expect(rows[0]?.role).toBe('serviceloom_app');
    const roles = (await asOwner(app(), (tx) =>
      tx.raw(
        `SELECT rolname, rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname IN ('serviceloom_app', 'serviceloom_system')`,
      ),
    )) as Rows<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean; rolcanlogin: boolean }>;
    expect(roles.rows).toHaveLength(2);
    for (const r of roles.rows) expect(r, r.rolname).toMatchObject({ rolsuper: false, rolbypassrls: false, rolcanlogin: false });
  });

  it('puts every table that is not a platform table under forced row-level security with a tenant policy', async () => {
    const { rows } = (await asOwner(app(), (tx) =>
      tx.raw(`SELECT c.relname AS name, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
                     EXISTS (SELECT 1 FROM information_schema.columns k WHERE k.table_schema = n.nspname AND k.table_name = c.relname AND k.column_name = 'tenant_id') AS has_tenant,
                     (SELECT string_agg(p.qual, ' ') FROM pg_policies p WHERE p.schemaname = n.nspname AND p.tablename = c.relname AND 'serviceloom_app' = ANY (p.roles)) AS app_policy
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relkind = 'r'`),
    )) as Rows<{ name: string; rls: boolean; forced: boolean; has_tenant: boolean; app_policy: string | null }>;
    expect(rows.map((r) => r.name).sort()).toEqual([...tables].sort());
    for (const t of rows) {
      if ((PLATFORM_TABLES as readonly string[]).includes(t.name)) continue;
      expect(t.has_tenant || t.name === 'tenants', `${t.name} has a tenant_id column`).toBe(true);
      expect(t.rls && t.forced, `${t.name} has forced row-level security`).toBe(true);
      expect(t.app_policy ?? '', `${t.name} has a policy for serviceloom_app on the tenant setting`).toContain('serviceloom.tenant');
    }
  });

  it('shows a connection that names no tenant zero rows of every tenant-owned table, and no platform table at all', async () => {
    for (const table of tables) {
      if ((PLATFORM_TABLES as readonly string[]).includes(table)) {
        await expect(app().db(table).count('* as n'), table).rejects.toThrow(/permission denied/);
        continue;
      }
      if (POPULATED.includes(table)) {
        const present = await inTenant(app(), a.tenant, (tx) => count(tx(table).count('* as n')));
        expect(present, `tenant-fixture.ts should make rows of ${table}`).toBeGreaterThan(0);
      }
      // A query that forgot its tenant: straight on the pool, and in a transaction that names none.
      expect(await count(app().db(table).count('* as n')), `${table}, no transaction`).toBe(0);
      expect(await app().services.transactions.run((work) => count(work.tx(table).count('* as n'))), `${table}, no tenant`).toBe(0);
    }
  });

  it("shows a connection that names tenant A only A's rows", async () => {
    for (const table of tables) {
      if ((PLATFORM_TABLES as readonly string[]).includes(table)) continue;
      const column = tenantColumn(table);
      const [mine, foreign] = await app().services.transactions.read(a.tenant, async (tx) => [
        await count(tx(table).where(column, a.tenant).count('* as n')),
        await count(tx(table).whereNot(column, a.tenant).count('* as n')),
      ]);
      expect(foreign, `${table}: rows of other tenants`).toBe(0);
      if (POPULATED.includes(table)) expect(mine, `${table}: A's own rows`).toBeGreaterThan(0);
    }
  });

  it("refuses tenant A's writes to tenant B's rows, and rows labelled with B", async () => {
    await expect(
      app().services.transactions.read(a.tenant, (tx) => tx('groups').insert({ tenant_id: b.tenant, id: 'planted', name: 'planted' })),
    ).rejects.toThrow(/row-level security/);
    await expect(
      app().services.transactions.read(a.tenant, (tx) => tx('users').where({ id: a.userId }).update({ tenant_id: b.tenant })),
    ).rejects.toThrow(/row-level security/);
    const touched = await app().services.transactions.read(a.tenant, async (tx) => ({
      updated: await tx('users').where({ id: b.userId }).update({ display_name: 'taken over' }),
      deleted: (await tx('groups').where({ id: b.groupId }).delete().returning('id')).length,
    }));
    expect(touched).toEqual({ updated: 0, deleted: 0 });
    const bUser = await inTenant(app(), b.tenant, (tx) => tx('users').where({ id: b.userId }).first());
    expect(bUser.display_name).not.toBe('taken over');
  });

  it('keeps the audit log append-only and the platform secrets out of reach', async () => {
    await expect(app().services.transactions.read(a.tenant, (tx) => tx('audit_log').update({ actor: 'nobody' }))).rejects.toThrow(
      /permission denied/,
    );
    await expect(app().services.transactions.read(a.tenant, (tx) => tx('audit_log').delete())).rejects.toThrow(/permission denied/);
    await expect(app().services.transactions.read(a.tenant, (tx) => tx('settings').select())).rejects.toThrow(/permission denied/);
  });

  it('lets the runtime read across tenants only the outbox scheduling columns and the tenant directory', async () => {
    const queue = await app().db('outbox_queue').select();
    expect(queue.some((r: { tenant_id: string }) => r.tenant_id === a.tenant)).toBe(true);
    expect(queue.some((r: { tenant_id: string }) => r.tenant_id === b.tenant)).toBe(true);
    expect(Object.keys(queue[0]).sort()).toEqual(['attempts', 'available_at', 'dispatched_at', 'id', 'kind', 'tenant_id']);
    const directory = await app().db('tenant_directory').select();
    expect(Object.keys(directory[0]).sort()).toEqual(['created_at', 'id', 'name', 'status', 'updated_at']);
    // The views are read-only.
    await expect(app().db('outbox_queue').update({ attempts: 0 })).rejects.toThrow(/permission denied/);
    await expect(app().db('tenant_directory').update({ name: 'x' })).rejects.toThrow(/permission denied/);
  });
}
