// The state of one process instance: plain JSON, so it can be stored, diffed and replayed.
export type Variables = Record<string, unknown>;

export type InstanceStatus = 'active' | 'completed' | 'terminated' | 'cancelled';

/** One active execution of a flow node (or the process itself, id "0"). */
export interface ElementInstance {
  id: string;
  /** Element id in the definition (the process id for the root). */
  el: string;
  /** Parent element instance: the scope this one runs in. */
  p?: string;
  /** Local variables, present on scopes and on elements with input mappings. */
  vars?: Variables;
  /** Active children (element instances and tokens waiting at joins); present on scopes. */
  n?: number;
  /** Multi-instance body bookkeeping. */
  mi?: MultiInstanceState;
  /** Multi-instance inner instance: its index in the collection. */
  i?: number;
  /** Set while a fault holds this element. */
  fault?: string;
}

export interface MultiInstanceState {
  items: unknown[];
  next: number;
  active: number;
  completed: number;
  out: unknown[];
}

export type WaitKind = 'task' | 'job' | 'timer' | 'message' | 'signal' | 'conditional' | 'call';

/** Something the instance waits for: a user task, job, timer, subscription or child instance. */
export interface Wait {
  id: string;
  kind: WaitKind;
  /** Element instance that owns the wait; when it ends, the wait is closed. */
  owner: string;
  /** Element triggered when the wait fires (the owner's element, a boundary event, an event subprocess start, an event-gateway target). */
  trigger: string;
  name?: string;
  correlationKey?: string;
  dueAt?: string;
  /** Timer cycles: repetitions left after this one (-1 = forever) and the interval. */
  repeat?: number;
  every?: string;
  retries?: number;
  jobType?: string;
  /** Conditional events: the condition's last value, so they fire on a change to true. */
  last?: boolean;
}

export interface Fault {
  id: string;
  elementInstanceId: string;
  elementId: string;
  jobId?: string;
  message: string;
  at: string;
  /** Raised while choosing outgoing flows: a retry leaves again rather than re-running the element. */
  atLeave?: boolean;
  /** Raised while opening the wait of this catch event (the element's own, a boundary, an event subprocess start): a retry opens that wait again. */
  trigger?: string;
}

export interface InstanceState {
  v: 1;
  id: string;
  processId: string;
  businessKey?: string;
  /** Set when a call activity started this instance. */
  parent?: { instanceId: string; callId: string };
  status: InstanceStatus;
  startedAt: string;
  endedAt?: string;
  /** Counter for generated ids: deterministic, no randomness. */
  seq: number;
  elements: Record<string, ElementInstance>;
  waits: Record<string, Wait>;
  /** Tokens waiting at joining gateways: "scopeInstanceId/gatewayId" -> arrived flow ids. */
  joins: Record<string, string[]>;
  faults: Record<string, Fault>;
  /** Set when the instance ends: its final process variables. */
  vars?: Variables;
}

export const ROOT = '0';
