import type { Behavior } from './index.ts';

/** Asks the runtime to start the called process; completes when the child completes. */
export const callActivity: Behavior = {
  enter(step, ei, node) {
    const all = node.childGetsAllVariables ?? node.inputs.length === 0;
    const variables = all ? { ...step.context(ei.id) } : { ...ei.vars };
    const processId = node.calledElementExpression
      ? step.evaluateName(node.calledElementExpression, ei, 'the called process')
      : (node.calledElement as string);
    if (processId === undefined) return;
    const w = step.openWait({ kind: 'call', owner: ei.id, trigger: node.id });
    step.emit({
      type: 'callStarted',
      callId: w.id,
      elementId: node.id,
      processId,
      variables,
      ...(node.calledVersion ? { version: node.calledVersion } : {}),
      ...(step.state.businessKey ? { businessKey: step.state.businessKey } : {}),
    });
  },
  trigger(step, ei, node, _wait, payload) {
    const keep = node.propagateAllChildVariables !== false || node.outputs.length > 0;
    step.complete(ei, keep ? payload.variables : undefined);
  },
};
