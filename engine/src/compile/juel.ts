// Camunda 7, Flowable and Activiti write conditions in JUEL (`${amount > 100 && approved}`). We
// translate the common subset (names, literals, comparisons, boolean logic, arithmetic, `empty`,
// and the methods size(), isEmpty(), contains() and equals() called on variables) to FEEL and
// refuse the rest (other method calls, functions, ternaries, indexing) with a message naming it,
// rather than guess: an untranslated call would evaluate to null and quietly misroute.
const WORD_OPS: Record<string, string> = {
  and: 'and',
  or: 'or',
  eq: '=',
  ne: '!=',
  lt: '<',
  gt: '>',
  le: '<=',
  ge: '>=',
  not: 'not',
  true: 'true',
  false: 'false',
  null: 'null',
  div: '/',
  mod: 'mod',
};
const SYMBOL_OPS: Record<string, string> = {
  '&&': 'and',
  '||': 'or',
  '==': '=',
  '!=': '!=',
  '<=': '<=',
  '>=': '>=',
  '<': '<',
  '>': '>',
  '+': '+',
  '-': '-',
  '*': '*',
  '/': '/',
  '(': '(',
  ')': ')',
  '.': '.',
  '!': 'not',
  ',': ',',
};
const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|([A-Za-z_][A-Za-z0-9_]*)|(&&|\|\||==|!=|<=|>=|[<>+\-*/().!,]))/y;

export function isJuel(text: string): boolean {
  return /^\s*[$#]\{[\s\S]*\}\s*$/.test(text);
}

/** Translates a `${...}` JUEL expression to FEEL, or throws with the reason. */
export function juelToFeel(text: string): string {
  const body = text.trim().slice(2, -1);
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < body.length) {
    if (/^\s*$/.test(body.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(body);
    if (!m) throw new Error(`cannot translate "${body.slice(pos)}" from JUEL to FEEL`);
    pos = TOKEN.lastIndex;
    const [, num, str, word, sym] = m;
    if (num) tokens.push(num);
    else if (str) tokens.push(JSON.stringify(str.slice(1, -1).replace(/\\(.)/g, '$1')));
    else if (word) {
      if (word === 'execution' || word === 'task' || word === 'instanceof') {
        throw new Error(`JUEL "${word}" has no FEEL translation; rewrite the condition in FEEL`);
      }
      tokens.push(word === 'empty' ? EMPTY : (WORD_OPS[word] ?? word));
    } else if (sym) tokens.push(SYMBOL_OPS[sym] as string);
  }
  return translate(tokens);
}

const EMPTY = '\u0000empty';
const OPERATOR_WORDS = new Set(Object.values(WORD_OPS));
const isName = (t: string | undefined) => t !== undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(t) && !OPERATOR_WORDS.has(t);

/** JUEL's methods on variables, as FEEL over the value's type (lists, strings and maps differ in Java too). */
const METHODS: Record<string, { args: number; feel: (p: string, a: string[]) => string }> = {
  size: { args: 0, feel: (p) => `(if ${p} instance of context then count(get entries(${p})) else count(${p}))` },
  isEmpty: {
    args: 0,
    feel: (p) =>
      `(if ${p} instance of string then ${p} = "" else if ${p} instance of context then count(get entries(${p})) = 0 else count(${p}) = 0)`,
  },
  contains: { args: 1, feel: (p, [a]) => `(if ${p} instance of string then contains(${p}, ${a}) else list contains(${p}, ${a}))` },
  equals: { args: 1, feel: (p, [a]) => `(${p} = ${a})` },
};

/** JUEL `empty x`: true for null, "", an empty list or an empty map. */
const emptyFeel = (p: string) =>
  `(if ${p} = null then true else if ${p} instance of string then ${p} = "" else if ${p} instance of list then count(${p}) = 0 else if ${p} instance of context then count(get entries(${p})) = 0 else false)`;

/** Folds method calls and `empty` into single FEEL tokens, then wraps `not` operands. */
function translate(tokens: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    if (t === EMPTY) {
      const [path, next] = readPath(tokens, i + 1);
      if (!path) throw new Error('JUEL "empty" must be followed by a variable or a path such as order.items');
      out.push(emptyFeel(path));
      i = next - 1;
      continue;
    }
    if (t === '(' && isName(out[out.length - 1]) && out[out.length - 2] !== '.') {
      throw new Error(`JUEL function call "${out[out.length - 1]}(...)" cannot run here; rewrite the condition in FEEL`);
    }
    if (t === '(' && out[out.length - 2] === '.' && isName(out[out.length - 1])) {
      const method = out.pop() as string;
      out.pop(); // the dot
      const receiver: string[] = [];
      while (isName(out[out.length - 1])) {
        receiver.unshift(out.pop() as string);
        if (out[out.length - 1] !== '.') break;
        receiver.unshift(out.pop() as string);
      }
      const close = matching(tokens, i);
      const args = splitArgs(tokens.slice(i + 1, close)).map(translate);
      const known = METHODS[method];
      const path = receiver.join('');
      if (!known || !path || receiver[0] === '.') {
        throw new Error(
          `JUEL method call "${path || '(...)'}.${method}(...)" cannot run here: only size(), isEmpty(), contains() and equals() on variables are translated; rewrite the condition in FEEL`,
        );
      }
      if (args.length !== known.args)
        throw new Error(`JUEL "${path}.${method}()" takes ${known.args} argument${known.args === 1 ? '' : 's'}`);
      out.push(known.feel(path, args));
      i = close;
      continue;
    }
    out.push(t);
  }
  return wrapNots(out);
}

/** A variable or path (`a.b.c`) starting at `from`, as FEEL text, and the index after it. */
function readPath(tokens: string[], from: number): [string | undefined, number] {
  if (!isName(tokens[from])) return [undefined, from];
  let j = from + 1;
  while (tokens[j] === '.' && isName(tokens[j + 1]) && tokens[j + 2] !== '(') j += 2;
  return [tokens.slice(from, j).join(''), j];
}

function matching(tokens: string[], open: number): number {
  let depth = 0;
  for (let j = open; j < tokens.length; j++) {
    if (tokens[j] === '(') depth++;
    else if (tokens[j] === ')' && --depth === 0) return j;
  }
  throw new Error('JUEL parentheses do not match');
}

function splitArgs(tokens: string[]): string[][] {
  if (tokens.length === 0) return [];
  const args: string[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t === '(') depth++;
    else if (t === ')') depth--;
    if (t === ',' && depth === 0) args.push([]);
    else (args[args.length - 1] as string[]).push(t);
  }
  return args;
}

// `not` in FEEL is a function: wrap the operand that follows it.
function wrapNots(tokens: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] !== 'not') {
      out.push(tokens[i] as string);
      continue;
    }
    let j = i + 1;
    if (tokens[j] === '(') {
      let depth = 0;
      for (; j < tokens.length; j++) {
        if (tokens[j] === '(') depth++;
        else if (tokens[j] === ')' && --depth === 0) break;
      }
    } else {
      while (tokens[j + 1] === '.' && tokens[j + 2] !== undefined) j += 2;
    }
    if (j >= tokens.length) throw new Error('JUEL "!" without an operand');
    out.push(`not(${wrapNots(tokens.slice(i + 1, j + 1))})`);
    i = j;
  }
  return juelJoin(out);
}

function juelJoin(tokens: string[]): string {
  return tokens.join(' ').replace(/ \. /g, '.').replace(/\( /g, '(').replace(/ \)/g, ')');
}

/** Whether the text is JUEL text with `${...}` parts among literal text (`${base}/orders`), as Camunda 7 allows in parameters. */
export function isJuelTemplate(text: string): boolean {
  return /[$#]\{/.test(text) && !isJuel(text);
}

/** A JUEL composite (`${base}/orders/${id}`) as a FEEL string concatenation; throws with the reason for a part it cannot translate. */
export function juelTemplateToFeel(text: string): string {
  const parts: string[] = [];
  const re = /[$#]\{([^{}]*)\}/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) parts.push(JSON.stringify(text.slice(last, m.index)));
    parts.push(`string(${juelToFeel(`${'$'}{${m[1]}}`)})`);
    last = re.lastIndex;
  }
  if (last < text.length) parts.push(JSON.stringify(text.slice(last)));
  if (/[$#]\{/.test(text.replace(re, ''))) throw new Error(`cannot translate "${text}" from JUEL to FEEL: nested braces`);
  return parts.join(' + ');
}
