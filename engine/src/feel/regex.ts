// FEEL's regular-expression builtins (`matches`, `replace`, `split`) on RE2 (re2js), in time
// linear in the input. feelin runs them on JavaScript's backtracking RegExp: a process owner's
// pattern such as `(a+)+$`, or a pattern a requester supplies through a variable, would hold the
// engine's thread (and every tenant's work) for minutes on a few dozen characters. These take
// feelin's place through the evaluation context, which feelin looks in before its builtins (so a
// variable of the same name still wins, as it does over a builtin). Their results follow feelin's
// for every pattern RE2 accepts (feel.test.ts compares them); a pattern it does not accept
// (lookaround, backreferences) is an invalid argument, so the call gives null, as feelin's does for
// a pattern JavaScript refuses.
import { RE2JS } from 're2js';

type Flags = string | null | undefined;

/** feelin's argument handling for a string parameter: a one-item list stands for its item. */
const str = (value: unknown): string | undefined => {
  const v = Array.isArray(value) && value.length === 1 ? value[0] : value;
  return typeof v === 'string' ? v : undefined;
};

/** The flags FEEL (XPath) defines and feelin supports; `x` it does not implement. */
const FLAG_BITS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL };

/** The pattern compiled for RE2, or undefined where feelin's RegExp would be null too (bad flags) or RE2 refuses it. */
function compile(pattern: string, flags: Flags): RE2JS | undefined {
  let bits = 0;
  for (const flag of flags ?? '') {
    if (flag === 'x') throw new Error('matches <x> flag is not implemented');
    const bit = FLAG_BITS[flag];
    if (bit === undefined) return undefined;
    bits |= bit;
  }
  try {
    return RE2JS.compile(RE2JS.translateRegExp(pattern), bits);
  } catch {
    return undefined;
  }
}

/** A builtin as feelin calls it: its parameter names (for named arguments) in `$args`. */
const builtin = <F extends (...args: never[]) => unknown>(f: F, names: string[]): F => Object.assign(f, { $args: names });

function matches(input: unknown, pattern: unknown, flags?: unknown): boolean | null {
  const i = str(input);
  const p = str(pattern);
  if (i === undefined || p === undefined || !optionalString(flags)) return null;
  return compile(p, str(flags))?.test(i) ?? null;
}

function replace(input: unknown, pattern: unknown, replacement: unknown, flags?: unknown): string | null {
  const i = str(input);
  const p = str(pattern);
  const r = str(replacement);
  if (i === undefined || p === undefined || r === undefined || !optionalString(flags)) return null;
  const re = compile(p, str(flags));
  // XPath's $0 is the whole match: JavaScript's $&, as in feelin.
  return re ? re.matcher(i).replaceAll(r.replace(/\$0/g, '$$&')) : null;
}

/** JavaScript's `string.split(regexp)`, as feelin calls it: captured groups go into the result too. */
function split(input: unknown, delimiter: unknown): Array<string | undefined> | null {
  const s = str(input);
  const d = str(delimiter);
  if (s === undefined || d === undefined) return null;
  const re = compile(d, '');
  if (!re) return null;
  const matcher = re.matcher(s);
  if (s.length === 0) return matcher.find(0) ? [] : [s];
  const parts: Array<string | undefined> = [];
  let last = 0; // where the current part starts
  let from = 0; // where to look for the next delimiter
  while (from < s.length && matcher.find(from)) {
    const start = matcher.start();
    const end = matcher.end();
    if (start >= s.length) break;
    if (end === last) {
      // An empty match where the part starts splits nothing: look one code point further.
      from = start + ((s.codePointAt(start) ?? 0) > 0xffff ? 2 : 1);
      continue;
    }
    parts.push(s.slice(last, start));
    for (let g = 1; g <= matcher.groupCount(); g++) parts.push(matcher.group(g) ?? undefined);
    last = end;
    from = end;
  }
  parts.push(s.slice(last));
  return parts;
}

const optionalString = (value: unknown): boolean => value === undefined || value === null || str(value) !== undefined;

/** The replacements, by FEEL name. */
export const LINEAR_REGEX_BUILTINS: Readonly<Record<string, unknown>> = Object.freeze({
  matches: builtin(matches, ['input', 'pattern', 'flags']),
  replace: builtin(replace, ['input', 'pattern', 'replacement', 'flags']),
  split: builtin(split, ['string', 'delimiter']),
});

/** Whether an expression may call one of them (then its context gets them). */
export const mayUseRegex = (expression: string): boolean => /\b(?:matches|replace|split)\s*\(/.test(expression);
