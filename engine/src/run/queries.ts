// Read-only views of an instance's state for the runtime, the designer and tests.
import type { Definition } from '../model.ts';
import { type ElementInstance, type InstanceState, ROOT, type Variables, type Wait } from '../state.ts';

/** The process-level variables, also after the instance ended. */
export function instanceVariables(state: InstanceState): Variables {
  return state.elements[ROOT]?.vars ?? state.vars ?? {};
}

/** Ids of the elements where tokens currently stand (waiting or held at a join). */
export function activeElementIds(state: InstanceState): string[] {
  const ids = new Set<string>();
  for (const ei of Object.values(state.elements)) if (ei.id !== ROOT) ids.add(ei.el);
  for (const key of Object.keys(state.joins)) ids.add(key.slice(key.indexOf('/') + 1));
  return [...ids];
}

/**
 * The variables visible from an element instance, innermost winning. When a single scope holds
 * variables its own object is returned, not a copy: the engine reads this on every evaluation.
 */
export function scopedVariables(state: InstanceState, elementInstanceId: string): Variables {
  const chain: Variables[] = [];
  for (let ei: ElementInstance | undefined = state.elements[elementInstanceId]; ei; ei = ei.p ? state.elements[ei.p] : undefined) {
    if (ei.vars) chain.push(ei.vars);
  }
  if (chain.length === 1) return chain[0] as Variables;
  const out: Variables = {};
  for (let i = chain.length - 1; i >= 0; i--) Object.assign(out, chain[i]);
  return out;
}

/** Variables visible from an element instance, innermost winning: a copy the caller may keep. */
export function visibleVariables(state: InstanceState, elementInstanceId: string): Variables {
  return { ...scopedVariables(state, elementInstanceId) };
}

/** Open waits of a kind, oldest first (ids grow with time). */
export function openWaits(state: InstanceState, kind?: Wait['kind']): Wait[] {
  const list = Object.values(state.waits).filter((w) => kind === undefined || w.kind === kind);
  return list.sort((a, b) => seqOf(a.id) - seqOf(b.id));
}

const seqOf = (id: string) => Number(id.slice(id.lastIndexOf('.') + 1));

/**
 * The oldest message subscription a message reaches: same name, and the same correlation key
 * (a message without a key reaches only subscriptions without one).
 */
export function findMessageSubscription(state: InstanceState, name: string, correlationKey?: string): Wait | undefined {
  return openWaits(state, 'message').find((w) => w.name === name && w.correlationKey === (correlationKey ?? undefined));
}

/** Start events of the process that the variables' conditions make true (conditional starts). */
export function matchConditionalStarts(definition: Definition, variables: Variables): string[] {
  const holds = (s: Definition['starts'][number]) => {
    try {
      return s.condition?.evaluate(variables) === true;
    } catch {
      return false; // a condition that cannot be evaluated on these variables starts nothing
    }
  };
  return definition.starts.filter((s) => s.kind === 'conditional' && holds(s)).map((s) => s.eventId);
}
