// Tickets: create, read, list, change, comment, act. A ticket's state belongs to its process
// (sync.ts keeps it in step); the module owns everything else about it. Every write that goes
// with a step (an action's fields, its timeline entry) is handed to the step as `also`, so the
// ticket and its process commit together or not at all.
import type { CommentBody, CreateTicketBody, Ticket, TicketList, TicketQuery, TicketType, UpdateTicketBody } from '@serviceloom/contracts';
import type { Knex } from 'knex';
import { hasAnyRole } from '../../platform/auth/roles.ts';
import type { Principal } from '../../platform/auth/tokens.ts';
import type { Statement } from '../../platform/db/batch.ts';
import type { Queryable } from '../../platform/db/connect.ts';
import type { Transactions, Work } from '../../platform/db/transactions.ts';
import { badRequest, conflict, DomainError, forbidden, notFound } from '../../platform/errors.ts';
import type { ModuleEvents } from '../../platform/outbox/module-events.ts';
import { addBusinessDays } from '../../platform/time/business-days.ts';
import { loadDefaultCalendar } from '../../platform/time/calendars.ts';
import type { ProcessPort } from '../../process/port.ts';
import { ACTIONS, type ActionSpec, FLOW_DEFAULT, INTERNAL_MESSAGES, MESSAGE_PREFIX } from './actions.ts';
import { nextNumber } from './numbers.ts';
import {
  DEFINITION_KEY,
  isOpen,
  joinShown,
  listItemOf,
  SHOWN_COLUMNS,
  type ShownRow,
  type TicketRow,
  ticketOf,
  ticketVariable,
} from './rows.ts';
import { type ItsmSettings, priorityOf } from './settings.ts';
import { slaOf, slaSummary } from './sla-view.ts';

const AGENT_ROLES = ['tenant-admin', 'agent'] as const;
export const isAgent = (p: Principal) => hasAnyRole(p.roles, [...AGENT_ROLES]);

/** Types a requester may raise. */
const REQUESTER_TYPES: TicketType[] = ['incident', 'request'];

/** The form of a type's own fields; a request's is its catalog item's. */
const formKeyOf = (type: TicketType, catalogItem: string | undefined | null) => (type === 'request' ? (catalogItem ?? null) : type);

const actionNotAvailable = (action: string, available: string[]) =>
  conflict(
    'ACTION_NOT_AVAILABLE',
    `the action "${action}" is not available now; available: ${available.length ? available.join(', ') : 'none'}`,
  );

export interface Person {
  id: string;
  username: string;
}

export class TicketService {
  constructor(
    private readonly transactions: Transactions,
    private readonly process: ProcessPort,
    private readonly settings: ItsmSettings,
    private readonly moduleEvents: ModuleEvents,
  ) {}

  // ---------------------------------------------------------------------------------------------
  // Create

  async create(p: Principal, body: CreateTicketBody): Promise<Ticket> {
    const agent = isAgent(p);
    if (!agent && !REQUESTER_TYPES.includes(body.type))
      throw forbidden(`only agents may raise a ${body.type}; requesters raise incidents and requests`);
    if (!agent && (body.assignee !== undefined || body.assignmentGroup !== undefined)) {
      throw forbidden('only agents may assign a ticket');
    }
    return this.transactions.withTenant(p.tenantId, async (work) => {
      const tenantId = p.tenantId;
      const tx = work.tx;
      let requester: Person = { id: p.userId, username: p.username };
      if (body.requester !== undefined) {
        const found = await findUser(tx, tenantId, body.requester, 'requester');
        if (found.id !== p.userId && !agent) throw forbidden('only agents may raise a ticket for someone else');
        requester = found;
      }
      const assignee = body.assignee !== undefined ? await findUser(tx, tenantId, body.assignee, 'assignee') : null;
      const group =
        body.assignmentGroup !== undefined
          ? await findGroup(tx, tenantId, body.assignmentGroup)
          : await this.firstLine(tx, tenantId, body.type);
      let parentId: string | null = null;
      if (body.parent) {
        const parent = await tx('tickets').where({ tenant_id: tenantId, number: body.parent }).first('id', 'type');
        if (!parent) throw badRequest('TICKET_INVALID', `"parent": ticket ${body.parent} does not exist`);
        if (parent.type !== body.type)
          throw badRequest('TICKET_INVALID', `"parent": ${body.parent} is a ${parent.type}, not a ${body.type}`);
        parentId = parent.id;
      }
      const formKey = formKeyOf(body.type, body.catalogItem);
      if (formKey) await this.process.checkForm(work, formKey, body.fields ?? {}, p.username, standardFields(body));
      const impact = body.impact ?? 3;
      const urgency = body.urgency ?? 3;
      const priority = priorityOf(await this.settings.matrix(tx, tenantId), impact, urgency);
      const number = await nextNumber(tx, tenantId, body.type);
      const at = new Date(work.now).toISOString();
      const id = crypto.randomUUID();
      const inserted = {
        id,
        tenant_id: tenantId,
        number,
        type: body.type,
        state: 'new',
        title: body.title,
        description: body.description ?? '',
        priority,
        impact,
        urgency,
        category: body.category ?? null,
        subcategory: body.subcategory ?? null,
        symptom: body.symptom ?? null,
        ci_id: body.ci ?? null,
        service_id: body.service ?? null,
        requester_id: requester.id,
        assignee_id: assignee?.id ?? null,
        assignment_group_id: group?.id ?? null,
        parent_id: parentId,
        catalog_item: body.catalogItem ?? null,
        change_type: body.type === 'change' ? (body.changeType ?? 'normal') : null,
        planned_start: body.plannedStart ?? null,
        planned_end: body.plannedEnd ?? null,
        affected_cis: JSON.stringify(body.affectedCis ?? []),
        opened_at: at,
        updated_at: at,
        fields: JSON.stringify(body.fields ?? {}),
      };
      await tx('tickets').insert(inserted);
      // The flow's `ticket` variable from what was just written (no read back): the usernames are known.
      const started = {
        ...inserted,
        major: false,
        fields: body.fields ?? {},
        requester_username: requester.username,
        assignee_username: assignee?.username ?? null,
      } as unknown as ShownRow;
      const definitionKey = DEFINITION_KEY[body.type];
      // The timeline starts with its creation, before what the events' inline subscribers add (its SLA clocks).
      await timelineInsert(tx, work, id, p, 'created', { number, type: body.type, title: body.title });
      await this.changed(work, number);
      await this.moduleEvents.emit(work, 'ticket.created', eventTicket(started, p));
      if (assignee) await this.moduleEvents.emit(work, 'ticket.assigned', { ...eventTicket(started, p), assigneeChanged: true });
      try {
        // Its link to the instance goes out with the start's own writes.
        await this.process.startInstanceIn(
          work,
          p.username,
          { definitionKey, businessKey: number, variables: { ticket: ticketVariable(started), ...startVariables(started) } },
          (instanceId, version) => [
            tx('tickets').where({ tenant_id: tenantId, id }).update({ process_instance_id: instanceId, definition_version: version }),
          ],
        );
      } catch (e) {
        if (e instanceof DomainError && e.kind === 'not_found') {
          throw conflict(
            'FLOW_NOT_DEPLOYED',
            `no flow "${definitionKey}" is deployed for ${body.type} tickets; deploy it (or reset it to its template) first`,
          );
        }
        throw e;
      }
      if (body.type === 'incident' && priority === 1)
        await this.declareMajor(work, p, await this.shown(tx, tenantId, number), 'priority 1');
      return this.view(work, p, number, { fresh: true });
    });
  }

  /**
   * Where an incident or a request raised without a group goes: the tenant's first-line group
   * (`itsm.firstLineGroup`, `service-desk` by default), as a service desk's queue expects; none if
   * that group does not exist. Other types are assigned by their process owners.
   */
  private async firstLine(q: Queryable, tenantId: string, type: TicketType): Promise<{ id: string; name: string } | null> {
    if (!REQUESTER_TYPES.includes(type)) return null;
    const id = await this.settings.value<string>(q, tenantId, 'itsm.firstLineGroup');
    return ((await q('groups').where({ tenant_id: tenantId, id }).first('id', 'name')) as { id: string; name: string } | undefined) ?? null;
  }

  // ---------------------------------------------------------------------------------------------
  // Read

  async get(p: Principal, number: string): Promise<Ticket> {
    return this.transactions.withTenant(p.tenantId, (work) => this.view(work, p, number));
  }

  /** The ticket as the caller sees it, with the actions they may perform now. */
  async view(work: Work, p: Principal, number: string, { fresh = false } = {}): Promise<Ticket> {
    const tx = work.tx;
    // Children and relations come with the row (one read), except for a ticket created in this
    // transaction, which has none yet.
    const row = await this.visible(tx, p, number, { links: !fresh });
    const awaited = await this.awaited(tx, row);
    return ticketOf(row, {
      sla: await slaOf(tx, row as unknown as Parameters<typeof slaOf>[1], work.now),
      children: row.child_numbers ?? [],
      relations: row.relation_list ?? [],
      actions: await this.actionsFor(tx, p, row, awaited),
    });
  }

  async list(p: Principal, query: TicketQuery): Promise<TicketList> {
    const limit = query.limit ? Number(query.limit) : 50;
    return this.transactions.withTenant(p.tenantId, async (work) => {
      const tx = work.tx;
      const q = joinShown(tx('tickets as t').select(SHOWN_COLUMNS)).where('t.tenant_id', p.tenantId);
      if (!isAgent(p)) this.onlyOwn(tx, q, p);
      if (query.type) q.andWhere('t.type', query.type);
      if (query.state)
        q.whereIn(
          't.state',
          query.state.split(',').map((s) => s.trim()),
        );
      if (query.priority) q.andWhere('t.priority', Number(query.priority));
      if (query.major !== undefined) q.andWhere('t.major', query.major === 'true');
      if (query.ci) q.andWhere('t.ci_id', query.ci);
      if (query.assignee === 'none') q.whereNull('t.assignee_id');
      else if (query.assignee)
        q.andWhere('t.assignee_id', query.assignee === 'me' ? p.userId : await userIdOf(tx, p.tenantId, query.assignee));
      if (query.requester)
        q.andWhere('t.requester_id', query.requester === 'me' ? p.userId : await userIdOf(tx, p.tenantId, query.requester));
      if (query.assignmentGroup === 'mine') q.whereIn('t.assignment_group_id', p.groups);
      else if (query.assignmentGroup) q.andWhere('t.assignment_group_id', query.assignmentGroup);
      // Kept on the ticket by the SLA module (sla-view.ts): a running record past due counts as breached before its timer ran.
      if (query.sla === 'breached') q.andWhere((w) => w.where('t.sla_breached', true).orWhere('t.sla_due_at', '<=', work.at));
      else if (query.sla === 'at_risk')
        q.andWhere('t.sla_at_risk_at', '<=', work.at).andWhere('t.sla_breached', false).andWhere('t.sla_due_at', '>', work.at);
      if (query.q) {
        const term = query.q.trim();
        const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        q.andWhere((w: Knex.QueryBuilder) =>
          w.where('t.number', term.toUpperCase()).orWhereILike('t.title', like).orWhereILike('t.description', like),
        );
      }
      const { column, descending } = sortOf(query.sort);
      const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
      if (cursor) {
        q.andWhereRaw(`(${column}, t.id) ${descending ? '<' : '>'} (?, ?)`, [cursor.value as string | number, cursor.id]);
      }
      q.orderBy(column, descending ? 'desc' : 'asc')
        .orderBy('t.id', descending ? 'desc' : 'asc')
        .limit(limit + 1);
      const rows = (await q) as ShownRow[];
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map((r) => ({ ...listItemOf(r), ...slaSummary(r as unknown as Parameters<typeof slaSummary>[0], work.now) })),
        nextCursor: rows.length > limit && last ? encodeCursor(sortValue(last, column), last.id) : null,
      };
    });
  }

  async timeline(p: Principal, number: string) {
    return this.transactions.read(p.tenantId, async (tx) => {
      const row = await this.visible(tx, p, number);
      const q = tx('ticket_timeline as e')
        .leftJoin('users as u', (j) => j.on('u.tenant_id', 'e.tenant_id').andOn('u.id', 'e.actor_id'))
        .where({ 'e.tenant_id': p.tenantId, 'e.ticket_id': row.id })
        .select('e.at', 'e.kind', 'e.actor_id', 'e.actor_name', 'u.username', 'u.display_name', 'e.data')
        .orderBy('e.id');
      // Work notes are for agents: a requester never sees one, nor the note of an action.
      // Requesters never see work notes, nor the service desk's delivery log (addresses, errors).
      if (!isAgent(p)) q.whereNotIn('e.kind', AGENT_ONLY_ENTRIES);
      const entries = (await q) as Array<{
        at: Date | string;
        kind: string;
        actor_id: string | null;
        actor_name: string | null;
        username: string | null;
        display_name: string | null;
        data: Record<string, unknown>;
      }>;
      return entries.map((e) => ({
        at: new Date(e.at).toISOString(),
        kind: e.kind,
        actor: e.actor_id && e.username ? { id: e.actor_id, username: e.username, displayName: e.display_name ?? e.username } : null,
        data: isAgent(p) ? e.data : withoutNote(e.data),
      }));
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Change

  async update(p: Principal, number: string, patch: UpdateTicketBody): Promise<Ticket> {
    if (!isAgent(p)) throw forbidden('only agents may change a ticket');
    return this.transactions.withTenant(p.tenantId, async (work) => {
      const tx = work.tx;
      const row = await this.locked(tx, p, number);
      const changes: Record<string, unknown> = {};
      const entries: Array<{ field: string; before: unknown; after: unknown }> = [];
      const set = (field: string, column: keyof TicketRow, after: unknown) => {
        const before = row[column];
        if (JSON.stringify(before ?? null) === JSON.stringify(after ?? null)) return;
        changes[column] = after;
        entries.push({ field, before: before ?? null, after: after ?? null });
      };
      if (patch.title !== undefined) set('title', 'title', patch.title);
      if (patch.description !== undefined) set('description', 'description', patch.description);
      if (patch.category !== undefined) set('category', 'category', patch.category);
      if (patch.subcategory !== undefined) set('subcategory', 'subcategory', patch.subcategory);
      if (patch.symptom !== undefined) set('symptom', 'symptom', patch.symptom);
      if (patch.ci !== undefined) set('ci', 'ci_id', patch.ci);
      if (patch.service !== undefined) set('service', 'service_id', patch.service);
      if (patch.impact !== undefined) set('impact', 'impact', patch.impact);
      if (patch.urgency !== undefined) set('urgency', 'urgency', patch.urgency);
      if (patch.impact !== undefined || patch.urgency !== undefined) {
        const matrix = await this.settings.matrix(tx, p.tenantId);
        set('priority', 'priority', priorityOf(matrix, patch.impact ?? row.impact, patch.urgency ?? row.urgency));
      }
      if (patch.fields !== undefined) {
        const fields = { ...row.fields, ...patch.fields };
        const formKey = formKeyOf(row.type, row.catalog_item);
        if (formKey) await this.process.checkForm(work, formKey, fields, p.username, standardFields({ ...rowStandard(row), ...patch }));
        set('fields', 'fields', fields);
      }
      if (entries.length === 0) return this.view(work, p, number);
      const { fields, ...columns } = changes;
      await tx('tickets')
        .where({ tenant_id: p.tenantId, id: row.id })
        .update({
          ...columns,
          ...(fields !== undefined ? { fields: JSON.stringify(fields) } : {}),
          updated_at: new Date(work.now).toISOString(),
        });
      for (const entry of entries) await timeline(tx, work, row.id, p, 'field', entry);
      if (row.type === 'incident' && changes.priority === 1 && !row.major && isOpen(row.state)) {
        await this.declareMajor(work, p, await this.shown(tx, p.tenantId, number), 'priority 1');
      }
      await this.changed(work, number);
      return this.view(work, p, number);
    });
  }

  async comment(p: Principal, number: string, body: CommentBody): Promise<Ticket> {
    const internal = body.internal === true;
    if (internal && !isAgent(p)) throw forbidden('only agents may write work notes');
    return this.transactions.withTenant(p.tenantId, async (work) => {
      const row = await this.locked(work.tx, p, number);
      const at = new Date(work.now).toISOString();
      const update: Record<string, unknown> = { updated_at: at };
      // An agent's public reply is a response to the requester.
      if (!internal && isAgent(p) && p.userId !== row.requester_id && row.responded_at === null) update.responded_at = at;
      await work.tx('tickets').where({ tenant_id: p.tenantId, id: row.id }).update(update);
      await timeline(work.tx, work, row.id, p, internal ? 'work_note' : 'comment', { body: body.body });
      await this.moduleEvents.emit(work, 'ticket.commented', { ...eventTicket(row, p), internal, body: body.body });
      await this.changed(work, number, internal);
      return this.view(work, p, number);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Actions

  async act(p: Principal, number: string, action: string, body: Record<string, unknown>): Promise<Ticket> {
    return this.transactions.withTenant(p.tenantId, async (work) => {
      const tx = work.tx;
      const row = await this.locked(tx, p, number);
      const awaited = await this.awaited(tx, row);
      const spec = ACTIONS[action] ?? (awaited.includes(action) ? FLOW_DEFAULT : undefined);
      if (!spec) throw actionNotAvailable(action, await this.actionsFor(tx, p, row, awaited));
      this.checkPerformer(p, row, action, spec);
      const available = isAvailable(spec, action, row, awaited);
      if (!available) throw actionNotAvailable(action, await this.actionsFor(tx, p, row, awaited));
      const input = spec.input(body, row.type);
      if (spec.flow) await this.runFlowAction(work, p, row, action, input);
      else await this.runModuleAction(work, p, row, action, input);
      await this.changed(work, number);
      return this.view(work, p, number);
    });
  }

  private checkPerformer(p: Principal, row: ShownRow, action: string, spec: ActionSpec): void {
    const agent = isAgent(p);
    const own = row.requester_id === p.userId;
    if (spec.who === 'agent' && !agent) throw forbidden(`only agents may ${action} a ticket`);
    if (spec.who === 'requester' && !own) throw forbidden(`only the ticket's requester may ${action} it`);
    if (spec.who === 'either' && !agent && !own) throw forbidden(`only agents or the ticket's requester may ${action} it`);
    if (action === 'cancel' && !agent && row.state !== 'new') throw forbidden('a requester may cancel a ticket only while it is new');
  }

  /** The actions the caller may perform on the ticket now. */
  private async actionsFor(_q: Queryable, p: Principal, row: ShownRow, awaited: string[]): Promise<string[]> {
    const out: string[] = [];
    const names = new Set([...Object.keys(ACTIONS), ...awaited]);
    for (const name of names) {
      const spec = ACTIONS[name] ?? FLOW_DEFAULT;
      try {
        this.checkPerformer(p, row, name, spec);
      } catch {
        continue;
      }
      if (isAvailable(spec, name, row, awaited)) out.push(name);
    }
    return out.sort();
  }

  /** The actions the ticket's flow waits for: its open `ticket.<action>` catches. */
  private async awaited(q: Queryable, row: Pick<TicketRow, 'process_instance_id'>): Promise<string[]> {
    if (!row.process_instance_id) return [];
    const names = await this.process.awaitedMessages(q, (row as TicketRow).tenant_id, row.process_instance_id);
    return names.filter((n) => n.startsWith(MESSAGE_PREFIX) && !INTERNAL_MESSAGES.includes(n)).map((n) => n.slice(MESSAGE_PREFIX.length));
  }

  private async runFlowAction(work: Work, p: Principal, row: ShownRow, action: string, input: Record<string, unknown>): Promise<void> {
    const tx = work.tx;
    const at = new Date(work.now).toISOString();
    const update: Record<string, unknown> = { updated_at: at };
    const variables: Record<string, unknown> = { ...input };
    switch (action) {
      case 'start':
        if (row.responded_at === null) update.responded_at = at;
        if (row.assignee_id === null) update.assignee_id = p.userId;
        break;
      case 'hold':
        update.hold_reason = input.reason;
        break;
      case 'resume':
        update.hold_reason = null;
        break;
      case 'resolve': {
        update.close_code = input.closeCode;
        update.resolution_notes = input.resolutionNotes;
        update.resolved_at = at;
        update.hold_reason = null;
        const days = await this.settings.value<number>(tx, p.tenantId, 'itsm.autoCloseDays');
        // Business days of the tenant's calendar `default`: holidays skipped, make-up days counted.
        const calendar = await loadDefaultCalendar(tx, p.tenantId);
        variables.autoCloseAt = new Date(addBusinessDays(work.now, days, calendar)).toISOString();
        break;
      }
      case 'reopen':
        update.reopen_count = row.reopen_count + 1;
        update.resolved_at = null;
        update.close_code = null;
        update.resolution_notes = null;
        variables.reopened = true;
        break;
      case 'declare-major':
        update.major = true;
        break;
    }
    const after = { ...row, ...update } as ShownRow;
    variables.ticket = ticketVariable(after);
    const sent = await this.process.sendMessageIn(work, row.process_instance_id as string, `${MESSAGE_PREFIX}${action}`, {
      variables,
      actor: p.username,
      also: () => [
        tx('tickets').where({ tenant_id: p.tenantId, id: row.id }).update(update),
        timelineInsert(tx, work, row.id, p, 'action', { action, ...input }),
        ...(action === 'reopen' && typeof input.comment === 'string'
          ? [timelineInsert(tx, work, row.id, p, 'comment', { body: input.comment })]
          : []),
      ],
    });
    if (!sent) throw actionNotAvailable(action, []);
    if (action === 'declare-major')
      await this.moduleEvents.emit(work, 'major.declared', { ...eventTicket(after, p), reason: input.reason });
    if (action === 'resolve') await this.afterResolve(work, p, row, input);
  }

  /** Resolving a parent resolves its open children with its close code and notes; a major incident's review follows. */
  private async afterResolve(work: Work, p: Principal, row: ShownRow, input: Record<string, unknown>): Promise<void> {
    const tx = work.tx;
    if (row.major && row.process_instance_id) {
      await this.process.sendMessageIn(work, row.process_instance_id, 'ticket.major-resolved', { actor: p.username });
    }
    const children = (await tx('tickets')
      .where({ tenant_id: p.tenantId, parent_id: row.id })
      .whereNotIn('state', ['resolved', 'closed', 'cancelled', 'rejected'])
      .orderBy('number')
      .pluck('number')) as string[];
    for (const number of children) {
      const child = await this.shown(tx, p.tenantId, number);
      if (!(await this.awaited(tx, child)).includes('resolve')) {
        await timeline(tx, work, child.id, p, 'work_note', {
          body: `${row.number} was resolved; this child could not be resolved in state ${child.state}`,
        });
        continue;
      }
      await this.runFlowAction(work, p, child, 'resolve', { ...input, resolutionNotes: input.resolutionNotes, closeCode: input.closeCode });
    }
  }

  private async runModuleAction(work: Work, p: Principal, row: ShownRow, action: string, input: Record<string, unknown>): Promise<void> {
    const tx = work.tx;
    const at = new Date(work.now).toISOString();
    const where = { tenant_id: p.tenantId, id: row.id };
    switch (action) {
      case 'assign': {
        const assignee =
          'assignee' in input
            ? input.assignee === null
              ? null
              : await findUser(tx, p.tenantId, input.assignee as string, 'assignee')
            : undefined;
        const group = input.assignmentGroup !== undefined ? await findGroup(tx, p.tenantId, input.assignmentGroup as string) : undefined;
        const update: Record<string, unknown> = { updated_at: at };
        const personChanges = assignee !== undefined && (assignee?.id ?? null) !== row.assignee_id;
        const groupChanges = group !== undefined && group.id !== row.assignment_group_id;
        if (!personChanges && !groupChanges) return;
        if (personChanges) update.assignee_id = assignee?.id ?? null;
        if (groupChanges) update.assignment_group_id = group?.id;
        // A re-assignment moves a person or a group the ticket already had: taking a ticket from its
        // group's queue (no person yet) is not one.
        if ((personChanges && row.assignee_id !== null) || (groupChanges && row.assignment_group_id !== null))
          update.reassignment_count = row.reassignment_count + 1;
        if (personChanges && assignee && assignee.id !== p.userId && row.responded_at === null) update.responded_at = at;
        await tx('tickets').where(where).update(update);
        await this.moduleEvents.emit(work, 'ticket.assigned', {
          ...eventTicket({ ...row, ...update } as ShownRow, p),
          assigneeChanged: personChanges,
          groupChanged: groupChanges,
        });
        await timeline(tx, work, row.id, p, 'assignment', {
          ...(personChanges ? { assignee: { before: row.assignee_username, after: assignee?.username ?? null } } : {}),
          ...(groupChanges ? { assignmentGroup: { before: row.assignment_group_id, after: group?.id ?? null } } : {}),
        });
        return;
      }
      case 'urge':
        await tx('tickets')
          .where(where)
          .update({ urge_count: row.urge_count + 1, updated_at: at });
        await timeline(tx, work, row.id, p, 'urge', input);
        await this.moduleEvents.emit(work, 'ticket.urged', {
          ...eventTicket(row, p),
          urgeCount: row.urge_count + 1,
          comment: input.comment,
        });
        return;
      case 'rate':
        await tx('tickets')
          .where(where)
          .update({ csat_score: input.score, csat_comment: (input.comment as string | undefined) ?? null, csat_at: at, updated_at: at });
        await timeline(tx, work, row.id, p, 'action', { action, ...input });
        return;
    }
  }

  private async declareMajor(work: Work, p: Principal, row: ShownRow, reason: string): Promise<void> {
    if (row.major || !row.process_instance_id) return;
    if (!(await this.awaited(work.tx, row)).includes('declare-major')) return;
    await this.runFlowAction(work, p, row, 'declare-major', { reason });
  }

  // ---------------------------------------------------------------------------------------------
  // Relations and watchers

  async relate(p: Principal, number: string, kind: string, other: string): Promise<Ticket> {
    if (!isAgent(p)) throw forbidden('only agents may relate tickets');
    return this.transactions.withTenant(p.tenantId, async (work) => {
      const row = await this.locked(work.tx, p, number);
      // solved_by names a knowledge article (by id); every other kind a ticket.
      if (kind !== 'solved_by') {
        const target = await work.tx('tickets').where({ tenant_id: p.tenantId, number: other }).first('id');
        if (!target) throw badRequest('RELATION_INVALID', `"number": ticket ${other} does not exist`);
        if (other === number) throw badRequest('RELATION_INVALID', '"number": a ticket cannot relate to itself');
      }
      const inserted = await work
        .tx('ticket_relations')
        .insert({ tenant_id: p.tenantId, ticket_id: row.id, kind, other, created_at: new Date(work.now).toISOString() })
        .onConflict(['tenant_id', 'ticket_id', 'kind', 'other'])
        .ignore()
        .returning('kind');
      if ((inserted as unknown[]).length) await timeline(work.tx, work, row.id, p, 'relation', { added: { kind, number: other } });
      await this.changed(work, number);
      return this.view(work, p, number);
    });
  }

  async unrelate(p: Principal, number: string, kind: string, other: string): Promise<void> {
    if (!isAgent(p)) throw forbidden('only agents may relate tickets');
    await this.transactions.withTenant(p.tenantId, async (work) => {
      const row = await this.locked(work.tx, p, number);
      const n = await work.tx('ticket_relations').where({ tenant_id: p.tenantId, ticket_id: row.id, kind, other }).del();
      if (!n) throw notFound('relation', `${number} ${kind} ${other}`);
      await timeline(work.tx, work, row.id, p, 'relation', { removed: { kind, number: other } });
      await this.changed(work, number);
    });
  }

  async watchers(p: Principal, number: string) {
    return this.transactions.read(p.tenantId, async (tx) => {
      const row = await this.visible(tx, p, number);
      return tx('ticket_watchers as w')
        .join('users as u', (j) => j.on('u.tenant_id', 'w.tenant_id').andOn('u.id', 'w.user_id'))
        .where({ 'w.tenant_id': p.tenantId, 'w.ticket_id': row.id })
        .orderBy('u.username')
        .select('u.id', 'u.username', tx.raw('coalesce(u.display_name, u.username) as "displayName"'));
    });
  }

  /** Agents add anyone; a requester adds or removes only themselves, on a ticket they see. */
  async watch(p: Principal, number: string, userId: string, on: boolean): Promise<void> {
    if (!isAgent(p) && userId !== p.userId) throw forbidden('only agents may add or remove other watchers');
    await this.transactions.withTenant(p.tenantId, async (work) => {
      const row = await this.visible(work.tx, p, number);
      const user = await findUser(work.tx, p.tenantId, userId, 'userId');
      if (on) {
        await work.tx('ticket_watchers').insert({ tenant_id: p.tenantId, ticket_id: row.id, user_id: user.id }).onConflict().ignore();
      } else {
        await work.tx('ticket_watchers').where({ tenant_id: p.tenantId, ticket_id: row.id, user_id: user.id }).del();
      }
    });
  }

  /**
   * `ticket.updated { number, internal }` after any change a person made (live views listen);
   * `internal` when only agents may see what changed (a work note).
   */
  changed(work: Work, number: string, internal = false): Promise<void> {
    return this.moduleEvents.emit(work, 'ticket.updated', { number, internal });
  }

  // ---------------------------------------------------------------------------------------------
  // Rows

  private async shown(q: Queryable, tenantId: string, number: string, { lock = false, links = false } = {}): Promise<LinkedRow> {
    const query = joinShown(q('tickets as t').select(SHOWN_COLUMNS)).where({ 't.tenant_id': tenantId, 't.number': number });
    if (links) query.select(q.raw(CHILD_NUMBERS), q.raw(RELATION_LIST));
    // Only the ticket's row: the joined users and groups stay free.
    if (lock) query.forUpdate('t');
    const row = (await query.first()) as LinkedRow | undefined;
    if (!row) throw notFound('ticket', number);
    return row;
  }

  /** The ticket if the caller may see it: agents every ticket, others those they requested or watch (404 otherwise). */
  async visible(q: Queryable, p: Principal, number: string, options: { lock?: boolean; links?: boolean } = {}): Promise<LinkedRow> {
    const row = await this.shown(q, p.tenantId, number, options);
    if (isAgent(p) || row.requester_id === p.userId) return row;
    const watching = await q('ticket_watchers').where({ tenant_id: p.tenantId, ticket_id: row.id, user_id: p.userId }).first('user_id');
    if (!watching) throw notFound('ticket', number);
    return row;
  }

  /** Locks the ticket (its changes and actions queue on the row), as the caller may see it. */
  private locked(q: Queryable, p: Principal, number: string): Promise<ShownRow> {
    return this.visible(q, p, number, { lock: true });
  }

  /** A requester's query sees only the tickets they requested or watch. */
  private onlyOwn(tx: Queryable, q: Knex.QueryBuilder, p: Principal): void {
    q.where((w) =>
      w
        .where('t.requester_id', p.userId)
        .orWhereIn('t.id', tx('ticket_watchers').select('ticket_id').where({ tenant_id: p.tenantId, user_id: p.userId })),
    );
  }
}

// -----------------------------------------------------------------------------------------------

/** Timeline entries only agents see. */
const AGENT_ONLY_ENTRIES = ['work_note', 'notification'];

/** A ticket's row with, when asked for, its children's numbers and its relations. */
type LinkedRow = ShownRow & { child_numbers?: string[]; relation_list?: Array<{ kind: string; number: string }> };

const CHILD_NUMBERS = `(SELECT coalesce(json_agg(c.number ORDER BY c.number), '[]'::json)
   FROM tickets c WHERE c.tenant_id = t.tenant_id AND c.parent_id = t.id) AS child_numbers`;
const RELATION_LIST = `(SELECT coalesce(json_agg(json_build_object('kind', rel.kind, 'number', rel.other) ORDER BY rel.created_at), '[]'::json)
   FROM ticket_relations rel WHERE rel.tenant_id = t.tenant_id AND rel.ticket_id = t.id) AS relation_list`;

/**
 * What the tickets' module events (`ticket.created`, `ticket.assigned`, `ticket.commented`,
 * `ticket.urged`, `major.declared`) tell of the ticket, for the modules that follow them.
 */
function eventTicket(row: ShownRow, p: Principal): Record<string, unknown> {
  return {
    number: row.number,
    type: row.type,
    title: row.title,
    state: row.state,
    priority: row.priority,
    requesterId: row.requester_id,
    assigneeId: row.assignee_id,
    assignmentGroupId: row.assignment_group_id,
    actor: p.username,
    actorId: p.userId,
  };
}

/** A ticket's standard fields, as a form of its type may declare them. */
function standardFields(t: Partial<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of STANDARD_FIELDS) if (t[name] !== undefined) out[name] = t[name];
  return out;
}

const STANDARD_FIELDS = [
  'title',
  'description',
  'impact',
  'urgency',
  'category',
  'subcategory',
  'symptom',
  'changeType',
  'plannedStart',
  'plannedEnd',
];

function rowStandard(row: ShownRow): Record<string, unknown> {
  return {
    title: row.title,
    description: row.description,
    impact: row.impact,
    urgency: row.urgency,
    category: row.category,
    subcategory: row.subcategory,
    symptom: row.symptom,
    changeType: row.change_type,
  };
}

function isAvailable(spec: ActionSpec, action: string, row: ShownRow, awaited: string[]): boolean {
  if (!spec.flow) return spec.availableIn?.(row.state, row) ?? false;
  return awaited.includes(action) && (spec.onlyIf?.(row) ?? true);
}

/**
 * A request from a catalog item waits in `approval` for its approvals (the catalog module); the
 * flow learns how it is fulfilled (`fulfilment`, `fulfilmentGroup`) with `ticket.approved`.
 */
function startVariables(row: ShownRow): Record<string, unknown> {
  if (row.type === 'request' && row.catalog_item) return { needsApproval: true, reopened: false };
  return { needsApproval: false, fulfilment: 'group', reopened: false };
}

export async function timeline(q: Queryable, work: Work, ticketId: string, p: Principal, kind: string, data: Record<string, unknown>) {
  await timelineInsert(q, work, ticketId, p, kind, data);
}

function timelineInsert(q: Queryable, work: Work, ticketId: string, p: Principal, kind: string, data: Record<string, unknown>): Statement {
  return q('ticket_timeline').insert({
    tenant_id: p.tenantId,
    ticket_id: ticketId,
    at: new Date(work.now).toISOString(),
    kind,
    actor_id: p.userId,
    actor_name: p.username,
    data: JSON.stringify(data),
  });
}

/** An action's data as a requester sees it: without an agent's note. */
function withoutNote(data: Record<string, unknown>): Record<string, unknown> {
  if (!('note' in data)) return data;
  const { note: _note, ...rest } = data;
  return rest;
}

/** A user of the tenant named by id or username, if any. */
function userNamed(
  q: Queryable,
  tenantId: string,
  idOrName: string,
): Promise<{ id: string; username: string; disabled: boolean } | undefined> {
  return q('users')
    .where({ tenant_id: tenantId })
    .andWhere((w) => w.where('id', idOrName).orWhere('username', idOrName))
    .first('id', 'username', 'disabled');
}

async function findUser(q: Queryable, tenantId: string, idOrName: string, field: string): Promise<Person> {
  const user = await userNamed(q, tenantId, idOrName);
  if (!user) throw badRequest('TICKET_INVALID', `"${field}": no user "${idOrName}" in this tenant`);
  if (user.disabled) throw badRequest('TICKET_INVALID', `"${field}": user "${user.username}" is disabled`);
  return { id: user.id, username: user.username };
}

/** A list filter's user id; one no user has when nobody is named so. */
async function userIdOf(q: Queryable, tenantId: string, idOrName: string): Promise<string> {
  return (await userNamed(q, tenantId, idOrName))?.id ?? '\u0000none';
}

async function findGroup(q: Queryable, tenantId: string, id: string): Promise<{ id: string; name: string }> {
  const group = await q('groups').where({ tenant_id: tenantId, id }).first('id', 'name');
  if (!group) throw badRequest('TICKET_INVALID', `"assignmentGroup": no group "${id}" in this tenant`);
  return group;
}

const SORTS: Record<string, string> = {
  priority: 't.priority',
  openedAt: 't.opened_at',
  updatedAt: 't.updated_at',
  // The next due time of a running SLA record (far in the future when none runs).
  slaDueAt: 't.sla_due_at',
};

function sortOf(sort: string | undefined): { column: string; descending: boolean } {
  const s = sort ?? '-openedAt';
  const descending = s.startsWith('-');
  return { column: SORTS[descending ? s.slice(1) : s] ?? 't.opened_at', descending };
}

function sortValue(row: ShownRow, column: string): string | number {
  const v = row[column.slice(2) as keyof ShownRow] as unknown;
  return v instanceof Date ? v.toISOString() : (v as string | number);
}

function encodeCursor(value: string | number, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

function decodeCursor(cursor: string): { value: unknown; id: string } {
  try {
    const [value, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof id !== 'string' || (typeof value !== 'string' && typeof value !== 'number')) throw new Error('shape');
    return { value, id };
  } catch {
    throw badRequest('INVALID_CURSOR', '"cursor" is not a cursor this list gave');
  }
}
