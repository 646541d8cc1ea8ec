// Fixed words (statuses) written into a statement's SQL rather than sent as parameters.
//
// Statements are prepared once per connection (pipeline.ts), and PostgreSQL then plans them once,
// but only while its generic plan looks no dearer than a plan for the values at hand. For a
// parameter on a skewed column that never holds: open tasks are a handful among many closed ones,
// so the plan for 'open' always looks cheaper than the plan for "some status", and PostgreSQL
// planned the task list and the closing of an ended instance's tasks again on every call (87 and
// 66 µs of its CPU a time). With the word in the text, the one generic plan knows it is 'open'.
import type { Knex } from 'knex';
import type { Queryable } from './connect.ts';

const WORD = /^[a-z_]+$/;

/** `word` as a SQL string literal, for a where clause; only lower-case words (statuses), so nothing needs escaping. */
export function literal(q: Queryable, word: string): Knex.Raw {
  if (!WORD.test(word)) throw new Error(`"${word}" is not a word that can be written into SQL`);
  return q.raw(`'${word}'`);
}
