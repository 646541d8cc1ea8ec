// The seam between committed outbox rows and whatever runs them. The embedded implementation
// polls the database in-process; a BullMQ implementation enqueues each row (job id = outbox id,
// delayed until available_at) and lets workers call OutboxProcessor.process(id).
import type { OutboxMessage } from './messages.ts';

export interface OutboxDispatcher {
  /** Starts dispatching. Must pick up rows left undispatched by a crash and timers that fell due while down. */
  start(): Promise<void>;
  /** Rows a transaction just committed. Called after commit, never throws, never blocks the caller. */
  committed(rows: readonly OutboxMessage[]): void;
  /** Runs everything due by the clock's now, follow-ups included, and resolves when nothing due is left. */
  drain(): Promise<void>;
  /** What it needs and cannot reach now (['redis']); empty or absent: nothing. For GET /health/ready. */
  unavailable?(): string[];
  /** Stops taking new work and waits for work in progress. */
  stop(): Promise<void>;
}
