// One step of one instance: the token mechanics every element kind shares (entering, completing,
// leaving, cancelling, scopes, variables, waits). Element-specific behaviour lives in behaviors/.

import { date, dateAndTime } from 'feelin';
import type { Effect, HistoryEvent, HistoryEventKind } from '../effects.ts';
import { type CompiledFeel, FeelBudgetError } from '../feel/index.ts';
import { type Definition, type FlowNode, isActivity, type ValueSource } from '../model.ts';
import { type ElementInstance, type Fault, type InstanceState, ROOT, type Variables, type Wait } from '../state.ts';
import { firstSchedule } from '../timer.ts';
import { settleInclusiveJoins } from './behaviors/gateways.ts';
import { behaviorOf } from './behaviors/index.ts';
import { enterMultiInstance, innerCompleted } from './behaviors/multiInstance.ts';
import { EngineError, ExpressionFailure } from './errors.ts';
import { defaultFlows } from './flows.ts';
import { toJsonValue } from './json.ts';
import { scopedVariables } from './queries.ts';
import { fireWait } from './triggers.ts';

/** What arrives with a trigger: variables, and for event subprocesses the start event to begin at. */
export interface Payload {
  variables?: Variables;
  startAt?: string;
}

/**
 * Automatic elements a step may run before it is judged a runaway loop; for a model of more
 * elements than half of this, twice its element count (stepLimitOf): a long chain of automatic
 * elements runs to its end in one step, and a loop still spins into the limit.
 */
export const STEP_LIMIT = 10_000;

const stepLimits = new WeakMap<Definition, number>();

/** The step limit for a definition: STEP_LIMIT, or twice its element count if that is more. */
export function stepLimitOf(def: Definition): number {
  let limit = stepLimits.get(def);
  if (limit === undefined) {
    limit = Math.max(STEP_LIMIT, 2 * Object.keys(def.nodes).length);
    stepLimits.set(def, limit);
  }
  return limit;
}

export class Step {
  readonly effects: Effect[] = [];
  readonly history: HistoryEvent[] = [];
  readonly at: string;
  private readonly agenda: Array<() => void> = [];
  private ran = 0;
  /** The element choosing its outgoing flows: a fault raised then is retried by leaving again. */
  private leaving: string | undefined;

  constructor(
    readonly def: Definition,
    readonly state: InstanceState,
    readonly now: number,
  ) {
    this.at = new Date(now).toISOString();
  }

  // ---- lookups -------------------------------------------------------------------------

  node(id: string): FlowNode {
    const node = this.def.nodes[id];
    if (!node) throw new EngineError('BAD_COMMAND', `element "${id}" is not in process "${this.def.processId}"`);
    return node;
  }

  element(id: string): ElementInstance | undefined {
    return this.state.elements[id];
  }

  children(scopeId: string): ElementInstance[] {
    return Object.values(this.state.elements).filter((e) => e.p === scopeId);
  }

  /** Whether the element instance is a scope: the process, a subprocess or an event subprocess. */
  isScope(ei: ElementInstance): boolean {
    return ei.id === ROOT || (this.def.nodes[ei.el]?.type === 'subProcess' && ei.mi === undefined);
  }

  // ---- the agenda ----------------------------------------------------------------------

  later(work: () => void): void {
    this.agenda.push(work);
  }

  /** Runs queued work, then joins and conditions that may have become ready, until all is quiet. */
  run(): void {
    const limit = stepLimitOf(this.def);
    for (;;) {
      for (let i = 0; i < this.agenda.length; i++) {
        if (++this.ran > limit) {
          throw new EngineError(
            'STEP_LIMIT',
            `the instance ran ${limit} elements without waiting; a loop without a wait state is spinning`,
          );
        }
        (this.agenda[i] as () => void)();
      }
      this.agenda.length = 0;
      if (this.state.status !== 'active') return;
      if (!settleInclusiveJoins(this) && !this.fireConditions()) return;
    }
  }

  // ---- history, ids, effects -----------------------------------------------------------

  record(elementId: string, elementType: string, event: HistoryEventKind, elementInstanceId?: string): void {
    const h: HistoryEvent = { elementId, elementType, event, at: this.at };
    if (elementInstanceId) h.elementInstanceId = elementInstanceId;
    this.history.push(h);
  }

  nextId(): string {
    return String(++this.state.seq);
  }

  /** Ids of waits are visible outside (task, job, timer ids), so they carry the instance id. */
  waitId(): string {
    return `${this.state.id}.${++this.state.seq}`;
  }

  emit(effect: Effect): void {
    this.effects.push(effect);
  }

  // ---- variables -----------------------------------------------------------------------

  /** The variables visible from an element instance: its own over its scopes'. */
  context(eiId: string): Variables {
    return scopedVariables(this.state, eiId);
  }

  evaluate(expr: CompiledFeel, eiId: string, extra?: Variables): unknown {
    let ctx = extra ? { ...this.context(eiId), ...extra } : this.context(eiId);
    if (readsClock(expr)) ctx = { ...ctx, ...this.clock() };
    try {
      return expr.evaluate(ctx);
    } catch (e) {
      if (e instanceof FeelBudgetError) {
        // a budget fault names its element in the message too: operators read it in lists of faults
        const element = this.state.elements[eiId]?.el ?? eiId;
        throw new ExpressionFailure(`"${element}": the expression "${expr.source}" ${e.message}`);
      }
      throw new ExpressionFailure(`the expression "${expr.source}" failed: ${(e as Error).message}`);
    }
  }

  /** FEEL's now() and today() answer the step's time, not the machine's: the engine stays deterministic. */
  private clock(): Variables {
    const at = this.at;
    return { now: () => dateAndTime(at), today: () => date(at.slice(0, 10)) };
  }

  /** Runs an element's work; an expression that fails there raises a fault on it instead of aborting the step. */
  private guarded(ei: ElementInstance, atLeave: boolean, work: () => void): void {
    try {
      work();
    } catch (e) {
      if (!(e instanceof ExpressionFailure) || !this.state.elements[ei.id]) throw e;
      this.leaving = atLeave ? ei.id : undefined;
      this.raiseFault(ei, e.message);
      this.leaving = undefined;
    }
  }

  /** A name written as an expression (Zeebe `=`): a non-empty string, or undefined after a fault on `ei` saying what it gave. */
  evaluateName(expr: CompiledFeel, ei: ElementInstance, what: string, trigger?: string): string | undefined {
    const v = this.evaluate(expr, ei.id);
    if (typeof v === 'string' && v.trim() !== '') return v;
    this.raiseFault(ei, `${what} "${expr.source}" gave ${JSON.stringify(v) ?? 'nothing'}, not a name`, undefined, trigger);
    return undefined;
  }

  valueOf(source: ValueSource, eiId: string): unknown {
    return 'literal' in source ? source.literal : this.evaluate(source.expr, eiId);
  }

  /** Sets a variable where one of that name exists on the way up from `fromId`, else at the root. */
  setVariable(fromId: string, name: string, value: unknown): void {
    const json = toJsonValue(value);
    for (let ei: ElementInstance | undefined = this.state.elements[fromId]; ei; ei = ei.p ? this.state.elements[ei.p] : undefined) {
      if (ei.vars && Object.hasOwn(ei.vars, name)) {
        ei.vars[name] = json;
        return;
      }
    }
    const root = this.state.elements[ROOT];
    if (!root) return;
    root.vars ??= {};
    root.vars[name] = json;
  }

  setVariables(fromId: string, vars: Variables | undefined): void {
    if (!vars) return;
    for (const name of Object.keys(vars)) this.setVariable(fromId, name, vars[name]);
  }

  // ---- element lifecycle ---------------------------------------------------------------

  private create(el: string, parent: string): ElementInstance {
    const ei: ElementInstance = { id: this.nextId(), el, p: parent };
    this.state.elements[ei.id] = ei;
    const p = this.state.elements[parent];
    if (p) p.n = (p.n ?? 0) + 1;
    return ei;
  }

  /** Removes an element instance; when its scope empties, the scope completes (unless cancelling). */
  private remove(ei: ElementInstance, cancelling: boolean): void {
    delete this.state.elements[ei.id];
    const parent = ei.p ? this.state.elements[ei.p] : undefined;
    if (!parent) return;
    parent.n = (parent.n ?? 1) - 1;
    if (parent.n === 0 && !cancelling && this.isScope(parent)) this.later(() => this.scopeEmptied(parent.id));
  }

  /** Counts a token held at a join as an active child of its scope. */
  adjustTokens(scopeId: string, delta: number): void {
    const scope = this.state.elements[scopeId];
    if (scope) scope.n = (scope.n ?? 0) + delta;
  }

  takeFlow(flowId: string, scopeId: string): void {
    this.record(flowId, 'sequenceFlow', 'taken');
    const target = this.def.flows[flowId]?.target as string;
    this.enter(target, scopeId, flowId);
  }

  /** A token arrives at a node: the element instance exists at once; its behaviour runs in turn. */
  enter(nodeId: string, scopeId: string, flowId?: string, payload?: Payload): ElementInstance | undefined {
    const node = this.node(nodeId);
    const behavior = behaviorOf(node.type);
    if (flowId && behavior.arrive?.(this, node, scopeId, flowId)) return undefined;
    const ei = this.create(nodeId, scopeId);
    this.record(nodeId, node.type, 'started', ei.id);
    this.later(() => this.activate(ei.id, payload));
    return ei;
  }

  /** Creates an inner multi-instance execution (no flow, no boundaries of its own). */
  enterInner(nodeId: string, bodyId: string, vars: Variables): ElementInstance {
    const ei = this.create(nodeId, bodyId);
    ei.vars = vars;
    this.record(nodeId, this.node(nodeId).type, 'started', ei.id);
    this.later(() => this.activate(ei.id));
    return ei;
  }

  activate(eiId: string, payload?: Payload): void {
    const ei = this.state.elements[eiId];
    if (!ei || this.state.status !== 'active') return;
    this.guarded(ei, false, () => this.start(ei, payload));
  }

  private start(ei: ElementInstance, payload?: Payload): void {
    const node = this.node(ei.el);
    const isInner = ei.i !== undefined;
    if (node.loop && !isInner) {
      ei.mi = { items: [], next: 0, active: 0, completed: 0, out: [] };
      this.openBoundaries(ei, node);
      enterMultiInstance(this, ei, node);
      return;
    }
    if (node.inputs.length) {
      ei.vars ??= {};
      for (const m of node.inputs) ei.vars[m.target] = toJsonValue(this.evaluate(m.source, ei.id));
    }
    if (!isInner && isActivity(node)) this.openBoundaries(ei, node);
    behaviorOf(node.type).enter(this, ei, node, payload);
  }

  /** Completes an element instance with the variables it produced and moves its token on. */
  complete(ei: ElementInstance, vars?: Variables): void {
    this.guarded(ei, true, () => this.finish(ei, vars));
  }

  private finish(ei: ElementInstance, vars?: Variables): void {
    const node = this.node(ei.el);
    const mapsOutputs = (node.outputs.length > 0 || node.job?.resultLocal === true) && !(node.loop && ei.i !== undefined);
    if (mapsOutputs) {
      if (vars) ei.vars = { ...ei.vars, ...(toJsonValue(vars) as Variables) };
      const scope = ei.p as string;
      for (const m of node.outputs) this.setVariable(scope, m.target, this.evaluate(m.source, ei.id));
    } else {
      this.setVariables(ei.id, vars);
    }
    const behavior = behaviorOf(node.type);
    this.leaving = ei.id;
    const flows = ei.i !== undefined ? [] : (behavior.leave ?? defaultFlows)(this, ei, node);
    this.leaving = undefined;
    if (flows === undefined) return; // the behaviour raised a fault; the token stays
    this.closeWaits(ei.id);
    // A fault the element still holds (e.g. a boundary event that could not subscribe) is moot once it completes.
    this.resolveFaultsOf(ei.id);
    this.record(node.id, node.type, 'completed', ei.id);
    const parent = ei.p ? this.state.elements[ei.p] : undefined;
    if (ei.i !== undefined && parent?.mi) {
      innerCompleted(this, parent, ei, node);
    } else {
      for (const f of flows) this.takeFlow(f, ei.p as string);
    }
    this.remove(ei, false);
  }

  /** Ends an element instance without moving its token on (a terminate end event). */
  discard(ei: ElementInstance): void {
    this.closeWaits(ei.id);
    this.record(ei.el, this.node(ei.el).type, 'completed', ei.id);
    this.remove(ei, true);
  }

  /** A scope whose last token ended: the process completes, a subprocess completes in turn. */
  private scopeEmptied(scopeId: string): void {
    const scope = this.state.elements[scopeId];
    if (!scope || scope.n !== 0 || this.state.status !== 'active') return;
    if (scopeId === ROOT) return this.endInstance('completed');
    this.complete(scope);
  }

  /** Cancels an element instance and everything inside it, closing what it waits for. */
  cancel(ei: ElementInstance): void {
    this.cancelAll([ei]);
  }

  /**
   * Cancels element instances and everything inside them: innermost first, children in order,
   * each before its parent. What each one owns (children, waits, faults, joins) is found in one
   * pass, not once per element (a scope may hold thousands), and an explicit stack walks the
   * nesting. Cancelling creates nothing, so what the pass found stays true throughout.
   */
  cancelAll(roots: readonly ElementInstance[]): void {
    if (roots.length === 0) return;
    const { elements, waits, faults, joins } = this.state;
    const owned: Owned = {
      children: groupBy(Object.values(elements), (e) => e.p),
      waits: groupBy(Object.values(waits), (w) => w.owner),
      faults: groupBy(Object.values(faults), (f) => f.elementInstanceId),
      joins: groupBy(Object.keys(joins), (key) => key.slice(0, key.indexOf('/'))),
    };
    for (const root of roots) {
      const stack = [{ ei: root, children: owned.children.get(root.id) ?? [], next: 0 }];
      while (stack.length) {
        const frame = stack[stack.length - 1] as (typeof stack)[number];
        const child = frame.children[frame.next++];
        if (child) {
          stack.push({ ei: child, children: owned.children.get(child.id) ?? [], next: 0 });
          continue;
        }
        stack.pop();
        this.cancelOne(frame.ei, owned);
      }
    }
  }

  /** Cancels one element instance whose children are gone already. */
  private cancelOne(ei: ElementInstance, owned: Owned): void {
    for (const key of owned.joins.get(ei.id) ?? []) delete this.state.joins[key];
    for (const w of owned.waits.get(ei.id) ?? []) this.closeWait(w);
    for (const f of owned.faults.get(ei.id) ?? []) {
      delete this.state.faults[f.id];
      this.emit({ type: 'faultResolved', faultId: f.id });
    }
    const node = this.def.nodes[ei.el];
    this.record(ei.el, ei.id === ROOT ? 'process' : (node?.type ?? 'unknown'), 'cancelled', ei.id);
    this.remove(ei, true);
  }

  cancelChildren(scope: ElementInstance): void {
    this.cancelAll(this.children(scope.id));
    this.clearJoins(scope.id);
    scope.n = 0;
  }

  private clearJoins(scopeId: string): void {
    const prefix = `${scopeId}/`;
    for (const key of Object.keys(this.state.joins)) if (key.startsWith(prefix)) delete this.state.joins[key];
  }

  endInstance(status: 'completed' | 'terminated' | 'cancelled', error?: { code: string; message?: string }): void {
    const root = this.state.elements[ROOT];
    const variables = root?.vars ?? {};
    if (root) {
      if (status === 'cancelled') {
        this.cancel(root);
      } else {
        // Completed or terminated by its own model: what still runs is cancelled, the process itself completes.
        if (status === 'terminated') this.cancelChildren(root);
        this.closeWaits(ROOT);
        // A fault the process itself holds (an event subprocess start that could not subscribe) ends with it.
        this.resolveFaultsOf(ROOT);
        this.record(this.def.processId, 'process', 'completed', ROOT);
        delete this.state.elements[ROOT];
      }
    }
    this.state.status = status;
    this.state.endedAt = this.at;
    this.state.joins = {};
    // Ended instances keep their variables (for history and call-activity results) in the state.
    this.state.vars = variables;
    this.emit(error ? { type: 'instanceEnded', status, variables, error } : { type: 'instanceEnded', status, variables });
  }

  // ---- faults --------------------------------------------------------------------------

  /** Holds the token where it is and tells an operator why; retryFault runs the element again. */
  raiseFault(ei: ElementInstance, message: string, jobId?: string, trigger?: string): void {
    const id = this.waitId();
    ei.fault = id;
    this.state.faults[id] = {
      id,
      elementInstanceId: ei.id,
      elementId: ei.el,
      message,
      at: this.at,
      ...(jobId ? { jobId } : {}),
      ...(this.leaving === ei.id ? { atLeave: true } : {}),
      ...(trigger ? { trigger } : {}),
    };
    this.emit(
      jobId
        ? { type: 'faultRaised', faultId: id, elementId: ei.el, jobId, message }
        : { type: 'faultRaised', faultId: id, elementId: ei.el, message },
    );
  }

  resolveFaultsOf(eiId: string): void {
    for (const f of Object.values(this.state.faults)) {
      if (f.elementInstanceId === eiId) {
        delete this.state.faults[f.id];
        this.emit({ type: 'faultResolved', faultId: f.id });
      }
    }
  }

  // ---- waits ---------------------------------------------------------------------------

  openWait(wait: Omit<Wait, 'id'>): Wait {
    const w = { id: this.waitId(), ...wait } as Wait;
    this.state.waits[w.id] = w;
    return w;
  }

  /** Opens the wait for a catching event (message, timer, signal, condition) of `trigger`. */
  subscribe(owner: ElementInstance, trigger: FlowNode): Wait | undefined {
    const event = trigger.event;
    switch (event?.kind) {
      case 'timer': {
        const timer = event.timer;
        if (!timer) return undefined;
        const text = this.valueOf(timer.value, owner.id);
        let schedule: ReturnType<typeof firstSchedule>;
        try {
          schedule = firstSchedule(timer.kind, String(text ?? ''), this.now);
        } catch (e) {
          this.raiseFault(
            owner,
            `the timer of "${trigger.id}" gave ${JSON.stringify(text)}: ${(e as Error).message}`,
            undefined,
            trigger.id,
          );
          return undefined;
        }
        const w = this.openWait({ kind: 'timer', owner: owner.id, trigger: trigger.id, ...schedule });
        this.emit({ type: 'timerScheduled', timerId: w.id, elementId: trigger.id, dueAt: schedule.dueAt });
        return w;
      }
      case 'message': {
        const name = event.nameExpression
          ? this.evaluateName(event.nameExpression, owner, 'the message name', trigger.id)
          : (event.name as string);
        if (name === undefined) return undefined;
        const wait: Omit<Wait, 'id'> = { kind: 'message', owner: owner.id, trigger: trigger.id, name };
        if (event.correlationKey) {
          const key = this.evaluate(event.correlationKey, owner.id);
          if (key === null || key === undefined) {
            this.raiseFault(
              owner,
              `the correlation key of "${trigger.id}" is null; set the variable it reads before the element is reached`,
              undefined,
              trigger.id,
            );
            return undefined;
          }
          wait.correlationKey = String(key);
        }
        const w = this.openWait(wait);
        this.emit({
          type: 'messageSubscribed',
          subscriptionId: w.id,
          elementId: trigger.id,
          name,
          ...(w.correlationKey !== undefined ? { correlationKey: w.correlationKey } : {}),
        });
        return w;
      }
      case 'signal': {
        const w = this.openWait({ kind: 'signal', owner: owner.id, trigger: trigger.id, name: event.name as string });
        this.emit({ type: 'signalSubscribed', subscriptionId: w.id, elementId: trigger.id, name: event.name as string });
        return w;
      }
      case 'conditional':
        return this.openWait({ kind: 'conditional', owner: owner.id, trigger: trigger.id, last: false });
      default:
        return undefined;
    }
  }

  openBoundaries(host: ElementInstance, node: FlowNode): void {
    for (const b of node.boundaries) this.subscribe(host, this.node(b));
  }

  openEventSubprocesses(scope: ElementInstance, scopeDefId: string): void {
    const scopeDef = scopeDefId === this.def.processId ? this.def.root : this.def.nodes[scopeDefId]?.inner;
    for (const esp of scopeDef?.eventSubprocesses ?? []) {
      const start = this.def.nodes[esp]?.inner?.start;
      if (start) this.subscribe(scope, this.node(start));
    }
  }

  /** Closes every wait the element instance owns, telling the outside world. */
  closeWaits(ownerId: string): void {
    for (const w of Object.values(this.state.waits)) if (w.owner === ownerId) this.closeWait(w);
  }

  closeWait(w: Wait): void {
    delete this.state.waits[w.id];
    switch (w.kind) {
      case 'task':
        return this.emit({ type: 'taskCancelled', taskId: w.id });
      case 'job':
        return this.emit({ type: 'jobCancelled', jobId: w.id });
      case 'timer':
        return this.emit({ type: 'timerCancelled', timerId: w.id });
      case 'message':
        return this.emit({ type: 'messageUnsubscribed', subscriptionId: w.id });
      case 'signal':
        return this.emit({ type: 'signalUnsubscribed', subscriptionId: w.id });
      case 'call':
        return this.emit({ type: 'callCancelled', callId: w.id });
      default:
    }
  }

  /** Conditional events whose condition turned true since it was last looked at. */
  private fireConditions(): boolean {
    let fired = false;
    for (const w of Object.values(this.state.waits)) {
      if (w.kind !== 'conditional' || !this.state.waits[w.id]) continue;
      const condition = this.def.nodes[w.trigger]?.event?.condition;
      let value = false;
      try {
        value = condition ? this.evaluate(condition, w.owner) === true : false;
      } catch (e) {
        const owner = this.state.elements[w.owner];
        if (!(e instanceof ExpressionFailure) || !owner) throw e;
        if (!owner.fault) this.raiseFault(owner, `the condition of "${w.trigger}": ${e.message}`);
      }
      const rising = value && !w.last;
      w.last = value;
      if (rising) {
        this.fire(w, {});
        fired = true;
      }
    }
    return fired;
  }

  /** A wait fired: route it to the element it triggers. */
  fire(w: Wait, payload: Payload): void {
    fireWait(this, w, payload);
  }
}

/** What element instances own, by the owner's id: for cancelling many at once. */
interface Owned {
  children: Map<string | undefined, ElementInstance[]>;
  waits: Map<string, Wait[]>;
  faults: Map<string, Fault[]>;
  joins: Map<string, string[]>;
}

/** The items by key, each group in the items' order. */
function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

const clockReaders = new WeakMap<CompiledFeel, boolean>();

function readsClock(expr: CompiledFeel): boolean {
  let reads = clockReaders.get(expr);
  if (reads === undefined) {
    reads = /\b(now|today)\s*\(/.test(expr.source);
    clockReaders.set(expr, reads);
  }
  return reads;
}
