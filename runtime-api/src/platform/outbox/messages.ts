// What the outbox carries: each kind names a follow-up that runs after the step that wrote it
// committed, in a transaction of its own.
import type { InstanceStatus, Variables } from '@serviceloom/engine';

export interface OutboxPayloads {
  /** A job was created (or re-created by a fault retry): external workers poll for it. */
  job: { jobId: string; type: string };
  /** A timer is due at the row's available_at. */
  timer: { timerId: string };
  /** A call activity asks for its child instance. */
  'call.start': {
    parentInstanceId: string;
    callId: string;
    processId: string;
    version?: number;
    businessKey?: string;
    variables: Variables;
  };
  /** A called instance ended: resume (or fail) its caller. */
  'call.ended': {
    parentInstanceId: string;
    callId: string;
    childInstanceId: string;
    status: Exclude<InstanceStatus, 'active'>;
    variables: Variables;
    error?: { code: string; message?: string };
  };
  /** The caller no longer waits (interrupted, cancelled): cancel the child. */
  'call.cancel': { parentInstanceId: string; callId: string };
  /** A message thrown by an instance, correlated like POST /messages. */
  message: { name: string; correlationKey?: string; variables: Variables };
  /** A signal thrown by an instance: fans out to one `signal.deliver` per subscribed instance. */
  signal: { name: string; variables: Variables };
  'signal.deliver': { instanceId: string; name: string; variables: Variables };
  /** The next chunk of a cancel batch (process/cancellation.ts). */
  'cancel.batch': { batchId: string };
  /**
   * An event of an ITSM module for its subscribers (module-events.ts); at available_at if delayed.
   * `subscriber` alone: a row written before one row served them all. `attempt`: a retry's count.
   */
  'module.event': { subscribers?: string[]; subscriber?: string; name: string; data: Record<string, unknown>; attempt?: number };
}

export type OutboxKind = keyof OutboxPayloads;

/** A row to write in the current transaction. */
export interface OutboxEntry<K extends OutboxKind = OutboxKind> {
  tenantId: string;
  instanceId?: string;
  kind: K;
  payload: OutboxPayloads[K];
  /** Epoch ms; default: now. */
  availableAt?: number;
}

/** A row as written, handed to the dispatcher after commit. */
export interface OutboxMessage {
  id: number;
  tenantId: string;
  instanceId: string | null;
  kind: OutboxKind;
  payload: unknown;
  availableAt: number;
}
