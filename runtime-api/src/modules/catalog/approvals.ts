// Approvals: who must approve a request or a change before its flow goes on, and their decisions.
//
// The tickets module emits `ticket.approval_needed` when a ticket enters `approval` (a request)
// or `authorize` (a change); a run of the chain starts: a request's steps come from its catalog
// item (a step whose FEEL `when` is not true over the request's fields is skipped), a normal
// change asks every member of `cab` (all must approve), an emergency change every member of
// `ecab` (the first approval approves), a standard change nobody. Each step asks its approvers
// when it opens: the requester's manager, or every member of the group (the requester excepted:
// nobody approves their own ticket). A step with nobody to ask is skipped, and the timeline says
// why. One rejection rejects: `ticket.rejected` goes to the ticket's instance; after the last
// step `ticket.approved` does, with `{ fulfilment, fulfilmentGroup }` for a request. Both are sent
// in the transaction of the decision, so the ticket's state moves with it.
//
// Time: each approval schedules two delayed events, `approval.due` at 2 business days after it
// was requested (a reminder: an `approval` timeline entry `reminded`, and `approval.reminder` for
// the notifications module, which tells the approver in-app) and at 3 (escalation: the approval ends `escalated` and a new one goes to the
// approver's manager; with no manager it stays requested). Every change is told to the tickets
// module as `approval.changed`, which writes the ticket's timeline.
import type { Approval, ApprovalState } from '@serviceloom/contracts';
import { compileFeel } from '@serviceloom/engine';
import type { Principal } from '../../platform/auth/tokens.ts';
import type { Queryable } from '../../platform/db/connect.ts';
import type { Transactions, Work } from '../../platform/db/transactions.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import type { ModuleEvents } from '../../platform/outbox/module-events.ts';
import { addBusinessDays } from '../../platform/time/business-days.ts';
import { loadDefaultCalendar } from '../../platform/time/calendars.ts';
import type { ProcessPort } from '../../process/port.ts';
import { type ApprovalRow, approvalOf, type RunRow, type RunStep } from './rows.ts';
import type { CatalogService } from './service.ts';

/** The ticket states in which a ticket's flow waits for `ticket.approved` or `ticket.rejected`. */
export const APPROVAL_STATES = ['approval', 'authorize'];
const SUBSCRIBER = 'catalog.approvals';
export const REMIND_AFTER_DAYS = 2;
export const ESCALATE_AFTER_DAYS = 3;

interface Person {
  id: string;
  username: string;
}

/** What the tickets module tells of a ticket that needs approval. */
export interface ApprovalNeeded {
  number: string;
  instanceId: string;
  type: string;
  title: string;
  catalogItem: string | null;
  changeType: string | null;
  requesterId: string | null;
  fields: Record<string, unknown>;
}

export class ApprovalService {
  constructor(
    private readonly transactions: Transactions,
    private readonly process: ProcessPort,
    private readonly moduleEvents: ModuleEvents,
    private readonly catalog: CatalogService,
  ) {}

  /** Subscribes to the events that drive approvals. */
  listen(): void {
    this.moduleEvents.on('ticket.approval_needed', SUBSCRIBER, (work, _tenant, data) =>
      this.start(work, data as unknown as ApprovalNeeded),
    );
    this.moduleEvents.on('ticket.state_changed', SUBSCRIBER, (work, _tenant, data) =>
      this.ticketMoved(work, data.number as string, data.to as string),
    );
    this.moduleEvents.on('approval.due', SUBSCRIBER, (work, _tenant, data) =>
      data.kind === 'remind' ? this.remind(work, data.id as string) : this.escalate(work, data.id as string),
    );
  }

  // ---------------------------------------------------------------------------------------------
  // People's side

  async list(p: Principal, state: ApprovalState | undefined): Promise<Approval[]> {
    return this.transactions.read(p.tenantId, async (tx) => {
      const q = tx('approvals as a')
        .join('approval_runs as r', (j) => j.on('r.tenant_id', 'a.tenant_id').andOn('r.id', 'a.run_id'))
        .where({ 'a.tenant_id': p.tenantId, 'a.approver_id': p.userId })
        .select('a.*', 'r.title')
        .orderBy([
          { column: 'a.requested_at', order: 'desc' },
          { column: 'a.id', order: 'asc' },
        ]);
      if (state) q.andWhere('a.state', state);
      return ((await q) as Array<ApprovalRow & { title: string }>).map(approvalOf);
    });
  }

  /** The caller decides one of their own approvals (anyone else's is 404; a decided one 409). */
  async decide(p: Principal, id: string, verdict: 'approved' | 'rejected', comment: string | undefined): Promise<Approval> {
    return this.transactions.withTenant(p.tenantId, async (work) => {
      const tx = work.tx;
      const mine = (await tx('approvals').where({ tenant_id: p.tenantId, id, approver_id: p.userId }).first('run_id')) as
        | { run_id: string }
        | undefined;
      if (!mine) throw notFound('approval', id);
      // The run's row serialises the decisions of one chain (two CAB members at once).
      const run = await this.lockedRun(tx, p.tenantId, mine.run_id);
      const approval = (await tx('approvals').where({ tenant_id: p.tenantId, id }).forUpdate().first()) as ApprovalRow;
      if (approval.state !== 'requested') throw conflict('APPROVAL_DECIDED', `approval "${id}" is already ${approval.state}`);
      await tx('approvals')
        .where({ tenant_id: p.tenantId, id })
        .update({ state: verdict, decided_at: work.at, comment: comment ?? null });
      const me = { id: p.userId, username: p.username };
      await this.changed(work, run, approval, verdict, me, { by: p.username, ...(comment ? { comment } : {}) });
      if (verdict === 'rejected') {
        await this.closeOthers(work, run.id, id);
        await this.finish(work, run, 'rejected', p.username, { rejectedBy: p.username, reason: comment ?? null });
      } else {
        const step = run.steps[run.current];
        if (step?.policy === 'any') await this.closeOthers(work, run.id, id);
        await this.advance(work, run, p.username);
      }
      const row = (await tx('approvals').where({ tenant_id: p.tenantId, id }).first()) as ApprovalRow;
      return approvalOf({ ...row, title: run.title });
    });
  }

  // ---------------------------------------------------------------------------------------------
  // The chain

  /** A ticket entered approval: start its chain (once; and only while its flow waits for the answer). */
  private async start(work: Work, need: ApprovalNeeded): Promise<void> {
    const tenantId = work.tenantId as string;
    const awaited = await this.process.awaitedMessages(work.tx, tenantId, need.instanceId);
    if (!awaited.includes('ticket.approved')) return;
    const running = await work
      .tx('approval_runs')
      .where({ tenant_id: tenantId, instance_id: need.instanceId, state: 'running' })
      .first('id');
    if (running) return;
    const skipped: Array<{ step: number; reason: string }> = [];
    let steps: RunStep[] = [];
    let outcome: Record<string, unknown> = {};
    if (need.type === 'change') {
      if (need.changeType === 'emergency') steps = [{ step: 1, kind: 'group', group: 'ecab', policy: 'any' }];
      else if (need.changeType !== 'standard') steps = [{ step: 1, kind: 'group', group: 'cab', policy: 'all' }];
    } else if (need.catalogItem) {
      const item = await this.catalog.item(work, need.catalogItem);
      if (!item) {
        const run = await this.insertRun(work, need, [], {});
        await this.emit(work, run.ticket, { event: 'rejected', reason: `catalog item "${need.catalogItem}" does not exist` });
        await this.finish(work, run, 'rejected', undefined, { reason: `catalog item "${need.catalogItem}" does not exist` });
        return;
      }
      item.approval.forEach((s, i) => {
        if (s.when !== undefined && !holds(s.when, need.fields)) {
          skipped.push({ step: i + 1, reason: `"${s.when}" is not true` });
          return;
        }
        const field = s.groupField !== undefined ? need.fields[s.groupField] : undefined;
        const group = s.group ?? (typeof field === 'string' ? field : null);
        steps.push({ step: i + 1, kind: s.kind, ...(s.kind === 'group' ? { group } : {}), policy: 'all' });
      });
      outcome = { fulfilment: item.fulfilment_group ? 'group' : 'auto', fulfilmentGroup: item.fulfilment_group };
    } else {
      outcome = { fulfilment: 'group', fulfilmentGroup: null };
    }
    const run = await this.insertRun(work, need, steps, outcome);
    for (const s of skipped) await this.emit(work, run.ticket, { event: 'skipped', step: s.step, reason: s.reason });
    await this.openFrom(work, run, 0, undefined);
  }

  private async insertRun(work: Work, need: ApprovalNeeded, steps: RunStep[], outcome: Record<string, unknown>): Promise<RunRow> {
    const row: RunRow = {
      tenant_id: work.tenantId as string,
      id: crypto.randomUUID(),
      ticket: need.number,
      title: need.title,
      instance_id: need.instanceId,
      requester_id: need.requesterId,
      steps,
      current: 0,
      state: 'running',
      outcome,
    };
    await work.tx('approval_runs').insert({
      ...row,
      steps: JSON.stringify(steps),
      outcome: JSON.stringify(outcome),
      created_at: work.at,
      updated_at: work.at,
    });
    return row;
  }

  /** Opens the first step from `index` that has someone to ask; past the last, the run is approved. */
  private async openFrom(work: Work, run: RunRow, index: number, actor: string | undefined): Promise<void> {
    const tx = work.tx;
    for (let i = index; i < run.steps.length; i++) {
      const step = run.steps[i] as RunStep;
      const approvers = await this.approversOf(tx, run, step);
      if (approvers.length === 0) {
        const reason = step.kind === 'manager' ? 'the requester has no manager' : `group "${step.group ?? ''}" has nobody to ask`;
        await this.emit(work, run.ticket, { event: 'skipped', step: step.step, reason });
        continue;
      }
      run.current = i;
      await tx('approval_runs').where({ tenant_id: run.tenant_id, id: run.id }).update({ current: i, updated_at: work.at });
      for (const person of approvers) await this.ask(work, run, step.step, person, null);
      return;
    }
    await this.finish(work, run, 'approved', actor, run.outcome);
  }

  /** A new requested approval, with its reminder and escalation scheduled. */
  private async ask(
    work: Work,
    run: RunRow,
    step: number,
    person: Person,
    escalatedFrom: (Person & { approval: string }) | null,
  ): Promise<void> {
    const row: ApprovalRow = {
      tenant_id: run.tenant_id,
      id: crypto.randomUUID(),
      run_id: run.id,
      ticket: run.ticket,
      step,
      approver_id: person.id,
      state: 'requested',
      requested_at: work.at,
      decided_at: null,
      reminded_at: null,
      comment: null,
      escalated_from: escalatedFrom?.approval ?? null,
    };
    await work.tx('approvals').insert(row);
    // Reminders and escalations count working days of the tenant's calendar `default` (holidays skipped).
    const calendar = await loadDefaultCalendar(work, run.tenant_id);
    await this.moduleEvents.emit(
      work,
      'approval.due',
      { id: row.id, kind: 'remind' },
      addBusinessDays(work.now, REMIND_AFTER_DAYS, calendar),
    );
    await this.moduleEvents.emit(
      work,
      'approval.due',
      { id: row.id, kind: 'escalate' },
      addBusinessDays(work.now, ESCALATE_AFTER_DAYS, calendar),
    );
    await this.changed(work, run, row, 'requested', person, escalatedFrom ? { escalatedFrom: escalatedFrom.username } : {});
    await this.moduleEvents.emit(work, 'approval.requested', told(run, row));
  }

  /** After an approval (or an escalation): when nobody of the step is left to answer, the next step opens. */
  private async advance(work: Work, run: RunRow, actor: string | undefined): Promise<void> {
    if (run.state !== 'running') return;
    const open = await work.tx('approvals').where({ tenant_id: run.tenant_id, run_id: run.id, state: 'requested' }).first('id');
    if (open) return;
    await this.openFrom(work, run, run.current + 1, actor);
  }

  /** Ends the run and tells the ticket's flow (which may have moved on: then nobody waits and nothing is sent). */
  private async finish(
    work: Work,
    run: RunRow,
    state: 'approved' | 'rejected',
    actor: string | undefined,
    variables: Record<string, unknown>,
  ): Promise<void> {
    run.state = state;
    await work.tx('approval_runs').where({ tenant_id: run.tenant_id, id: run.id }).update({ state, updated_at: work.at });
    await this.process.sendMessageIn(work, run.instance_id, state === 'approved' ? 'ticket.approved' : 'ticket.rejected', {
      variables,
      ...(actor ? { actor } : {}),
    });
  }

  /** The other open approvals of a run end `cancelled` (a rejection, or an "any" step approved). */
  private async closeOthers(work: Work, runId: string, except: string): Promise<void> {
    await work
      .tx('approvals')
      .where({ tenant_id: work.tenantId, run_id: runId, state: 'requested' })
      .whereNot('id', except)
      .update({ state: 'cancelled', decided_at: work.at });
  }

  /** A ticket left approval some other way (cancelled): what is still asked of people is cancelled. */
  private async ticketMoved(work: Work, number: string, to: string): Promise<void> {
    if (APPROVAL_STATES.includes(to)) return;
    const tenantId = work.tenantId as string;
    const runs = (await work.tx('approval_runs').where({ tenant_id: tenantId, ticket: number, state: 'running' }).pluck('id')) as string[];
    if (runs.length === 0) return;
    await work
      .tx('approvals')
      .where({ tenant_id: tenantId, state: 'requested' })
      .whereIn('run_id', runs)
      .update({ state: 'cancelled', decided_at: work.at });
    await work.tx('approval_runs').where({ tenant_id: tenantId }).whereIn('id', runs).update({ state: 'cancelled', updated_at: work.at });
  }

  // ---------------------------------------------------------------------------------------------
  // Reminders and escalations

  private async remind(work: Work, id: string): Promise<void> {
    const approval = await this.stillRequested(work, id);
    if (!approval) return;
    await work.tx('approvals').where({ tenant_id: work.tenantId, id }).update({ reminded_at: work.at });
    const run = (await work.tx('approval_runs').where({ tenant_id: work.tenantId, id: approval.run_id }).first()) as RunRow;
    await this.changed(work, run, approval, 'reminded', await this.person(work.tx, work.tenantId as string, approval.approver_id), {});
    await this.moduleEvents.emit(work, 'approval.reminder', told(run, approval));
  }

  private async escalate(work: Work, id: string): Promise<void> {
    const tenantId = work.tenantId as string;
    const found = await this.stillRequested(work, id);
    if (!found) return;
    const run = await this.lockedRun(work.tx, tenantId, found.run_id);
    const approval = (await work.tx('approvals').where({ tenant_id: tenantId, id }).forUpdate().first()) as ApprovalRow;
    if (run.state !== 'running' || approval.state !== 'requested') return;
    const manager = await this.managerOf(work.tx, tenantId, approval.approver_id);
    // Nobody above: the approval stays with its approver.
    if (!manager) return;
    await work.tx('approvals').where({ tenant_id: tenantId, id }).update({ state: 'escalated', decided_at: work.at });
    const from = await this.person(work.tx, work.tenantId as string, approval.approver_id);
    await this.changed(work, run, approval, 'escalated', from, { to: manager.username });
    // A manager already asked in this step answers once.
    const already = await work
      .tx('approvals')
      .where({ tenant_id: tenantId, run_id: run.id, step: approval.step, approver_id: manager.id })
      .whereIn('state', ['requested', 'approved'])
      .first('id');
    if (!already) await this.ask(work, run, approval.step, manager, { ...from, approval: id });
    await this.advance(work, run, undefined);
  }

  private async stillRequested(work: Work, id: string): Promise<ApprovalRow | undefined> {
    const row = (await work.tx('approvals').where({ tenant_id: work.tenantId, id }).first()) as ApprovalRow | undefined;
    return row?.state === 'requested' ? row : undefined;
  }

  // ---------------------------------------------------------------------------------------------
  // People

  private async approversOf(tx: Queryable, run: RunRow, step: RunStep): Promise<Person[]> {
    if (step.kind === 'manager') {
      const manager = run.requester_id ? await this.managerOf(tx, run.tenant_id, run.requester_id) : undefined;
      return manager ? [manager] : [];
    }
    if (!step.group) return [];
    const q = tx('user_groups as m')
      .join('users as u', (j) => j.on('u.tenant_id', 'm.tenant_id').andOn('u.id', 'm.user_id'))
      .where({ 'm.tenant_id': run.tenant_id, 'm.group_id': step.group, 'u.disabled': false })
      .orderBy('u.username')
      .select('u.id', 'u.username');
    if (run.requester_id) q.whereNot('u.id', run.requester_id);
    return (await q) as Person[];
  }

  /** A user's manager, if they have one who can sign in. */
  private async managerOf(tx: Queryable, tenantId: string, userId: string): Promise<Person | undefined> {
    const row = (await tx('users as u')
      .join('users as m', (j) => j.on('m.tenant_id', 'u.tenant_id').andOn('m.id', 'u.manager_id'))
      .where({ 'u.tenant_id': tenantId, 'u.id': userId, 'm.disabled': false })
      .first('m.id', 'm.username')) as Person | undefined;
    return row;
  }

  private async person(tx: Queryable, tenantId: string, userId: string): Promise<Person> {
    const row = (await tx('users').where({ tenant_id: tenantId, id: userId }).first('id', 'username')) as Person | undefined;
    return row ?? { id: userId, username: userId };
  }

  private async lockedRun(tx: Queryable, tenantId: string, id: string): Promise<RunRow> {
    return (await tx('approval_runs').where({ tenant_id: tenantId, id }).forUpdate().first()) as RunRow;
  }

  // ---------------------------------------------------------------------------------------------
  // The ticket's timeline (the tickets module writes it)

  private changed(
    work: Work,
    run: RunRow,
    approval: ApprovalRow,
    event: string,
    approver: Person,
    extra: Record<string, unknown>,
  ): Promise<void> {
    return this.emit(work, run.ticket, { event, approval: approval.id, step: approval.step, approver: approver.username, ...extra });
  }

  /** `approval.changed { number, at, event, ... }`; `by` names who decided, if someone did. */
  private emit(work: Work, number: string, data: Record<string, unknown>): Promise<void> {
    return this.moduleEvents.emit(work, 'approval.changed', { number, at: work.at, ...data });
  }
}

/** What `approval.requested` and `approval.reminder` tell the notifications module. */
function told(run: RunRow, approval: ApprovalRow): Record<string, unknown> {
  return {
    approval: approval.id,
    ticket: run.ticket,
    title: run.title,
    step: approval.step,
    approverId: approval.approver_id,
    requestedAt: new Date(approval.requested_at).toISOString(),
  };
}

/** Whether a step's `when` holds over the request's fields: only FEEL `true` does (null, errors: no). */
function holds(when: string, fields: Record<string, unknown>): boolean {
  try {
    return compileFeel(when).evaluate({ ...fields }) === true;
  } catch {
    return false;
  }
}
