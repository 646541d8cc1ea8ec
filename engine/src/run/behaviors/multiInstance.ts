// Multi-instance activities: a body element instance runs one inner instance per item of the
// collection (all at once, or one after another), gathers their outputs and completes when all
// are done or its completion condition holds.
import type { FlowNode } from '../../model.ts';
import type { ElementInstance, MultiInstanceState } from '../../state.ts';
import { toJsonValue } from '../json.ts';
import type { Step } from '../step.ts';

export function enterMultiInstance(step: Step, body: ElementInstance, node: FlowNode): void {
  const loop = node.loop;
  if (!loop) return;
  let items: unknown[];
  if (loop.collection) {
    const value = step.evaluate(loop.collection, body.id);
    if (!Array.isArray(value)) {
      return step.raiseFault(
        body,
        `the multi-instance collection of "${node.id}" is not a list (it is ${JSON.stringify(toJsonValue(value))})`,
      );
    }
    items = toJsonValue(value) as unknown[];
  } else {
    const n = loop.cardinality ? step.evaluate(loop.cardinality, body.id) : 0;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      return step.raiseFault(body, `the loop cardinality of "${node.id}" is not a whole number (it is ${JSON.stringify(toJsonValue(n))})`);
    }
    items = Array.from({ length: n }, (_, i) => i + 1);
  }
  const mi = body.mi as MultiInstanceState;
  mi.items = items;
  if (items.length === 0) return finish(step, body, node);
  const count = loop.sequential ? 1 : items.length;
  for (let i = 0; i < count; i++) startInner(step, body, node);
}

function startInner(step: Step, body: ElementInstance, node: FlowNode): void {
  const mi = body.mi as MultiInstanceState;
  const index = mi.next++;
  mi.active++;
  const vars: Record<string, unknown> = { loopCounter: index + 1 };
  if (node.loop?.elementVariable) vars[node.loop.elementVariable] = mi.items[index];
  const inner = step.enterInner(node.id, body.id, vars);
  inner.i = index;
}

export function innerCompleted(step: Step, body: ElementInstance, inner: ElementInstance, node: FlowNode): void {
  const loop = node.loop;
  const mi = body.mi as MultiInstanceState;
  mi.active--;
  mi.completed++;
  if (loop?.outputElement) {
    const index = inner.i as number;
    // Fill the gap before an out-of-order output: an array with holes is not plain JSON.
    while (mi.out.length < index) mi.out.push(null);
    mi.out[index] = toJsonValue(step.evaluate(loop.outputElement, inner.id));
  }
  const counts = {
    numberOfInstances: mi.items.length,
    numberOfCompletedInstances: mi.completed,
    numberOfActiveInstances: mi.active,
    nrOfInstances: mi.items.length,
    nrOfCompletedInstances: mi.completed,
    nrOfActiveInstances: mi.active,
  };
  if (loop?.completionCondition && step.evaluate(loop.completionCondition, inner.id, counts) === true) {
    step.cancelAll(step.children(body.id).filter((other) => other.id !== inner.id));
    step.later(() => finish(step, body, node));
  } else if (loop?.sequential && mi.next < mi.items.length) {
    startInner(step, body, node);
  } else if (mi.active === 0 && mi.next >= mi.items.length) {
    step.later(() => finish(step, body, node));
  }
}

function finish(step: Step, body: ElementInstance, node: FlowNode): void {
  if (!step.element(body.id)) return;
  const mi = body.mi as MultiInstanceState;
  const collection = node.loop?.outputCollection;
  const out = Array.from({ length: mi.items.length }, (_, i) => (mi.out[i] === undefined ? null : mi.out[i]));
  step.complete(body, collection ? { [collection]: out } : undefined);
}
