// FEEL's matches, replace and split on RE2 (regex.ts): feelin's results for every pattern RE2
// takes, in linear time for every pattern.
import fc from 'fast-check';
import { evaluate } from 'feelin';
import { describe, expect, it } from 'vitest';
import { compileFeel } from './index.ts';

/** feelin's own builtins (nothing in the context replaces them). */
const feelin = (expression: string, context: Record<string, unknown>) => evaluate(expression, context).value;
const ours = (expression: string, context: Record<string, unknown>) => compileFeel(expression).evaluate(context);

// Patterns both engines take, with groups, alternation, anchors, classes, lazy and empty matches.
const PATTERNS = [
  'a',
  'a+',
  'a*',
  '(a)(b)?',
  'a|b',
  '^a',
  'b$',
  '[ab]{2}',
  '\\s*,\\s*',
  '(?<word>\\w+)',
  'a.b',
  '^$',
  '',
  'x*',
  'a+?',
  '(a|ab)(c|bcd)?',
  '\\.',
  '[^a]',
  '\\b',
  '(,)',
];
const FLAGS = ['', 'i', 'm', 's', 'ims', 'q'];
const REPLACEMENTS = ['-', '[$0]', '$1|', '$$', '', '<$&>', '$<word>'];
const text = fc.string({ unit: fc.constantFrom('a', 'b', 'A', 'B', ',', ' ', '.', '\n', 'c', 'd', '𝔸'), maxLength: 12 });

describe('FEEL regular expressions on RE2', () => {
  it('match as feelin does', () => {
    fc.assert(
      fc.property(text, fc.constantFrom(...PATTERNS), fc.constantFrom(...FLAGS), (input, pattern, flags) => {
        const context = { input, pattern, flags };
        expect(ours('matches(input, pattern, flags)', context)).toEqual(feelin('matches(input, pattern, flags)', context));
        expect(ours('matches(input, pattern)', context)).toEqual(feelin('matches(input, pattern)', context));
      }),
      { numRuns: 1000 },
    );
  });

  it('replace as feelin does', () => {
    fc.assert(
      fc.property(
        text,
        fc.constantFrom(...PATTERNS),
        fc.constantFrom(...REPLACEMENTS),
        fc.constantFrom(...FLAGS),
        (input, pattern, replacement, flags) => {
          const context = { input, pattern, replacement, flags };
          const call = 'replace(input, pattern, replacement, flags)';
          expect(ours(call, context)).toEqual(feelin(call, context));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('split as feelin does, captured delimiters and empty matches included', () => {
    fc.assert(
      fc.property(text, fc.constantFrom(...PATTERNS), (input, delimiter) => {
        const context = { input, delimiter };
        expect(ours('split(input, delimiter)', context)).toEqual(feelin('split(input, delimiter)', context));
      }),
      { numRuns: 1000 },
    );
  });

  it('answer null for arguments of the wrong type, as feelin does', () => {
    for (const call of [
      'matches(1, "a")',
      'matches("a", 1)',
      'matches("a", "a", 1)',
      'replace("a", "a", 1)',
      'split(null, ",")',
      'matches(["a"], "a")',
    ])
      expect(ours(call, {}), call).toEqual(feelin(call, {}));
    expect(ours('matches(input: "ab", pattern: "b")', {})).toBe(true);
  });

  it('take linear time: a pattern that backtracks exponentially in JavaScript answers at once', () => {
    // feelin's RegExp would take minutes for 30 characters; 100,000 would never end.
    const context = { value: `${'a'.repeat(100_000)}!`, pattern: '^(a+)+$' };
    expect(ours('matches(value, pattern)', context)).toBe(false);
    expect(ours('replace(value, "(a|aa)+$", "x")', context)).toBe(context.value);
    expect(ours('count(split(value, "(a*)*b"))', context)).toBe(1);
  });

  it('give null for a pattern RE2 does not take (lookaround, backreferences)', () => {
    expect(ours('matches("ab", "a(?=b)")', {})).toBeNull();
    expect(ours('replace("aa", "(a)\\\\1", "x")', {})).toBeNull();
  });

  it('leave a variable of the same name in charge, as over feelin’s builtins', () => {
    expect(ours('matches', { matches: 'a variable' })).toBe('a variable');
  });
});
