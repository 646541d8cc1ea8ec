// One knex for both databases: PostgreSQL through `pg` when DATABASE_URL is set, else PGlite
// (PostgreSQL in WebAssembly) stored in the data directory, so `npm start` needs nothing installed.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import knexPkg, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import pg from 'pg';

export type Db = Knex;
export type Tx = Knex.Transaction;
/** Either the database or an open transaction: read helpers accept both. */
export type Queryable = Knex | Knex.Transaction;

export interface DbOptions {
  databaseUrl?: string;
  dataDir: string;
}

// pg returns int8 (bigserial, count) as strings; PGlite returns numbers. Numbers everywhere.
pg.types.setTypeParser(20, (v) => Number(v));

export async function connect(options: DbOptions): Promise<{ db: Db; kind: 'postgres' | 'pglite' }> {
  if (options.databaseUrl) {
    const db = knexPkg.knex({ client: 'pg', connection: options.databaseUrl, pool: { min: 0, max: 10 } });
    return { db, kind: 'postgres' };
  }
  const dir = path.join(options.dataDir, 'pglite');
  await mkdir(dir, { recursive: true });
  const pglite = await PGlite.create(dir);
  // knex-pglite keeps a single connection (PGlite has one), so transactions run one at a time.
  const db = knexPkg.knex({
    client: ClientPgLite as unknown as typeof Knex.Client,
    dialect: 'postgres',
    connection: (() => ({ pglite })) as unknown as Knex.StaticConnectionConfig,
  });
  return { db, kind: 'pglite' };
}
