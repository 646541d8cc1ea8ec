// Several statements of one transaction in one round trip. A step locks and reads its instance,
// then writes the instance row, tasks, jobs, timers, subscriptions, history and outbox rows: on
// PostgreSQL each statement waiting for the one before costs a round trip (a socket write and a
// wake-up, which dominate the server's CPU profile under load), so they go out together, in one
// write, over the connection's pipeline (pipeline.ts), as prepared statements with parameters, and
// run in order, exactly as if sent one by one. On PGlite (in-process: no round trips) they run
// one by one.
import type pg from 'pg';
import { builderOf, nativeOf, type Statement } from './compiled.ts';
import { onPostgres, type Tx } from './connect.ts';
import { sendTogether } from './pipeline.ts';
import { boundConnection } from './transactions.ts';

export type { Statement };

/** What one statement of a batch gave: rows affected (or returned), and the rows it returned. */
export interface StatementResult<Row = Record<string, unknown>> {
  rowCount: number;
  rows: Row[];
}

/** pg's result object, or what knex made of one: a row count, rows, or a single row (`first`). */
function normalize(result: unknown): StatementResult {
  if (typeof result === 'number') return { rowCount: result, rows: [] };
  if (Array.isArray(result)) return { rowCount: result.length, rows: result };
  if (result === undefined || result === null) return { rowCount: 0, rows: [] };
  const r = result as { rowCount?: number | null; affectedRows?: number; rows?: unknown[] };
  if (Array.isArray(r.rows) || 'rowCount' in r || 'affectedRows' in r) {
    const rows = (r.rows ?? []) as Record<string, unknown>[];
    return { rowCount: Number(r.rowCount ?? r.affectedRows ?? rows.length), rows };
  }
  return { rowCount: 1, rows: [result as Record<string, unknown>] };
}

async function oneByOne(statements: readonly Statement[]): Promise<StatementResult[]> {
  const results: StatementResult[] = [];
  for (const statement of statements) results.push(normalize(await builderOf(statement)));
  return results;
}

/**
 * Runs the statements in order, in the transaction; resolves to each one's row count and rows.
 * `commit`: they are the transaction's last; on PostgreSQL, in a transaction of `Transactions`,
 * its COMMIT goes with them (pipeline.ts) and nothing may run in it after.
 */
export async function runStatements(
  tx: Tx,
  statements: readonly Statement[],
  options: { commit?: boolean } = {},
): Promise<StatementResult[]> {
  if (statements.length === 0) return [];
  const bound = boundConnection(tx);
  if (!bound && !onPostgres(tx)) return oneByOne(statements);
  const queries = statements.map(nativeOf);
  // The transaction's own connection: the one its queries are bound to, or a knex transaction's
  // (which commits itself: its batches never carry the COMMIT).
  const connection = bound ?? (await (tx.client as unknown as { acquireConnection(): Promise<pg.Client> }).acquireConnection());
  return (await sendTogether(connection, queries, { commit: bound !== undefined && options.commit === true })).map(normalize);
}

/** Runs the statements in order, in the transaction; resolves to each one's row count. */
export async function runBatch(tx: Tx, statements: readonly Statement[]): Promise<number[]> {
  return (await runStatements(tx, statements)).map((r) => r.rowCount);
}
