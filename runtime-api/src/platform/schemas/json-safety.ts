// Limits on what a request may hold before it reaches the engine or the database: PostgreSQL
// refuses NUL characters and lone UTF-16 surrogates in text and jsonb (a failed statement, not a
// 4xx), and deep nesting would overflow recursive code. One check for every route: the errors
// plugin runs it on each request's body, query string and path parameters.
export const MAX_JSON_DEPTH = 64;

export interface JsonProblem {
  /** INVALID_STRING: a string PostgreSQL cannot store; INVALID_INPUT: nesting too deep. */
  code: 'INVALID_STRING' | 'INVALID_INPUT';
  /** JSON pointer (RFC 6901) to the offending value or key ("" for the whole value). */
  pointer: string;
  message: string;
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one (code units, no `u` flag). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What PostgreSQL could not store in the string, or undefined. */
export function stringProblem(s: string): string | undefined {
  if (s.includes('\u0000')) return 'holds a NUL (\\u0000) character';
  if (LONE_SURROGATE.test(s)) return 'holds a lone UTF-16 surrogate (half of a \\ud83d\\ude00-style pair)';
  return undefined;
}

const escapeToken = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');

/** Objects to walk: not the buffers or streams another content-type parser may give as a body. */
const isData = (v: object) => !ArrayBuffer.isView(v) && !(v instanceof ArrayBuffer) && typeof (v as { pipe?: unknown }).pipe !== 'function';

/** Returns what is wrong with the value, or undefined. Iterative, so hostile depth cannot overflow it. */
export function jsonProblem(value: unknown): JsonProblem | undefined {
  const stack: Array<[unknown, number, string]> = [[value, 0, '']];
  while (stack.length) {
    const [v, depth, pointer] = stack.pop() as [unknown, number, string];
    if (typeof v === 'string') {
      const problem = stringProblem(v);
      if (problem) return { code: 'INVALID_STRING', pointer, message: `${problem}, which cannot be stored` };
    } else if (v && typeof v === 'object' && isData(v)) {
      if (depth >= MAX_JSON_DEPTH) {
        return { code: 'INVALID_INPUT', pointer, message: `is JSON nested deeper than ${MAX_JSON_DEPTH} levels, which is not accepted` };
      }
      for (const [k, child] of Object.entries(v)) {
        const at = `${pointer}/${escapeToken(k)}`;
        const problem = stringProblem(k);
        if (problem) return { code: 'INVALID_STRING', pointer: at, message: `has a key that ${problem}, which cannot be stored` };
        stack.push([child, depth + 1, at]);
      }
    }
  }
  return undefined;
}
