// Where a fired wait, a thrown error or an escalation goes: the element's own wait, a boundary
// event, an event subprocess, or the event a gateway was waiting for.
import { type FlowNode, isActivity } from '../model.ts';
import { type ElementInstance, ROOT, type Wait } from '../state.ts';
import { nextSchedule } from '../timer.ts';
import { behaviorOf } from './behaviors/index.ts';
import type { Payload, Step } from './step.ts';

/** Where a thrown error or escalation is caught. */
export type Catch =
  | { at: 'boundary'; host: ElementInstance; event: FlowNode }
  | { at: 'eventSubprocess'; scope: ElementInstance; start: FlowNode };

export function fireWait(step: Step, w: Wait, payload: Payload): void {
  const owner = step.element(w.owner);
  if (!owner) return;
  const trigger = step.node(w.trigger);
  const interrupting = trigger.interrupting !== false;
  const stays = !interrupting && (w.kind === 'message' || w.kind === 'signal' || w.kind === 'conditional');
  if (!stays) {
    delete step.state.waits[w.id];
    if (w.kind === 'message') step.emit({ type: 'messageUnsubscribed', subscriptionId: w.id });
    if (w.kind === 'signal') step.emit({ type: 'signalUnsubscribed', subscriptionId: w.id });
  }
  if (w.kind === 'timer' && !interrupting && w.dueAt) {
    const next = nextSchedule({ dueAt: w.dueAt, repeat: w.repeat, every: w.every }, step.now);
    if (next) {
      const again = step.openWait({ kind: 'timer', owner: w.owner, trigger: w.trigger, ...next });
      step.emit({ type: 'timerScheduled', timerId: again.id, elementId: w.trigger, dueAt: next.dueAt });
    }
  }
  if (trigger.type === 'boundaryEvent') return catchAt(step, { at: 'boundary', host: owner, event: trigger }, payload);
  if (trigger.type === 'startEvent') return catchAt(step, { at: 'eventSubprocess', scope: owner, start: trigger }, payload);
  const ownerNode = step.node(owner.el);
  if (ownerNode.type === 'eventBasedGateway') return resolveEventGateway(step, owner, trigger, payload);
  const behavior = behaviorOf(ownerNode.type);
  if (behavior.trigger) behavior.trigger(step, owner, ownerNode, w, payload);
  else step.complete(owner, payload.variables);
}

/** The first event of an event-based gateway to happen wins; the others are withdrawn. */
function resolveEventGateway(step: Step, gateway: ElementInstance, target: FlowNode, payload: Payload): void {
  step.closeWaits(gateway.id);
  step.resolveFaultsOf(gateway.id);
  const flow = step.node(gateway.el).outgoing.find((f) => step.def.flows[f]?.target === target.id) as string;
  step.record(gateway.el, 'eventBasedGateway', 'completed', gateway.id);
  step.record(flow, 'sequenceFlow', 'taken');
  step.enter(target.id, gateway.p as string, undefined, payload);
  delete step.state.elements[gateway.id];
  step.adjustTokens(gateway.p as string, -1);
}

/** Runs a catch: interrupting ones cancel what they interrupt first. */
export function catchAt(step: Step, c: Catch, payload: Payload): void {
  if (c.at === 'boundary') {
    const scopeId = c.host.p as string;
    if (c.event.interrupting !== false) step.cancel(c.host);
    step.enter(c.event.id, scopeId, undefined, payload);
    return;
  }
  const eventSubprocess = c.start.scope;
  if (c.start.interrupting !== false) {
    // The other event subprocesses of the scope are withdrawn; the boundary events of a
    // subprocess scope stay, since the subprocess goes on running its event subprocess.
    for (const w of Object.values(step.state.waits)) {
      if (w.owner === c.scope.id && step.def.nodes[w.trigger]?.type === 'startEvent') step.closeWait(w);
    }
    step.cancelChildren(c.scope);
  }
  step.enter(eventSubprocess, c.scope.id, undefined, { ...payload, startAt: c.start.id });
}

/**
 * Looks for the catch of an error or escalation thrown at `from`, innermost first: boundary
 * events of the element, then event subprocesses of its scope, then outwards. A catch with the
 * thrown code wins over a catch-all at the same level.
 */
export function findCatch(step: Step, from: ElementInstance, kind: 'error' | 'escalation', code: string): Catch | undefined {
  let cur: ElementInstance | undefined = from;
  let checkBoundaries = from.i === undefined && isActivity(step.node(from.el));
  while (cur) {
    if (checkBoundaries) {
      const events = step.node(cur.el).boundaries.map((b) => step.node(b));
      const event = best(events, kind, code);
      if (event) return { at: 'boundary', host: cur, event };
    }
    const parent: ElementInstance | undefined = cur.p ? step.element(cur.p) : undefined;
    if (!parent) return undefined;
    if (step.isScope(parent)) {
      const scopeDef = parent.id === ROOT ? step.def.root : step.node(parent.el).inner;
      // An event subprocess does not catch what is thrown inside itself.
      const candidates = (scopeDef?.eventSubprocesses ?? []).filter((esp) => esp !== cur?.el);
      const starts = candidates.map((esp) => step.node(step.node(esp).inner?.start as string));
      const start = best(starts, kind, code);
      if (start) return { at: 'eventSubprocess', scope: parent, start };
    }
    cur = parent;
    checkBoundaries = parent.id !== ROOT && parent.i === undefined && isActivity(step.node(parent.el));
  }
  return undefined;
}

function best(events: FlowNode[], kind: 'error' | 'escalation', code: string): FlowNode | undefined {
  const matching = events.filter((e) => e.event?.kind === kind);
  return matching.find((e) => e.event?.name === code) ?? matching.find((e) => e.event?.name === undefined);
}

/** Throws a BPMN error from an element; false when nothing catches it. */
export function throwError(step: Step, from: ElementInstance, code: string, message?: string): boolean {
  const c = findCatch(step, from, 'error', code);
  if (!c) return false;
  catchAt(step, c, { variables: catchVariables(c, code, message) });
  return true;
}

/** Throws an escalation; uncaught escalations change nothing. */
export function throwEscalation(step: Step, from: ElementInstance, code: string): void {
  const c = findCatch(step, from, 'escalation', code);
  if (c) catchAt(step, c, { variables: catchVariables(c, code) });
}

/** An error nothing catches: a called instance ends and hands it to its caller; otherwise an operator sees a fault. */
export function uncaughtError(step: Step, at: ElementInstance, code: string, message?: string, jobId?: string): void {
  if (step.state.parent) {
    step.endInstance('terminated', message === undefined ? { code } : { code, message });
    return;
  }
  const detail = message ? ` (${message})` : '';
  step.raiseFault(at, `error "${code}"${detail} was thrown and no boundary event or event subprocess catches it`, jobId);
}

/** The code and message reach the catching event's output mappings only, not the whole instance. */
function catchVariables(c: Catch, code: string, message?: string): Record<string, unknown> | undefined {
  const event = c.at === 'boundary' ? c.event : c.start;
  if (!event.outputs.length) return undefined;
  return { errorCode: code, escalationCode: code, errorMessage: message ?? null };
}
