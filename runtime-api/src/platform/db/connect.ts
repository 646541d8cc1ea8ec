// One knex for both databases: PostgreSQL through `pg` when DATABASE_URL is set, else PGlite
// (PostgreSQL in WebAssembly) stored in the data directory, so `npm start` needs nothing installed.
//
// Opening the database is two phases. First, as the role we log in with (the owner of the
// schema): run the migrations and read the platform secrets. Then every connection switches, for
// good, to APP_ROLE (`SET ROLE serviceloom_app`), which row-level security holds to the tenant a
// transaction names (db/transactions.ts). A query that names no tenant sees no tenant's rows.
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { APP_ROLE, migrationSource } from '@serviceloom/migrations';
import knexPkg, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import pg from 'pg';
import { supportPipelining } from './pipeline.ts';

export type Db = Knex;
export type Tx = Knex.Transaction;

/** Brings the schema up to date; runs at every start. */
export async function migrate(db: Db): Promise<void> {
  await db.migrate.latest({ migrationSource });
}
/** Either the database or an open transaction: read helpers accept both. */
export type Queryable = Knex | Knex.Transaction;

export interface DbOptions {
  databaseUrl?: string;
  /** Runs the migrations and reads the platform secrets; default: databaseUrl. */
  databaseOwnerUrl?: string;
  dataDir: string;
  /** SERVICELOOM_SECRET, if configured: else one is generated once and kept in `settings`. */
  tokenSecret?: string;
}

/** Platform-wide secrets, kept in the `settings` table that only the owner role can read. */
export interface PlatformSecrets {
  /** HMAC key of access tokens. */
  tokenSecret: string;
  /** AES-256-GCM key for secrets stored in tenant rows (OIDC client secrets). */
  dataKey: Buffer;
}

export interface Database {
  /** Every connection of it runs as APP_ROLE. */
  db: Db;
  kind: 'postgres' | 'pglite';
  secrets: PlatformSecrets;
}

// pg returns int8 (bigserial, count) as strings; PGlite returns numbers. Numbers everywhere.
pg.types.setTypeParser(20, (v) => Number(v));

export async function connect(options: DbOptions): Promise<Database> {
  if (options.databaseUrl) {
    const owner = knexPkg.knex({ client: 'pg', connection: options.databaseOwnerUrl ?? options.databaseUrl, pool: { min: 0, max: 1 } });
    let secrets: PlatformSecrets;
    try {
      await migrate(owner);
      secrets = await platformSecrets(owner, options.tokenSecret);
    } finally {
      await owner.destroy();
    }
    const db = postgresKnex(options.databaseUrl, 10, `SET ROLE ${APP_ROLE}`);
    return { db, kind: 'postgres', secrets };
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
  await migrate(db);
  const secrets = await platformSecrets(db, options.tokenSecret);
  // The one session: from here on it is APP_ROLE's.
  await db.raw(`SET ROLE ${APP_ROLE}`);
  return { db, kind: 'pglite', secrets };
}

/** Whether a knex (or one of its transactions) runs on PostgreSQL through `pg` rather than on PGlite (knex-pglite's client is a class, not 'pg'). */
export function onPostgres(q: Queryable): boolean {
  return (q.client as { config?: { client?: unknown } } | undefined)?.config?.client === 'pg';
}

/**
 * knex on PostgreSQL as the runtime uses it: connections in pg's pipeline mode, set up for
 * pipelining (pipeline.ts), each running `setup` (if given) before the pool hands it out.
 */
export function postgresKnex(url: string, poolMax: number, setup?: string): Knex {
  return knexPkg.knex({
    client: 'pg',
    connection: { connectionString: url, pipeline: true } as Knex.PgConnectionConfig,
    pool: {
      min: 0,
      max: poolMax,
      afterCreate: (conn: pg.Client, done: (err: Error | null, conn: pg.Client) => void) => {
        supportPipelining(conn);
        if (!setup) return done(null, conn);
        conn.query(setup, (err) => done(err ?? null, conn));
      },
    },
  });
}

/** The configured token secret, else one generated once; the data key, generated once. Shared by every server on the database. */
async function platformSecrets(owner: Knex, configured: string | undefined): Promise<PlatformSecrets> {
  const read = async (key: string): Promise<string> => {
    await owner('settings')
      .insert({ key, value: randomBytes(32).toString('base64url') })
      .onConflict('key')
      .ignore();
    const row: { value: string } = await owner('settings').where({ key }).first();
    return row.value;
  };
  return {
    tokenSecret: configured ?? (await read('token_secret')),
    dataKey: Buffer.from(await read('data_key'), 'base64url'),
  };
}
