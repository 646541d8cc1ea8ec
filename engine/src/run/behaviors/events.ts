import { ROOT } from '../../state.ts';
import { defaultFlows } from '../flows.ts';
import { throwError, throwEscalation, uncaughtError } from '../triggers.ts';
import type { Behavior } from './index.ts';
import { requestJob } from './jobs.ts';

/** Message and signal throws (end or intermediate) hand the event to the runtime, which delivers it. */
const throwing: Behavior['enter'] = (step, ei, node) => {
  const event = node.event;
  if (node.job) return requestJob(step, ei, node);
  const vars = ei.vars ?? {};
  if (event?.kind === 'message') {
    const name = event.nameExpression ? step.evaluateName(event.nameExpression, ei, 'the message name') : (event.name ?? node.id);
    if (name === undefined) return;
    const key = vars.correlationKey;
    step.emit({
      type: 'messageThrown',
      elementId: node.id,
      name,
      variables: vars,
      ...(key !== undefined && key !== null ? { correlationKey: String(key) } : {}),
    });
  } else if (event?.kind === 'signal') {
    step.emit({ type: 'signalThrown', elementId: node.id, name: event.name as string, variables: vars });
  } else if (event?.kind === 'escalation') {
    throwEscalation(step, ei, event.name as string);
    if (!step.element(ei.id)) return; // an interrupting catch ended this element
  }
  step.complete(ei);
};

export const startEvent: Behavior = {
  enter(step, ei, _node, payload) {
    step.complete(ei, payload?.variables);
  },
};

export const endEvent: Behavior = {
  enter(step, ei, node, payload) {
    switch (node.event?.kind) {
      case 'terminate': {
        const scope = step.element(ei.p as string);
        step.discard(ei);
        if (!scope || scope.id === ROOT) return step.endInstance('terminated');
        step.cancelChildren(scope);
        return step.complete(scope);
      }
      case 'error': {
        const code = node.event.name as string;
        if (!throwError(step, ei, code)) uncaughtError(step, ei, code);
        return;
      }
      default:
        return throwing(step, ei, node, payload);
    }
  },
};

export const intermediateThrowEvent: Behavior = {
  enter: throwing,
  leave(step, ei, node) {
    // A link throw continues at its catch event in the same scope.
    if (node.linkTarget) {
      step.enter(node.linkTarget, ei.p as string);
      return [];
    }
    return defaultFlows(step, ei, node);
  },
};

export const intermediateCatchEvent: Behavior = {
  enter(step, ei, node, payload) {
    if (payload || node.event?.kind === 'link') return step.complete(ei, payload?.variables);
    step.subscribe(ei, node);
  },
};

/** Entered only when its trigger fired; it completes at once and the token leaves through it. */
export const boundaryEvent: Behavior = {
  enter(step, ei, _node, payload) {
    step.complete(ei, payload?.variables);
  },
};
