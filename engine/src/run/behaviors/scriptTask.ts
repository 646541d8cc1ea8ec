import type { Behavior } from './index.ts';

/** Evaluates its FEEL script and stores the result in its result variable. */
export const scriptTask: Behavior = {
  enter(step, ei, node) {
    const result = node.script ? step.evaluate(node.script, ei.id) : null;
    step.complete(ei, node.resultVariable ? { [node.resultVariable]: result } : undefined);
  },
};
