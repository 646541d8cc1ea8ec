// Camunda 7 writes conditions in JUEL (`${amount > 100 && approved}`). We translate the
// common subset (names, literals, comparisons, boolean logic, arithmetic) to FEEL and refuse
// the rest (method calls, `empty`, ternaries) with a message, rather than guess.
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
};
const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|([A-Za-z_][A-Za-z0-9_]*)|(&&|\|\||==|!=|<=|>=|[<>+\-*/().!]))/y;

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
      if (word === 'empty' || word === 'execution' || word === 'instanceof') {
        throw new Error(`JUEL "${word}" has no FEEL translation; rewrite the condition in FEEL`);
      }
      tokens.push(WORD_OPS[word] ?? word);
    } else if (sym) tokens.push(SYMBOL_OPS[sym] as string);
  }
  return wrapNots(tokens);
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
