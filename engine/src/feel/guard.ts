// feelin parses every expression again with the evaluation context, and lezer-feel's tokenizer
// reads the context's keys: a key named `true` or `and`, or one with spaces or operators in it
// (`"a-b"`, `"order total"`), turns the matching source text into a variable name. The fast path
// parsed once without a context, so before it runs, this guard checks the keys the tokenizer would
// consult (the root context and each object a path expression steps into) and sends the
// evaluation to feelin if one of them could change the parse.
//
// A key matters only if its normalized first word is a word of the source (names are built from
// source words), and only if it is not a plain word equal to itself: keywords, keys with several
// words or with surrounding spaces are rejected. The parse-tree test in feel.test.ts checks this.

import { normalizeContextKey } from 'lezer-feel';

// lezer-feel's name characters (isStartChar / isPartChar in its tokenizer).
export function isStartChar(ch: number): boolean {
  return (
    ch === 63 ||
    (ch >= 65 && ch <= 90) ||
    ch === 95 ||
    (ch >= 97 && ch <= 122) ||
    (ch >= 0xc0 && ch <= 0xd6) ||
    (ch >= 0xd8 && ch <= 0xf6) ||
    (ch >= 0xf8 && ch <= 0x2ff) ||
    (ch >= 0x370 && ch <= 0x37d) ||
    (ch >= 0x37f && ch <= 0x1fff) ||
    (ch >= 0x200c && ch <= 0x200d) ||
    (ch >= 0x2070 && ch <= 0x218f) ||
    (ch >= 0x2c00 && ch <= 0x2fef) ||
    (ch >= 0x3001 && ch <= 0xd7ff) ||
    (ch >= 0xf900 && ch <= 0xfdcf) ||
    (ch >= 0xfdf0 && ch <= 0xfffd) ||
    (ch >= 0xd800 && ch <= 0xdfff)
  );
}

function isPartChar(ch: number): boolean {
  return (ch >= 48 && ch <= 57) || ch === 0xb7 || (ch >= 0x300 && ch <= 0x36f) || (ch >= 0x203f && ch <= 0x2040);
}

export function isNameChar(ch: number): boolean {
  return isStartChar(ch) || isPartChar(ch);
}

/** Words lezer-feel specializes into keywords; as context keys they become variable names. */
const KEYWORDS = new Set([
  'for',
  'in',
  'return',
  'if',
  'then',
  'else',
  'some',
  'every',
  'satisfies',
  'or',
  'and',
  'between',
  'instance',
  'of',
  'days',
  'time',
  'duration',
  'years',
  'months',
  'date',
  'list',
  'context',
  'function',
  'null',
  'true',
  'false',
  '?',
  'external',
  'not',
]);

const CACHE_LIMIT = 512;

/** Returns a check that is false when some key of the given object could change the parse of `source`. */
export function keyGuard(source: string): (obj: Record<string, unknown>) => boolean {
  // Words are maximal runs of name characters, except that a number (`2x`) or a `?` token can end
  // inside a run and the next word start there: for such runs, take every suffix.
  const words = new Set<string>();
  for (let i = 0; i < source.length; ) {
    if (!isNameChar(source.charCodeAt(i))) {
      i++;
      continue;
    }
    let end = i;
    while (end < source.length && isNameChar(source.charCodeAt(end))) end++;
    const run = source.slice(i, end);
    if (isStartChar(run.charCodeAt(0)) && !run.includes('?')) words.add(run);
    else for (let p = 0; p < run.length; p++) words.add(run.slice(p));
    i = end;
  }

  // The first normalized word of a key is its leading run of name characters (unless the key
  // starts with whitespace): the check looks for a source word that is such a run, by first letter.
  const firstSlot = new Uint8Array(128); // 0: no word starts so, 1: examine fully, n: byFirst[n - 2]
  const byFirst: string[][] = [];
  for (const w of words) {
    const c0 = w.charCodeAt(0);
    if (c0 >= 128) continue; // only non-ASCII keys can start so, and those are examined fully
    if (firstSlot[c0] === 0) {
      byFirst.push([]);
      firstSlot[c0] = byFirst.length + 1;
    }
    byFirst[firstSlot[c0] - 2].push(w);
  }
  for (const c of [9, 10, 11, 12, 13, 32]) firstSlot[c] = 1; // normalization drops leading whitespace

  const verdicts = new Map<string, boolean>();
  const dangerous = (key: string): boolean => {
    const cached = verdicts.get(key);
    if (cached !== undefined) return cached;
    const n = normalizeContextKey(key);
    const space = n.indexOf(' ');
    const first = space < 0 ? n : n.slice(0, space);
    const verdict = words.has(first) && (n !== key || space >= 0 || KEYWORDS.has(n));
    if (verdicts.size < CACHE_LIMIT) verdicts.set(key, verdict);
    return verdict;
  };

  return (obj) => {
    // own enumerable keys, as the parser sees them (Object.keys beats a megamorphic for-in)
    const keys = Object.keys(obj);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k];
      const c0 = key.charCodeAt(0);
      const slot = c0 < 128 ? firstSlot[c0] : c0 >= 128 ? 1 : 0; // "" gives NaN: never matches
      if (slot === 0) continue;
      if (slot === 1) {
        if (dangerous(key)) return false;
        continue;
      }
      for (const w of byFirst[slot - 2]) {
        if (!key.startsWith(w)) continue;
        if (key.length === w.length) {
          // the key is a word itself: only a keyword changes the parse
          if (KEYWORDS.has(w)) return false;
        } else if (!isNameChar(key.charCodeAt(w.length)) && dangerous(key)) {
          return false;
        }
      }
    }
    return true;
  };
}
