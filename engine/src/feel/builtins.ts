// Builtin functions for the fast path. Rather than re-implement them, we call feelin's own function
// objects (a bare builtin name evaluates to its function), and repeat what feelin's
// `FunctionInvocation` does around the call: the positional-argument count check and turning an
// invalid-argument signal into null. Only builtins that are pure functions of JSON arguments and
// compare nothing by identity are listed (`list contains` compares with ===, so it is not).

import { evaluate } from 'feelin';

type FeelinBuiltin = ((...args: unknown[]) => unknown) & { $args?: string[] };

export interface Builtin {
  readonly name: string;
  /** Whether the call looks inside list or context arguments (then those must be JSON throughout). */
  readonly deep: boolean;
  call(args: unknown[]): unknown;
}

const FAST_BUILTINS: Record<string, { deep: boolean }> = {
  not: { deep: true },
  count: { deep: false }, // reads only the list's length
  sum: { deep: true },
  min: { deep: true },
  max: { deep: true },
  abs: { deep: true },
  floor: { deep: true },
  ceiling: { deep: true },
  modulo: { deep: true },
  decimal: { deep: true },
  odd: { deep: true },
  even: { deep: true },
  'string length': { deep: true },
  'upper case': { deep: true },
  'lower case': { deep: true },
  contains: { deep: true },
  'starts with': { deep: true },
  'ends with': { deep: true },
  substring: { deep: true },
};

const builtinFunctions = new Map<string, FeelinBuiltin | null>();

/** feelin's builtin of that name, found the way feelin finds it: a name absent from the context. */
function feelinBuiltin(name: string): FeelinBuiltin | null {
  let fn = builtinFunctions.get(name);
  if (fn === undefined) {
    let value: unknown = null;
    try {
      value = evaluate(name, {}).value;
    } catch {
      // not an expression on its own (e.g. a keyword): not a builtin either
    }
    fn = typeof value === 'function' ? (value as FeelinBuiltin) : null;
    builtinFunctions.set(name, fn);
  }
  return fn;
}

/** Whether a variable of this name would fall back to a builtin function when the context lacks it. */
export function isBuiltinName(name: string): boolean {
  return feelinBuiltin(name) !== null;
}

// feelin's InvocationFailure class is not exported; `abs("x")` returns one.
const failureClass: (abstract new (...args: never[]) => unknown) | undefined = (() => {
  const probe = feelinBuiltin('abs')?.('x');
  return typeof probe === 'object' && probe !== null && 'warning' in probe
    ? (probe.constructor as abstract new (
        ...args: never[]
      ) => unknown)
    : undefined;
})();

const resolved = new Map<string, Builtin | undefined>();

export function fastBuiltin(name: string): Builtin | undefined {
  if (resolved.has(name)) return resolved.get(name);
  const spec = FAST_BUILTINS[name];
  const fn = spec && failureClass ? feelinBuiltin(name) : null;
  let builtin: Builtin | undefined;
  if (spec && fn && Array.isArray(fn.$args)) {
    const params = fn.$args;
    const last = params[params.length - 1];
    const variadic = last !== undefined && last.startsWith('...');
    const failure = failureClass as abstract new (...args: never[]) => unknown;
    builtin = {
      name,
      deep: spec.deep,
      call(args) {
        // FeelFunction.invoke: too many positional arguments is a failure (null)
        if (args.length > params.length && !variadic) return null;
        const result = fn(...args);
        return result instanceof failure ? null : result;
      },
    };
  }
  resolved.set(name, builtin);
  return builtin;
}
