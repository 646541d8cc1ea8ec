// FEEL within bounds: a runaway expression in a process faults its element with the budget it
// exceeded, quickly, instead of holding the engine or exhausting its memory.
import { describe, expect, it } from 'vitest';
import { type CompiledFeel, compileFeel, DEFAULT_FEEL_BUDGET, FeelBudgetError } from '../src/index.ts';
import { bpmn, flow, Run } from './harness.ts';

/** start -> script task "t" -> end */
function script(expression: string): string {
  const escaped = expression.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return bpmn(`
    <bpmn:startEvent id="start"/>
    ${flow('f1', 'start', 't')}
    <bpmn:scriptTask id="t" scriptFormat="feel" sl:resultVariable="r"><bpmn:script>${escaped}</bpmn:script></bpmn:scriptTask>
    ${flow('f2', 't', 'end')}
    <bpmn:endEvent id="end"/>`);
}

function budgetError(expr: CompiledFeel, context: Record<string, unknown> = {}): FeelBudgetError {
  try {
    expr.evaluate(context);
  } catch (e) {
    if (e instanceof FeelBudgetError) return e;
    throw e;
  }
  throw new Error(`${expr.source} stayed within its budget`);
}

// A long string built by repetition, by doubling context entries (fast path) and with string join (feelin).
const DOUBLING = `{a: "0123456789abcdef", ${Array.from({ length: 18 }, (_, i) => `e${i}: ${i === 0 ? 'a' : `e${i - 1}`} + ${i === 0 ? 'a' : `e${i - 1}`}`).join(', ')}}`;
const JOINED = 'string length(string join(for i in 1..5000000 return "0123456789abcdef0123456789abcdef", ""))';

describe('FEEL budget', () => {
  it.each([
    ['count(for i in 1..10000000 return i)', 'steps'],
    ['count(for a in 1..10000, b in 1..10000 return 1)', 'steps'],
    ['some x in 1..10000000 satisfies x < 0', 'steps'],
    ['for x in 0.5..3 return x', 'steps'], // never meets its end (feelin loops for ever)
    [DOUBLING, 'string length'],
  ])('the fast path stops %s on its %s budget', (source, limit) => {
    const expr = compileFeel(source);
    expect(expr.fast).toBe(true);
    expect(budgetError(expr).limit).toBe(limit);
  });

  it.each([
    // no fast path for these (a feelin-only builtin, a string range, recursion): feelin runs under a deadline
    ['count(for i in 1..10000000 return date("2024-01-01"))', ['time']],
    [JOINED, ['time', 'string length']],
    ['{f: function(n) if n = 0 then [] else [f(n - 1)]}.f(100000)', ['nesting', 'time']],
  ])('feelin is stopped on %s', (source, limits) => {
    const expr = compileFeel(source);
    expect(expr.fast).toBe(false);
    expect(limits).toContain(budgetError(expr).limit);
  });

  it('holds results to the size budget: list length, string length and nesting', () => {
    const small = { ...DEFAULT_FEEL_BUDGET, listLength: 10, stringLength: 5, depth: 3 };
    const fit =
      (source: string, context: Record<string, unknown> = {}) =>
      () =>
        compileFeel(source).evaluate(context, small);
    expect(fit('for i in 1..10 return i')()).toHaveLength(10);
    expect(fit('for i in 1..11 return i')).toThrow(/list length budget \(10 items\)/);
    expect(fit('"abc" + "def"')).toThrow(/string length budget \(5 characters\)/);
    expect(fit('[[[1]]]')()).toEqual([[[1]]]);
    expect(fit('[[[[1]]]]')).toThrow(/nesting budget \(3 levels\)/);
    expect(fit('x', { x: [[[[1]]]] })).toThrow(/nesting budget/);
  });

  it('leaves ordinary expressions alone', () => {
    expect(compileFeel('count(for i in 1..1000 return i * 2)').evaluate({})).toBe(1000);
    expect(compileFeel('sum(for o in orders return o.amount)').evaluate({ orders: [{ amount: 2 }, { amount: 3 }] })).toBe(5);
    expect(compileFeel('every o in orders satisfies o.amount > 1').evaluate({ orders: [{ amount: 2 }, { amount: 3 }] })).toBe(true);
    expect(compileFeel('date("2024-01-31") + duration("P1D")').evaluate({})).toBeTruthy();
  });

  it('a runaway script task faults on its element with the budget it exceeded; the step succeeds', async () => {
    for (const source of ['count(for i in 1..10000000 return i)', 'count(for a in 1..10000, b in 1..10000 return 1)']) {
      const started = Date.now();
      const run = await Run.start(script(source));
      // generous: the point is "not a stall of seconds per evaluation", on a shared machine
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(run.status).toBe('active');
      const [fault] = run.effectsOf('faultRaised');
      expect(fault?.elementId).toBe('t');
      expect(fault?.message).toMatch(/^"t": the expression ".*" exceeded the FEEL steps budget \(100,000 steps\)$/);
      expect(Object.values(run.state.faults)).toHaveLength(1);
    }
  });

  it('a runaway condition faults on its gateway', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'gw')}
      <bpmn:exclusiveGateway id="gw" default="f3"/>
      ${flow('f2', 'gw', 'end', 'count(for i in 1..10000000 return i) > 0')}
      ${flow('f3', 'gw', 'end')}
      <bpmn:endEvent id="end"/>`),
    );
    const [fault] = run.effectsOf('faultRaised');
    expect(fault?.elementId).toBe('gw');
    expect(fault?.message).toMatch(/"gw": .*steps budget/);
  });
});
