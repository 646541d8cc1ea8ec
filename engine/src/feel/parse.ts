// Parsing with lezer-feel, configured as feelin's `parseExpression` does, and feelin's syntax error
// reporting (its `lintError`), so compile-time errors read like the ones feelin would throw.

import type { SyntaxNode, Tree } from '@lezer/common';
import { parser, trackVariables } from 'lezer-feel';

const expressionParser = parser.configure({ top: 'Expression', contextTracker: trackVariables({}) });

export interface SyntaxProblem {
  message: string;
  from: number;
  to: number;
}

export function parseFeel(source: string): Tree {
  return expressionParser.parse(source);
}

/** The first error node in document order, described as feelin's `lintErrorDetails` does. */
export function findSyntaxError(tree: Tree): SyntaxProblem | undefined {
  let problem: SyntaxProblem | undefined;
  tree.iterate({
    enter(ref) {
      if (problem) return false;
      if (ref.type.isError) {
        problem = describe(ref.node);
        return false;
      }
      return !ref.type.isSkipped;
    },
  });
  return problem;
}

function describe(node: SyntaxNode): SyntaxProblem {
  const parent = node.parent ?? node;
  if (node.from !== node.to) {
    return { message: `Unrecognized token in <${parent.name}>`, from: node.from, to: node.to };
  }
  const next = findNext(node);
  if (next) {
    return { message: `Unrecognized token <${next.name}> in <${parent.name}>`, from: next.from, to: next.to };
  }
  const unfinished = parent.enterUnfinishedNodesBefore(node.to);
  return { message: `Incomplete <${(unfinished ?? parent).name}>`, from: node.from, to: node.to };
}

function findNext(node: SyntaxNode): SyntaxNode | null {
  for (let at: SyntaxNode | null = node; at; at = at.parent) {
    if (at.nextSibling) return at.nextSibling;
  }
  return null;
}

/** Children feelin's interpreter sees: comments are skipped. */
export function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (!c.type.isSkipped) out.push(c);
  return out;
}

/** Whether a comment sits anywhere inside the node (feelin reads some nodes' raw text). */
export function containsSkipped(node: SyntaxNode): boolean {
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.type.isSkipped || containsSkipped(c)) return true;
  }
  return false;
}
