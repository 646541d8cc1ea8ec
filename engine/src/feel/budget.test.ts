// Property: whatever the expression, an evaluation under the budget ends: it returns a value within
// the size budget or throws FeelBudgetError (or an ordinary evaluation error feelin throws), in a
// time far below a stall and without exhausting memory. Expressions mix the constructs that
// iterate or grow values, on both paths (fast path and feelin behind its deadline).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSize, DEFAULT_FEEL_BUDGET, type FeelBudget, FeelBudgetError } from './budget.ts';
import { compileFeel } from './index.ts';

const BUDGET: FeelBudget = { ...DEFAULT_FEEL_BUDGET, steps: 20_000, listLength: 20_000, stringLength: 1 << 16, fallbackMs: 100 };
// Far above the budget's worth (milliseconds on an idle machine), for a shared, loaded one.
const BOUND_MS = 5_000;

const { expr } = fc.letrec<{ expr: string }>((tie) => {
  const e = tie('expr');
  const p = e.map((s) => `(${s})`);
  const n = fc.constantFrom('0', '1', '3', '100', '100000', '10000000', 'n');
  const list = fc.oneof(
    fc.tuple(n, n).map(([a, b]) => `${a}..${b}`),
    fc.constantFrom('xs', '[1, 2, 3]'),
    p,
  );
  return {
    expr: fc.oneof(
      { maxDepth: 4, depthSize: 'small' },
      fc.constantFrom('1', '100000', '"abc"', 's', 'xs', 'n', 'null'),
      fc.tuple(fc.constantFrom('i', 'x'), list, e).map(([v, l, b]) => `for ${v} in ${l} return ${b}`),
      fc.tuple(list, list, e).map(([a, b, body]) => `for i in ${a}, j in ${b} return ${body}`),
      fc.tuple(fc.constantFrom('some', 'every'), list, e).map(([q, l, c]) => `${q} x in ${l} satisfies ${c}`),
      fc.tuple(p, fc.constantFrom('+', '*', '=', '<'), p).map(([a, op, b]) => `${a} ${op} ${b}`),
      fc
        .tuple(fc.constantFrom('count', 'sum', 'string length', 'upper case', 'distinct values', 'flatten'), e)
        .map(([f, a]) => `${f}(${a})`),
      fc.tuple(e, e).map(([a, b]) => `string join(${a}, ${b})`),
      fc.tuple(e, e).map(([a, b]) => `concatenate(${a}, ${b})`),
      e.map((a) => `{a: ${a}, b: a + a, c: b + b, d: [c, c]}`),
      e.map((a) => `{f: function(k) if k > 0 then [f(k - 1), f(k - 1)] else ${a}}.f(n)`),
      fc.tuple(e, e).map(([a, b]) => `${a}[${b}]`),
      fc.array(e, { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
    ),
  };
});

const context = fc.record({
  n: fc.constantFrom(0, 3, 30, 100_000),
  s: fc.constantFrom('', 'abc', 'x'.repeat(10_000)),
  xs: fc.constantFrom(
    [],
    [1, 2, 3],
    Array.from({ length: 1000 }, (_, i) => i),
  ),
});

describe('FEEL budget property', () => {
  it('every evaluation ends in time, within the size budget or with the budget error', { timeout: 600_000 }, () => {
    const heapBefore = process.memoryUsage().heapUsed;
    let exceeded = 0;
    let returned = 0;
    fc.assert(
      fc.property(expr, context, (source, ctx) => {
        const compiled = compileFeel(source);
        const started = performance.now();
        let value: unknown;
        try {
          value = compiled.evaluate(ctx, BUDGET);
          returned++;
        } catch (e) {
          // a stack overflow or a string past JavaScript's limit must have become a budget error
          expect(e, source).not.toBeInstanceOf(RangeError);
          if (e instanceof FeelBudgetError) exceeded++;
        }
        expect(performance.now() - started, source).toBeLessThan(BOUND_MS);
        expect(() => checkSize(value, BUDGET), source).not.toThrow();
        expect(process.memoryUsage().heapUsed - heapBefore, source).toBeLessThan(1024 * 1024 * 1024);
      }),
      { numRuns: Number(process.env.FEEL_FUZZ_RUNS ?? 200) },
    );
    // the generator must reach both outcomes, or the property proves little
    expect(exceeded).toBeGreaterThan(0);
    expect(returned).toBeGreaterThan(0);
  });
});
