import type { FlowNode } from '../../model.ts';
import type { ElementInstance } from '../../state.ts';
import type { Step } from '../step.ts';
import type { Behavior } from './index.ts';

const completeAtOnce: Behavior['enter'] = (step, ei) => step.complete(ei);

/** Flows whose condition holds (all of them, or only the first), else the default flow, else a fault. */
function conditionalFlows(step: Step, ei: ElementInstance, node: FlowNode, firstOnly: boolean): string[] | undefined {
  const taken: string[] = [];
  for (const id of node.outgoing) {
    if (id === node.defaultFlow) continue;
    const condition = step.def.flows[id]?.condition;
    if (!condition || step.evaluate(condition, ei.id) === true) {
      taken.push(id);
      if (firstOnly) break;
    }
  }
  if (taken.length) return taken;
  if (node.defaultFlow) return [node.defaultFlow];
  step.raiseFault(ei, `no condition of the flows leaving gateway "${node.id}" is true and it has no default flow`);
  return undefined;
}

const joinKey = (scopeId: string, node: FlowNode) => `${scopeId}/${node.id}`;

/** Holds arriving tokens at a join; returns the arrivals, counted as tokens of the scope. */
function hold(step: Step, node: FlowNode, scopeId: string, flowId: string): string[] {
  const key = joinKey(scopeId, node);
  step.state.joins[key] ??= [];
  const arrived = step.state.joins[key];
  arrived.push(flowId);
  step.adjustTokens(scopeId, 1);
  return arrived;
}

/** Consumes one token from each of the given flows. */
function consume(step: Step, node: FlowNode, scopeId: string, flows: Iterable<string>): void {
  const key = joinKey(scopeId, node);
  const arrived = step.state.joins[key] ?? [];
  let consumed = 0;
  for (const f of flows) {
    const i = arrived.indexOf(f);
    if (i >= 0) {
      arrived.splice(i, 1);
      consumed++;
    }
  }
  if (arrived.length === 0) delete step.state.joins[key];
  step.adjustTokens(scopeId, -consumed);
}

export const exclusiveGateway: Behavior = {
  enter: completeAtOnce,
  leave: (step, ei, node) => conditionalFlows(step, ei, node, true),
};

export const parallelGateway: Behavior = {
  enter: completeAtOnce,
  arrive(step, node, scopeId, flowId) {
    if (node.incoming.length <= 1) return false;
    const arrived = hold(step, node, scopeId, flowId);
    if (!node.incoming.every((f) => arrived.includes(f))) return true;
    consume(step, node, scopeId, node.incoming);
    return false;
  },
  leave: (_step, _ei, node) => node.outgoing.slice(),
};

export const inclusiveGateway: Behavior = {
  enter: completeAtOnce,
  arrive(step, node, scopeId, flowId) {
    if (node.incoming.length <= 1) return false;
    hold(step, node, scopeId, flowId);
    return true; // settleInclusiveJoins decides when the join fires
  },
  leave: (step, ei, node) => conditionalFlows(step, ei, node, false),
};

/**
 * Fires inclusive joins that can no longer receive a token on an empty incoming flow: no token
 * of the scope stands anywhere upstream of such a flow. Returns whether any fired.
 */
export function settleInclusiveJoins(step: Step): boolean {
  let fired = false;
  for (const key of Object.keys(step.state.joins)) {
    const slash = key.indexOf('/');
    const scopeId = key.slice(0, slash);
    const node = step.def.nodes[key.slice(slash + 1)];
    const arrived = step.state.joins[key];
    if (node?.type !== 'inclusiveGateway' || !arrived?.length || !step.element(scopeId)) continue;
    const positions = new Set(step.children(scopeId).map((e) => e.el));
    for (const other of Object.keys(step.state.joins)) {
      if (other !== key && other.startsWith(`${scopeId}/`)) positions.add(other.slice(slash + 1));
    }
    const blocked = node.incoming.some((f) => !arrived.includes(f) && (node.upstream?.[f] ?? []).some((n) => positions.has(n)));
    if (blocked) continue;
    consume(step, node, scopeId, new Set(arrived));
    step.enter(node.id, scopeId);
    fired = true;
  }
  return fired;
}

export const eventBasedGateway: Behavior = {
  enter(step, ei, node) {
    for (const f of node.outgoing) step.subscribe(ei, step.node(step.def.flows[f]?.target as string));
  },
};
