// PostgreSQL takes at most 65,535 values in one statement (its protocol counts them in 16 bits),
// and PGlite speaks the same protocol. A step that writes thousands of rows of one kind (history
// of a long chain of automatic elements, outbox rows of a wide fan-out) would exceed that in one
// multi-row insert, so such rows go out in several inserts. A step's usual handful of rows is
// one insert, as before.

/** Values PostgreSQL binds in one statement at most. */
export const MAX_PARAMETERS = 65_535;

/**
 * The rows split into groups that each fit one insert: all of them (the same array) when they
 * do, else groups of as many rows as fit. Each row's keys count as its values (knex inserts the
 * union of the rows' keys; the columns a row lacks become DEFAULT, which binds nothing).
 */
export function chunksOf<Row extends object>(rows: Row[]): Row[][] {
  if (rows.length === 0) return [];
  const columns = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) columns.add(key);
  if (rows.length * columns.size <= MAX_PARAMETERS) return [rows];
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / columns.size));
  const chunks: Row[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}
