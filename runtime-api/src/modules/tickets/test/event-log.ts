// The incident event log (testdata/itsm-event-log) as a replay plan: each incident's rows in time
// order turned into the actions of this tool's incident flow, with who performs them and when,
// and what the ticket should show at the end. Pure: the replay test drives the plan over HTTP.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

export const EVENT_LOG = new URL('../../../../../testdata/itsm-event-log/incident_event_log.csv', import.meta.url);

export interface LogRow {
  /** Line in the file (the header is line 1). */
  line: number;
  number: string;
  state: string;
  updatedAt: number;
  updatedBy: string;
  openedAt: number;
  openedBy: string;
  caller: string;
  group: string | null;
  impact: number;
  urgency: number;
  category: string | null;
  subcategory: string | null;
  reassignmentCount: number;
  reopenCount: number;
  resolvedAt: number | null;
  closedAt: number | null;
}

export interface Step {
  at: number;
  /** Username of the performer. */
  actor: string;
  action: string;
  body: Record<string, unknown>;
}

export interface Plan {
  number: string;
  openedAt: number;
  /** The creation: performed by the opener at openedAt. */
  create: { actor: string; body: Record<string, unknown> };
  steps: Step[];
  /** The ticket as the driven steps leave it. */
  expected: {
    state: string;
    holdReason: string | null;
    resolvedAt: number | null;
    closedAt: number | null;
    reopenCount: number;
    reassignmentCount: number;
  };
  /** The log's own columns, from its last row in the file (what the import takes). */
  log: {
    state: string;
    openedAt: number;
    resolvedAt: number | null;
    closedAt: number | null;
    reopenCount: number;
    reassignmentCount: number;
  };
  /** Where the log disagrees with itself or the flow cannot follow it, in words. */
  quirks: string[];
}

const missing = (v: string | undefined) => v === undefined || v === '' || v === '?';

/** `DD-MM-YYYY HH:MM` read as UTC, in ms; `?` is null. */
export function utcOf(value: string): number | null {
  if (missing(value)) return null;
  const m = /^(\d{2})-(\d{2})-(\d{4}) (\d{2}):(\d{2})$/.exec(value);
  if (!m) throw new Error(`not a DD-MM-YYYY HH:MM time: "${value}"`);
  return Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1]), Number(m[4]), Number(m[5]));
}

const required = (value: string, column: string, line: number): number => {
  const t = utcOf(value);
  if (t === null) throw new Error(`line ${line}: "${column}" is missing`);
  return t;
};

/** ServiceNow's incident states as the import maps them (import.ts). */
export function stateOf(value: string): string {
  if (value === 'New') return 'new';
  if (value === 'Active') return 'in_progress';
  if (value.startsWith('Awaiting')) return 'on_hold';
  if (value === 'Resolved') return 'resolved';
  if (value === 'Closed') return 'closed';
  throw new Error(`a state the replay does not know: "${value}"`);
}

/** The hold reasons of the API for the log's Awaiting states (Evidence is asked of the caller). */
export const HOLD_REASON: Record<string, string> = {
  'Awaiting User Info': 'awaiting_caller',
  'Awaiting Evidence': 'awaiting_caller',
  'Awaiting Problem': 'awaiting_problem',
  'Awaiting Vendor': 'awaiting_vendor',
};

/** A person or group of the log as a username or group id: "Updated by 908" -> "updated-by-908". */
export const slug = (name: string) => name.trim().toLowerCase().replace(/\s+/g, '-');

const level = (v: string) => Number(/^(\d)/.exec(v)?.[1] ?? 3);

/** The log's rows, grouped by incident number in the file's order. */
export function readEventLog(csv = readFileSync(EVENT_LOG, 'utf8')): Map<string, LogRow[]> {
  const records = parse(csv, { columns: true, skip_empty_lines: true, bom: true }) as Array<Record<string, string>>;
  const out = new Map<string, LogRow[]>();
  records.forEach((r, i) => {
    const line = i + 2;
    const row: LogRow = {
      line,
      number: r.number as string,
      state: r.incident_state as string,
      updatedAt: required(r.sys_updated_at as string, 'sys_updated_at', line),
      updatedBy: r.sys_updated_by as string,
      openedAt: required(r.opened_at as string, 'opened_at', line),
      openedBy: r.opened_by as string,
      caller: r.caller_id as string,
      group: missing(r.assignment_group) ? null : (r.assignment_group as string),
      impact: level(r.impact as string),
      urgency: level(r.urgency as string),
      category: missing(r.category) ? null : (r.category as string),
      subcategory: missing(r.subcategory) ? null : (r.subcategory as string),
      reassignmentCount: Number(r.reassignment_count),
      reopenCount: Number(r.reopen_count),
      resolvedAt: utcOf(r.resolved_at as string),
      closedAt: utcOf(r.closed_at as string),
    };
    const rows = out.get(row.number) ?? [];
    rows.push(row);
    out.set(row.number, rows);
  });
  return out;
}

const OPEN = ['new', 'in_progress', 'on_hold'];
const iso = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');

/**
 * The replay of one incident. Rows are taken in time order (`sys_updated_at`, the file's order on
 * ties); a row earlier than `opened_at` happens at `opened_at`, when the ticket exists. Each row's
 * state, compared with the one before, gives the flow's actions; a change of `assignment_group`
 * to another group is an `assign` (before the state's action while the ticket is open, after a
 * reopen otherwise).
 */
export function planOf(rows: LogRow[]): Plan {
  const byTime = [...rows].sort((a, b) => a.updatedAt - b.updatedAt || a.line - b.line);
  const first = byTime[0] as LogRow;
  const lastInFile = rows[rows.length - 1] as LogRow;
  const number = first.number;
  const openedAt = first.openedAt;
  const quirks: string[] = [];
  const steps: Step[] = [];

  let state = 'new';
  let holdReason: string | null = null;
  // The group the ticket has, and the one the log last showed (the log may clear it; no action does).
  let group = first.group;
  let logGroup = first.group;
  // The module counts an assign that moves the person or group of a ticket that had one.
  let hadOne = group !== null;
  let reassignments = 0;
  let reopens = 0;
  let resolvedAt: number | null = null;
  let closedAt: number | null = null;
  let at = openedAt;
  let groupMoves = 0;
  let groupGaps = 0;
  let undriven = 0;

  const push = (actor: string, action: string, body: Record<string, unknown> = {}) => steps.push({ at, actor, action, body });
  const assignTo = (actor: string, to: string) => {
    push(actor, 'assign', { assignmentGroup: slug(to) });
    if (hadOne) reassignments++;
    hadOne = true;
    group = to;
  };
  const start = (actor: string) => {
    push(actor, 'start');
    // `start` gives the ticket its performer when it has nobody.
    hadOne = true;
    state = 'in_progress';
  };
  const hold = (actor: string, reason: string) => {
    push(actor, 'hold', { reason });
    state = 'on_hold';
    holdReason = reason;
  };
  const resolve = (actor: string, row: LogRow) => {
    push(actor, 'resolve', { closeCode: 'solved', resolutionNotes: `resolved as the log's ${row.number} (line ${row.line})` });
    state = 'resolved';
    holdReason = null;
    resolvedAt = at;
  };

  for (const row of byTime) {
    if (row.updatedAt < openedAt && !quirks.some((q) => q.startsWith('rows before opened_at'))) {
      quirks.push(`rows before opened_at (${iso(openedAt)}): taken at opened_at`);
    }
    at = Math.max(at, row.updatedAt);
    const actor = slug(row.updatedBy);
    const target = stateOf(row.state);
    if (state === 'closed') continue;

    // Assignment group moves.
    let pendingGroup: string | null = null;
    if (row.group !== logGroup) {
      if (row.group === null) {
        groupGaps++;
        quirks.push(`line ${row.line}: the group is cleared (${logGroup} -> ?), which no action does; the ticket keeps ${group}`);
      } else {
        groupMoves++;
        if (row.group !== group) pendingGroup = row.group;
      }
      logGroup = row.group;
    }
    if (pendingGroup && OPEN.includes(state)) {
      assignTo(actor, pendingGroup);
      pendingGroup = null;
    }

    if (target === 'new' && state !== 'new') {
      quirks.push(`line ${row.line}: a New row after ${state} (${iso(row.updatedAt)}): a stale update, no action`);
    } else if (target === 'in_progress') {
      if (state === 'new') start(actor);
      else if (state === 'on_hold') {
        push(actor, 'resume');
        state = 'in_progress';
        holdReason = null;
      } else if (state === 'resolved') {
        push(actor, 'reopen', { comment: `reopened as the log's line ${row.line}` });
        reopens++;
        state = 'in_progress';
        resolvedAt = null;
      }
    } else if (target === 'on_hold') {
      const reason = HOLD_REASON[row.state] as string;
      if (state === 'new') start(actor);
      if (state === 'resolved') {
        push(actor, 'reopen', { comment: `reopened as the log's line ${row.line}` });
        reopens++;
        state = 'in_progress';
        resolvedAt = null;
      }
      if (state === 'on_hold' && holdReason !== reason) {
        // Another reason: the flow holds from in progress only, so resume and hold again.
        push(actor, 'resume');
        state = 'in_progress';
      }
      if (state === 'in_progress') hold(actor, reason);
    } else if (target === 'resolved') {
      if (OPEN.includes(state)) resolve(actor, row);
    } else if (target === 'closed') {
      if (OPEN.includes(state)) {
        quirks.push(`line ${row.line}: Closed straight from ${state}: resolved and closed at once`);
        resolve(actor, row);
      }
      push(actor, 'close');
      state = 'closed';
      closedAt = at;
    }
    if (pendingGroup) {
      if (OPEN.includes(state)) assignTo(actor, pendingGroup);
      else {
        undriven++;
        quirks.push(`line ${row.line}: the group moves to ${pendingGroup} while ${state}: no action assigns then`);
      }
    }
  }

  const log = {
    state: stateOf(lastInFile.state),
    openedAt: lastInFile.openedAt,
    resolvedAt: lastInFile.resolvedAt,
    closedAt: lastInFile.closedAt,
    reopenCount: lastInFile.reopenCount,
    reassignmentCount: lastInFile.reassignmentCount,
  };
  if (log.resolvedAt === null) quirks.push('resolved_at is missing (?)');
  else if (resolvedAt !== null && log.resolvedAt !== resolvedAt)
    quirks.push(`resolved_at ${iso(log.resolvedAt)} is a later save while resolved, not the resolution at ${iso(resolvedAt)}`);
  if (log.closedAt !== null && closedAt !== null && log.closedAt !== closedAt)
    quirks.push(`closed_at ${iso(log.closedAt)} is a later save while closed, not the closure at ${iso(closedAt)}`);
  if (log.reopenCount !== reopens) quirks.push(`reopen_count ${log.reopenCount}, reopens seen ${reopens}`);
  const firstCount = first.reassignmentCount;
  if (firstCount !== 0 || groupGaps > 0 || undriven > 0 || first.group === null || log.reassignmentCount !== groupMoves) {
    quirks.push(
      `reassignment_count ${log.reassignmentCount} (first row ${firstCount}) against ${groupMoves} visible moves between groups` +
        `${groupGaps ? ` and ${groupGaps} clearings` : ''}${undriven ? `, ${undriven} not driven` : ''}` +
        `${first.group === null ? ', first row without a group' : ''}: replay counts ${reassignments}`,
    );
  }

  const body: Record<string, unknown> = {
    type: 'incident',
    title: [first.category, first.subcategory].filter(Boolean).join(' / ') || number,
    description: `Replayed from the event log's ${number}`,
    requester: slug(first.caller),
    impact: first.impact,
    urgency: first.urgency,
    ...(first.category ? { category: first.category } : {}),
    ...(first.subcategory ? { subcategory: first.subcategory } : {}),
    ...(first.group ? { assignmentGroup: slug(first.group) } : {}),
  };
  return {
    number,
    openedAt,
    create: { actor: slug(first.openedBy), body },
    steps,
    expected: { state, holdReason, resolvedAt, closedAt, reopenCount: reopens, reassignmentCount: reassignments },
    log,
    quirks,
  };
}

/** Whether the log's counters and times for an incident agree with its own events. */
export const consistent = {
  resolvedAt: (p: Plan) => p.log.resolvedAt !== null && p.log.resolvedAt === p.expected.resolvedAt,
  closedAt: (p: Plan) => p.log.closedAt !== null && p.log.closedAt === p.expected.closedAt,
  reopenCount: (p: Plan) => p.log.reopenCount === p.expected.reopenCount,
  reassignmentCount: (p: Plan) => !p.quirks.some((q) => q.startsWith('reassignment_count')),
};

/** Every step of every plan in time order (a plan's own steps keep their order). */
export function timeline(plans: Plan[]): Array<{ plan: Plan; step: Step | 'create'; at: number }> {
  const all: Array<{ plan: Plan; step: Step | 'create'; at: number; i: number; j: number }> = [];
  plans.forEach((plan, i) => {
    all.push({ plan, step: 'create', at: plan.openedAt, i, j: -1 });
    plan.steps.forEach((step, j) => {
      all.push({ plan, step, at: step.at, i, j });
    });
  });
  all.sort((a, b) => a.at - b.at || a.i - b.i || a.j - b.j);
  return all;
}
