// A compiled Definition holds FEEL expressions compiled to closures, which cannot be posted from a
// worker thread. On the way out each becomes `{ [FEEL]: source }`; on the way in it is compiled
// again from its source (parsing one expression is cheap, and the worker proved it valid). Objects
// shared within the definition stay shared: the structured clone and both walks keep identity.
import { type CompiledFeel, compileFeel, type Definition, type Problem } from '@serviceloom/engine';

const FEEL = '$serviceloomFeel';

export type CompileReply =
  | { id: number; ok: true; definition: unknown; report?: undefined }
  | { id: number; ok: true; report: unknown; definition?: undefined }
  | { id: number; ok: false; problems: Problem[] }
  | { id: number; ok: false; message: string; problems?: undefined };

const isFeel = (v: object): v is CompiledFeel => typeof (v as CompiledFeel).evaluate === 'function';

/** A copy of the definition that a structured clone can carry. */
export function toTransferable(definition: Definition): unknown {
  const copies = new Map<object, unknown>();
  const todo: Array<[object, Record<string, unknown>]> = [];
  // Iterative, not recursive: how deep the objects nest grows with the model.
  const copy = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const known = copies.get(value);
    if (known !== undefined) return known;
    const out = isFeel(value) ? { [FEEL]: value.source } : Array.isArray(value) ? [] : {};
    copies.set(value, out);
    if (!isFeel(value)) todo.push([value, out as Record<string, unknown>]);
    return out;
  };
  const root = copy(definition);
  for (let next = todo.pop(); next !== undefined; next = todo.pop()) {
    const [from, to] = next;
    for (const [k, v] of Object.entries(from)) to[k] = copy(v);
  }
  return root;
}

/**
 * The definition again, its FEEL compiled, frozen as compile() leaves it. Compiling thousands of
 * expressions takes a while: it lets the event loop run every few milliseconds meanwhile.
 */
export async function fromTransferable(data: unknown): Promise<Definition> {
  const revived = new Map<object, CompiledFeel>();
  const seen = new Set<object>();
  const todo: object[] = [data as object];
  let slice = performance.now();
  for (let v = todo.pop(); v !== undefined; v = todo.pop()) {
    if (seen.has(v)) continue;
    seen.add(v);
    for (const [k, child] of Object.entries(v)) {
      if (child === null || typeof child !== 'object') continue;
      if (FEEL in child) {
        let feel = revived.get(child);
        if (!feel) {
          feel = compileFeel(String((child as Record<string, unknown>)[FEEL]));
          revived.set(child, feel);
        }
        (v as Record<string, unknown>)[k] = feel;
      } else todo.push(child);
    }
    if (performance.now() - slice > SLICE_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      slice = performance.now();
    }
  }
  for (const v of seen) Object.freeze(v);
  return data as Definition;
}

/** How long the revival holds the event loop at a time. */
const SLICE_MS = 10;
