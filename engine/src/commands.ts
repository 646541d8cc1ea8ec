// The commands an instance accepts. Each is applied by execute() as one atomic step.
import type { Variables } from './state.ts';

export type Command =
  | StartCommand
  | { type: 'completeTask'; taskId: string; variables?: Variables }
  | { type: 'completeJob'; jobId: string; variables?: Variables }
  | { type: 'failJob'; jobId: string; retries: number; message?: string }
  | { type: 'throwError'; jobId: string; errorCode: string; message?: string }
  | { type: 'retryFault'; faultId: string; retries?: number }
  | { type: 'timerFired'; timerId: string }
  | { type: 'deliverMessage'; subscriptionId: string; variables?: Variables }
  | { type: 'signal'; name: string; variables?: Variables }
  | { type: 'setVariables'; variables: Variables }
  | { type: 'childCompleted'; callId: string; variables?: Variables }
  | { type: 'childFailed'; callId: string; errorCode: string; message?: string }
  | { type: 'cancel' };

export interface StartCommand {
  type: 'start';
  instanceId: string;
  /** Start event to begin at; default: the process's none start event. */
  startEventId?: string;
  variables?: Variables;
  businessKey?: string;
  parent?: { instanceId: string; callId: string };
}
