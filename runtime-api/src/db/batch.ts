// Several writes of one transaction in one round trip. A step writes its instance row, tasks,
// jobs, timers, subscriptions and history: on PostgreSQL each statement costs a round trip (and a
// socket write, which is what dominates the server's CPU profile under load), so they go together
// as one multi-statement simple query, run in order, exactly as if sent one by one. Values are
// inlined as literals with libpq's escaping (pg's escapeLiteral); a batch holding a value of
// another kind than null, number, boolean, string or Date runs statement by statement, with
// parameters, as knex would.
// On PGlite (in-process: no round trips, and its exec() measured no faster) they run one by one.
import type { Knex } from 'knex';
import pg from 'pg';
import type { Tx } from './connect.ts';

type Statement = Knex.QueryBuilder | Knex.Raw;

class NotInlinable extends Error {}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return pg.escapeLiteral(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new NotInlinable();
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date && !Number.isNaN(value.getTime())) return pg.escapeLiteral(value.toISOString());
  throw new NotInlinable();
}

/** The statement as SQL text with its values inlined; undefined if a value cannot be. */
function inline(statement: Statement): string | undefined {
  const { sql, bindings } = statement.toSQL().toNative();
  try {
    // One pass over knex's SQL: `$n` are its placeholders (knex writes no string literals of its own).
    return sql.replace(/\$(\d+)/g, (_, n: string) => literal(bindings[Number(n) - 1]));
  } catch (e) {
    if (e instanceof NotInlinable) return undefined;
    throw e;
  }
}

/** PostgreSQL through `pg` (connect.ts names the knex client 'pg'; knex-pglite's is a class). */
const isPostgres = (tx: Tx) => (tx.client as { config?: { client?: unknown } }).config?.client === 'pg';

const rowCount = (result: unknown): number => {
  if (typeof result === 'number') return result;
  const r = result as { rowCount?: number | null; affectedRows?: number } | undefined;
  return Number(r?.rowCount ?? r?.affectedRows ?? 0);
};

/**
 * Runs the statements in order, in the transaction; resolves to each one's row count. Nothing is
 * returned of the rows themselves: statements that need RETURNING run on their own.
 */
export async function runBatch(tx: Tx, statements: readonly Statement[]): Promise<number[]> {
  if (statements.length === 0) return [];
  if (statements.length === 1 || !isPostgres(tx)) {
    const counts: number[] = [];
    for (const statement of statements) counts.push(rowCount(await statement));
    return counts;
  }
  const texts = statements.map(inline);
  if (texts.some((t) => t === undefined)) {
    // Rare: run as parameterized statements, still in order.
    const counts: number[] = [];
    for (const statement of statements) counts.push(rowCount(await statement));
    return counts;
  }
  // The transaction's own connection (knex hands the same one to every query of the transaction).
  const connection = await (tx.client as unknown as { acquireConnection(): Promise<pg.Client> }).acquireConnection();
  const result: unknown = await connection.query(texts.join(';\n'));
  const results = Array.isArray(result) ? result : [result];
  return results.map(rowCount);
}
