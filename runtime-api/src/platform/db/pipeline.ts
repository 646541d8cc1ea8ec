// How the runtime talks to PostgreSQL. The server's CPU profile under load is dominated by round
// trips (a socket write and a wake-up each) and PostgreSQL's by planning (more than half of its
// statement time went to planning short statements again and again). So connections run in pg's
// pipeline mode (connect.ts: queries issued without waiting go out at once and are answered in
// order) and `supportPipelining` adds, per connection:
//
// - Prepared statements: a query with values is named after its text, so PostgreSQL parses and
//   plans it once per connection (pg sends Parse once per name), then only binds and executes.
//   At most MAX_NAMED names per connection; past that, queries run unnamed as before, and so do
//   queries of more than MAX_PREPARED_VALUES values.
// - A prelude: statements nobody waits on the reply of (BEGIN, the transaction's role and
//   tenant) are held and go out in the same write as the connection's next query. A prelude that
//   fails makes that next query fail with the prelude's error. `endTransaction` sends nothing
//   for a transaction whose prelude never went out.
// - `sendTogether`: several queries in one write (a step's batch), answered in order; with
//   `commit`, the transaction's COMMIT goes with them, and nothing is sent in it afterwards
//   (`endTransaction` sends no COMMIT or ROLLBACK for it; any other query is refused).
import { createHash } from 'node:crypto';
import type pg from 'pg';

/** Named statements kept per connection (PostgreSQL holds a plan for each). */
const MAX_NAMED = 256;

/**
 * Values a named statement binds at most: a large insert (a step's thousands of history rows)
 * runs unnamed, as planning is little of its cost and its text would be kept for nothing.
 */
const MAX_PREPARED_VALUES = 1_024;

/** SQL text, or text with values ($1, $2, ...). */
export type Query = string | { text: string; values: readonly unknown[] };

interface PipelineState {
  /** Statements to go out in front of the connection's next query. */
  prelude?: Query[];
  /** The transaction was ended by a batch sent with `commit`: nothing more may run in it. */
  ended?: boolean;
  /** pg's own query(), with the statement named if it can be. */
  send: (config: unknown, values?: unknown, callback?: Callback) => unknown;
}

const STATE = Symbol('serviceloom.pipeline');
type Connection = pg.Client & { [STATE]?: PipelineState; connection?: { stream?: { cork?(): void; uncork?(): void } } };
type Callback = (err: Error | null, result?: unknown) => void;

const names = new Map<string, string>();
/** A statement's name: a digest of its text (the same text gets the same name on every connection). */
function nameOf(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `sl_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    if (names.size >= 10_000) names.clear();
    names.set(text, name);
  }
  return name;
}

function state(connection: pg.Client): PipelineState {
  const s = (connection as Connection)[STATE];
  if (!s) throw new Error('this connection was not set up for pipelining (supportPipelining)');
  return s;
}

/** SQLSTATEs that mean a prepared statement of the connection cannot be used again as it is. */
const STALE_PLAN = new Set(['0A000', '26000']);

/** An error from a prepared statement that a retry, preparing it anew, gets past. */
export function isStalePlan(err: unknown): boolean {
  return STALE_PLAN.has((err as { code?: string } | null)?.code ?? '');
}

/** Holds statements to go out in front of the connection's next query. */
export function setPrelude(connection: pg.Client, statements: Query[]): void {
  state(connection).prelude = statements;
}

/** Forgets what a transaction left on the connection (a prelude never sent, the end of a committed batch). */
export function resetPipeline(connection: pg.Client): void {
  const s = state(connection);
  delete s.prelude;
  delete s.ended;
}

/**
 * Ends the connection's transaction with COMMIT or ROLLBACK, unless nothing is left to end: its
 * prelude (BEGIN) was never sent because no statement ran, or a batch sent with `commit` ended it.
 */
export async function endTransaction(connection: pg.Client, how: 'COMMIT' | 'ROLLBACK'): Promise<void> {
  const s = state(connection);
  if (s.prelude) {
    delete s.prelude;
    return;
  }
  if (s.ended) {
    delete s.ended;
    return;
  }
  await connection.query(how);
}

/** Runs `issue` with the connection's socket corked: whatever it sends goes out in one write. */
function corked<T>(connection: pg.Client, issue: () => T): T {
  const stream = (connection as Connection).connection?.stream;
  stream?.cork?.();
  try {
    return issue();
  } finally {
    stream?.uncork?.();
  }
}

/** `{ text, values }` and nothing else that asks pg for more than a query's rows. */
function plain(config: unknown, values: unknown): { text: string; values: unknown[] } | undefined {
  if (typeof config === 'string') return { text: config, values: Array.isArray(values) ? values : [] };
  if (!config || typeof config !== 'object' || typeof (config as { text?: unknown }).text !== 'string') return undefined;
  if (Object.keys(config).some((k) => k !== 'text' && k !== 'values')) return undefined;
  const own = (config as { values?: unknown }).values;
  return { text: (config as { text: string }).text, values: Array.isArray(own) ? own : Array.isArray(values) ? values : [] };
}

/** Values pg binds without calling back into application code (which could throw mid-pipeline). */
function plainValue(value: unknown): boolean {
  if (value === null || value === undefined || value instanceof Date || Buffer.isBuffer(value)) return true;
  const type = typeof value;
  return type === 'string' || type === 'boolean' || (type === 'number' && Number.isFinite(value));
}

/**
 * Sends the queries in one write (after the prelude, if one is pending) and resolves to their
 * results in order. If one fails, rejects with the first failure (the ones after it fail only
 * because the transaction is aborted). With `commit`, the transaction's COMMIT goes in the same
 * write, so that the transaction ends with them: committed if they all ran, rolled back if not.
 * (Only for plain values: a value pg could fail to bind would be skipped while the rest commits.)
 */
export async function sendTogether(
  connection: pg.Client,
  queries: ReadonlyArray<{ text: string; values: readonly unknown[] }>,
  options: { commit?: boolean } = {},
): Promise<unknown[]> {
  const commit = options.commit === true && queries.every((q) => q.values.every(plainValue));
  const all = commit ? [...queries, { text: 'COMMIT', values: [] }] : queries;
  // pg reads a query's values and does not keep or change them: no copies.
  const replies = corked(connection, () => all.map((q) => connection.query(q as { text: string; values: unknown[] }) as Promise<unknown>));
  if (commit) state(connection).ended = true;
  const settled = await Promise.allSettled(replies);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.slice(0, queries.length).map((r) => (r as PromiseFulfilledResult<unknown>).value);
}

/** Sets up a connection (in pg's pipeline mode) for prepared statements and preludes; once, when the pool creates it. */
export function supportPipelining(connection: pg.Client): void {
  const c = connection as Connection;
  if (c[STATE]) return;
  const original = c.query.bind(c) as (...args: unknown[]) => unknown;
  const named = new Set<string>();
  // Bumped when this connection's prepared statements stop being usable (below): names carry it,
  // so the statements are prepared anew under new names.
  let generation = 0;
  /** Names a plain query with values after its text, within the connection's allowance. */
  const prepared = (config: unknown, values: unknown): { name: string; text: string; values: unknown[] } | undefined => {
    const q = plain(config, values);
    if (!q || q.values.length === 0 || q.values.length > MAX_PREPARED_VALUES) return undefined;
    const name = generation ? `${nameOf(q.text)}_${generation}` : nameOf(q.text);
    if (!named.has(name)) {
      if (named.size >= MAX_NAMED) return undefined;
      named.add(name);
    }
    return { name, ...q };
  };
  /**
   * A table a prepared `SELECT *` reads changed shape (a newer server migrated it: "cached plan
   * must not change result type"), or the statement is gone (DISCARD ALL): start a new generation.
   * The transaction that met it is retried (transactions.ts) and prepares its statements anew.
   */
  const check = (err: unknown) => {
    if (isStalePlan(err)) {
      generation++;
      named.clear();
    }
  };
  const s: PipelineState = {
    send: (config, values, callback) => {
      const statement = prepared(config, values);
      if (!statement) return original(config, values, callback);
      if (callback) {
        return original(statement, undefined, (err: Error | null, result?: unknown) => {
          if (err) check(err);
          callback(err, result);
        });
      }
      const reply = original(statement) as Promise<unknown>;
      reply.catch(check);
      return reply;
    },
  };
  c[STATE] = s;

  /** With a prelude pending: the query goes out right behind it. */
  const withPrelude = (prelude: Query[], config: unknown, values: unknown): Promise<unknown> => {
    // Taken now, synchronously: a query issued meanwhile must not send it again.
    delete s.prelude;
    const [ahead, reply] = corked(c, () => [Promise.all(prelude.map((q) => s.send(q))), s.send(config, values) as Promise<unknown>]);
    // The prelude's error, if it failed: what follows it fails only because of it.
    reply.catch(() => {});
    return ahead.then(() => reply);
  };

  /** After a batch that committed: the transaction is over, and a query would run outside it. */
  const afterEnd = (): Promise<unknown> =>
    Promise.reject(new Error('this transaction was committed with its last batch: nothing may run in it after that'));

  (c as unknown as { query: unknown }).query = (config: unknown, values?: unknown, callback?: unknown): unknown => {
    const cb = (typeof values === 'function' ? values : callback) as Callback | undefined;
    const vals = typeof values === 'function' ? undefined : values;
    const reply = s.ended ? afterEnd() : s.prelude ? withPrelude(s.prelude, config, vals) : undefined;
    if (!reply) return s.send(config, vals, cb);
    if (!cb) return reply;
    reply.then(
      (result) => cb(null, result),
      (err: Error) => cb(err),
    );
    return undefined;
  };
}
