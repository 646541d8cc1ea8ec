// Statuses written into SQL as literals (src/db/literal.ts): only plain words get in.
import knexPkg from 'knex';
import { describe, expect, it } from 'vitest';
import { literal } from '../src/platform/db/literal.ts';

const knex = knexPkg.knex({ client: 'pg' });

describe('literal', () => {
  it('writes a status into the statement text, not its parameters', () => {
    const { sql, bindings } = knex('tasks')
      .where({ instance_id: 'i-1', status: literal(knex, 'open') })
      .toSQL()
      .toNative();
    expect(sql).toBe(`select * from "tasks" where "instance_id" = $1 and "status" = 'open'`);
    expect(bindings).toEqual(['i-1']);
  });

  it('refuses anything but a lower-case word', () => {
    for (const word of ["open' OR '1'='1", 'Open', 'open;', '', "o'pen", 'open\\'])
      expect(() => literal(knex, word), word).toThrow(/not a word/);
  });
});
