// The PostgreSQL connection pipeline (src/db/pipeline.ts), through the runtime's own Transactions
// on connections set up as the server's are: a transaction's BEGIN and tenant go out with its
// first statement and hold for all of it; a one-statement read is scoped and leaves nothing
// behind; a batch fails with its own first error and leaves the connection usable; statements
// are prepared once per connection. PostgreSQL only (skipped without DATABASE_URL: PGlite has no
// round trips and runs none of this).
import { APP_ROLE, TENANT_SETTING } from '@serviceloom/migrations';
import type { Knex } from 'knex';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStatements } from '../src/platform/db/batch.ts';
import { postgresKnex } from '../src/platform/db/connect.ts';
import { sendTogether, setPrelude } from '../src/platform/db/pipeline.ts';
import { Transactions } from '../src/platform/db/transactions.ts';
import { integrationDatabaseUrl } from './helpers.ts';

const databaseUrl = integrationDatabaseUrl();
const clock = { now: () => Date.parse('2026-03-04T05:06:07Z') };

describe.skipIf(!databaseUrl)('the PostgreSQL pipeline (skipped without DATABASE_URL)', () => {
  let db: Knex;
  let transactions: Transactions;
  const setting = (q: Knex | Knex.Transaction) =>
    q.raw('SELECT current_setting(?, true) AS tenant, current_user AS role', [TENANT_SETTING]).then((r) => r.rows[0]);

  beforeAll(() => {
    // One connection: whatever a transaction leaves behind, the next one meets.
    db = postgresKnex(databaseUrl as string, 1);
    transactions = new Transactions(db, clock as never);
  });
  afterAll(() => db?.destroy());

  it('opens every transaction in its tenant and role, and leaves neither on the connection', async () => {
    const inside = await transactions.withTenant('tenant-a', async (work) => {
      const first = await setting(work.tx);
      const second = await setting(work.tx);
      return [first, second];
    });
    expect(inside).toEqual([
      { tenant: 'tenant-a', role: APP_ROLE },
      { tenant: 'tenant-a', role: APP_ROLE },
    ]);
    const after = await setting(db);
    expect(after.tenant === '' || after.tenant === null).toBe(true);
    expect(after.role).not.toBe(APP_ROLE);
  });

  it('runs a transaction that sends nothing, and one that fails, without leaving it open', async () => {
    await transactions.withTenant('tenant-a', async () => 'nothing sent');
    await expect(
      transactions.withTenant('tenant-a', async (work) => {
        await work.tx.raw('SELECT 1/0');
      }),
    ).rejects.toMatchObject({ code: '22012' });
    const status = await db.raw('SELECT now() = statement_timestamp() AS outside');
    // now() is the transaction's start: equal to the statement's only outside a transaction block.
    expect(status.rows[0].outside).toBe(true);
  });

  it('scopes a one-statement read to its tenant, in a transaction of its own', async () => {
    const rows = await transactions.rows<{ tenant: string }>('tenant-b', (q) =>
      q.select(q.raw('current_setting(?, true) AS tenant', [TENANT_SETTING])),
    );
    expect(rows).toEqual([{ tenant: 'tenant-b' }]);
    const after = await setting(db);
    expect(after.tenant === '' || after.tenant === null).toBe(true);
  });

  it('fails a batch with its first error, in order, and the connection works on', async () => {
    await expect(
      transactions.withTenant('tenant-a', async (work) => {
        await work.tx.raw('CREATE TEMP TABLE pipeline_probe (id int PRIMARY KEY) ON COMMIT DROP');
        await runStatements(work.tx, [
          work.tx('pipeline_probe').insert({ id: 1 }),
          work.tx('pipeline_probe').insert({ id: 1 }),
          work.tx('pipeline_probe').insert({ id: 2 }),
        ]);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    const results = await transactions.withTenant('tenant-a', async (work) => {
      await work.tx.raw('CREATE TEMP TABLE pipeline_probe (id int PRIMARY KEY) ON COMMIT DROP');
      return runStatements(work.tx, [
        work.tx('pipeline_probe').insert({ id: 1 }).returning('id'),
        work.tx('pipeline_probe').insert([{ id: 2 }, { id: 3 }]),
        work
          .tx('pipeline_probe')
          .where('id', '>', 1)
          .update({ id: db.raw('id * 10') }),
        work.tx('pipeline_probe').orderBy('id'),
      ]);
    });
    expect(results.map((r) => r.rowCount)).toEqual([1, 2, 2, 3]);
    expect(results[0]?.rows).toEqual([{ id: 1 }]);
    expect(results[3]?.rows).toEqual([{ id: 1 }, { id: 20 }, { id: 30 }]);
  });

  it('prepares a statement once per connection and runs it again by name', async () => {
    const prepared = async () =>
      (await db.raw('SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE \'select "id" from "pipeline_named"%\''))
        .rows[0].n;
    await db.raw('CREATE TABLE IF NOT EXISTS pipeline_named (id int PRIMARY KEY)');
    try {
      for (let i = 0; i < 3; i++) await db('pipeline_named').select('id').where({ id: i });
      expect(await prepared()).toBe(1);
    } finally {
      await db.raw('DROP TABLE pipeline_named');
    }
  });

  it('prepares statements anew when a table they read changes shape, as when a newer server migrates', async () => {
    await transactions.withTenant('tenant-a', async (work) => {
      await work.tx.raw('CREATE TEMP TABLE pipeline_shape (id int PRIMARY KEY, a text)');
      await work.tx('pipeline_shape').insert({ id: 1, a: 'x' });
    });
    const read = () => transactions.withTenant('tenant-a', (work) => work.tx('pipeline_shape').where({ id: 1 }));
    const readOne = () => transactions.rows('tenant-a', (q) => q('pipeline_shape').where({ id: 1 }));
    expect(await read()).toEqual([{ id: 1, a: 'x' }]);
    expect(await readOne()).toEqual([{ id: 1, a: 'x' }]);
    // Prepared now; then the table gains a column, so `SELECT *` would return another shape.
    await transactions.withTenant('tenant-a', (work) => work.tx.raw("ALTER TABLE pipeline_shape ADD COLUMN b text DEFAULT 'y'"));
    expect(await read()).toEqual([{ id: 1, a: 'x', b: 'y' }]);
    await transactions.withTenant('tenant-a', (work) => work.tx.raw("ALTER TABLE pipeline_shape ADD COLUMN c text DEFAULT 'z'"));
    expect(await readOne()).toEqual([{ id: 1, a: 'x', b: 'y', c: 'z' }]);
  });

  it('fails the statement after a prelude that failed with the prelude’s error', async () => {
    const pool = db.client as unknown as { acquireConnection(): Promise<pg.Client>; releaseConnection(c: pg.Client): void };
    const connection = await pool.acquireConnection();
    try {
      setPrelude(connection, ['BEGIN', 'SELECT no_such_function()']);
      await expect(sendTogether(connection, [{ text: 'SELECT 1 AS one', values: [] }])).rejects.toMatchObject({ code: '42883' });
      await connection.query('ROLLBACK');
      const [again] = (await sendTogether(connection, [{ text: 'SELECT $1::int AS one', values: [1] }])) as Array<{ rows: unknown[] }>;
      expect(again?.rows).toEqual([{ one: 1 }]);
    } finally {
      pool.releaseConnection(connection);
    }
  });
});
