// The size a model may have: how many flow elements, and how deep subprocesses nest. Checked on
// the parsed document before anything else walks it, so a model beyond them is refused with one
// clear problem instead of costing the compiler, the executor and the database without bound.
import type { ModdleElement } from 'bpmn-moddle';
import type { Problem } from '../model.ts';

/** Flow elements (events, activities, gateways, sequence flows, data objects), counting those inside subprocesses. */
export const MAX_FLOW_ELEMENTS = 20_000;

/** Levels of subprocesses inside subprocesses (a subprocess directly in the process is level 1). */
export const MAX_NESTING = 64;

/** Problems of a process beyond the limits (none when within them). Iterative: the nesting is what it checks. */
export function checkLimits(process: ModdleElement): Problem[] {
  let count = 0;
  let deepest: { element: ModdleElement; depth: number } | undefined;
  const todo: Array<{ container: ModdleElement; depth: number }> = [{ container: process, depth: 0 }];
  for (let next = todo.pop(); next; next = todo.pop()) {
    const elements = (next.container.flowElements as ModdleElement[] | undefined) ?? [];
    count += elements.length;
    for (const el of elements) {
      if (!isSubProcess(el)) continue;
      const depth = next.depth + 1;
      if (depth > MAX_NESTING && (!deepest || depth > deepest.depth)) deepest = { element: el, depth };
      todo.push({ container: el, depth });
    }
  }
  const problems: Problem[] = [];
  if (count > MAX_FLOW_ELEMENTS) {
    problems.push({
      elementId: String(process.id ?? ''),
      message: `process '${process.id}' has ${grouped(count)} flow elements (events, activities, gateways and sequence flows, counting those inside subprocesses); at most ${grouped(MAX_FLOW_ELEMENTS)} are supported`,
      severity: 'error',
    });
  }
  if (deepest) {
    const id = String(deepest.element.id ?? '');
    problems.push({
      elementId: id,
      message: `${typeName(deepest.element)} '${id}' is nested ${deepest.depth} deep; at most ${MAX_NESTING} levels are supported`,
      severity: 'error',
    });
  }
  return problems;
}

/** Subprocesses and their kinds (transactions, ad-hoc), which moddle types as subtypes of bpmn:SubProcess. */
const isSubProcess = (el: ModdleElement): boolean => typeof el.$instanceOf === 'function' && el.$instanceOf('bpmn:SubProcess') === true;

/** 'bpmn:SubProcess' as a model's author writes it: subProcess. */
function typeName(el: ModdleElement): string {
  const local = el.$type.slice(el.$type.indexOf(':') + 1);
  return local.charAt(0).toLowerCase() + local.slice(1);
}

/** 20000 as 20,000, whatever the machine's locale. */
const grouped = (n: number): string => String(n).replace(/\B(?=(\d{3})+$)/g, ',');
