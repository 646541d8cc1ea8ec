// Statements whose SQL knex compiles once per shape, not on every call.
//
// Under the API bench, knex's `toSQL` was the largest part of the server's own CPU after the
// HTTP stack (about 16 µs a statement, 18 statements an instance). Yet a step's statements take
// few shapes: the insert of one task row, of three history rows, the update of a task by id. So
// a hot statement is written as a build function of its arguments, at module level, and
// `compiled(q, build, args)` compiles it the first time it meets a shape of `args`: it runs
// `build` on stand-ins for every value (unique strings, numbers, dates), and reads from knex's
// bindings where each value goes. The next call of that shape takes the SQL as it is and puts
// its own values in those places.
//
// The shape of the arguments is their structure: object keys in order, array lengths, and which
// values are null, undefined, true or false (knex writes `IS NULL` for a null in a where clause,
// skips undefined, and may treat booleans apart), plus the type of every other value. A shape is
// cached only if every stand-in came back as a binding and nothing else did but plain
// constants; anything else (a value knex wrote into the SQL, transformed, or dropped; an
// argument that is itself a builder, a raw or an object of another class) makes the shape
// uncacheable, and those calls compile as usual. Values are never part of the cache key, and the
// stand-ins are never sent to the database.
//
// The contract for a build function: it may branch on the shape (whether a value is null or
// undefined, a boolean, which keys an object has, how long an array is) but must only place the
// strings, numbers and dates it is given, never compute with them or compare them: a value
// computed from another (`version + 1`) belongs in the arguments. Violations that show are
// caught (a computed number or string is not one of the stand-ins: the shape is not cached);
// for the rest, SERVICELOOM_VERIFY_COMPILED=1 (set for the test suites) compiles every call
// directly as well and throws if the cached SQL or values differ.
//
// On PGlite (in-process: statements run one by one through knex) the builder is used as it is.
import type { Knex } from 'knex';
import type { Queryable } from './connect.ts';

export type Build<A> = (q: Queryable, args: A) => Knex.QueryBuilder | Knex.Raw;

/** A statement with its arguments: SQL and values for a pipeline, or the knex builder. */
export class CompiledStatement {
  constructor(
    private readonly q: Queryable,
    private readonly build: Build<never>,
    private readonly args: unknown,
  ) {}

  /** The knex builder, for running it through knex. */
  builder(): Knex.QueryBuilder | Knex.Raw {
    return this.build(this.q, this.args as never);
  }

  /** SQL ($1, $2, ...) and values, compiled once per shape. PostgreSQL's dialect: for `pg` connections only. */
  native(): { text: string; values: unknown[] } {
    const leaves: unknown[] = [];
    let signature: string;
    try {
      signature = shapeOf(this.args, leaves);
    } catch (e) {
      if (e !== UNCACHEABLE) throw e;
      return toNative(this.builder());
    }
    // A shape per row count of a large insert would fill the cache with long keys and SQL used once.
    if (leaves.length > MAX_CACHED_VALUES) return toNative(this.builder());
    let byShape = SHAPES.get(this.build);
    if (!byShape) {
      byShape = new Map();
      SHAPES.set(this.build, byShape);
    }
    let shape = byShape.get(signature);
    if (shape === undefined) {
      shape = byShape.size < MAX_SHAPES ? learn(this.q, this.build, this.args) : null;
      if (shape !== null || byShape.size < MAX_SHAPES) byShape.set(signature, shape);
    }
    if (shape === null) return toNative(this.builder());
    const native = { text: shape.text, values: shape.slots.map((slot) => (typeof slot === 'number' ? leaves[slot] : slot.constant)) };
    if (VERIFY) verify(native, toNative(this.builder()));
    return native;
  }
}

/** What a batch runs: a knex builder or raw, or a compiled statement. */
export type Statement = Knex.QueryBuilder | Knex.Raw | CompiledStatement;

/** A statement's SQL ($1, $2, ...) and values, for PostgreSQL. */
export function nativeOf(statement: Statement): { text: string; values: readonly unknown[] } {
  if (statement instanceof CompiledStatement) return statement.native();
  return toNative(statement);
}

/** A statement as knex runs it (on PGlite, or awaited directly). */
export function builderOf(statement: Statement): Knex.QueryBuilder | Knex.Raw {
  return statement instanceof CompiledStatement ? statement.builder() : statement;
}

/** `build(q, args)`, compiled once per shape of `args`. `build` must be a module-level function: the cache is kept per function. */
export function compiled<A>(q: Queryable, build: Build<A>, args: A): CompiledStatement {
  return new CompiledStatement(q, build as Build<never>, args);
}

/** One build function per table and kind, so that the cache (kept per function) holds their shapes. */
function perTable<A>(make: (table: string) => Build<A>): (table: string) => Build<A> {
  const made = new Map<string, Build<A>>();
  return (table) => {
    let build = made.get(table);
    if (!build) {
      build = make(table);
      made.set(table, build);
    }
    return build;
  };
}

/** The build function of a plain insert of one row or several into `table`. */
export const inserts = perTable<Record<string, unknown> | Array<Record<string, unknown>>>((table) => (q, rows) => q(table).insert(rows));

/** The build function of a read of one row of `table` by tenant and id. */
export const byId = perTable<{ tenantId: string; id: string }>((table) => (q, a) => q(table).where({ tenant_id: a.tenantId, id: a.id }));

/** What a shape compiles to: the SQL, and for each binding the value's index or a constant. */
interface Shape {
  text: string;
  slots: Array<number | { constant: unknown }>;
}

/** Shapes per build function (null: not cacheable). A build function has a few shapes; past this many, new ones are not kept. */
const SHAPES = new WeakMap<Build<never>, Map<string, Shape | null>>();
const MAX_SHAPES = 64;
/** Values a cached shape places at most: a step's usual statements place tens. */
const MAX_CACHED_VALUES = 1_024;

const UNCACHEABLE = Symbol('uncacheable');

const VERIFY = process.env.SERVICELOOM_VERIFY_COMPILED === '1';

/** Throws unless the cached statement is the one knex compiles for the same call. */
function verify(cached: { text: string; values: unknown[] }, direct: { text: string; values: unknown[] }): void {
  const same =
    cached.text === direct.text &&
    cached.values.length === direct.values.length &&
    cached.values.every((v, i) => v === direct.values[i] || (v instanceof Date && v.getTime() === (direct.values[i] as Date)?.getTime?.()));
  if (!same) {
    throw new Error(
      `a compiled statement differs from knex's for the same call (its build function computes with a value or branches on one): ${direct.text}`,
    );
  }
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The arguments' structure as a string; their values, in order, pushed onto `leaves`. Throws UNCACHEABLE for anything but plain data. */
function shapeOf(value: unknown, leaves: unknown[]): string {
  switch (typeof value) {
    case 'string':
      leaves.push(value);
      return 's';
    case 'number':
      if (!Number.isFinite(value)) throw UNCACHEABLE;
      leaves.push(value);
      return 'd';
    case 'boolean':
      return value ? 't' : 'f';
    case 'undefined':
      return 'u';
    case 'object': {
      if (value === null) return 'n';
      if (value instanceof Date) {
        leaves.push(value);
        return 'D';
      }
      if (Array.isArray(value)) {
        let s = '[';
        for (const item of value) s += `${shapeOf(item, leaves)},`;
        return `${s}]`;
      }
      if (!isPlainObject(value)) throw UNCACHEABLE;
      let s = '{';
      for (const key of Object.keys(value)) s += `${JSON.stringify(key)}:${shapeOf((value as Record<string, unknown>)[key], leaves)},`;
      return `${s}}`;
    }
    default:
      throw UNCACHEABLE;
  }
}

/** A copy of `value` with each value `shapeOf` pushes replaced by a unique stand-in of its type, in the same order. */
function standIns(value: unknown, made: unknown[]): unknown {
  switch (typeof value) {
    case 'string': {
      const s = `\u0001sl-stand-in-${made.length}\u0001`;
      made.push(s);
      return s;
    }
    case 'number': {
      const n = 1_000_000_007 + made.length;
      made.push(n);
      return n;
    }
    case 'object': {
      if (value === null) return null;
      if (value instanceof Date) {
        const d = new Date(946_684_800_000 + made.length);
        made.push(d);
        return d;
      }
      if (Array.isArray(value)) return value.map((item) => standIns(item, made));
      const copy: Record<string, unknown> = {};
      for (const key of Object.keys(value)) copy[key] = standIns((value as Record<string, unknown>)[key], made);
      return copy;
    }
    default:
      return value;
  }
}

/** Compiles `build` on stand-ins and maps its bindings back to the values; null if the shape cannot be cached. */
function learn(q: Queryable, build: Build<never>, args: unknown): Shape | null {
  const made: unknown[] = [];
  let sql: string;
  let bindings: readonly unknown[];
  try {
    ({ text: sql, values: bindings } = toNative(build(q, standIns(args, made) as never)));
  } catch {
    // knex refused a stand-in (it checks some values): compile such calls as they come.
    return null;
  }
  const index = new Map<unknown, number>(made.map((m, i) => [m, i]));
  const used = new Set<number>();
  const slots: Shape['slots'] = [];
  for (const binding of bindings) {
    const i = index.get(binding);
    if (i !== undefined) {
      used.add(i);
      slots.push(i);
    } else if (binding === null || typeof binding === 'boolean' || (typeof binding === 'string' && !binding.includes('\u0001'))) {
      // The build's own constants ('open'), or from the shape itself (a true or false). Not a
      // number: one could be computed from a value (version + 1) and would not follow it.
      slots.push({ constant: binding });
    } else {
      // A value knex changed, or one it was not given by us: not safe to replay.
      return null;
    }
  }
  // Every value must come back as a binding: one written into the SQL, or dropped, would not follow the next call's values.
  if (used.size !== made.length || sql.includes('\u0001')) return null;
  return { text: sql, slots };
}

function toNative(statement: Knex.QueryBuilder | Knex.Raw): { text: string; values: unknown[] } {
  const { sql, bindings } = statement.toSQL().toNative();
  // A fresh array of this toSQL's own: no copy needed.
  return { text: sql, values: bindings as unknown[] };
}
