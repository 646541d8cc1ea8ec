import type { Behavior } from './index.ts';

/** Opens its event subprocesses and starts at its none start (or at the start event that triggered it). */
export const subProcess: Behavior = {
  enter(step, ei, node, payload) {
    ei.vars ??= {};
    ei.n ??= 0;
    step.openEventSubprocesses(ei, node.id);
    const start = payload?.startAt ?? node.inner?.start;
    if (!start) return step.raiseFault(ei, `subprocess "${node.id}" has no start event`);
    step.enter(start, ei.id, undefined, payload?.startAt ? { variables: payload.variables } : undefined);
  },
};
