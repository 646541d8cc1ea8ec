// The compiled, immutable process model the executor runs. It is built once by compile()
// from BPMN XML and indexed so that execution never searches the XML tree.
import type { CompiledFeel } from './feel/index.ts';

export interface Problem {
  readonly elementId: string;
  readonly message: string;
  readonly severity?: 'error' | 'warning';
}

export type NodeType =
  | 'startEvent'
  | 'endEvent'
  | 'intermediateCatchEvent'
  | 'intermediateThrowEvent'
  | 'boundaryEvent'
  | 'task'
  | 'userTask'
  | 'serviceTask'
  | 'sendTask'
  | 'businessRuleTask'
  | 'scriptTask'
  | 'receiveTask'
  | 'manualTask'
  | 'exclusiveGateway'
  | 'parallelGateway'
  | 'inclusiveGateway'
  | 'eventBasedGateway'
  | 'subProcess'
  | 'callActivity';

export type EventKind = 'none' | 'message' | 'timer' | 'signal' | 'error' | 'escalation' | 'conditional' | 'link' | 'terminate';

/** A value written in BPMN either literally or as FEEL (a leading `=`). */
export type ValueSource = { readonly literal: string } | { readonly expr: CompiledFeel };

export interface TimerDef {
  readonly kind: 'duration' | 'date' | 'cycle';
  readonly value: ValueSource;
}

export interface EventDef {
  readonly kind: EventKind;
  /** message, signal, link name; error or escalation code (undefined = catch all). */
  readonly name?: string;
  /** Zeebe's `name="=expression"`: the message name is evaluated when the event is reached. */
  readonly nameExpression?: CompiledFeel;
  readonly correlationKey?: CompiledFeel;
  readonly timer?: TimerDef;
  readonly condition?: CompiledFeel;
}

export interface Mapping {
  readonly source: CompiledFeel;
  readonly target: string;
}

export interface MultiInstanceDef {
  readonly sequential: boolean;
  readonly collection?: CompiledFeel;
  readonly cardinality?: CompiledFeel;
  readonly elementVariable?: string;
  readonly outputCollection?: string;
  readonly outputElement?: CompiledFeel;
  readonly completionCondition?: CompiledFeel;
}

export interface UserTaskDef {
  readonly assignee?: ValueSource;
  readonly candidateGroups?: ValueSource;
  readonly formKey?: string;
  readonly dueDate?: ValueSource;
}

export interface JobDef {
  /** The job type, or the source text of `typeExpression` (kept for messages). */
  readonly type: string;
  /** Zeebe's `type="=expression"`: the job type is evaluated when the job is created. */
  readonly typeExpression?: CompiledFeel;
  readonly retries: number;
  /** Zeebe's `retries="=expression"`: evaluated when the job is created. */
  readonly retriesExpression?: CompiledFeel;
  /** The job's variables stay local to the element (only its output mappings reach the process): HTTP calls mapped from Camunda 7 or Flowable. */
  readonly resultLocal?: boolean;
}

export interface FlowNode {
  readonly id: string;
  readonly type: NodeType;
  readonly name?: string;
  /** Id of the containing scope: the process id or a subprocess id. */
  readonly scope: string;
  readonly incoming: readonly string[];
  readonly outgoing: readonly string[];
  readonly defaultFlow?: string;
  readonly event?: EventDef;
  /** Boundary events attached to this activity. */
  readonly boundaries: readonly string[];
  readonly attachedTo?: string;
  /** Boundary events: cancelActivity; event subprocess start events: isInterrupting. */
  readonly interrupting?: boolean;
  readonly inputs: readonly Mapping[];
  readonly outputs: readonly Mapping[];
  readonly userTask?: UserTaskDef;
  readonly job?: JobDef;
  readonly script?: CompiledFeel;
  readonly resultVariable?: string;
  readonly formKey?: string;
  readonly loop?: MultiInstanceDef;
  readonly calledElement?: string;
  /** Zeebe's `processId="=expression"`: the called process is named when the call activity is reached. */
  readonly calledElementExpression?: CompiledFeel;
  readonly calledVersion?: number;
  readonly propagateAllChildVariables?: boolean;
  /**
   * Call activities: whether the child gets all the caller's variables. Unset: all unless there are
   * input mappings (Zeebe, ServiceLoom); Camunda 7, Flowable and Activiti set it from their `in` bindings.
   */
  readonly childGetsAllVariables?: boolean;
  /** Set on subprocesses: what runs inside them. */
  readonly inner?: ScopeDef;
  /** Inclusive joins: for each incoming flow, the nodes from which a token could still reach it. */
  readonly upstream?: Readonly<Record<string, readonly string[]>>;
  /** `sl:state`: the state the record this process drives (a ticket) takes when a token enters here. */
  readonly recordState?: string;
  /** Link throw events: the link catch event they jump to. */
  readonly linkTarget?: string;
}

export interface SequenceFlow {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly condition?: CompiledFeel;
}

export interface ScopeDef {
  readonly id: string;
  /** Where the scope begins: its none start event, or an event subprocess's triggered start event. */
  readonly start?: string;
  readonly triggeredByEvent: boolean;
  /** Event subprocesses declared directly in this scope. */
  readonly eventSubprocesses: readonly string[];
}

export interface ProcessStart {
  readonly eventId: string;
  readonly kind: 'none' | 'message' | 'timer' | 'signal' | 'conditional';
  readonly name?: string;
  readonly timer?: TimerDef;
  readonly condition?: CompiledFeel;
  readonly formKey?: string;
}

export interface Definition {
  readonly processId: string;
  readonly name?: string;
  readonly root: ScopeDef;
  readonly nodes: Readonly<Record<string, FlowNode>>;
  readonly flows: Readonly<Record<string, SequenceFlow>>;
  /** Start events of the process itself, by trigger. */
  readonly starts: readonly ProcessStart[];
  readonly warnings: readonly Problem[];
}

export const ACTIVITY_TYPES: ReadonlySet<NodeType> = new Set<NodeType>([
  'task',
  'userTask',
  'serviceTask',
  'sendTask',
  'businessRuleTask',
  'scriptTask',
  'receiveTask',
  'manualTask',
  'subProcess',
  'callActivity',
]);

export function isActivity(node: FlowNode): boolean {
  return ACTIVITY_TYPES.has(node.type);
}
