// Limits on what a JSON value may hold before it reaches the engine or the database: PostgreSQL
// refuses NUL characters in text and jsonb, and deep nesting would overflow recursive code.
export const MAX_JSON_DEPTH = 64;

/** Returns what is wrong with the value, or undefined. Iterative, so hostile depth cannot overflow it. */
export function jsonProblem(value: unknown): string | undefined {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return 'strings must not contain NUL (\\u0000) characters';
    } else if (v && typeof v === 'object') {
      if (depth >= MAX_JSON_DEPTH) return `JSON nested deeper than ${MAX_JSON_DEPTH} levels is not accepted`;
      for (const [k, child] of Object.entries(v)) {
        if (k.includes('\u0000')) return 'keys must not contain NUL (\\u0000) characters';
        stack.push([child, depth + 1]);
      }
    }
  }
  return undefined;
}
