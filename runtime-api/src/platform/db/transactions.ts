// A unit of work: one database transaction, the tenant it runs in, the time it runs at, and the
// outbox rows it wrote. Rows reach the dispatcher only after commit, so nothing is dispatched for a
// rolled-back step.
//
// Tenancy: every transaction starts by setting `role` to serviceloom_app (the connection already
// runs as that role; this makes it so whatever a connection went through) and
// `serviceloom.tenant`, both for the transaction only. Row-level security then shows and accepts
// only that tenant's rows. `withTenant` is the way in; `run` starts with no tenant (nothing is
// visible) for work that learns its tenant from a row, such as the outbox processor
// (`forOutboxRow`); `rows` is a single read, in one round trip on PostgreSQL.
//
// On PostgreSQL, BEGIN and the tenant setting cost no round trip: they go out in the same write
// as the transaction's first statement (pipeline.ts).
import { TENANT_ID_PATTERN } from '@serviceloom/contracts';
import { APP_ROLE, TENANT_SETTING } from '@serviceloom/migrations';
import type { Knex } from 'knex';
import type pg from 'pg';
import type { Clock } from '../clock.ts';
import type { OutboxEntry, OutboxMessage } from '../outbox/messages.ts';
import { chunksOf } from './chunks.ts';
import { builderOf, type CompiledStatement, nativeOf } from './compiled.ts';
import { type Db, onPostgres, type Queryable, type Tx } from './connect.ts';
import { endTransaction, isStalePlan, resetPipeline, sendTogether, setPrelude } from './pipeline.ts';

/** Tenant ids: lower-case letters, digits and inner hyphens, like a DNS label. */
const TENANT_ID = new RegExp(TENANT_ID_PATTERN);

/** Whether a string is a tenant id (a URL segment, a token claim) before it goes near the database. */
export const isTenantId = (value: string): boolean => TENANT_ID.test(value);

/** Refuses anything but a tenant id: it becomes a setting that row-level security compares with. */
function assertTenantId(tenantId: string): void {
  if (!isTenantId(tenantId)) throw new Error(`"${tenantId}" is not a tenant id`);
}

/** Runs the rest of the transaction as APP_ROLE in the given tenant ('' = none: nothing visible). */
export async function scopeTransaction(tx: Tx, tenantId: string): Promise<void> {
  await tx.raw('SELECT set_config(?, ?, true), set_config(?, ?, true)', ['role', APP_ROLE, TENANT_SETTING, tenantId]);
}

/**
 * BEGIN and scopeTransaction's statement as one simple-protocol message, for a pipeline: one query
 * for pg and PostgreSQL to handle instead of two (five fewer for an instance under the API bench).
 * The tenant is written into the text, so only a tenant id (or '' for none) gets there.
 */
function beginScoped(tenantId: string): string {
  if (tenantId !== '') assertTenantId(tenantId);
  return `BEGIN; SELECT set_config('role', '${APP_ROLE}', true), set_config('${TENANT_SETTING}', '${tenantId}', true)`;
}

const CONNECTION = Symbol('serviceloom.connection');

/** knex bound to one connection (the builders' own `.connection()`): what a transaction's queries are built on. */
function boundTo(db: Db, connection: pg.Client): Tx {
  const tx = (table: string) => db(table).connection(connection);
  const raw = (sql: string, bindings?: Knex.RawBinding[] | Knex.ValueDict) =>
    (bindings === undefined ? db.raw(sql) : db.raw(sql, bindings)).connection(connection);
  return Object.assign(tx, { raw, [CONNECTION]: connection }) as unknown as Tx;
}

/** The connection a transaction's queries are bound to, on PostgreSQL (undefined for a knex transaction). */
export function boundConnection(tx: Tx): pg.Client | undefined {
  return (tx as unknown as { [CONNECTION]?: pg.Client })[CONNECTION];
}

interface PoolClient {
  acquireConnection(): Promise<pg.Client>;
  releaseConnection(connection: pg.Client): void;
}

export class Work {
  readonly written: OutboxMessage[] = [];
  /** What to do once this transaction committed (in this process; not durable). */
  readonly committed: Array<() => void | Promise<void>> = [];
  private tenant: string | undefined;

  constructor(
    readonly tx: Tx,
    /** The step's `now`: one time for everything the transaction does. */
    readonly now: number,
    /** The tenant the transaction was opened in, if any (scopeTransaction ran for it). */
    tenantId?: string,
  ) {
    this.tenant = tenantId;
  }

  get at(): string {
    return new Date(this.now).toISOString();
  }

  /** The tenant this transaction runs in; undefined until one is entered. */
  get tenantId(): string | undefined {
    return this.tenant;
  }

  /** Runs `fn` once the transaction committed; a failure there is logged, never the caller's. */
  afterCommit(fn: () => void | Promise<void>): void {
    this.committed.push(fn);
  }

  /** Sets the transaction's tenant. Once only: a transaction never moves between tenants. */
  async enterTenant(tenantId: string): Promise<void> {
    if (this.tenant === tenantId) return;
    if (this.tenant !== undefined) throw new Error(`this transaction runs in tenant "${this.tenant}"; it cannot enter "${tenantId}"`);
    assertTenantId(tenantId);
    await scopeTransaction(this.tx, tenantId);
    this.tenant = tenantId;
  }

  async enqueue(entries: OutboxEntry[]): Promise<void> {
    const insert = this.outboxInsert(entries);
    if (!insert) return;
    const ids: Array<{ id?: unknown }> = [];
    for (const statement of insert.statements) ids.push(...((await statement) as Array<{ id?: unknown }>));
    insert.written(ids);
  }

  /**
   * The inserts of outbox rows (one, unless there are more rows than one statement takes), for a
   * caller to run in a batch with other writes, and what to tell once they ran (the rows they
   * returned, in order: their ids); undefined if there is nothing to insert.
   */
  outboxInsert(
    entries: OutboxEntry[],
  ): { statements: Knex.QueryBuilder[]; written(rows: ReadonlyArray<{ id?: unknown }>): void } | undefined {
    if (entries.length === 0) return undefined;
    const rows = entries.map((e) => ({
      tenant_id: e.tenantId,
      instance_id: e.instanceId ?? null,
      kind: e.kind,
      payload: JSON.stringify(e.payload),
      created_at: this.at,
      available_at: new Date(e.availableAt ?? this.now).toISOString(),
    }));
    return {
      statements: chunksOf(rows).map((chunk) => this.tx('outbox').insert(chunk).returning('id')),
      written: (ids) => {
        if (ids.length !== entries.length) throw new Error(`wrote ${entries.length} outbox rows, got ${ids.length} ids back`);
        entries.forEach((e, i) => {
          this.written.push({
            id: Number(ids[i]?.id),
            tenantId: e.tenantId,
            instanceId: e.instanceId ?? null,
            kind: e.kind,
            payload: e.payload,
            availableAt: e.availableAt ?? this.now,
          });
        });
      },
    };
  }
}

// PostgreSQL aborts one side of a deadlock or serialization conflict; running it again is safe.
const RETRYABLE = new Set(['40001', '40P01']);

export class Transactions {
  /** Told about outbox rows once their transaction committed (the dispatcher listens here). */
  onCommit: (rows: OutboxMessage[]) => void = () => {};

  private readonly postgres: boolean;
  /** After-commit callbacks still running (tests wait for them: `settled`). */
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.postgres = onPostgres(db);
  }

  /** Waits for the after-commit callbacks running now (and those they start); true if there were any. */
  async settled(): Promise<boolean> {
    let waited = false;
    while (this.running.size) {
      waited = true;
      await Promise.all([...this.running]);
    }
    return waited;
  }

  /** The after-commit callbacks of a transaction, one by one; none may fail the request that committed. */
  private runCommitted(callbacks: Array<() => void | Promise<void>>): void {
    for (const fn of callbacks) {
      const run: Promise<void> = Promise.resolve()
        .then(fn)
        .catch((e) => console.error('an after-commit callback failed', e))
        .finally(() => this.running.delete(run));
      this.running.add(run);
    }
  }

  /** One transaction in one tenant: what every request and follow-up goes through. */
  async withTenant<T>(tenantId: string, fn: (work: Work) => Promise<T>): Promise<T> {
    assertTenantId(tenantId);
    return this.transaction(tenantId, fn);
  }

  /** A read (or small write) in one tenant, given the transaction only. */
  read<T>(tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.withTenant(tenantId, (work) => fn(work.tx));
  }

  /**
   * One read statement in one tenant, resolving to its rows. On PostgreSQL one round trip: BEGIN,
   * the tenant setting, the read and COMMIT go out in one write.
   * `build` gets something to build the query on; it must not run it.
   */
  async rows<Row = Record<string, unknown>>(
    tenantId: string,
    build: (q: Queryable) => Knex.QueryBuilder | CompiledStatement,
  ): Promise<Row[]> {
    assertTenantId(tenantId);
    if (!this.postgres) {
      const result: unknown = await this.read(tenantId, async (tx) => builderOf(build(tx)));
      return result === undefined ? [] : Array.isArray(result) ? result : [result as Row];
    }
    const { text: sql, values: bindings } = nativeOf(build(this.db));
    const pool = this.db.client as unknown as PoolClient;
    for (let attempt = 1; ; attempt++) {
      const connection = await pool.acquireConnection();
      try {
        // A failed read turns the COMMIT into a rollback: the connection goes back clean either way.
        const [, read] = (await sendTogether(connection, [
          { text: beginScoped(tenantId), values: [] },
          { text: sql, values: bindings },
          { text: 'COMMIT', values: [] },
        ])) as [unknown, { rows: Row[] }];
        return read.rows;
      } catch (e) {
        if (attempt < 3 && isStalePlan(e)) continue;
        throw e;
      } finally {
        pool.releaseConnection(connection);
      }
    }
  }

  /**
   * A transaction that starts in no tenant: it sees no tenant's rows until `work.enterTenant`.
   * For work that learns its tenant from a row (use `forOutboxRow`) or reads the cross-tenant views.
   */
  run<T>(fn: (work: Work) => Promise<T>): Promise<T> {
    return this.transaction(undefined, fn);
  }

  private async transaction<T>(tenantId: string | undefined, fn: (work: Work) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let work: Work | undefined;
      try {
        const result = await this.inTransaction(tenantId ?? '', (tx) => {
          work = new Work(tx, this.clock.now(), tenantId);
          return fn(work);
        });
        if (work?.written.length) this.onCommit(work.written);
        if (work?.committed.length) this.runCommitted(work.committed);
        return result;
      } catch (e) {
        if (attempt < 4 && (RETRYABLE.has((e as { code?: string }).code ?? '') || (this.postgres && isStalePlan(e)))) continue;
        throw e;
      }
    }
  }

  /** A transaction whose first statement sets the role and the tenant ('' = none). */
  private async inTransaction<T>(tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (!this.postgres) {
      return this.db.transaction(async (tx) => {
        await scopeTransaction(tx, tenantId);
        return fn(tx);
      });
    }
    // On PostgreSQL, no knex transaction object (a transactor, a client and an emitter each time:
    // 5% of the server's CPU under the API bench): queries are bound to the connection, BEGIN and
    // the scope go out with the first of them (a prelude), and COMMIT or ROLLBACK ends it.
    const pool = this.db.client as unknown as PoolClient;
    const connection = await pool.acquireConnection();
    try {
      setPrelude(connection, [beginScoped(tenantId)]);
      let result: T;
      try {
        result = await fn(boundTo(this.db, connection));
      } catch (e) {
        // A connection that cannot even roll back is ended, so the pool drops it.
        await endTransaction(connection, 'ROLLBACK').catch(() => connection.end().catch(() => {}));
        throw e;
      }
      await endTransaction(connection, 'COMMIT');
      return result;
    } finally {
      resetPipeline(connection);
      pool.releaseConnection(connection);
    }
  }

  /**
   * A transaction in the tenant that owns outbox row `id` (found through the `outbox_queue` view,
   * which shows every tenant's scheduling columns and nothing else). If the row is gone, `fn`
   * runs in no tenant and finds nothing.
   */
  forOutboxRow<T>(id: number, fn: (work: Work) => Promise<T>): Promise<T> {
    return this.run(async (work) => {
      const row: { tenant_id: string } | undefined = await work.tx('outbox_queue').where({ id }).first('tenant_id');
      if (row) await work.enterTenant(row.tenant_id);
      return fn(work);
    });
  }
}
