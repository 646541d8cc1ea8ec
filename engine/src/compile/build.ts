// Turns the moddle tree of one process into the indexed model, recording every problem it
// meets instead of stopping at the first: users fix their model in one pass.
import type { ModdleElement } from 'bpmn-moddle';
import { type CompiledFeel, compileFeel } from '../feel/index.ts';
import type {
  EventDef,
  EventKind,
  FlowNode,
  Mapping,
  MultiInstanceDef,
  NodeType,
  Problem,
  ProcessStart,
  ScopeDef,
  SequenceFlow,
  TimerDef,
  ValueSource,
} from '../model.ts';
import { checkTimerLiteral, startTimerSchedule } from '../timer.ts';
import { auditExtensions, type Finding } from './audit.ts';
import { looksLikeCron, normalizeCron } from './cron.ts';
import { type RawMapping, readExtensions, readLoopExtensions } from './extensions.ts';
import { isJuel, juelToFeel } from './juel.ts';

const SUPPORTED: Record<string, NodeType> = {
  'bpmn:StartEvent': 'startEvent',
  'bpmn:EndEvent': 'endEvent',
  'bpmn:IntermediateCatchEvent': 'intermediateCatchEvent',
  'bpmn:IntermediateThrowEvent': 'intermediateThrowEvent',
  'bpmn:BoundaryEvent': 'boundaryEvent',
  'bpmn:Task': 'task',
  'bpmn:UserTask': 'userTask',
  'bpmn:ServiceTask': 'serviceTask',
  'bpmn:SendTask': 'sendTask',
  'bpmn:BusinessRuleTask': 'businessRuleTask',
  'bpmn:ScriptTask': 'scriptTask',
  'bpmn:ReceiveTask': 'receiveTask',
  'bpmn:ManualTask': 'manualTask',
  'bpmn:ExclusiveGateway': 'exclusiveGateway',
  'bpmn:ParallelGateway': 'parallelGateway',
  'bpmn:InclusiveGateway': 'inclusiveGateway',
  'bpmn:EventBasedGateway': 'eventBasedGateway',
  'bpmn:SubProcess': 'subProcess',
  'bpmn:CallActivity': 'callActivity',
};

const UNSUPPORTED: Record<string, string> = {
  'bpmn:ComplexGateway': 'complex gateways are not supported; use an inclusive gateway with conditions',
  'bpmn:Transaction': 'transaction subprocesses are not supported; use a subprocess with error handling',
  'bpmn:AdHocSubProcess': 'ad-hoc subprocesses are not supported',
  'bpmn:CallChoreography': 'choreographies are not executable',
  'bpmn:SubChoreography': 'choreographies are not executable',
  'bpmn:ChoreographyTask': 'choreographies are not executable',
  'bpmn:ImplicitThrowEvent': 'implicit throw events are not supported',
};

const EVENT_KINDS: Record<string, EventKind | string> = {
  'bpmn:MessageEventDefinition': 'message',
  'bpmn:TimerEventDefinition': 'timer',
  'bpmn:SignalEventDefinition': 'signal',
  'bpmn:ErrorEventDefinition': 'error',
  'bpmn:EscalationEventDefinition': 'escalation',
  'bpmn:ConditionalEventDefinition': 'conditional',
  'bpmn:LinkEventDefinition': 'link',
  'bpmn:TerminateEventDefinition': 'terminate',
  'bpmn:CompensateEventDefinition': 'compensation events are not supported',
  'bpmn:CancelEventDefinition': 'cancel events are not supported (they belong to transactions)',
};

/** Which event kinds each event type may carry. */
const ALLOWED_EVENTS: Record<string, readonly EventKind[]> = {
  startEvent: ['none', 'message', 'timer', 'signal', 'conditional', 'error', 'escalation'],
  endEvent: ['none', 'terminate', 'error', 'escalation', 'message', 'signal'],
  intermediateCatchEvent: ['timer', 'message', 'signal', 'link', 'conditional'],
  intermediateThrowEvent: ['none', 'message', 'signal', 'escalation', 'link'],
  boundaryEvent: ['timer', 'message', 'signal', 'error', 'escalation', 'conditional'],
};

export interface BuiltProcess {
  nodes: Record<string, FlowNode>;
  flows: Record<string, SequenceFlow>;
  scopes: Record<string, ScopeDef>;
  starts: ProcessStart[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A scope being collected: its elements, how far through them, and what it found so far. */
interface ScopeFrame {
  id: string;
  triggeredByEvent: boolean;
  elements: ModdleElement[];
  next: number;
  start?: string;
  eventSubprocesses: string[];
  /** The subprocess node the scope belongs to (none for the process). */
  node?: Mutable<FlowNode>;
}

const newFrame = (container: ModdleElement, id: string, triggeredByEvent: boolean): ScopeFrame => ({
  id,
  triggeredByEvent,
  elements: (container.flowElements as ModdleElement[] | undefined) ?? [],
  next: 0,
  eventSubprocesses: [],
});

/** An extension of another dialect the engine reads, and what it becomes here. */
export interface MappedExtension {
  element: string;
  attribute: string;
  to: string;
  note?: string;
}

export class ProcessBuilder {
  readonly problems: Problem[] = [];
  readonly nodes: Record<string, Mutable<FlowNode>> = {};
  readonly flows: Record<string, Mutable<SequenceFlow>> = {};
  readonly scopes: Record<string, ScopeDef> = {};
  /** Flows whose condition expression was refused (its problem is recorded). */
  readonly refusedConditions = new Set<string>();
  private readonly hosts: Array<{ boundary: string; host: string }> = [];
  private readonly flowElements: ModdleElement[] = [];

  /** The extension dialect of the document (moddle.ts): it decides how cron days of the week are numbered. */
  constructor(private readonly dialect: string = 'serviceloom') {}

  /** For the import report: which extension a problem is about, and why (audit.ts). */
  readonly findings = new Map<Problem, Finding>();
  /** For the import report: extensions of another dialect read and what they became. */
  readonly mapped: MappedExtension[] = [];

  error(elementId: string, message: string, finding?: Finding): void {
    const p: Problem = { elementId, message, severity: 'error' };
    this.problems.push(p);
    if (finding) this.findings.set(p, finding);
  }

  warn(elementId: string, message: string, finding?: Finding): void {
    const p: Problem = { elementId, message, severity: 'warning' };
    this.problems.push(p);
    if (finding) this.findings.set(p, finding);
  }

  map(elementId: string, attribute: string, to: string, note?: string): void {
    this.mapped.push({ element: elementId, attribute, to, ...(note ? { note } : {}) });
  }

  /** Compiles FEEL, recording a problem (and returning undefined) when it does not parse. */
  feel(elementId: string, what: string, source: string | undefined): CompiledFeel | undefined {
    if (source === undefined || source.trim() === '' || source.trim() === '=') {
      this.error(elementId, `${what} is missing`);
      return undefined;
    }
    let text = source;
    if (isJuel(source)) {
      try {
        text = juelToFeel(source);
      } catch (e) {
        this.error(elementId, `${what}: ${(e as Error).message}`);
        return undefined;
      }
    }
    try {
      return compileFeel(text);
    } catch (e) {
      this.error(elementId, `${what} is not valid FEEL: ${(e as Error).message}`);
      return undefined;
    }
  }

  /** A value that is literal unless written as `=expression` (or JUEL). */
  valueSource(elementId: string, what: string, raw: string | undefined): ValueSource | undefined {
    if (raw === undefined) return undefined;
    if (raw.trim().startsWith('=') || isJuel(raw)) {
      const expr = this.feel(elementId, what, raw);
      return expr ? { expr } : undefined;
    }
    return { literal: raw.trim() };
  }

  /** Audits an element's extensions; true when it refused one (so no vaguer problem needs adding). */
  private audit(el: ModdleElement | undefined, ownerId: string): boolean {
    if (!el) return false;
    const before = this.problems.length;
    auditExtensions(el, ownerId, this);
    return this.problems.slice(before).some((p) => p.severity === 'error');
  }

  build(process: ModdleElement): BuiltProcess {
    const processId = String(process.id);
    this.audit(process, processId);
    this.collectScope(process, processId, false);
    for (const el of this.flowElements) this.buildFlow(el);
    for (const { boundary, host } of this.hosts) {
      const hostNode = this.nodes[host];
      if (!hostNode) this.error(boundary, `is attached to "${host}", which is not an element of this process`);
      else (hostNode.boundaries as string[]).push(boundary);
    }
    const starts = this.processStarts(processId);
    return { nodes: this.nodes, flows: this.flows, scopes: this.scopes, starts };
  }

  /**
   * Collects the nodes of a scope and, depth first, of the subprocesses in it, in document order.
   * An explicit stack of scopes instead of recursion: nesting depth is the model's to choose.
   */
  private collectScope(container: ModdleElement, scopeId: string, triggeredByEvent: boolean): void {
    const stack: ScopeFrame[] = [newFrame(container, scopeId, triggeredByEvent)];
    while (stack.length) {
      const frame = stack[stack.length - 1] as ScopeFrame;
      const el = frame.elements[frame.next++];
      if (el === undefined) {
        stack.pop();
        const { id, start, eventSubprocesses } = frame;
        this.scopes[id] = { id, start, triggeredByEvent: frame.triggeredByEvent, eventSubprocesses };
        if (frame.node) frame.node.inner = this.scopes[id];
        continue;
      }
      const inner = this.collectElement(el, frame);
      if (inner) stack.push(inner);
    }
  }

  /** Adds one element of a scope; returns the frame of the subprocess it opens, if it is one. */
  private collectElement(el: ModdleElement, frame: ScopeFrame): ScopeFrame | undefined {
    const { id: scopeId, triggeredByEvent } = frame;
    const id = String(el.id ?? '');
    if (el.$type === 'bpmn:SequenceFlow') {
      this.flowElements.push(el);
      return undefined;
    }
    const reason = UNSUPPORTED[el.$type];
    if (reason) {
      this.error(id, reason);
      return undefined;
    }
    const type = SUPPORTED[el.$type];
    if (!type) return undefined; // data objects, data stores and the like carry no behaviour
    if (!id) {
      this.error(scopeId, `a ${type} has no id`);
      return undefined;
    }
    if (this.nodes[id] || this.flows[id]) {
      this.error(id, 'id is used by more than one element');
      return undefined;
    }
    const node = this.buildNode(el, type, scopeId);
    this.nodes[id] = node;
    if (type === 'startEvent' && (node.event?.kind === 'none' || triggeredByEvent)) {
      // An event subprocess begins at its (triggered) start event; other scopes at their none start.
      if (frame.start)
        this.error(
          id,
          triggeredByEvent ? 'an event subprocess needs exactly one start event' : 'the scope has more than one none start event',
        );
      else frame.start = id;
    }
    if (type !== 'subProcess') return undefined;
    const isEventSub = Boolean(el.triggeredByEvent);
    if (isEventSub) frame.eventSubprocesses.push(id);
    return { ...newFrame(el, id, isEventSub), node };
  }

  private buildFlow(el: ModdleElement): void {
    const source = el.sourceRef?.id as string | undefined;
    const target = el.targetRef?.id as string | undefined;
    let id = String(el.id ?? '');
    if (!id) {
      // Flowable files often leave flows unnamed; a name from its ends is stable across deployments.
      const base = `Flow_${source ?? 'unknown'}_${target ?? 'unknown'}`;
      id = base;
      for (let n = 2; this.flows[id] || this.nodes[id]; n++) id = `${base}_${n}`;
      this.warn(id, `a sequence flow from "${source ?? '?'}" to "${target ?? '?'}" has no id; it is called "${id}"`);
    }
    this.audit(el, id);
    if (this.flows[id] || this.nodes[id]) return this.error(id, 'id is used by more than one element');
    if (!source || !this.nodes[source]) return this.error(id, 'the sequence flow has no source element it can leave from');
    if (!target || !this.nodes[target]) return this.error(id, 'the sequence flow leads nowhere: its target is missing or not executable');
    const flow: Mutable<SequenceFlow> = { id, source, target };
    const cond = el.conditionExpression as ModdleElement | undefined;
    if (cond) {
      const language = cond.language as string | undefined;
      if (language && !/feel/i.test(language) && !isJuel(String(cond.body ?? ''))) {
        this.error(id, `condition language "${language}" is not supported; write the condition in FEEL`);
      } else {
        flow.condition = this.feel(id, 'the condition', cond.body as string | undefined);
      }
      if (!flow.condition) this.refusedConditions.add(id);
    }
    this.flows[id] = flow;
    (this.nodes[source].outgoing as string[]).push(id);
    (this.nodes[target].incoming as string[]).push(id);
  }

  private buildNode(el: ModdleElement, type: NodeType, scope: string): Mutable<FlowNode> {
    const id = String(el.id);
    const ext = readExtensions(el);
    let refused = this.audit(el, id);
    for (const def of (el.eventDefinitions as ModdleElement[] | undefined) ?? []) refused = this.audit(def, id) || refused;
    refused = this.audit(el.loopCharacteristics as ModdleElement | undefined, id) || refused;
    for (const reason of ext.refused) this.error(id, reason);
    refused ||= ext.refused.length > 0;
    const node: Mutable<FlowNode> = {
      id,
      type,
      scope,
      incoming: [],
      outgoing: [],
      boundaries: [],
      inputs: this.mappings(id, 'input', ext.inputs),
      outputs: this.mappings(id, 'output', ext.outputs),
    };
    if (el.name) node.name = String(el.name);
    if (el.default?.id) node.defaultFlow = String(el.default.id);
    if (ext.recordState) node.recordState = ext.recordState;
    if (ext.javaImplementation) {
      refused = true;
      const reason = 'cannot run here: use a job type (sl:type) for a worker or connector';
      this.error(id, `Java delegate ${ext.javaImplementation} ${reason}`, { what: `Java delegate ${ext.javaImplementation}`, reason });
    }
    if (type in ALLOWED_EVENTS) node.event = this.buildEvent(el, type, ext.correlationKey);
    switch (type) {
      case 'boundaryEvent': {
        const host = el.attachedToRef?.id as string | undefined;
        if (!host) this.error(id, 'the boundary event is not attached to an activity');
        else {
          node.attachedTo = host;
          this.hosts.push({ boundary: id, host });
        }
        node.interrupting = el.cancelActivity !== false;
        break;
      }
      case 'startEvent':
        node.interrupting = el.isInterrupting !== false;
        if (ext.formKey) node.formKey = ext.formKey;
        break;
      case 'userTask':
        if (ext.candidateUsers)
          this.error(id, `candidate users ("${ext.candidateUsers}") are not supported: offer the task to candidate groups or an assignee`, {
            what: `candidate users ("${ext.candidateUsers}")`,
            reason: 'not supported: offer the task to candidate groups or an assignee',
          });
        node.userTask = {
          assignee: this.valueSource(id, 'the assignee', ext.assignee),
          candidateGroups: this.valueSource(id, 'the candidate groups', ext.candidateGroups),
          formKey: ext.formKey,
          dueDate: this.dueDate(id, ext.dueDate),
        };
        break;
      case 'serviceTask':
      case 'businessRuleTask': {
        // A BPMN `implementation` naming what would do the work (a vendor's URI, or a web service with its operation).
        // Modelers write the default `##WebService` on every task: alone, it names nothing.
        const implementation = Object.hasOwn(el, 'implementation') ? String(el.implementation) : undefined;
        const names = implementation && implementation !== '##unspecified' && (implementation !== '##WebService' || el.operationRef);
        if (!ext.jobType && !refused && names) {
          refused = true;
          const what = `implementation="${String(el.implementation)}"`;
          const reason = 'cannot run here: use a job type (sl:type) for a worker or connector';
          this.error(id, `${what} ${reason}`, { what, reason });
        }
        if (!ext.jobType && !refused) {
          this.error(
            id,
            `a ${type === 'serviceTask' ? 'service' : 'business rule'} task needs sl:type: the job type or connector that does the work`,
          );
        }
        break;
      }
      case 'scriptTask':
        this.buildScript(el, node, ext.scriptExpression, ext.resultVariable);
        break;
      case 'callActivity':
        this.buildCall(el, node, ext.calledElement, ext.calledVersion, ext.propagateAllChildVariables);
        if (ext.childGetsAllVariables !== undefined) node.childGetsAllVariables = ext.childGetsAllVariables;
        if (ext.outputsAllAndMapped)
          this.error(id, 'out variables="all" next to named out mappings is not supported; use one or the other');
        break;
      case 'receiveTask':
      case 'sendTask': {
        const name = el.messageRef?.name as string | undefined;
        if (name)
          node.event = {
            kind: 'message',
            name,
            ...(name.trim().startsWith('=') ? { nameExpression: this.feel(id, 'the message name', name) } : {}),
            ...(type === 'receiveTask' && ext.correlationKey !== undefined
              ? { correlationKey: this.feel(id, 'the correlation key', ext.correlationKey) }
              : {}),
          };
        else if (type === 'receiveTask') this.error(id, 'the receive task names no message (messageRef)');
        else if (!ext.jobType) this.error(id, 'a send task needs a message (messageRef) or sl:type for the job that sends it');
        break;
      }
      default:
    }
    if (
      ext.jobType &&
      (type === 'serviceTask' ||
        type === 'sendTask' ||
        type === 'businessRuleTask' ||
        type === 'intermediateThrowEvent' ||
        type === 'endEvent')
    ) {
      const retriesExpression = ext.retries?.trim().startsWith('=') ? this.feel(id, 'the retries', ext.retries) : undefined;
      const retries = ext.retries === undefined || ext.retries.trim().startsWith('=') ? 3 : Number(ext.retries);
      if (!Number.isInteger(retries) || retries < 0) this.error(id, `retries "${ext.retries}" is not a whole number`);
      node.job = { type: ext.jobType, retries: Number.isInteger(retries) && retries >= 0 ? retries : 3 };
      if (ext.jobResultLocal) node.job = { ...node.job, resultLocal: true };
      if (retriesExpression) node.job = { ...node.job, retriesExpression };
      if (ext.httpConnector)
        this.map(
          id,
          ext.httpConnector,
          'a job of type "http" (the http connector): url, method, headers and body as its variables',
          'the response stays local to the element; only the mapped outputs reach the process',
        );
      // Zeebe: `type="=expression"` names the job type at run time.
      if (ext.jobType.trim().startsWith('=')) {
        const typeExpression = this.feel(id, 'the job type', ext.jobType);
        if (typeExpression) node.job = { ...node.job, typeExpression };
      }
    }
    if (el.loopCharacteristics) node.loop = this.buildLoop(id, el.loopCharacteristics as ModdleElement);
    return node;
  }

  private mappings(id: string, what: string, raw: RawMapping[]): Mapping[] {
    const out: Mapping[] = [];
    for (const m of raw) {
      if (!m.target) {
        this.error(id, `an ${what} mapping has no target variable`);
        continue;
      }
      const source =
        m.dialect === 'literal' ? compileFeel(JSON.stringify(m.source)) : this.feel(id, `the ${what} mapping for "${m.target}"`, m.source);
      if (source) out.push({ source, target: m.target });
    }
    return out;
  }

  private dueDate(id: string, raw: string | undefined): ValueSource | undefined {
    if (raw === undefined) return undefined;
    const text = raw.trim();
    const literal =
      !text.startsWith('=') && (checkTimerLiteral('duration', text) === undefined || checkTimerLiteral('date', text) === undefined);
    return literal ? { literal: text } : this.valueSource(id, 'the due date', text.startsWith('=') ? text : `=${text}`);
  }

  private buildEvent(el: ModdleElement, type: NodeType, correlationKey: string | undefined): EventDef {
    const id = String(el.id);
    const defs = (el.eventDefinitions as ModdleElement[] | undefined) ?? [];
    if (defs.length > 1) {
      this.error(id, 'events with several triggers (multiple or parallel multiple) are not supported');
      return { kind: 'none' };
    }
    const def = defs[0];
    const kind = def ? EVENT_KINDS[def.$type] : 'none';
    if (kind === undefined) {
      this.error(id, `event definition ${def?.$type} is not supported`);
      return { kind: 'none' };
    }
    if (!(ALLOWED_EVENTS[type] as readonly string[]).includes(kind)) {
      const reason = kind.includes(' ') ? kind : `a ${type} cannot be a ${kind} event`;
      this.error(id, reason);
      return { kind: 'none' };
    }
    const event: Mutable<EventDef> = { kind: kind as EventKind };
    switch (kind) {
      case 'message': {
        const name = def?.messageRef?.name as string | undefined;
        if (!name && type !== 'endEvent' && type !== 'intermediateThrowEvent') this.error(id, 'the message event names no message');
        if (name?.trim().startsWith('=')) {
          // A process's own message start is registered when it is deployed: its name cannot wait for variables.
          if (type === 'startEvent' && !el.$parent?.triggeredByEvent)
            this.error(id, `the message name of a process start event is an expression ("${name}"); name the message`);
          else event.nameExpression = this.feel(id, 'the message name', name);
        }
        if (name) event.name = name;
        // A process's own message start creates an instance and has no key; an event subprocess's start correlates like any catch.
        const correlates = type !== 'startEvent' || Boolean(el.$parent?.triggeredByEvent);
        if (correlationKey !== undefined && correlates) {
          event.correlationKey = this.feel(id, 'the correlation key', correlationKey);
        }
        break;
      }
      case 'signal': {
        const name = def?.signalRef?.name as string | undefined;
        if (!name) this.error(id, 'the signal event names no signal');
        else event.name = name;
        break;
      }
      case 'error': {
        const code = (def?.errorRef?.errorCode ?? def?.errorRef?.name) as string | undefined;
        if (code) event.name = code;
        if (type === 'endEvent' && !code) this.error(id, 'an error end event needs an error with a code');
        if (type === 'boundaryEvent' && el.cancelActivity === false)
          this.error(id, 'an error boundary event always interrupts its activity');
        break;
      }
      case 'escalation': {
        const code = (def?.escalationRef?.escalationCode ?? def?.escalationRef?.name) as string | undefined;
        if (code) event.name = code;
        if (type !== 'boundaryEvent' && type !== 'startEvent' && !code)
          this.error(id, 'an escalation throw needs an escalation with a code');
        break;
      }
      case 'timer':
        event.timer = this.buildTimer(id, def as ModdleElement);
        break;
      case 'conditional':
        event.condition = this.feel(id, 'the condition', def?.condition?.body as string | undefined);
        break;
      case 'link': {
        const name = def?.name as string | undefined;
        if (!name) this.error(id, 'the link event has no name');
        else event.name = name;
        break;
      }
      default:
    }
    return event;
  }

  private buildTimer(id: string, def: ModdleElement): TimerDef | undefined {
    const options: Array<['duration' | 'date' | 'cycle', ModdleElement | undefined]> = [
      ['duration', def.timeDuration],
      ['date', def.timeDate],
      ['cycle', def.timeCycle],
    ];
    const present = options.filter(([, v]) => v !== undefined);
    if (present.length !== 1) {
      this.error(
        id,
        present.length
          ? 'the timer sets more than one of timeDuration, timeDate and timeCycle'
          : 'the timer has no timeDuration, timeDate or timeCycle',
      );
      return undefined;
    }
    const [kind, expr] = present[0] as ['duration' | 'date' | 'cycle', ModdleElement];
    const body = String(expr.body ?? '').trim();
    if (!body) {
      this.error(id, `the timer's ${kind} is empty`);
      return undefined;
    }
    if (body.startsWith('=') || isJuel(body)) {
      const value = this.valueSource(id, `the timer's ${kind}`, body);
      return value ? { kind, value } : undefined;
    }
    if (kind === 'cycle' && looksLikeCron(body)) {
      try {
        return { kind, value: { literal: normalizeCron(body, this.dialect) } };
      } catch (e) {
        this.error(id, `the timer's cycle is invalid: ${(e as Error).message}`);
        return undefined;
      }
    }
    const problem = checkTimerLiteral(kind, body);
    if (problem) {
      this.error(id, `the timer's ${kind} is invalid: ${problem}`);
      return undefined;
    }
    return { kind, value: { literal: body } };
  }

  private buildScript(
    el: ModdleElement,
    node: Mutable<FlowNode>,
    expression: string | undefined,
    resultVariable: string | undefined,
  ): void {
    const format = (el.scriptFormat as string | undefined)?.toLowerCase();
    const body = expression ?? (el.script as string | undefined);
    if (expression === undefined && format !== undefined && format !== 'feel') {
      this.error(node.id, `script format "${el.scriptFormat}" is not supported; scripts are FEEL expressions (scriptFormat="feel")`);
      return;
    }
    node.script = this.feel(node.id, 'the script', body);
    if (resultVariable) node.resultVariable = resultVariable;
  }

  private buildCall(
    el: ModdleElement,
    node: Mutable<FlowNode>,
    zeebeCalled: string | undefined,
    version: string | undefined,
    propagate: boolean | undefined,
  ): void {
    const called = (el.calledElement as string | undefined) ?? zeebeCalled;
    if (!called) this.error(node.id, 'the call activity names no process to call (calledElement)');
    else if (/^\s*[$#]\{/.test(called)) this.error(node.id, `the called process is an expression ("${called}"); name the process to call`);
    else if (called.trim().startsWith('=')) {
      // Zeebe: the process to call is named when the call activity is reached.
      node.calledElement = called;
      const expr = this.feel(node.id, 'the called process', called);
      if (expr) node.calledElementExpression = expr;
    } else node.calledElement = called;
    if (version !== undefined) {
      const v = Number(version);
      if (!Number.isInteger(v) || v < 1) this.error(node.id, `called version "${version}" is not a version number`);
      else node.calledVersion = v;
    }
    node.propagateAllChildVariables = propagate !== false;
  }

  private buildLoop(id: string, loop: ModdleElement): MultiInstanceDef | undefined {
    if (loop.$type === 'bpmn:StandardLoopCharacteristics') {
      this.error(id, 'standard loops are not supported; use multi-instance (sequential) instead');
      return undefined;
    }
    const ext = readLoopExtensions(loop);
    const def: Mutable<MultiInstanceDef> = { sequential: Boolean(loop.isSequential) };
    if (ext.collection) {
      const text = isJuel(ext.collection) || ext.collection.trim().startsWith('=') ? ext.collection : `=${ext.collection}`;
      def.collection = this.feel(id, 'the multi-instance collection', text);
    }
    if (loop.loopCardinality) def.cardinality = this.feel(id, 'the loop cardinality', loop.loopCardinality.body);
    if (!ext.collection && !loop.loopCardinality)
      this.error(id, 'the multi-instance activity has neither sl:collection nor loopCardinality');
    if (ext.elementVariable) def.elementVariable = ext.elementVariable;
    if (ext.outputCollection) def.outputCollection = ext.outputCollection;
    if (ext.outputElement) def.outputElement = this.feel(id, 'the output element', ext.outputElement);
    if (ext.outputCollection && !ext.outputElement)
      this.error(id, 'sl:outputCollection needs sl:outputElement: what each instance contributes');
    if (loop.completionCondition) def.completionCondition = this.feel(id, 'the completion condition', loop.completionCondition.body);
    return def;
  }

  private processStarts(processId: string): ProcessStart[] {
    const starts: ProcessStart[] = [];
    for (const node of Object.values(this.nodes)) {
      if (node.type !== 'startEvent' || node.scope !== processId || !node.event) continue;
      const { kind } = node.event;
      if (kind !== 'none' && kind !== 'message' && kind !== 'timer' && kind !== 'signal' && kind !== 'conditional') {
        this.error(node.id, `a process cannot start with a ${kind} event; only event subprocesses can`);
        continue;
      }
      const start: Mutable<ProcessStart> = { eventId: node.id, kind };
      if (node.event.name) start.name = node.event.name;
      if (node.event.timer) {
        start.timer = node.event.timer;
        try {
          startTimerSchedule(node.event.timer, 0);
        } catch (e) {
          this.error(
            node.id,
            `the timer start cannot be scheduled: ${(e as Error).message} (it cannot read variables: none exist before the instance starts)`,
          );
        }
      }
      if (node.event.condition) start.condition = node.event.condition;
      if (node.formKey) start.formKey = node.formKey;
      starts.push(start);
    }
    return starts;
  }
}
