// The SLA tables' rows and their API shapes.
import type { SlaPolicy } from '@serviceloom/contracts';

export interface PolicyRow {
  tenant_id: string;
  id: string;
  name: string;
  ticket_type: string;
  kind: 'response' | 'resolution';
  condition: string;
  target: string;
  calendar: string | null;
  pause_states: string[];
  warn_at: number[];
  on_breach: Array<Record<string, unknown>>;
  deleted: boolean;
}

export const policyOf = (r: PolicyRow): SlaPolicy => ({
  id: r.id,
  name: r.name,
  ticketType: r.ticket_type,
  kind: r.kind,
  condition: r.condition,
  target: r.target,
  calendar: r.calendar,
  pauseStates: r.pause_states,
  warnAt: r.warn_at,
  onBreach: r.on_breach,
});

/** running: its clock counts; paused: a pause state holds it; stopped: responded or resolved; cancelled: its policy stopped holding. */
export type Phase = 'running' | 'paused' | 'stopped' | 'cancelled';

export interface RecordRow {
  tenant_id: string;
  id: string;
  ticket_id: string;
  ticket_number: string;
  policy_id: string;
  kind: 'response' | 'resolution';
  target: string;
  target_ms: number;
  calendar: string | null;
  pause_states: string[];
  warn_at: number[];
  on_breach: Array<Record<string, unknown>>;
  started_at: string;
  phase: Phase;
  segment_start: string | null;
  elapsed_ms: number;
  paused_since: string | null;
  paused_ms: number;
  due_at: string;
  breached: boolean;
  stopped_at: string | null;
  warned: number[];
  generation: number;
  assignee_id: string | null;
  assignment_group_id: string | null;
  updated_at: string;
}

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());

/** Normalises what the drivers return (bigint as string, timestamps as Date). */
export function recordOf(r: Record<string, unknown>): RecordRow {
  return {
    ...(r as unknown as RecordRow),
    target_ms: Number(r.target_ms),
    elapsed_ms: Number(r.elapsed_ms),
    paused_ms: Number(r.paused_ms),
    started_at: iso(r.started_at) as string,
    segment_start: iso(r.segment_start),
    paused_since: iso(r.paused_since),
    due_at: iso(r.due_at) as string,
    stopped_at: iso(r.stopped_at),
    updated_at: iso(r.updated_at) as string,
  };
}

/**
 * What the ticket keeps of a record (`tickets.sla`): enough for the tickets' view to show it live
 * (elapsed, percent, the due time of a paused record) with the record's calendar.
 */
export interface SlaSnapshot {
  policy: string;
  kind: string;
  target: string;
  targetMs: number;
  calendar: string | null;
  startedAt: string;
  phase: Phase;
  segmentStart: string | null;
  elapsedMs: number;
  pausedSince: string | null;
  pausedMs: number;
  dueAt: string;
  breached: boolean;
  stoppedAt: string | null;
  warnAt: number[];
}

export const snapshotOf = (r: RecordRow): SlaSnapshot => ({
  policy: r.policy_id,
  kind: r.kind,
  target: r.target,
  targetMs: r.target_ms,
  calendar: r.calendar,
  startedAt: r.started_at,
  phase: r.phase,
  segmentStart: r.segment_start,
  elapsedMs: r.elapsed_ms,
  pausedSince: r.paused_since,
  pausedMs: r.paused_ms,
  dueAt: r.due_at,
  breached: r.breached,
  stoppedAt: r.stopped_at,
  warnAt: r.warn_at,
});
