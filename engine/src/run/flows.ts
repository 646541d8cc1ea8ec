import type { FlowNode } from '../model.ts';
import type { ElementInstance } from '../state.ts';
import type { Step } from './step.ts';

/** Flows a token takes when leaving an element: conditions that hold, else the default. */
export function defaultFlows(step: Step, ei: ElementInstance, node: FlowNode): string[] | undefined {
  if (node.outgoing.length === 0) return [];
  const taken: string[] = [];
  let conditional = false;
  for (const id of node.outgoing) {
    if (id === node.defaultFlow) continue;
    const condition = step.def.flows[id]?.condition;
    if (!condition) taken.push(id);
    else {
      conditional = true;
      if (step.evaluate(condition, ei.id) === true) taken.push(id);
    }
  }
  if (taken.length === 0 && node.defaultFlow) return [node.defaultFlow];
  if (taken.length === 0 && conditional) {
    step.raiseFault(ei, `no condition of the flows leaving "${node.id}" is true and there is no default flow`);
    return undefined;
  }
  return taken;
}
