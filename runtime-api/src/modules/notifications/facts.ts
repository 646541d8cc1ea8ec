// What a notification needs to know, read in the handler's transaction after the event committed:
// the ticket as it is now (the tickets module's table, read only, by number), and people.
// The event's own data (the ticket's number, ids, who acted) comes first; the table fills in
// what an event does not carry (`ticket.state_changed` carries only the states).
import type { Queryable } from '../../platform/db/connect.ts';
import { type Locale, localeOf } from './templates.ts';

export interface Person {
  userId: string;
  username: string;
  displayName: string;
  email: string | null;
  locale: Locale;
}

export interface TicketFacts {
  id: string;
  number: string;
  requesterId: string | null;
  assigneeId: string | null;
  assignmentGroupId: string | null;
  /** The ticket as FEEL conditions and templates see it. */
  view: Record<string, unknown>;
}

export async function ticketFacts(q: Queryable, tenantId: string, number: string): Promise<TicketFacts | undefined> {
  const row = (await q('tickets as t')
    .leftJoin('users as r', (j) => j.on('r.tenant_id', 't.tenant_id').andOn('r.id', 't.requester_id'))
    .leftJoin('users as a', (j) => j.on('a.tenant_id', 't.tenant_id').andOn('a.id', 't.assignee_id'))
    .leftJoin('groups as g', (j) => j.on('g.tenant_id', 't.tenant_id').andOn('g.id', 't.assignment_group_id'))
    .where({ 't.tenant_id': tenantId, 't.number': number })
    .first(
      't.*',
      'r.username as requester_username',
      'r.display_name as requester_display',
      'a.username as assignee_username',
      'a.display_name as assignee_display',
      'g.name as group_name',
    )) as Record<string, unknown> | undefined;
  if (!row) return undefined;
  const view: Record<string, unknown> = {
    number: row.number,
    type: row.type,
    state: row.state,
    title: row.title,
    description: row.description,
    priority: row.priority,
    impact: row.impact,
    urgency: row.urgency,
    category: row.category,
    subcategory: row.subcategory,
    symptom: row.symptom,
    major: row.major,
    catalogItem: row.catalog_item,
    changeType: row.change_type,
    urgeCount: row.urge_count,
    reopenCount: row.reopen_count,
    requester: row.requester_display ?? row.requester_username ?? null,
    requesterUsername: row.requester_username ?? null,
    assignee: row.assignee_display ?? row.assignee_username ?? null,
    assigneeUsername: row.assignee_username ?? null,
    assignmentGroup: row.assignment_group_id ?? null,
    assignmentGroupName: row.group_name ?? null,
    fields: row.fields ?? {},
  };
  return {
    id: row.id as string,
    number: row.number as string,
    requesterId: (row.requester_id as string | null) ?? null,
    assigneeId: (row.assignee_id as string | null) ?? null,
    assignmentGroupId: (row.assignment_group_id as string | null) ?? null,
    view,
  };
}

const PERSON_COLUMNS = ['u.id', 'u.username', 'u.display_name', 'u.email', 'u.locale'];

function personOf(r: Record<string, unknown>): Person {
  return {
    userId: r.id as string,
    username: r.username as string,
    displayName: (r.display_name as string | null) ?? (r.username as string),
    email: (r.email as string | null) ?? null,
    locale: localeOf(r.locale),
  };
}

/** The enabled users among the ids. */
export async function peopleByIds(q: Queryable, tenantId: string, ids: string[]): Promise<Person[]> {
  if (ids.length === 0) return [];
  const rows = await q('users as u').where({ 'u.tenant_id': tenantId, 'u.disabled': false }).whereIn('u.id', ids).select(PERSON_COLUMNS);
  return (rows as Array<Record<string, unknown>>).map(personOf);
}

export async function peopleByUsernames(q: Queryable, tenantId: string, names: string[]): Promise<Person[]> {
  if (names.length === 0) return [];
  const rows = await q('users as u')
    .where({ 'u.tenant_id': tenantId, 'u.disabled': false })
    .whereIn('u.username', names)
    .select(PERSON_COLUMNS);
  return (rows as Array<Record<string, unknown>>).map(personOf);
}

export async function groupMembers(q: Queryable, tenantId: string, groupId: string): Promise<Person[]> {
  const rows = await q('user_groups as m')
    .join('users as u', (j) => j.on('u.tenant_id', 'm.tenant_id').andOn('u.id', 'm.user_id'))
    .where({ 'm.tenant_id': tenantId, 'm.group_id': groupId, 'u.disabled': false })
    .orderBy('u.username')
    .select(PERSON_COLUMNS);
  return (rows as Array<Record<string, unknown>>).map(personOf);
}

export async function groupManager(q: Queryable, tenantId: string, groupId: string): Promise<Person[]> {
  const group = await q('groups').where({ tenant_id: tenantId, id: groupId }).first('manager_id');
  return group?.manager_id ? peopleByIds(q, tenantId, [group.manager_id as string]) : [];
}

export async function watchers(q: Queryable, tenantId: string, ticketId: string): Promise<Person[]> {
  const ids = (await q('ticket_watchers').where({ tenant_id: tenantId, ticket_id: ticketId }).pluck('user_id')) as string[];
  return peopleByIds(q, tenantId, ids);
}

/** The display name of whoever acted (a username in the event), or the username itself. */
export async function actorName(q: Queryable, tenantId: string, username: unknown): Promise<string> {
  if (typeof username !== 'string' || username === '') return '';
  const row = await q('users').where({ tenant_id: tenantId, username }).first('display_name');
  return (row?.display_name as string | null) ?? username;
}

/** People once each, in order. */
export function unique(people: Person[]): Person[] {
  const seen = new Set<string>();
  return people.filter((p) => !seen.has(p.userId) && seen.add(p.userId));
}

export async function tenantLocale(q: Queryable, tenantId: string): Promise<Locale> {
  const tenant = await q('tenants').where({ id: tenantId }).first('settings');
  return localeOf((tenant?.settings as { locale?: unknown } | undefined)?.locale);
}
