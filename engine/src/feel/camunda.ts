// What Camunda's FEEL engine accepts and feelin does not, rewritten before parsing:
// - string literals that span lines (Camunda 8 prompts and templates): the raw line breaks become
//   `\n` / `\r` escapes, which feelin reads back as the same characters.
// - the extension `is defined(x)`: true when the variable or context entry exists, even holding
//   null; false when it does not. feelin answers every missing name with null, so a function
//   cannot tell the two apart. We rewrite each `is defined(<name or path>)` into a synthetic
//   variable and set it, per evaluation, from the context itself.
import type { FeelBudget } from './budget.ts';

export interface DefinedCheck {
  /** The synthetic variable the call was replaced by. */
  readonly name: string;
  readonly path: readonly string[];
}

const CALL = /\bis\s+defined\s*\(\s*/y;
const PATH = /([A-Za-z_][A-Za-z0-9_]*(?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)*)\s*\)/y;

/** Escapes raw line breaks inside string literals; the rest of the expression is left as it is. */
export function escapeLineBreaksInStrings(expression: string): string {
  if (!/[\r\n]/.test(expression)) return expression;
  let out = '';
  let inString = false;
  for (let i = 0; i < expression.length; i++) {
    const ch = expression[i] as string;
    if (inString && ch === '\\') {
      out += ch + (expression[i + 1] ?? '');
      i++;
    } else if (inString && ch === '\n') out += '\\n';
    else if (inString && ch === '\r') out += '\\r';
    else {
      if (ch === '"') inString = !inString;
      out += ch;
    }
  }
  return out;
}

/** Replaces `is defined(a.b)` outside string literals; throws for an argument that is not a name or path. */
export function rewriteIsDefined(expression: string): { expression: string; checks: DefinedCheck[] } {
  if (!/\bis\s+defined\s*\(/.test(expression)) return { expression, checks: [] };
  const checks: DefinedCheck[] = [];
  let out = '';
  let i = 0;
  while (i < expression.length) {
    const ch = expression[i] as string;
    if (ch === '"') {
      // Copy a string literal whole (with its escapes): `is defined(` inside it is text.
      let j = i + 1;
      while (j < expression.length && expression[j] !== '"') j += expression[j] === '\\' ? 2 : 1;
      out += expression.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    CALL.lastIndex = i;
    if ((i === 0 || !/[A-Za-z0-9_]/.test(expression[i - 1] as string)) && CALL.test(expression)) {
      PATH.lastIndex = CALL.lastIndex;
      const m = PATH.exec(expression);
      if (!m) throw new Error('is defined() takes a variable name or a path such as order.customer');
      const name = `_sl_defined_${checks.length}`;
      checks.push({ name, path: (m[1] as string).split('.').map((s) => s.trim()) });
      out += name;
      i = PATH.lastIndex;
      continue;
    }
    out += ch;
    i++;
  }
  return { expression: out, checks };
}

function defined(context: Record<string, unknown>, path: readonly string[]): boolean {
  let value: unknown = context;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, key)) return false;
    value = (value as Record<string, unknown>)[key];
  }
  return true;
}

interface Evaluator {
  evaluate(context: Record<string, unknown>, budget?: FeelBudget): unknown;
}

/** Evaluates `inner` with each synthetic variable set from the context it is given. */
export function withDefinedChecks<T extends Evaluator>(inner: T, checks: readonly DefinedCheck[]): T {
  if (checks.length === 0) return inner;
  const evaluate = inner.evaluate.bind(inner);
  return Object.assign(Object.create(inner) as T, {
    evaluate(context: Record<string, unknown>, budget?: FeelBudget) {
      const extended: Record<string, unknown> = { ...context };
      for (const c of checks) extended[c.name] = defined(context, c.path);
      return evaluate(extended, budget);
    },
  });
}
