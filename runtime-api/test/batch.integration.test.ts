// runBatch: a step's writes in one round trip on PostgreSQL, pipelined as prepared statements.
// Hostile values must arrive intact, statements must run in order, and row counts must come back
// per statement. On PostgreSQL with DATABASE_URL (the pipelined path, on connections set up as the
// server's are); on the embedded defaults the same assertions hold for PGlite's one-by-one path.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import knexPkg, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runBatch } from '../src/platform/db/batch.ts';
import { postgresKnex } from '../src/platform/db/connect.ts';
import { integrationDatabaseUrl } from './helpers.ts';

const databaseUrl = integrationDatabaseUrl();
let db: Knex;
let dir: string | undefined;

beforeAll(async () => {
  if (databaseUrl) {
    db = postgresKnex(databaseUrl, 2);
  } else {
    dir = await mkdtemp(path.join(tmpdir(), 'serviceloom-batch-'));
    const pglite = await PGlite.create(dir);
    db = knexPkg.knex({
      client: ClientPgLite as unknown as typeof Knex.Client,
      dialect: 'postgres',
      connection: (() => ({ pglite })) as unknown as Knex.StaticConnectionConfig,
    });
  }
}, 60_000);
afterAll(async () => {
  await db?.destroy();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const HOSTILE = [
  "it's",
  "'); DROP TABLE batch_probe; --",
  'back\\slash \\\\ and \\x00-looking \\n text',
  "E'\\'' $1 $2 ? ?? :name $$ dollar $$",
  'naïve 中文 🎉 \u2028',
  JSON.stringify({ q: "a'b", b: 'c\\d', n: [1, null, true] }),
  '',
];

it(`runs statements in order with values intact on ${databaseUrl ? 'PostgreSQL (one round trip)' : 'PGlite (one by one)'}`, async () => {
  await db.transaction(async (tx) => {
    await tx.raw(
      'CREATE TEMP TABLE batch_probe (id int PRIMARY KEY, text text, doc jsonb, at timestamptz, n double precision, ok boolean) ON COMMIT DROP',
    );
    const at = new Date('2026-01-02T03:04:05.678Z');
    // knex sees every statement it sends; the batch goes around it, in one query.
    let sentByKnex = 0;
    const count = () => sentByKnex++;
    db.on('query', count);
    const counts = await runBatch(tx, [
      ...HOSTILE.map((text, i) => tx('batch_probe').insert({ id: i, text, doc: JSON.stringify({ text }), at, n: i / 3, ok: i % 2 === 0 })),
      // In order: these see the rows inserted just before them in the same batch.
      tx('batch_probe').where('id', '<', 3).update({ ok: null }),
      tx('batch_probe')
        .whereIn('text', [HOSTILE[1] as string, 'nothing'])
        .delete(),
    ]);
    db.off('query', count);
    expect(sentByKnex).toBe(databaseUrl ? 0 : HOSTILE.length + 2);
    expect(counts).toEqual([...HOSTILE.map(() => 1), 3, 1]);
    const rows: Array<{ id: number; text: string; doc: { text: string }; at: Date; n: number; ok: boolean | null }> =
      await tx('batch_probe').orderBy('id');
    expect(rows.map((r) => r.id)).toEqual(HOSTILE.map((_, i) => i).filter((i) => i !== 1));
    for (const row of rows) {
      expect(row.text).toBe(HOSTILE[row.id]);
      expect(row.doc).toEqual({ text: HOSTILE[row.id] });
      expect(new Date(row.at).toISOString()).toBe(at.toISOString());
      expect(row.n).toBeCloseTo(row.id / 3, 12);
      expect(row.ok).toBe(row.id < 3 ? null : row.id % 2 === 0);
    }
  });
});

it('rolls the whole transaction back when a statement of the batch fails', async () => {
  await expect(
    db.transaction(async (tx) => {
      await tx.raw('CREATE TEMP TABLE batch_fail (id int PRIMARY KEY)');
      await runBatch(tx, [tx('batch_fail').insert({ id: 1 }), tx('batch_fail').insert({ id: 1 })]);
    }),
  ).rejects.toMatchObject({ code: '23505' });
  expect((await db.raw("SELECT to_regclass('pg_temp.batch_fail') AS t")).rows[0].t).toBeNull();
});
