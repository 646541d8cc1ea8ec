// The tickets' side of SLAs (the SLA module keeps the clocks; it never reads or writes tickets):
//
// - Every change of a ticket (`ticket.updated`, in the change's transaction, and
//   `ticket.state_changed` after a step of its flow committed) becomes `sla.ticket` with what the
//   policies' conditions and clocks read of it.
// - Each `sla.changed` (in the same transaction) is kept on the ticket: its records (`sla`), the
//   next due time of a running record (`sla_due_at`, sorted on), whether one breached, and when
//   one passes its last warning (`sla_at_risk_at`); and its entries go to the timeline (`sla`).
// - `sla.breach_actions` (a breach's `reassign` and `raisePriority`) are done here, in the
//   ticket's name, with their timeline entries.
// - `slaOf` shows the records live: elapsed and percent of a running record, the due time of a
//   paused one, computed with the record's calendar at the time of the request.
import type { Queryable } from '../../platform/db/connect.ts';
import type { Work } from '../../platform/db/transactions.ts';
import type { ModuleEvents } from '../../platform/outbox/module-events.ts';
import { AROUND_THE_CLOCK, addBusinessTime, type BusinessCalendar, businessTimeBetween } from '../../platform/time/business-time.ts';
import { loadCalendar } from '../../platform/time/calendars.ts';

/** What `sla_due_at` holds when nothing runs: the list sorts and pages on it without nulls. */
export const NO_SLA_DUE = '9999-12-31T00:00:00.000Z';

interface Snapshot {
  policy: string;
  kind: string;
  target: string;
  targetMs: number;
  calendar: string | null;
  startedAt: string;
  phase: 'running' | 'paused' | 'stopped' | 'cancelled';
  segmentStart: string | null;
  elapsedMs: number;
  pausedSince: string | null;
  pausedMs: number;
  dueAt: string;
  breached: boolean;
}

interface SlaColumns {
  id: string;
  tenant_id: string;
  sla: Snapshot[] | null;
  sla_due_at: Date | string | null;
  sla_breached: boolean;
  sla_at_risk_at: Date | string | null;
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

export function slaBridge(moduleEvents: ModuleEvents): void {
  moduleEvents.onInline('ticket.updated', 'tickets.sla-input', async (work, _tenant, data) => {
    if (data.sla) return; // the SLA module's own news
    await tellSla(moduleEvents, work, data.number as string);
  });
  moduleEvents.on('ticket.state_changed', 'tickets.sla-input', (work, _tenant, data) => tellSla(moduleEvents, work, data.number as string));

  moduleEvents.onInline('sla.changed', 'tickets.sla-view', async (work, tenantId, data) => {
    const ticket = await work
      .tx('tickets')
      .where({ tenant_id: tenantId, id: data.ticketId as string })
      .first('id');
    if (!ticket) return;
    await work
      .tx('tickets')
      .where({ tenant_id: tenantId, id: ticket.id })
      .update({
        sla: JSON.stringify(data.sla),
        sla_due_at: (data.dueAt as string | null) ?? NO_SLA_DUE,
        sla_breached: data.breached === true,
        sla_at_risk_at: (data.atRiskAt as string | null) ?? null,
      });
    const entries = (data.entries ?? []) as Array<{ at: string } & Record<string, unknown>>;
    for (const { at, ...entry } of entries) {
      await work.tx('ticket_timeline').insert({
        tenant_id: tenantId,
        ticket_id: ticket.id,
        at,
        kind: 'sla',
        actor_id: null,
        actor_name: null,
        data: JSON.stringify(entry),
      });
    }
    if (entries.length) await moduleEvents.emit(work, 'ticket.updated', { number: data.number, internal: false, sla: true });
  });

  moduleEvents.on('sla.breach_actions', 'tickets.sla-actions', async (work, tenantId, data) => {
    const row = await work
      .tx('tickets')
      .where({ tenant_id: tenantId, number: data.number as string })
      .forUpdate()
      .first('id', 'state', 'priority', 'assignee_id', 'assignment_group_id', 'reassignment_count');
    if (!row || ['resolved', 'closed', 'cancelled', 'rejected'].includes(row.state)) return;
    const update: Record<string, unknown> = {};
    const entries: Array<[string, Record<string, unknown>]> = [];
    for (const action of data.actions as Array<Record<string, unknown>>) {
      if (typeof action.reassign === 'string' && action.reassign !== row.assignment_group_id) {
        const group = await work.tx('groups').where({ tenant_id: tenantId, id: action.reassign }).first('id');
        if (!group) continue;
        update.assignment_group_id = group.id;
        update.assignee_id = null;
        update.reassignment_count = row.reassignment_count + 1;
        entries.push([
          'assignment',
          { assignmentGroup: { before: row.assignment_group_id, after: group.id }, reason: `sla:${data.policy}` },
        ]);
      }
      if (action.raisePriority === true && row.priority > 1) {
        update.priority = row.priority - 1;
        entries.push(['field', { field: 'priority', before: row.priority, after: row.priority - 1, reason: `sla:${data.policy}` }]);
      }
    }
    if (!entries.length) return;
    await work
      .tx('tickets')
      .where({ tenant_id: tenantId, id: row.id })
      .update({ ...update, updated_at: work.at });
    for (const [kind, entry] of entries) {
      await work.tx('ticket_timeline').insert({
        tenant_id: tenantId,
        ticket_id: row.id,
        at: work.at,
        kind,
        actor_id: null,
        actor_name: null,
        data: JSON.stringify(entry),
      });
    }
    // A changed priority may change which policies hold.
    await moduleEvents.emit(work, 'ticket.updated', { number: data.number, internal: false });
  });
}

/** `sla.ticket`: the ticket as the SLA policies read it. */
async function tellSla(moduleEvents: ModuleEvents, work: Work, number: string): Promise<void> {
  const t = await work.tx('tickets').where({ tenant_id: work.tenantId, number }).first();
  if (!t) return;
  await moduleEvents.emit(work, 'sla.ticket', {
    ticketId: t.id,
    number: t.number,
    type: t.type,
    state: t.state,
    priority: t.priority,
    impact: t.impact,
    urgency: t.urgency,
    symptom: t.symptom,
    category: t.category,
    subcategory: t.subcategory,
    catalogItem: t.catalog_item,
    serviceId: t.service_id,
    // No CMDB yet: a service's class is unknown (class 3 to the policies) until one names it.
    serviceClass: null,
    ciId: t.ci_id,
    major: t.major,
    assigneeId: t.assignee_id,
    assignmentGroupId: t.assignment_group_id,
    openedAt: iso(t.opened_at),
    respondedAt: iso(t.responded_at),
    resolvedAt: iso(t.resolved_at),
    closedAt: iso(t.closed_at),
    fields: t.fields ?? {},
  });
}

async function calendarOf(
  q: Queryable,
  tenantId: string,
  id: string | null,
  cache: Map<string, BusinessCalendar>,
): Promise<BusinessCalendar> {
  if (!id) return AROUND_THE_CLOCK;
  let cal = cache.get(id);
  if (!cal) {
    cal = (await loadCalendar(q, tenantId, id)) ?? (await loadCalendar(q, tenantId, 'default')) ?? AROUND_THE_CLOCK;
    cache.set(id, cal);
  }
  return cal;
}

const hms = (ms: number) => {
  const total = Math.max(0, Math.round(ms / 1000));
  if (total === 0) return 'PT0S';
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s ? `${s}S` : ''}`;
};

/** A ticket's `sla`, live at `now`. */
export async function slaOf(q: Queryable, row: SlaColumns, now: number): Promise<Array<Record<string, unknown>>> {
  const cache = new Map<string, BusinessCalendar>();
  const out = [];
  for (const s of row.sla ?? []) {
    const cal = await calendarOf(q, row.tenant_id, s.calendar, cache);
    let elapsed = s.elapsedMs;
    let paused = s.pausedMs;
    let dueAt = s.dueAt;
    if (s.phase === 'running' && s.segmentStart) elapsed += businessTimeBetween(cal, new Date(s.segmentStart), new Date(now));
    if (s.phase === 'paused' && s.pausedSince) {
      paused += businessTimeBetween(cal, new Date(s.pausedSince), new Date(now));
      if (s.targetMs > elapsed) dueAt = addBusinessTime(cal, new Date(now), s.targetMs - elapsed).toISOString();
    }
    const state =
      s.phase === 'cancelled'
        ? 'cancelled'
        : s.breached
          ? 'breached'
          : s.phase === 'stopped'
            ? 'met'
            : s.phase === 'paused'
              ? 'paused'
              : 'in_progress';
    out.push({
      policy: s.policy,
      kind: s.kind,
      target: s.target,
      startedAt: s.startedAt,
      dueAt,
      pausedFor: hms(paused),
      elapsed: hms(elapsed),
      percent: s.targetMs ? Math.round((elapsed / s.targetMs) * 1000) / 10 : 0,
      state,
    });
  }
  return out;
}

/** A list item's SLA summary: the next due time and whether it breached or is at risk, at `now`. */
export function slaSummary(row: SlaColumns, now: number): { slaDueAt: string | null; slaStatus: 'breached' | 'at_risk' | 'ok' | null } {
  const due = iso(row.sla_due_at);
  const slaDueAt = due === null || due >= NO_SLA_DUE ? null : due;
  if (!row.sla?.length) return { slaDueAt, slaStatus: null };
  if (row.sla_breached || (slaDueAt !== null && Date.parse(slaDueAt) <= now)) return { slaDueAt, slaStatus: 'breached' };
  if (row.sla_at_risk_at !== null && new Date(row.sla_at_risk_at).getTime() <= now) return { slaDueAt, slaStatus: 'at_risk' };
  return { slaDueAt, slaStatus: 'ok' };
}
