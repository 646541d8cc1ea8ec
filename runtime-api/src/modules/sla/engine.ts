// SLA records: each policy's clock on each ticket. The tickets module tells every change of a
// ticket with `sla.ticket` (in the change's own transaction, see onInline); the records follow it:
//
// - a policy that holds and has no record gets one, started now; one whose policy stops holding
//   is cancelled (a new one starts if it holds again);
// - a record pauses while the ticket is in one of its pause states and resumes after, counting
//   business time of its calendar only while it runs;
// - it stops at respondedAt (response) or resolvedAt (resolution): met, or breached if its time
//   ran out, and a breach stays a breach; a reopened ticket's resolution record runs again from
//   the time already spent.
//
// Its warnings and its breach are delayed module events (`sla.timer`, crash-safe outbox rows),
// scheduled whenever it starts running. Each carries the record's `generation`, bumped whenever
// its due time moves (pause, resume, stop, cancel): a timer of an older generation is stale and
// does nothing; a threshold already warned is never warned again. After every change the ticket's
// snapshot goes back to the tickets module with `sla.changed`, with the timeline entries to write.
import type { Work } from '../../platform/db/transactions.ts';
import type { ModuleEvents } from '../../platform/outbox/module-events.ts';
import { addBusinessTime, type BusinessCalendar, businessTimeBetween } from '../../platform/time/business-time.ts';
import { parseDuration } from './durations.ts';
import type { SlaPolicies } from './policies.ts';
import { type PolicyRow, type RecordRow, recordOf, snapshotOf } from './rows.ts';
import { feelContextOf, type TicketInput } from './ticket-input.ts';

const ENDED = ['cancelled', 'rejected'];
const BREACH = 100;
const KIND_ORDER: Record<string, number> = { response: 0, resolution: 1 };

interface TimelineEntry {
  at: string;
  event: 'started' | 'warning' | 'breached' | 'met' | 'paused' | 'resumed' | 'cancelled';
  policy: string;
  kind: string;
  [k: string]: unknown;
}

interface TimerData {
  record: string;
  generation: number;
  threshold: number;
  at: string;
}

export class SlaEngine {
  constructor(
    private readonly moduleEvents: ModuleEvents,
    private readonly policies: SlaPolicies,
  ) {}

  listen(): void {
    this.moduleEvents.onInline('sla.ticket', 'sla.records', (work, _tenant, data) => this.sync(work, data as unknown as TicketInput));
    this.moduleEvents.on('sla.timer', 'sla.timers', (work, _tenant, data) => this.fire(work, data as unknown as TimerData));
  }

  /** Brings a ticket's records in line with the ticket as it is now. */
  async sync(work: Work, t: TicketInput): Promise<void> {
    const tx = work.tx;
    const tenantId = work.tenantId as string;
    const now = work.now;
    const calendars = new Map<string, BusinessCalendar>();
    const cal = async (r: { calendar: string | null }) => {
      const key = r.calendar ?? '';
      let c = calendars.get(key);
      if (!c) {
        c = await this.policies.calendar(work, r.calendar);
        calendars.set(key, c);
      }
      return c;
    };
    const records = (
      (await tx('sla_records')
        .where({ tenant_id: tenantId, ticket_id: t.ticketId })
        .orderBy('started_at')
        .orderBy('id')
        .forUpdate()) as Array<Record<string, unknown>>
    ).map(recordOf);
    const entries: TimelineEntry[] = [];
    const changed = new Set<RecordRow>();
    const fresh: RecordRow[] = [];
    const entry = (r: RecordRow, event: TimelineEntry['event'], extra: Record<string, unknown> = {}) =>
      entries.push({ at: work.at, event, policy: r.policy_id, kind: r.kind, ...extra });
    const bump = (r: RecordRow) => {
      r.generation += 1;
      changed.add(r);
    };

    const ended = ENDED.includes(t.state);
    const holding = ended
      ? []
      : (await this.policies.active(work, t.type))
          .filter((p) => this.policies.holds(p.condition, feelContextOf(t as unknown as Record<string, unknown>)))
          .sort((a, b) => (KIND_ORDER[a.kind] ?? 0) - (KIND_ORDER[b.kind] ?? 0) || a.id.localeCompare(b.id));
    const isLive = (r: RecordRow) => r.phase === 'running' || r.phase === 'paused';

    // Cancel what no longer holds (a stopped record keeps its outcome).
    for (const r of records) {
      if (!isLive(r) || holding.some((p) => p.id === r.policy_id)) continue;
      if (r.phase === 'running') r.elapsed_ms += businessTimeBetween(await cal(r), new Date(r.segment_start as string), new Date(now));
      r.phase = 'cancelled';
      r.segment_start = null;
      r.paused_since = null;
      bump(r);
      entry(r, 'cancelled');
    }
    // Attach what holds and has no record yet (unless its end already passed).
    for (const p of holding) {
      if (records.some((r) => r.policy_id === p.id && r.phase !== 'cancelled')) continue;
      if (stopOf(p.kind, t)) continue;
      const r = newRecord(tenantId, t, p, work.at);
      r.due_at = addBusinessTime(await cal(r), new Date(now), r.target_ms).toISOString();
      records.push(r);
      fresh.push(r);
      entry(r, 'started', { target: r.target, dueAt: r.due_at });
    }

    for (const r of records) {
      if (r.phase === 'cancelled') continue;
      const c = await cal(r);
      const stop = stopOf(r.kind, t);
      if (stop && isLive(r)) {
        const at = new Date(Math.min(Date.parse(stop), now));
        if (r.phase === 'running') r.elapsed_ms += businessTimeBetween(c, new Date(r.segment_start as string), at);
        else r.paused_ms += businessTimeBetween(c, new Date(r.paused_since as string), at);
        const wasBreached = r.breached;
        r.breached = r.breached || r.elapsed_ms > r.target_ms;
        r.phase = 'stopped';
        r.stopped_at = at.toISOString();
        r.segment_start = null;
        r.paused_since = null;
        bump(r);
        if (!r.breached) entry(r, 'met', { elapsed: r.elapsed_ms });
        else if (!wasBreached) entry(r, 'breached', { dueAt: r.due_at });
        continue;
      }
      if (!stop && r.phase === 'stopped' && r.kind === 'resolution' && !ended) {
        // Reopened: it runs again from the time already spent.
        r.phase = 'running';
        r.segment_start = work.at;
        r.stopped_at = null;
        bump(r);
        entry(r, 'started', { reopened: true });
      }
      if (r.phase === 'running' && r.pause_states.includes(t.state)) {
        r.elapsed_ms += businessTimeBetween(c, new Date(r.segment_start as string), new Date(now));
        r.phase = 'paused';
        r.segment_start = null;
        r.paused_since = work.at;
        bump(r);
        entry(r, 'paused', { state: t.state });
      } else if (r.phase === 'paused' && !r.pause_states.includes(t.state)) {
        r.paused_ms += businessTimeBetween(c, new Date(r.paused_since as string), new Date(now));
        r.phase = 'running';
        r.paused_since = null;
        r.segment_start = work.at;
        bump(r);
        entry(r, 'resumed', { state: t.state });
      }
      if (isLive(r)) {
        const due = dueOf(r, c, now);
        if (due !== r.due_at) {
          r.due_at = due;
          changed.add(r);
        }
      }
      if (r.assignee_id !== t.assigneeId || r.assignment_group_id !== t.assignmentGroupId) {
        r.assignee_id = t.assigneeId;
        r.assignment_group_id = t.assignmentGroupId;
        changed.add(r);
      }
    }

    for (const r of fresh) {
      await tx('sla_records').insert(columnsOf(r, work.at));
      changed.delete(r);
      if (r.phase === 'running') await this.schedule(work, r, await cal(r));
    }
    for (const r of changed) {
      await tx('sla_records').where({ tenant_id: tenantId, id: r.id }).update(columnsOf(r, work.at));
      if (r.phase === 'running') await this.schedule(work, r, await cal(r));
    }
    if (fresh.length || changed.size) await this.tell(work, t.ticketId, t.number, records, entries, cal);
  }

  /** A warning or breach timer: does its work once, unless the record moved on since it was set. */
  async fire(work: Work, data: TimerData): Promise<void> {
    const tenantId = work.tenantId as string;
    const found = await work.tx('sla_records').where({ tenant_id: tenantId, id: data.record }).forUpdate().first();
    if (!found) return;
    const r = recordOf(found);
    if (r.generation !== data.generation || r.phase !== 'running') return;
    const entries: TimelineEntry[] = [];
    const event = {
      ticket: r.ticket_number,
      ticketId: r.ticket_id,
      policy: r.policy_id,
      kind: r.kind,
      threshold: data.threshold,
      dueAt: r.due_at,
      assigneeId: r.assignee_id,
      assignmentGroupId: r.assignment_group_id,
    };
    if (data.threshold === BREACH) {
      if (r.breached) return;
      r.breached = true;
      entries.push({ at: data.at, event: 'breached', policy: r.policy_id, kind: r.kind, dueAt: r.due_at });
      const notify = r.on_breach.some((a) => a.notify === 'groupManager') ? ['groupManager'] : [];
      await this.moduleEvents.emit(work, 'sla.breached', { ...event, notify });
      const actions = r.on_breach.filter((a) => !('notify' in a));
      if (actions.length)
        await this.moduleEvents.emit(work, 'sla.breach_actions', { number: r.ticket_number, policy: r.policy_id, actions, at: data.at });
    } else {
      if (r.warned.includes(data.threshold)) return;
      r.warned = [...r.warned, data.threshold];
      entries.push({ at: data.at, event: 'warning', policy: r.policy_id, kind: r.kind, threshold: data.threshold, dueAt: r.due_at });
      await this.moduleEvents.emit(work, 'sla.warning', event);
    }
    await work
      .tx('sla_records')
      .where({ tenant_id: tenantId, id: r.id })
      .update({
        breached: r.breached,
        warned: JSON.stringify(r.warned),
        updated_at: work.at,
      });
    const records = (
      (await work.tx('sla_records').where({ tenant_id: tenantId, ticket_id: r.ticket_id }).orderBy('started_at').orderBy('id')) as Array<
        Record<string, unknown>
      >
    ).map(recordOf);
    await this.tell(work, r.ticket_id, r.ticket_number, records, entries, (x) => this.policies.calendar(work, x.calendar));
  }

  /** The warnings not yet given and the breach, as delayed events of the record's generation. */
  private async schedule(work: Work, r: RecordRow, cal: BusinessCalendar): Promise<void> {
    const start = new Date(r.segment_start as string);
    for (const threshold of r.warn_at) {
      const ms = (r.target_ms * threshold) / 100;
      if (r.warned.includes(threshold) || ms <= r.elapsed_ms) continue;
      const at = addBusinessTime(cal, start, ms - r.elapsed_ms);
      await this.timer(work, r, threshold, at.getTime());
    }
    if (!r.breached) await this.timer(work, r, BREACH, Date.parse(r.due_at));
  }

  private timer(work: Work, r: RecordRow, threshold: number, at: number): Promise<void> {
    const data: TimerData = { record: r.id, generation: r.generation, threshold, at: new Date(at).toISOString() };
    return this.moduleEvents.emit(work, 'sla.timer', { ...data }, at);
  }

  /** The ticket's snapshot and new timeline entries, to the tickets module. */
  private async tell(
    work: Work,
    ticketId: string,
    number: string,
    records: RecordRow[],
    entries: TimelineEntry[],
    cal: (r: RecordRow) => Promise<BusinessCalendar>,
  ): Promise<void> {
    let dueAt: string | null = null;
    let atRiskAt: string | null = null;
    for (const r of records) {
      if (r.phase !== 'running') continue;
      if (dueAt === null || r.due_at < dueAt) dueAt = r.due_at;
      const last = r.warn_at[r.warn_at.length - 1];
      if (r.breached || last === undefined) continue;
      const left = (r.target_ms * last) / 100 - r.elapsed_ms;
      const at =
        left <= 0 ? (r.segment_start as string) : addBusinessTime(await cal(r), new Date(r.segment_start as string), left).toISOString();
      if (atRiskAt === null || at < atRiskAt) atRiskAt = at;
    }
    const ordered = [...records].sort(
      (a, b) => a.started_at.localeCompare(b.started_at) || (KIND_ORDER[a.kind] ?? 0) - (KIND_ORDER[b.kind] ?? 0),
    );
    await this.moduleEvents.emit(work, 'sla.changed', {
      ticketId,
      number,
      sla: ordered.map(snapshotOf),
      dueAt,
      atRiskAt,
      breached: records.some((r) => r.breached && r.phase !== 'cancelled'),
      entries,
    });
  }
}

/** When a record of this kind ends for the ticket as it is: response at the first response, resolution at resolution. */
function stopOf(kind: string, t: TicketInput): string | null {
  if (kind === 'response') return t.respondedAt ?? t.resolvedAt ?? t.closedAt;
  return t.resolvedAt ?? t.closedAt;
}

/** Running: its start plus what is left; paused: what is left, counted from now (the due time if resumed now). */
function dueOf(r: RecordRow, cal: BusinessCalendar, now: number): string {
  const left = r.target_ms - r.elapsed_ms;
  if (left <= 0) return r.due_at;
  const from = r.phase === 'running' ? new Date(r.segment_start as string) : new Date(now);
  return addBusinessTime(cal, from, left).toISOString();
}

function newRecord(tenantId: string, t: TicketInput, p: PolicyRow, at: string): RecordRow {
  const targetMs = parseDuration(p.target) ?? 0;
  return {
    tenant_id: tenantId,
    id: crypto.randomUUID(),
    ticket_id: t.ticketId,
    ticket_number: t.number,
    policy_id: p.id,
    kind: p.kind,
    target: p.target,
    target_ms: targetMs,
    calendar: p.calendar,
    pause_states: p.pause_states,
    warn_at: p.warn_at,
    on_breach: p.on_breach,
    started_at: at,
    phase: 'running',
    segment_start: at,
    elapsed_ms: 0,
    paused_since: null,
    paused_ms: 0,
    due_at: at,
    breached: false,
    stopped_at: null,
    warned: [],
    generation: 0,
    assignee_id: t.assigneeId,
    assignment_group_id: t.assignmentGroupId,
    updated_at: at,
  };
}

function columnsOf(r: RecordRow, at: string) {
  return {
    ...r,
    pause_states: JSON.stringify(r.pause_states),
    warn_at: JSON.stringify(r.warn_at),
    on_breach: JSON.stringify(r.on_breach),
    warned: JSON.stringify(r.warned),
    updated_at: at,
  };
}
