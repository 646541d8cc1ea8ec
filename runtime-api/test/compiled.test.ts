// Statements compiled once per shape (src/platform/db/compiled.ts): whatever the cache does, a statement's
// SQL and values are exactly what knex makes of the same call.
import knexPkg, { type Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { type Build, compiled } from '../src/platform/db/compiled.ts';

const knex = knexPkg.knex({ client: 'pg' });
const direct = <A>(build: Build<A>, args: A) => {
  const { sql, bindings } = build(knex, args).toSQL().toNative();
  return { text: sql, values: [...bindings] };
};

type Row = Record<string, unknown>;
const insertRows: Build<Row[]> = (q, rows) => q('history').insert(rows);
const updateTask: Build<{ id: string; actor: string | null; at: Date }> = (q, a) =>
  q('tasks').where({ id: a.id, status: 'open' }).update({ status: 'completed', completed_at: a.at, completed_by: a.actor });
const findTasks: Build<{ tenant: string; assignee: string | null; archived: boolean; limit: number; ids: string[] }> = (q, a) =>
  q('tasks').where({ tenant_id: a.tenant, assignee: a.assignee, archived: a.archived }).whereIn('id', a.ids).orderBy('id').limit(a.limit);
const guarded: Build<{ id: string; version: number; message: string }> = (q, a) =>
  q.raw('WITH updated AS (?) SELECT serviceloom_expect(EXISTS (SELECT FROM updated), ?, ?)', [
    q('instances')
      .where({ id: a.id, version_no: a.version })
      .update({ version_no: a.version + 1 })
      .returning('id'),
    'SLX01',
    a.message,
  ]);
// Builds that put a value where no binding goes: these must never replay stale text.
const inlined: Build<{ column: string; id: string }> = (q, a) => q('tasks').select(a.column).where({ id: a.id });
const rawTable: Build<{ table: string }> = (q, a) => q.raw(`SELECT count(*) FROM ${a.table}`);
const withRaw: Build<{ value: Knex.Raw }> = (q, a) => q('tasks').where({ id: a.value });

const cases: Array<[string, Build<never>, unknown[]]> = [
  [
    'multi-row inserts with nulls and dates',
    insertRows as Build<never>,
    [
      [{ a: 'x', b: null, at: new Date('2026-01-01T00:00:00Z') }],
      [{ a: 'y', b: null, at: new Date('2026-02-01T00:00:00Z') }],
      [{ a: 'y', b: 'now set', at: new Date('2026-02-01T00:00:00Z') }],
      [
        { a: 'one', b: 1, at: '2026-03-01T00:00:00Z' },
        { a: 'two', b: 2, at: '2026-03-02T00:00:00Z' },
      ],
      [{ a: 'z', b: undefined, at: '2026-03-03T00:00:00Z' }],
    ],
  ],
  [
    'updates with a null and a value in the same place',
    updateTask as Build<never>,
    [
      { id: 't1', actor: 'agent1', at: new Date('2026-01-01T00:00:00Z') },
      { id: 't2', actor: 'agent2', at: new Date('2026-01-02T00:00:00Z') },
      { id: 't3', actor: null, at: new Date('2026-01-03T00:00:00Z') },
    ],
  ],
  [
    'where clauses with IS NULL, booleans, lists and limits',
    findTasks as Build<never>,
    [
      { tenant: 'demo', assignee: 'a', archived: false, limit: 10, ids: ['1', '2'] },
      { tenant: 'other', assignee: 'b', archived: false, limit: 20, ids: ['3', '4'] },
      { tenant: 'demo', assignee: null, archived: true, limit: 10, ids: ['1', '2', '3'] },
      { tenant: 'demo', assignee: 'a', archived: true, limit: 5, ids: [] },
    ],
  ],
  [
    'a raw with a builder inside',
    guarded as Build<never>,
    [
      { id: 'i1', version: 3, message: 'moved' },
      { id: 'i2', version: 7, message: 'moved again' },
    ],
  ],
  [
    'values written into the SQL as identifiers',
    inlined as Build<never>,
    [
      { column: 'name', id: 'a' },
      { column: 'status', id: 'b' },
    ],
  ],
  ['values written into raw SQL', rawTable as Build<never>, [{ table: 'tasks' }, { table: 'jobs' }]],
  ['arguments that are knex objects', withRaw as Build<never>, [{ value: knex.raw("'x'") }, { value: knex.raw("'y'") }]],
];

describe('compiled statements', () => {
  it.each(cases)('give what knex gives: %s', (_name, build, calls) => {
    // Twice over: the first pass learns the shapes, the second replays them.
    for (let pass = 0; pass < 2; pass++) {
      for (const args of calls) expect(compiled(knex, build, args as never).native()).toEqual(direct(build, args as never));
    }
  });

  it('compiles a shape once, then only fills in values', () => {
    // Learning a shape runs the build on stand-ins (strings marked with \u0001); count those runs.
    let learned = 0;
    const counted: Build<{ id: string; n: number }> = (q, a) => {
      if (a.id.startsWith('\u0001')) learned++;
      return q('tasks').where({ id: a.id }).limit(a.n);
    };
    const first = compiled(knex, counted, { id: 'a', n: 1 }).native();
    const second = compiled(knex, counted, { id: 'b', n: 2 }).native();
    const third = compiled(knex, counted, { id: 'c', n: 3 }).native();
    expect(learned).toBe(1);
    expect(first).toEqual({ text: 'select * from "tasks" where "id" = $1 limit $2', values: ['a', 1] });
    expect(second).toEqual({ text: first.text, values: ['b', 2] });
    expect(third).toEqual({ text: first.text, values: ['c', 3] });
  });

  it('catches a build function that branches on a value (the suites run with SERVICELOOM_VERIFY_COMPILED=1)', () => {
    expect(process.env.SERVICELOOM_VERIFY_COMPILED).toBe('1');
    // It also places the value it compares, so every stand-in comes back and the shape is kept.
    const branching: Build<{ kind: string; id: string }> = (q, a) =>
      a.kind === 'task' ? q('tasks').where({ id: a.id, kind: a.kind }) : q('jobs').where({ id: a.id, kind: a.kind });
    expect(() => compiled(knex, branching, { kind: 'task', id: 't1' }).native()).toThrow(/differs from knex's/);
  });

  it('hands the builder over as it is, for running through knex', () => {
    const args = { id: 't9', actor: null, at: new Date(0) };
    const { sql, bindings } = compiled(knex, updateTask, args).builder().toSQL().toNative();
    expect({ text: sql, values: bindings }).toEqual(direct(updateTask, args));
  });
});
