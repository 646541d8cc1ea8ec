// TEMPORARY SHIM written by the engine author so the engine can be tested; the FEEL helper replaces this file.
import { evaluate, parseExpression } from 'feelin';
export interface CompiledFeel {
  readonly source: string;
  readonly fast: boolean;
  evaluate(context: Record<string, unknown>): unknown;
}
export class FeelSyntaxError extends Error {
  constructor(
    message: string,
    readonly source: string,
  ) {
    super(message);
  }
}
export function compileFeel(source: string): CompiledFeel {
  const text = source.trim().replace(/^=/, '').trim();
  if (!text) throw new FeelSyntaxError('empty expression', source);
  try {
    evaluate(text, {});
  } catch (e) {
    throw new FeelSyntaxError((e as Error).message, source);
  }
  void parseExpression;
  return { source: text, fast: false, evaluate: (ctx) => evaluate(text, ctx).value };
}
