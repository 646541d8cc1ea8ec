// The baseline: single-row insert+update transactions, as many as the API ran commands, at the same
// concurrency, on the same database. PostgreSQL: straight through `pg` (a pool of `concurrency`
// connections, BEGIN / INSERT ... RETURNING / UPDATE / COMMIT). PGlite: through knex and
// knex-pglite, the path the server takes, on a PGlite of its own (one process owns a PGlite).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import knexPkg, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import pg from 'pg';

export interface BaselineResult {
  transactions: number;
  seconds: number;
  perSecond: number;
  path: string;
}

interface Options {
  databaseUrl: string | undefined;
  concurrency: number;
  transactions: number;
}

/** Runs `count` transactions on `concurrency` lanes; seconds of wall time. */
async function lanes(count: number, concurrency: number, one: () => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < count) await one();
    }),
  );
  return (performance.now() - t0) / 1000;
}

export async function baseline(options: Options): Promise<BaselineResult> {
  const table = `bench_baseline_${process.pid}_${Date.now()}`;
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.concurrency });
    try {
      await pool.query(
        `CREATE TABLE ${table} (id bigserial PRIMARY KEY, n integer NOT NULL, note text, at timestamptz NOT NULL DEFAULT now())`,
      );
      const one = async () => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const { rows } = await client.query(`INSERT INTO ${table} (n, note) VALUES ($1, $2) RETURNING id`, [0, 'baseline']);
          await client.query(`UPDATE ${table} SET n = n + 1 WHERE id = $1`, [rows[0].id]);
          await client.query('COMMIT');
        } catch (e) {
          await client.query('ROLLBACK').catch(() => {});
          throw e;
        } finally {
          client.release();
        }
      };
      await lanes(Math.min(200, options.transactions), options.concurrency, one); // warm-up
      const seconds = await lanes(options.transactions, options.concurrency, one);
      return { transactions: options.transactions, seconds, perSecond: options.transactions / seconds, path: 'pg' };
    } finally {
      await pool.query(`DROP TABLE IF EXISTS ${table}`).catch(() => {});
      await pool.end();
    }
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'serviceloom-bench-baseline-'));
  const pglite = await PGlite.create(dir);
  const db: Knex = knexPkg.knex({
    client: ClientPgLite as unknown as typeof Knex.Client,
    dialect: 'postgres',
    connection: (() => ({ pglite })) as unknown as Knex.StaticConnectionConfig,
  });
  try {
    await db.schema.createTable(table, (t) => {
      t.bigIncrements('id');
      t.integer('n').notNullable();
      t.text('note');
      t.timestamp('at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    });
    const one = () =>
      db.transaction(async (tx) => {
        const [row] = await tx(table).insert({ n: 0, note: 'baseline' }).returning('id');
        await tx(table).where({ id: row.id }).increment('n', 1);
      });
    await lanes(Math.min(200, options.transactions), options.concurrency, one);
    const seconds = await lanes(options.transactions, options.concurrency, one);
    return { transactions: options.transactions, seconds, perSecond: options.transactions / seconds, path: 'knex-pglite' };
  } finally {
    await db.destroy();
    await pglite.close().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}
