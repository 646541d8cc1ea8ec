// What a step asks the outside world to do (or tells it happened). The runtime persists
// them in the same transaction as the new state.
import type { InstanceStatus, Variables } from './state.ts';

export type Effect =
  | {
      type: 'taskCreated';
      taskId: string;
      elementId: string;
      name?: string;
      assignee?: string;
      candidateGroups: string[];
      formKey?: string;
      dueAt?: string;
    }
  | { type: 'taskCancelled'; taskId: string }
  | { type: 'taskCompleted'; taskId: string }
  | {
      type: 'jobCreated';
      jobId: string;
      jobType: string;
      elementId: string;
      retries: number;
      variables: Variables;
    }
  | { type: 'jobCancelled'; jobId: string }
  | { type: 'jobCompleted'; jobId: string }
  | { type: 'jobRetry'; jobId: string; retries: number; message?: string }
  | { type: 'timerScheduled'; timerId: string; elementId: string; dueAt: string }
  | { type: 'timerCancelled'; timerId: string }
  | { type: 'messageSubscribed'; subscriptionId: string; elementId: string; name: string; correlationKey?: string }
  | { type: 'messageUnsubscribed'; subscriptionId: string }
  | { type: 'signalSubscribed'; subscriptionId: string; elementId: string; name: string }
  | { type: 'signalUnsubscribed'; subscriptionId: string }
  | { type: 'messageThrown'; elementId: string; name: string; correlationKey?: string; variables: Variables }
  | { type: 'signalThrown'; elementId: string; name: string; variables: Variables }
  | {
      type: 'callStarted';
      callId: string;
      elementId: string;
      processId: string;
      version?: number;
      businessKey?: string;
      variables: Variables;
    }
  | { type: 'callCancelled'; callId: string }
  | { type: 'faultRaised'; faultId: string; elementId: string; jobId?: string; message: string }
  | { type: 'faultResolved'; faultId: string }
  | {
      type: 'instanceEnded';
      status: Exclude<InstanceStatus, 'active'>;
      variables: Variables;
      /** An error no boundary caught, for the calling instance to handle. */
      error?: { code: string; message?: string };
    };

export type HistoryEventKind = 'started' | 'completed' | 'cancelled' | 'taken';

export interface HistoryEvent {
  elementId: string;
  elementType: string;
  event: HistoryEventKind;
  at: string;
  elementInstanceId?: string;
}
