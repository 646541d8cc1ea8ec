// Translates a lezer-feel parse tree into closures `(scope) => value`, once, for the subset of FEEL
// that the engine evaluates on its hot path. Each case follows the node of the same name in
// feelin's `evalNode` (node children line up with its `args`, comments skipped). Anything outside
// the subset throws Unsupported, and the whole expression is then left to feelin.

import type { SyntaxNode } from '@lezer/common';
import { normalizeContextKey } from 'lezer-feel';
import { checkListLength, tick } from './budget.ts';
import { type Builtin, fastBuiltin, isBuiltinName } from './builtins.ts';
import { isNameChar, isStartChar } from './guard.ts';
import { children, containsSkipped } from './parse.ts';
import {
  ARITH,
  and,
  bail,
  between,
  checkDeep,
  checkShallow,
  feelEquals,
  feelNotEquals,
  ge,
  gt,
  inValues,
  isPlainObject,
  isTruthy,
  le,
  lookup,
  lt,
  or,
  pathStep,
  rangeIncludes,
} from './semantics.ts';

export type Scope = Record<string, unknown>;
export type Closure = (scope: Scope) => unknown;

class Unsupported extends Error {}

/** A closure plus feelin's type tag for the node (it decides how `x in <test>` treats booleans). */
interface Compiled {
  fn: Closure;
  type: string | undefined;
}

/** A context literal being compiled: the keys of its entries so far, and whether later ones read them. */
interface Frame {
  keys: { raw: string; normalized: string }[];
  merge: boolean;
}

const COMPARE: Record<string, (a: unknown, b: unknown) => boolean | null> = {
  '=': feelEquals,
  '!=': feelNotEquals,
  '<': lt,
  '<=': le,
  '>': gt,
  '>=': ge,
};

/**
 * Compiles the tree's top node, or returns undefined when it uses something outside the subset.
 * `guard` is the key check of guard.ts; path expressions run it on each object they step into.
 */
export function compileTree(top: SyntaxNode, source: string, guard: (obj: Scope) => boolean): Closure | undefined {
  try {
    return new Compiler(source, guard).expr(top).fn;
  } catch {
    // Unsupported, or a literal feelin itself fails on (e.g. an out-of-range \u escape): feelin decides
    return undefined;
  }
}

function unsupported(): never {
  throw new Unsupported();
}

function constant(value: unknown, type: string): Compiled {
  return { fn: () => value, type };
}

/** A name the fast path can look up directly: one word of name characters. */
function isPlainName(name: string): boolean {
  if (name.length === 0 || !isStartChar(name.charCodeAt(0))) return false;
  for (let i = 1; i < name.length; i++) if (!isNameChar(name.charCodeAt(i))) return false;
  return true;
}

class Compiler {
  private readonly frames: Frame[] = [];

  constructor(
    private readonly source: string,
    private readonly guard: (obj: Scope) => boolean,
  ) {}

  private text(node: SyntaxNode): string {
    return this.source.slice(node.from, node.to);
  }

  expr(node: SyntaxNode): Compiled {
    const kids = children(node);
    switch (node.name) {
      case 'Expression':
        if (kids.length !== 1) unsupported();
        return this.expr(kids[0]);
      case 'ParenthesizedExpression':
        if (kids.length !== 3) unsupported();
        return this.expr(kids[1]);
      case 'NumericLiteral': {
        // feelin parses the raw text, sign and all ("- 1" is NaN there)
        const input = this.text(node);
        return constant(input.includes('.') ? Number.parseFloat(input) : Number.parseInt(input, 10), 'number');
      }
      case 'StringLiteral':
        return constant(parseString(this.text(node)), 'string');
      case 'BooleanLiteral':
        return constant(this.text(node) === 'true', 'boolean');
      case 'null':
        return constant(null, 'nil');
      case 'VariableName':
        return this.variable(node, kids);
      case 'PathExpression':
        return this.path(node);
      case 'Comparison':
        return this.comparison(kids);
      case 'Conjunction':
      case 'Disjunction': {
        if (kids.length !== 3) unsupported();
        const l = this.expr(kids[0]).fn;
        const r = this.expr(kids[2]).fn;
        const op = node.name === 'Conjunction' ? and : or;
        // both sides are evaluated, as in feelin (no short circuit)
        return { fn: (s) => op(l(s), r(s)), type: 'test' };
      }
      case 'ArithmeticExpression':
        return this.arithmetic(kids);
      case 'IfExpression': {
        if (kids.length !== 6 || kids[0].name !== 'if' || kids[2].name !== 'then' || kids[4].name !== 'else') unsupported();
        const c = this.expr(kids[1]).fn;
        const t = this.expr(kids[3]);
        const e = this.expr(kids[5]);
        const tf = t.fn;
        const ef = e.fn;
        return { fn: (s) => (isTruthy(c(s)) ? tf(s) : ef(s)), type: t.type === e.type ? t.type : 'any' };
      }
      case 'List': {
        if (kids.length < 2 || kids[0].name !== '[' || kids[kids.length - 1].name !== ']') unsupported();
        const items = kids.slice(1, -1).map((k) => this.expr(k).fn);
        return { fn: (s) => items.map((f) => f(s)), type: undefined };
      }
      case 'Context':
        return this.context(kids);
      case 'FunctionInvocation':
        return this.invocation(kids);
      case 'ForExpression':
        return this.forExpression(kids);
      case 'QuantifiedExpression':
        return this.quantified(kids);
      default:
        return unsupported();
    }
  }

  private variable(node: SyntaxNode, kids: SyntaxNode[]): Compiled {
    return { fn: this.variableRead(node, kids, 'value'), type: 'any' };
  }

  /** Reads a variable; missing is null, except that a builtin's name then evaluates to the function. */
  private variableRead(node: SyntaxNode, kids: SyntaxNode[], use: 'value' | 'path'): Closure {
    if (node.name !== 'VariableName' || kids.length !== 1 || kids[0].name !== 'Identifier') unsupported();
    const name = this.text(kids[0]);
    if (!isPlainName(name)) unsupported();
    this.reference(name, use);
    if (isBuiltinName(name)) {
      return (s) => {
        const v = lookup(s, name);
        return v === undefined ? bail() : v;
      };
    }
    return (s) => {
      const v = lookup(s, name);
      return v === undefined ? null : v;
    };
  }

  /**
   * Records that `name` is looked up inside the context literals being compiled. A literal whose
   * earlier key answers the name must build its scope as feelin does (outer scope plus keys so far).
   * Only an exact key read as a value is handled; paths and calls through such keys go to feelin.
   */
  private reference(name: string, use: 'value' | 'path' | 'call'): void {
    for (const frame of this.frames) {
      for (const key of frame.keys) {
        if (key.normalized !== name) continue;
        if (use !== 'value' || key.raw !== name) unsupported();
        frame.merge = true;
      }
    }
  }

  /** `a.b.c`, rooted at a variable (feelin's parser resolves other roots against their values). */
  private path(node: SyntaxNode): Compiled {
    const props: string[] = [];
    let target = node;
    while (target.name === 'PathExpression') {
      const kids = children(target);
      if (kids.length !== 3 || kids[1].name !== '.' || kids[2].name !== 'PathName') unsupported();
      const nameKids = children(kids[2]);
      if (nameKids.length !== 1 || nameKids[0].name !== 'Identifier') unsupported();
      const prop = this.text(nameKids[0]);
      if (!isPlainName(prop)) unsupported();
      props.unshift(prop);
      target = kids[0];
    }
    const root = this.variableRead(target, children(target), 'path');
    const guard = this.guard;
    return {
      fn: (s) => {
        let v = root(s);
        // The parser reads the keys of each object the path steps into; after a list it reads none.
        let parsedAgainst = true;
        for (const prop of props) {
          if (Array.isArray(v)) parsedAgainst = false;
          else if (parsedAgainst && isPlainObject(v) && !guard(v)) bail();
          v = pathStep(v, prop);
        }
        return v;
      },
      type: 'any',
    };
  }

  private comparison(kids: SyntaxNode[]): Compiled {
    const left = this.expr(kids[0]).fn;
    const op = kids[1]?.name;
    if (op === 'CompareOp' && kids.length === 3) {
      const compare = COMPARE[this.text(kids[1])] ?? unsupported();
      const right = this.expr(kids[2]).fn;
      return { fn: (s) => compare(left(s), right(s)), type: 'test' };
    }
    if (op === 'between' && kids.length === 5 && kids[3].name === 'and') {
      const start = this.expr(kids[2]).fn;
      const end = this.expr(kids[4]).fn;
      return { fn: (s) => between(left(s), start(s), end(s)), type: 'test' };
    }
    if (op === 'in' && kids.length === 3 && kids[2].name === 'PositiveUnaryTest') {
      return { fn: this.inTest(left, children(kids[2])), type: 'test' };
    }
    return unsupported();
  }

  /** `x in [1, 2]`, `x in list`, `x in [1..10)`; multiple tests and `x in < 3` are left to feelin. */
  private inTest(left: Closure, testKids: SyntaxNode[]): Closure {
    if (testKids.length !== 1) unsupported();
    const test = testKids[0];
    if (test.name === 'SimplePositiveUnaryTest') {
      const inner = children(test);
      if (inner.length !== 1 || inner[0].name !== 'Interval') unsupported();
      const parts = children(inner[0]);
      if (parts.length !== 5 || parts[2].name !== '..') unsupported();
      const openStart = parts[0].name === '[';
      const closeEnd = parts[4].name === ']';
      const start = this.expr(parts[1]).fn;
      const end = this.expr(parts[3]).fn;
      return (s) => {
        const value = left(s);
        const a = start(s);
        const b = end(s);
        return rangeIncludes(a, b, a !== null && openStart, b !== null && closeEnd, value);
      };
    }
    const values = this.expr(test);
    // a boolean-typed test compares against `?` when the context has one
    if (values.type === 'boolean') unsupported();
    const vf = values.fn;
    return (s) => inValues(left(s), vf(s));
  }

  private arithmetic(kids: SyntaxNode[]): Compiled {
    if (kids.length === 3 && kids[1].name === 'ArithOp') {
      const op = ARITH[this.text(kids[1])] ?? unsupported();
      const a = this.expr(kids[0]);
      const b = this.expr(kids[2]);
      const af = a.fn;
      const bf = b.fn;
      return { fn: (s) => op(af(s), bf(s)), type: a.type === b.type ? a.type : 'any' };
    }
    if (kids.length === 2 && kids[0].name === 'ArithOp') {
      // unary: feelin computes `0 <op> value`
      const op = ARITH[this.text(kids[0])] ?? unsupported();
      const v = this.expr(kids[1]);
      const vf = v.fn;
      return { fn: (s) => op(0, vf(s)), type: v.type };
    }
    return unsupported();
  }

  private context(kids: SyntaxNode[]): Compiled {
    if (kids.length < 2 || kids[0].name !== '{' || kids[kids.length - 1].name !== '}') unsupported();
    const frame: Frame = { keys: [], merge: false };
    this.frames.push(frame);
    const keys: string[] = [];
    const values: Closure[] = [];
    for (const entry of kids.slice(1, -1)) {
      const parts = children(entry);
      if (entry.name !== 'ContextEntry' || parts.length !== 2 || parts[0].name !== 'Key') unsupported();
      const key = this.key(parts[0]);
      values.push(this.expr(parts[1]).fn);
      keys.push(key);
      frame.keys.push({ raw: key, normalized: normalizeContextKey(key) });
    }
    this.frames.pop();
    const n = keys.length;
    if (!frame.merge) {
      return {
        fn: (s) => {
          const out: Scope = {};
          for (let i = 0; i < n; i++) out[keys[i]] = values[i](s);
          return out;
        },
        type: undefined,
      };
    }
    // later entries see earlier ones: evaluate against a copy of the scope that grows
    return {
      fn: (s) => {
        const scope: Scope = Object.assign({}, s);
        const out: Scope = {};
        for (let i = 0; i < n; i++) {
          const v = values[i](scope);
          scope[keys[i]] = v;
          out[keys[i]] = v;
        }
        return out;
      },
      type: undefined,
    };
  }

  private key(node: SyntaxNode): string {
    const kids = children(node);
    if (kids.length !== 1) unsupported();
    let key: string;
    if (kids[0].name === 'Name' && !containsSkipped(kids[0])) key = this.text(kids[0]).replace(/\s{2,}/g, ' ');
    else if (kids[0].name === 'StringLiteral') key = parseString(this.text(kids[0]));
    else return unsupported();
    // assigning "__proto__" would set the prototype rather than add an entry
    if (key === '__proto__') unsupported();
    return key;
  }

  /**
   * `for x in xs, y in a..b return e`, as feelin's ForExpression: the iteration contexts are built
   * first (their cartesian product, later lists may read earlier names), then the body runs once
   * per context. Every context and every body run is a step of the budget; the result is a list,
   * held to the list-length budget as it grows. The body's `partial` (the results so far) is left
   * to feelin.
   */
  private forExpression(kids: SyntaxNode[]): Compiled {
    if (kids.length !== 4 || kids[0].name !== 'for' || kids[2].name !== 'return') unsupported();
    if (/\bpartial\b/.test(this.text(kids[3]))) unsupported();
    const contexts = this.inExpressions(kids[1]);
    const body = this.expr(kids[3]).fn;
    return {
      fn: (s) => {
        const product = contexts(s);
        if (product === null) return null;
        const { names, tuples } = product;
        const scope: Scope = Object.assign({}, s);
        const out: unknown[] = [];
        for (const tuple of tuples) {
          tick();
          for (let i = 0; i < names.length; i++) scope[names[i]] = tuple[i];
          out.push(body(scope));
          checkListLength(out.length);
        }
        return out;
      },
      type: undefined,
    };
  }

  /** `some x in xs satisfies c` / `every ...`: stops at the first context that decides, as feelin does. */
  private quantified(kids: SyntaxNode[]): Compiled {
    if (kids.length !== 4 || (kids[0].name !== 'some' && kids[0].name !== 'every') || kids[2].name !== 'satisfies') unsupported();
    const some = kids[0].name === 'some';
    const contexts = this.inExpressions(kids[1]);
    const condition = this.expr(kids[3]).fn;
    return {
      fn: (s) => {
        const product = contexts(s);
        if (product === null) return null;
        const { names, tuples } = product;
        const scope: Scope = Object.assign({}, s);
        for (const tuple of tuples) {
          tick();
          for (let i = 0; i < names.length; i++) scope[names[i]] = tuple[i];
          if (isTruthy(condition(scope)) === some) return some;
        }
        return !some;
      },
      type: 'test',
    };
  }

  /**
   * feelin's InExpressions: the cartesian product of the iteration contexts, each later one
   * evaluated in the scope of the earlier names; null as soon as one of them is not a list.
   */
  private inExpressions(node: SyntaxNode): (s: Scope) => { names: string[]; tuples: unknown[][] } | null {
    if (node.name !== 'InExpressions') unsupported();
    const names: string[] = [];
    const producers: Closure[] = [];
    for (const inExpr of children(node)) {
      const parts = children(inExpr);
      if (inExpr.name !== 'InExpression' || parts.length !== 3 || parts[0].name !== 'Name' || parts[1].name !== 'in') unsupported();
      const nameKids = children(parts[0]);
      if (nameKids.length !== 1 || nameKids[0].name !== 'Identifier') unsupported();
      const name = this.text(nameKids[0]);
      // `__proto__` would set the scope's prototype rather than add a name
      if (!isPlainName(name) || name === '__proto__') unsupported();
      names.push(name);
      producers.push(this.iterationContext(parts[2]));
    }
    if (names.length === 0 || new Set(names).size !== names.length) unsupported();
    return (s) => {
      let tuples: unknown[][] = [[]];
      for (let k = 0; k < producers.length; k++) {
        const next: unknown[][] = [];
        for (const tuple of tuples) {
          let scope = s;
          if (k > 0) {
            tick();
            scope = Object.assign({}, s);
            for (let i = 0; i < k; i++) scope[names[i]] = tuple[i];
          }
          const items = producers[k](scope);
          if (!Array.isArray(items)) return null;
          for (const item of items) {
            tick();
            next.push([...tuple, item]);
          }
          checkListLength(next.length);
        }
        tuples = next;
      }
      return { names, tuples };
    };
  }

  /**
   * feelin's IterationContext + extractValue: `xs` (a list, else no contexts: null) or `a..b`, a
   * range of numbers enumerated from a towards b, both included (a range of other values is left to
   * feelin). As in feelin, a falsy end (`1..0`) is no range: the start alone is the target.
   */
  private iterationContext(node: SyntaxNode): Closure {
    const parts = children(node);
    if (node.name !== 'IterationContext') unsupported();
    if (parts.length === 1) return this.iterationTarget(this.expr(parts[0]).fn);
    if (parts.length !== 3 || parts[1].name !== '..') unsupported();
    const start = this.expr(parts[0]).fn;
    const end = this.expr(parts[2]).fn;
    const target = this.iterationTarget(start);
    return (s) => {
      const b = end(s);
      if (!b) return target(s);
      const a = start(s);
      if (typeof a !== 'number' || typeof b !== 'number') return bail();
      return numberRange(a, b);
    };
  }

  private iterationTarget(value: Closure): Closure {
    return (s) => {
      const v = value(s);
      if (Array.isArray(v)) return v;
      if (v === null || v === undefined || typeof v !== 'object' || isPlainObject(v)) {
        // functions and other objects are feelin's to judge (a range object, a date)
        return typeof v === 'function' ? bail() : null;
      }
      return bail();
    };
  }

  /** A call of one of the builtins in builtins.ts with positional arguments. */
  private invocation(kids: SyntaxNode[]): Compiled {
    if (kids.length !== 4 || kids[0].name !== 'VariableName' || kids[2].name !== 'PositionalParameters') unsupported();
    const words = children(kids[0]);
    if (words.some((w) => w.name !== 'Identifier')) unsupported();
    const name = words.map((w) => this.text(w)).join(' ');
    const builtin: Builtin = fastBuiltin(name) ?? unsupported();
    this.reference(name, 'call');
    const args = children(kids[2]).map((a) => this.expr(a).fn);
    const deep = builtin.deep;
    return {
      fn: (s) => {
        // a context entry of that name shadows the builtin (and is rarely callable)
        if (lookup(s, name) !== undefined) bail();
        const values = args.map((f) => f(s));
        for (const v of values) deep ? checkDeep(v, true) : checkShallow(v);
        return builtin.call(values);
      },
      type: 'any',
    };
  }
}

/**
 * feelin's `numberRangeMap` for an inclusive range: from `a` by steps of one towards `b`, ending
 * when it meets `b`. A fractional range never meets its end (feelin then loops for ever): here the
 * budget ends it.
 */
function numberRange(a: number, b: number): number[] {
  const direction = a > b ? -1 : 1;
  const out: number[] = [];
  for (let i = a; ; i += direction) {
    tick();
    out.push(i);
    checkListLength(out.length);
    if (i === b) break;
  }
  return out;
}

/** feelin's `parseString`, verbatim: quotes stripped, escapes resolved. */
export function parseString(str: string): string {
  if (str.startsWith('"')) str = str.slice(1);
  if (str.endsWith('"')) str = str.slice(0, -1);
  return str.replace(
    /(\\")|(\\\\)|(\\n)|(\\r)|(\\t)|(\\u[a-fA-F0-9]{5,6})|((?:\\u[a-fA-F0-9]{1,4})+)/gi,
    (substring: string, ...groups: (string | undefined)[]) => {
      const [quotes, backslash, newline, carriageReturn, tab, codePoint, charCodes] = groups;
      if (quotes) return '"';
      if (newline) return '\n';
      if (carriageReturn) return '\r';
      if (tab) return '\t';
      if (backslash) return '\\';
      const escapePattern = /\\u([a-fA-F0-9]+)/gi;
      if (codePoint) {
        const match = escapePattern.exec(codePoint) as RegExpExecArray;
        return String.fromCodePoint(Number.parseInt(match[1], 16));
      }
      if (charCodes) {
        const chars: number[] = [];
        for (let m = escapePattern.exec(substring); m !== null; m = escapePattern.exec(substring)) {
          chars.push(Number.parseInt(m[1], 16));
        }
        return String.fromCharCode(...chars);
      }
      throw new Error('illegal match');
    },
  );
}
