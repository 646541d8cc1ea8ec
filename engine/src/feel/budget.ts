// FEEL within bounds. An expression is written by a process owner (or arrives through a variable's
// value) and runs on the server's one event loop: `count(for i in 1..10000000 return i)` would hold
// every tenant's requests for seconds, and a cartesian `for` would exhaust the heap. So every
// evaluation runs against a budget:
//
// - steps: the fast path (compile.ts) counts one step per iteration of `for`, `some` and `every`,
//   per element of a range it enumerates, and per list element or context entry that a deep
//   operation visits (equality, builtin argument checks, paths over lists). Counting is
//   deterministic: the same expression on the same data always stops at the same point.
// - sizes: list length, string length and nesting depth of the values an evaluation produces.
// - time, on the feelin fallback only: feelin's interpreter cannot be instrumented, so an
//   expression that may iterate or grow values there runs under a deadline (fallback.ts).
//
// Exceeding any of them throws FeelBudgetError, which the engine turns into a fault on the element
// (like any expression that throws). A counter was chosen over a worker thread because the engine
// is synchronous and also runs in browsers, and because a counter costs nanoseconds on the hot path
// where a worker round trip would cost a structured clone of the context per evaluation.

export interface FeelBudget {
  /** Steps one evaluation may take on the fast path (see above for what a step is). */
  readonly steps: number;
  /** Longest list an evaluation may build or return. */
  readonly listLength: number;
  /** Longest string (UTF-16 code units) an evaluation may build or return. */
  readonly stringLength: number;
  /** Deepest nesting of lists and contexts in a result. */
  readonly depth: number;
  /** Milliseconds feelin may run an expression that can iterate (where it can run at all: Node). */
  readonly fallbackMs: number;
}

export const DEFAULT_FEEL_BUDGET: Readonly<FeelBudget> = Object.freeze({
  steps: 100_000,
  listLength: 100_000,
  stringLength: 1 << 20,
  depth: 256,
  fallbackMs: 250,
});

let configured: FeelBudget = DEFAULT_FEEL_BUDGET;

/** Sets the budget every later evaluation runs under (fields left out keep their defaults). */
export function configureFeelBudget(budget: Partial<FeelBudget>): void {
  configured = Object.freeze({ ...DEFAULT_FEEL_BUDGET, ...budget });
}

export function feelBudget(): FeelBudget {
  return configured;
}

export type BudgetLimit = 'steps' | 'list length' | 'string length' | 'nesting' | 'time';

const UNITS: Record<BudgetLimit, string> = {
  steps: 'steps',
  'list length': 'items',
  'string length': 'characters',
  nesting: 'levels',
  time: 'ms',
};

/** An evaluation went over its budget: a fault on the element, never a retry of the same work. */
export class FeelBudgetError extends Error {
  constructor(
    readonly limit: BudgetLimit,
    readonly max: number,
  ) {
    super(`exceeded the FEEL ${limit} budget (${max.toLocaleString('en-US')} ${UNITS[limit]})`);
    this.name = 'FeelBudgetError';
  }
}

// The meter of the evaluation running now. Evaluations are synchronous and never nest, so one
// module-level meter serves them all and the closures need no extra parameter.
let remaining = DEFAULT_FEEL_BUDGET.steps;
let current: FeelBudget = DEFAULT_FEEL_BUDGET;

/** Starts metering an evaluation. */
export function startMeter(budget: FeelBudget): void {
  current = budget;
  remaining = budget.steps;
}

/** Spends `n` steps of the running evaluation. */
export function tick(n = 1): void {
  remaining -= n;
  if (remaining < 0) throw new FeelBudgetError('steps', current.steps);
}

export function checkListLength(length: number): void {
  if (length > current.listLength) throw new FeelBudgetError('list length', current.listLength);
}

export function checkStringLength(length: number): void {
  if (length > current.stringLength) throw new FeelBudgetError('string length', current.stringLength);
}

/**
 * Checks a result against the size budget: list and string lengths and nesting depth. Iterative
 * (an explicit stack), so a result nested past the JavaScript stack is reported, not a crash; a
 * result that contains itself (`for x in [1] return partial` in feelin) is too deep by definition.
 */
export function checkSize(value: unknown, budget: FeelBudget = current): void {
  if (typeof value === 'string') {
    if (value.length > budget.stringLength) throw new FeelBudgetError('string length', budget.stringLength);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v === 'string') {
      if (v.length > budget.stringLength) throw new FeelBudgetError('string length', budget.stringLength);
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth > budget.depth) throw new FeelBudgetError('nesting', budget.depth);
    if (Array.isArray(v)) {
      if (v.length > budget.listLength) throw new FeelBudgetError('list length', budget.listLength);
      for (let i = 0; i < v.length; i++) {
        const item = v[i];
        if (typeof item === 'object' ? item !== null : typeof item === 'string') stack.push([item, depth + 1]);
      }
    } else if (Object.getPrototypeOf(v) === Object.prototype) {
      for (const k in v as Record<string, unknown>) {
        const item = (v as Record<string, unknown>)[k];
        if (typeof item === 'object' ? item !== null : typeof item === 'string') stack.push([item, depth + 1]);
      }
    }
  }
}
