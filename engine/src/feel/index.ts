// FEEL for ServiceLoom: every condition, script and mapping is a FEEL expression, evaluated on the
// engine's hot path. feelin (v8) is the reference implementation, but it exposes no compile-once
// API: each `evaluate` re-parses the source and rebuilds its closures (~150µs a call). So this
// module is hand-written: it parses once with lezer-feel (the parser feelin uses) and translates a
// common subset into closures (compile.ts, with feelin's value semantics ported in semantics.ts).
// Everything else, and any evaluation whose data the fast path does not model (dates, class
// instances, context keys that would change how feelin parses), runs through feelin itself.
//
// The fast path must agree with feelin on every input; feel.test.ts holds it to that with
// differential property tests against feelin. When upgrading feelin, run them first.

import { evaluate } from 'feelin';
import { checkSize, type FeelBudget, FeelBudgetError, feelBudget, startMeter } from './budget.ts';
import { escapeLineBreaksInStrings, rewriteIsDefined, withDefinedChecks } from './camunda.ts';
import { type Closure, compileTree } from './compile.ts';
import { asBudgetError, needsDeadline, withDeadline } from './fallback.ts';
import { keyGuard } from './guard.ts';
import { findSyntaxError, parseFeel } from './parse.ts';
import { LINEAR_REGEX_BUILTINS, mayUseRegex } from './regex.ts';
import { checkDeep } from './semantics.ts';

export { configureFeelBudget, DEFAULT_FEEL_BUDGET, type FeelBudget, FeelBudgetError } from './budget.ts';

export interface CompiledFeel {
  /** The expression as written (before stripping `=` and whitespace). */
  readonly source: string;
  /** Whether the expression was compiled to closures; if false every evaluation goes through feelin. */
  readonly fast: boolean;
  /**
   * The result may share objects with `context` where feelin would return copies: treat both as
   * read-only. Throws FeelBudgetError when the evaluation goes over its budget (budget.ts): by
   * default the one set with `configureFeelBudget`.
   */
  evaluate(context: Record<string, unknown>, budget?: FeelBudget): unknown;
}

export class FeelSyntaxError extends Error {
  constructor(
    message: string,
    readonly source: string,
  ) {
    super(message);
    this.name = 'FeelSyntaxError';
  }
}

/** Returned by `tryFast` when the fast path declines an evaluation. */
export const DECLINED: unique symbol = Symbol('feel.declined');

export class CompiledExpression implements CompiledFeel {
  readonly fast: boolean;
  /** Whether feelin gets the linear-time regex builtins (regex.ts) in its context. */
  private readonly regex: boolean;

  constructor(
    readonly source: string,
    /** What feelin is given: the source without `=` and surrounding whitespace. */
    readonly expression: string,
    private readonly run: Closure | undefined,
    private readonly keysSafe: (context: Record<string, unknown>) => boolean,
    /** Whether feelin must run it under a deadline (fallback.ts). */
    private readonly unbounded: boolean,
  ) {
    this.fast = run !== undefined;
    this.regex = mayUseRegex(expression);
  }

  evaluate(context: Record<string, unknown>, budget: FeelBudget = feelBudget()): unknown {
    const value = this.tryFast(context, budget);
    if (value !== DECLINED) return value;
    // The context's own variables still come first, as they do over feelin's builtins.
    const withRegex = this.regex && Object.getPrototypeOf(context) === Object.prototype;
    const input = withRegex ? { ...LINEAR_REGEX_BUILTINS, ...context } : context;
    let result: unknown;
    try {
      result = this.unbounded
        ? withDeadline(budget.fallbackMs, () => evaluate(this.expression, input).value)
        : evaluate(this.expression, input).value;
    } catch (e) {
      throw asBudgetError(e, budget) ?? e;
    }
    checkSize(result, budget);
    return result;
  }

  /** The fast path's result, or DECLINED where feelin must evaluate (exposed for tests). */
  tryFast(context: Record<string, unknown>, budget: FeelBudget = feelBudget()): unknown {
    const run = this.run;
    // feelin treats a non-plain context differently (prototype getters are visible)
    if (run === undefined || typeof context !== 'object' || context === null || Object.getPrototypeOf(context) !== Object.prototype) {
      return DECLINED;
    }
    startMeter(budget);
    try {
      if (!this.keysSafe(context)) return DECLINED;
      const value = run(context);
      checkSize(value, budget);
      if (typeof value === 'object' && value !== null) checkDeep(value);
      return value;
    } catch (e) {
      // Over budget: feelin would take at least as long, so this is the answer.
      if (e instanceof FeelBudgetError) throw e;
      // BAIL, or an error feelin may handle (or throw) in its own way: let feelin decide
      return DECLINED;
    }
  }
}

/**
 * Compiles a FEEL expression. One leading `=` (Camunda 8 style) and surrounding whitespace are
 * stripped. Throws FeelSyntaxError when feelin could not parse it (checked without a context:
 * names that only parse given particular context keys are not supported).
 */
export function compileFeel(source: string): CompiledFeel {
  let offset = source.length - source.trimStart().length;
  let expression = source.trim();
  if (expression.startsWith('=')) {
    const rest = expression.slice(1);
    offset += 1 + rest.length - rest.trimStart().length;
    expression = rest.trim();
  }
  if (expression === '') throw new FeelSyntaxError('empty expression', source);
  let checks: ReturnType<typeof rewriteIsDefined>['checks'];
  try {
    ({ expression, checks } = rewriteIsDefined(escapeLineBreaksInStrings(expression)));
  } catch (e) {
    throw new FeelSyntaxError((e as Error).message, source);
  }

  let tree: ReturnType<typeof parseFeel>;
  try {
    tree = parseFeel(expression);
  } catch (e) {
    throw new FeelSyntaxError(`cannot parse ${JSON.stringify(expression)}: ${(e as Error).message}`, source);
  }
  const problem = findSyntaxError(tree);
  if (problem) {
    const token = expression.slice(problem.from, problem.to);
    const near = token ? ` ${JSON.stringify(token)}` : '';
    const message = problem.message.replace('Unrecognized token', `Unrecognized token${near}`);
    throw new FeelSyntaxError(`${message} at position ${offset + problem.from} in ${JSON.stringify(source)}`, source);
  }

  const keysSafe = keyGuard(expression);
  const run = compileTree(tree.topNode, expression, keysSafe);
  return withDefinedChecks(new CompiledExpression(source, expression, run, keysSafe, needsDeadline(tree, expression)), checks);
}
