// The guard on feelin, the fallback evaluator. Its interpreter offers no hook to count steps, so an
// expression that can iterate or grow values there (`for`, `some`/`every`, filters, function
// definitions, context literals whose entries build on each other, and every builtin not known to
// be linear) runs under a deadline: node:vm's `timeout` terminates whatever JavaScript runs inside
// the call, feelin's loops included, and memory stays bounded by what can be allocated before it.
// Other expressions are straight-line over their data (no loops, no way to name and reuse a value),
// so they finish in time linear in expression size times data size and need no deadline; that
// matters because the watchdog thread costs about half a millisecond per call.
//
// In a browser (the designer's simulation) there is no node:vm and feelin runs unguarded: there it
// can only hold the user's own tab.

import type { SyntaxNode, Tree } from '@lezer/common';
import { FeelBudgetError } from './budget.ts';
import { children } from './parse.ts';

const ITERATING = new Set(['ForExpression', 'QuantifiedExpression', 'FilterExpression', 'FunctionDefinition', 'Context']);

/** Builtins whose time is linear in their arguments and whose result is no bigger than them (or a scalar). */
const LINEAR_BUILTINS = new Set([
  'not',
  'date',
  'time',
  'date and time',
  'duration',
  'years and months duration',
  'number',
  'string',
  'string length',
  'substring',
  'upper case',
  'lower case',
  'substring before',
  'substring after',
  'contains',
  'starts with',
  'ends with',
  'matches',
  'split',
  'abs',
  'floor',
  'ceiling',
  'round up',
  'round down',
  'round half up',
  'round half down',
  'decimal',
  'modulo',
  'sqrt',
  'log',
  'exp',
  'odd',
  'even',
  'is defined',
  'get value',
  'count',
  'min',
  'max',
  'sum',
  'mean',
  'all',
  'any',
  'and',
  'or',
  'list contains',
  'reverse',
  'sublist',
  'day of week',
  'day of year',
  'week of year',
  'month of year',
  'now',
  'today',
]);

/** Whether feelin must run this expression under the deadline. */
export function needsDeadline(tree: Tree, source: string): boolean {
  let found = false;
  tree.iterate({
    enter(ref) {
      if (found || ref.type.isSkipped) return false;
      if (ITERATING.has(ref.name)) {
        found = true;
        return false;
      }
      if (ref.name === 'FunctionInvocation' && !LINEAR_BUILTINS.has(calleeName(ref.node, source))) found = true;
      return !found;
    },
  });
  return found;
}

function calleeName(invocation: SyntaxNode, source: string): string {
  const callee = children(invocation)[0];
  if (!callee || callee.name !== 'VariableName') return '';
  return children(callee)
    .map((w) => source.slice(w.from, w.to))
    .join(' ');
}

interface Vm {
  createContext(): object;
  Script: new (code: string) => { runInContext(context: object, options: { timeout: number }): unknown };
}

type NodeProcess = { getBuiltinModule?(id: string): unknown };

// Loaded without a static import, so the engine still bundles for the browser.
const vm = (globalThis as { process?: NodeProcess }).process?.getBuiltinModule?.('node:vm') as Vm | undefined;
const sandbox = vm?.createContext();
const call = vm ? new vm.Script('run()') : undefined;

/** Runs `work` and stops it after `ms` milliseconds with a time-budget error. */
export function withDeadline<T>(ms: number, work: () => T): T {
  if (!sandbox || !call) return work();
  const box = sandbox as { run?: () => T };
  box.run = work;
  try {
    return call.runInContext(sandbox, { timeout: ms }) as T;
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new FeelBudgetError('time', ms);
    throw e;
  } finally {
    box.run = undefined;
  }
}

/** JavaScript's own limits reached inside an evaluation, reported as the budget they stand for. */
export function asBudgetError(
  e: unknown,
  budget: { listLength: number; stringLength: number; depth: number },
): FeelBudgetError | undefined {
  if (!(e instanceof RangeError)) return undefined;
  if (e.message.includes('call stack')) return new FeelBudgetError('nesting', budget.depth);
  if (e.message.includes('string length')) return new FeelBudgetError('string length', budget.stringLength);
  if (e.message.includes('array length')) return new FeelBudgetError('list length', budget.listLength);
  return undefined;
}
