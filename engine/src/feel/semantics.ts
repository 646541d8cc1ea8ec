// FEEL value semantics for the compiled fast path, ported from feelin 8.2 (interpreter `evalNode`,
// `equals`, `getFromContext`, `createRange` / `rangeIncludes`, `compareIn`). Each function mirrors
// the feelin code it names, quirks included (e.g. `"abc" >= 1` is true there, because feelin
// compares with JavaScript's operators). The differential tests in feel.test.ts hold them to it.
//
// The fast path only understands "JSON" values: null/undefined, booleans, numbers, strings,
// arrays and plain objects. feelin first deep-copies the context and turns Dates and Temporal
// values into its own temporal types; rather than copy, these functions throw BAIL when they meet
// anything else, and the caller re-runs the expression through feelin.

import { normalizeContextKey } from 'lezer-feel';
import { checkStringLength, tick } from './budget.ts';

/** Thrown to abandon the fast path for this evaluation; the caller falls back to feelin. */
export const BAIL: unique symbol = Symbol('feel.bail');

export function bail(): never {
  throw BAIL;
}

const hasOwnEnumerable = Object.prototype.propertyIsEnumerable;

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

type Kind = 'nil' | 'boolean' | 'number' | 'string' | 'list' | 'context';

/** feelin's `getType` restricted to JSON values; anything else (dates, functions, class instances) bails. */
function kind(v: unknown): Kind {
  switch (typeof v) {
    case 'undefined':
      return 'nil';
    case 'boolean':
      return 'boolean';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    case 'object':
      if (v === null) return 'nil';
      if (Array.isArray(v)) return 'list';
      if (Object.getPrototypeOf(v) === Object.prototype) return 'context';
      return bail();
    default:
      return bail();
  }
}

/**
 * Bails unless `v` is JSON all the way down (results and builtin arguments must not hide a Date).
 * With `counted`, each element and entry visited is a step of the budget: a builtin's argument is
 * checked here, and the builtin then does work of the same order.
 */
export function checkDeep(v: unknown, counted = false): void {
  if (v === null) return;
  const t = typeof v;
  if (t !== 'object') {
    if (t === 'function' || t === 'symbol' || t === 'bigint') bail();
    return;
  }
  if (Array.isArray(v)) {
    if (counted) tick(v.length);
    for (let i = 0; i < v.length; i++) checkDeep(v[i], counted);
    return;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) bail();
  const o = v as Record<string, unknown>;
  for (const k in o) {
    if (hasOwnEnumerable.call(o, k)) {
      if (counted) tick();
      checkDeep(o[k], counted);
    }
  }
}

/** Top-level check only: arrays and plain objects pass, deeper content is checked where it is read. */
export function checkShallow(v: unknown): void {
  if (v === null || v === undefined) return;
  const t = typeof v;
  if (t === 'object') {
    if (!Array.isArray(v) && Object.getPrototypeOf(v) !== Object.prototype) bail();
  } else if (t === 'function' || t === 'symbol' || t === 'bigint') {
    bail();
  }
}

// ---- name lookup -------------------------------------------------------------------------

/**
 * feelin's `getFromContext(name, target)` for a name that is already normalized: an own entry,
 * else the first key whose normalized form equals the name (so `" amount "` answers `amount`).
 * Lists only expose `length`, as feelin's copy of them does. The `includes` pre-filter is exact
 * for one-word names; for builtin names with spaces the key guard has already bailed on any key
 * that normalizes to them.
 */
export function lookup(target: unknown, name: string): unknown {
  if (target === null || target === undefined) return undefined;
  if (typeof target !== 'object') {
    const t = typeof target;
    return t === 'boolean' || t === 'number' || t === 'string' ? undefined : bail();
  }
  if (Array.isArray(target)) return name === 'length' ? target.length : undefined;
  if (Object.getPrototypeOf(target) !== Object.prototype) return bail();
  const o = target as Record<string, unknown>;
  if (hasOwnEnumerable.call(o, name)) return o[name];
  // Normalization only adds or removes whitespace, so a matching key must contain the name.
  for (const k in o) {
    if (k.length > name.length && k.includes(name) && hasOwnEnumerable.call(o, k) && normalizeContextKey(k) === name) {
      return o[k];
    }
  }
  return undefined;
}

/** `a.b` (PathName): a missing entry is null; a list maps the lookup over its items. */
export function pathStep(target: unknown, name: string): unknown {
  if (Array.isArray(target)) {
    tick(target.length);
    return target.map((item) => {
      const v = lookup(item, name);
      return v === undefined ? null : v;
    });
  }
  const v = lookup(target, name);
  return v === undefined ? null : v;
}

// ---- equality and ordering -----------------------------------------------------------------

/** feelin `equals(a, b)`: null on type mismatch, deep on lists and contexts, singleton lists unwrapped. */
export function feelEquals(a: unknown, b: unknown): boolean | null {
  const ta = typeof a;
  // same-typed primitives, the common case: feelin ends in `a == b`
  if (ta === typeof b && (ta === 'number' || ta === 'string' || ta === 'boolean')) return a === b;
  if ((a === null) !== (b === null)) return false;
  if (Array.isArray(a) && a.length < 2) a = a[0];
  if (Array.isArray(b) && b.length < 2) b = b[0];
  const at = kind(a);
  const bt = kind(b);
  if (at !== bt) return null;
  if (at === 'nil') return true;
  if (at === 'list') {
    const la = a as unknown[];
    const lb = b as unknown[];
    if (la.length !== lb.length) return false;
    tick(la.length);
    // `every` (not a for loop) to skip holes exactly as feelin does
    return la.every((el, i) => feelEquals(el, lb[i]));
  }
  if (at === 'context') {
    const ae = Object.entries(a as Record<string, unknown>);
    const bo = b as Record<string, unknown>;
    if (ae.length !== Object.keys(bo).length) return false;
    tick(ae.length);
    return ae.every(([k, v]) => hasOwnEnumerable.call(bo, k) && feelEquals(v, bo[k]));
  }
  // biome-ignore lint/suspicious/noDoubleEquals: mirrors feelin (same-typed primitives here)
  return a == b;
}

export function feelNotEquals(a: unknown, b: unknown): boolean | null {
  const r = feelEquals(a, b);
  return r === null ? null : !r;
}

type Primitive = string | number | boolean;

/** feelin's range `cmp`: JavaScript ordering, anything unordered (NaN, "a" vs 1) counts as equal. */
function cmp(a: Primitive, b: Primitive): number {
  // the casts only silence TypeScript: mixed types compare with JavaScript coercion, as in feelin
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

/** A range bound as feelin's `createRange` accepts it: null, number or string (else it throws). */
function bound(v: unknown): Primitive | null {
  if (v === null) return null;
  const t = typeof v;
  if (t === 'number' || t === 'string') return v as Primitive;
  return bail();
}

/** A value probed against a range; objects would go through JavaScript coercion, so they bail. */
function probe(v: unknown): Primitive | null {
  if (v === null || v === undefined) return null;
  const t = typeof v;
  if (t === 'number' || t === 'string' || t === 'boolean') return v as Primitive;
  return bail();
}

/** feelin `createRange(start, end, ...)` + `rangeIncludes(range, value)`. */
export function rangeIncludes(
  startValue: unknown,
  endValue: unknown,
  startIncluded: boolean,
  endIncluded: boolean,
  value: unknown,
): boolean | null {
  let start = bound(startValue);
  let end = bound(endValue);
  if (start !== null && end !== null && typeof start !== typeof end) bail(); // createRange throws
  if (start === null && end === null) return null;
  const v = probe(value);
  if (v === null) return null;
  if (start !== null && end !== null && cmp(start, end) > 0) {
    [start, end] = [end, start];
    [startIncluded, endIncluded] = [endIncluded, startIncluded];
  }
  if (start !== null) {
    const c = cmp(v, start);
    if (startIncluded ? c < 0 : c <= 0) return false;
  }
  if (end !== null) {
    const c = cmp(v, end);
    if (endIncluded ? c > 0 : c >= 0) return false;
  }
  return true;
}

// `a < b` is `createRange(null, b, false, false).includes(a)` in feelin, and so on; unrolled here:
// a null bound is an empty range (null), a null probe is null, else `cmp(a, b)` decides.
export function lt(a: unknown, b: unknown): boolean | null {
  const end = bound(b);
  const v = end === null ? null : probe(a);
  return v === null ? null : (v as number) < (end as number);
}

export function le(a: unknown, b: unknown): boolean | null {
  const end = bound(b);
  const v = end === null ? null : probe(a);
  return v === null ? null : !((v as number) > (end as number));
}

export function gt(a: unknown, b: unknown): boolean | null {
  const start = bound(b);
  const v = start === null ? null : probe(a);
  return v === null ? null : (v as number) > (start as number);
}

export function ge(a: unknown, b: unknown): boolean | null {
  const start = bound(b);
  const v = start === null ? null : probe(a);
  return v === null ? null : !((v as number) < (start as number));
}

/** `x between a and b`: null bounds give null before anything else is looked at. */
export function between(value: unknown, start: unknown, end: unknown): boolean | null {
  if (start === null || end === null) return null;
  return rangeIncludes(start, end, true, true, value);
}

/** feelin `compareIn(value, tests)` where the tests are plain values (a list or a single value). */
export function inValues(value: unknown, tests: unknown): boolean | null {
  if (!Array.isArray(tests)) {
    if (tests === null || tests === undefined) return null;
    tests = [tests];
  }
  tick((tests as unknown[]).length);
  for (const test of tests as unknown[]) {
    // functions would be called and ranges probed by feelin; neither is JSON
    if (typeof test === 'function') bail();
    if (feelEquals(test, value) === true) return true;
  }
  return false;
}

// ---- arithmetic and logic ------------------------------------------------------------------

/** The operand type feelin's `nullable` checks; non-JSON objects may be temporals, so they bail. */
function operandType(v: unknown): string {
  const t = typeof v;
  if (t === 'number' || t === 'string' || t === 'boolean') return t;
  if (v === null || v === undefined) return 'nil';
  if (t === 'object' && Object.getPrototypeOf(v) === Object.prototype) return 'context';
  return bail();
}

export type ArithOp = (a: unknown, b: unknown) => unknown;

/** feelin's `nullable(op, types)`: lists and mismatched or unsupported types give null. */
function arith(allowString: boolean, op: (a: number, b: number) => number | null): ArithOp {
  return (a, b) => {
    if (Array.isArray(a) || Array.isArray(b)) return null;
    const at = operandType(a);
    if (at !== operandType(b)) return null;
    if (at === 'number') return op(a as number, b as number);
    if (at === 'string' && allowString) {
      checkStringLength((a as string).length + (b as string).length);
      return (a as string) + (b as string);
    }
    return null;
  };
}

export const ARITH: Record<string, ArithOp> = {
  '+': arith(true, (a, b) => a + b),
  '-': arith(false, (a, b) => a - b),
  '*': arith(false, (a, b) => a * b),
  '/': arith(false, (a, b) => (!b ? null : a / b)),
  '**': arith(false, Math.pow),
  '^': arith(false, Math.pow),
};

/** FEEL three-valued `and`: non-booleans count as null. */
export function and(left: unknown, right: unknown): boolean | null {
  const a = typeof left === 'boolean' ? left : null;
  const b = typeof right === 'boolean' ? right : null;
  if (a === false || b === false) return false;
  if (a === true && b === true) return true;
  return null;
}

/** FEEL three-valued `or`: non-booleans count as null. */
export function or(left: unknown, right: unknown): boolean | null {
  const a = typeof left === 'boolean' ? left : null;
  const b = typeof right === 'boolean' ? right : null;
  if (a === true || b === true) return true;
  if (a === false && b === false) return false;
  return null;
}

/** feelin `isTruthy`, used by `if`: everything but false and null (so `if 0` takes the then branch). */
export function isTruthy(v: unknown): boolean {
  return v !== false && v !== null;
}
