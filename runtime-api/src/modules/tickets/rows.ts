// The tickets table's rows and their mapping to the API's shape. People and groups are stored by
// id and shown as `{ id, username, displayName }` / `{ id, name }`, read in the same query.
import type { Ticket, TicketListItem, TicketType } from '@serviceloom/contracts';
import type { Knex } from 'knex';
import { isoOrNull } from '../../platform/db/rows.ts';

export interface TicketRow {
  id: string;
  tenant_id: string;
  number: string;
  type: TicketType;
  state: string;
  title: string;
  description: string;
  priority: number;
  impact: number;
  urgency: number;
  category: string | null;
  subcategory: string | null;
  symptom: string | null;
  ci_id: string | null;
  service_id: string | null;
  requester_id: string | null;
  assignee_id: string | null;
  assignment_group_id: string | null;
  parent_id: string | null;
  major: boolean;
  catalog_item: string | null;
  change_type: string | null;
  risk: string | null;
  planned_start: Date | string | null;
  planned_end: Date | string | null;
  affected_cis: string[];
  hold_reason: string | null;
  opened_at: Date | string;
  responded_at: Date | string | null;
  resolved_at: Date | string | null;
  closed_at: Date | string | null;
  updated_at: Date | string;
  close_code: string | null;
  resolution_notes: string | null;
  reassignment_count: number;
  reopen_count: number;
  urge_count: number;
  csat_score: number | null;
  csat_comment: string | null;
  fields: Record<string, unknown>;
  process_instance_id: string | null;
  definition_version: number | null;
  imported: boolean;
}

/** A row as read for display: with the names of its people, group and parent. */
export interface ShownRow extends TicketRow {
  requester_username: string | null;
  requester_display: string | null;
  assignee_username: string | null;
  assignee_display: string | null;
  group_name: string | null;
  parent_number: string | null;
}

/** The columns of a ShownRow, for a query on `tickets as t`. */
export const SHOWN_COLUMNS = [
  't.*',
  'r.username as requester_username',
  'r.display_name as requester_display',
  'a.username as assignee_username',
  'a.display_name as assignee_display',
  'g.name as group_name',
  'p.number as parent_number',
];

/** Joins what SHOWN_COLUMNS reads onto `tickets as t`. */
export function joinShown(q: Knex.QueryBuilder): Knex.QueryBuilder {
  return q
    .leftJoin('users as r', (j) => j.on('r.tenant_id', 't.tenant_id').andOn('r.id', 't.requester_id'))
    .leftJoin('users as a', (j) => j.on('a.tenant_id', 't.tenant_id').andOn('a.id', 't.assignee_id'))
    .leftJoin('groups as g', (j) => j.on('g.tenant_id', 't.tenant_id').andOn('g.id', 't.assignment_group_id'))
    .leftJoin('tickets as p', (j) => j.on('p.tenant_id', 't.tenant_id').andOn('p.id', 't.parent_id'));
}

const person = (id: string | null, username: string | null, display: string | null) =>
  id && username ? { id, username, displayName: display ?? username } : null;

const iso = (v: Date | string) => new Date(v).toISOString();

export function listItemOf(row: ShownRow): TicketListItem {
  const item: TicketListItem = {
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
    // The CMDB names CIs once it exists; until then a CI is shown by its id.
    ci: row.ci_id ? { id: row.ci_id, name: row.ci_id } : null,
    service: row.service_id ? { id: row.service_id, name: row.service_id } : null,
    requester: person(row.requester_id, row.requester_username, row.requester_display),
    assignee: person(row.assignee_id, row.assignee_username, row.assignee_display),
    assignmentGroup: row.assignment_group_id ? { id: row.assignment_group_id, name: row.group_name ?? row.assignment_group_id } : null,
    parent: row.parent_number,
    major: row.major,
    openedAt: iso(row.opened_at),
    respondedAt: isoOrNull(row.responded_at),
    resolvedAt: isoOrNull(row.resolved_at),
    closedAt: isoOrNull(row.closed_at),
    updatedAt: iso(row.updated_at),
    closeCode: row.close_code,
    resolutionNotes: row.resolution_notes,
    holdReason: row.hold_reason,
    reassignmentCount: row.reassignment_count,
    reopenCount: row.reopen_count,
    urgeCount: row.urge_count,
    csat: row.csat_score === null ? null : { score: row.csat_score, comment: row.csat_comment },
    processInstanceId: row.process_instance_id,
    definitionVersion: row.definition_version,
    catalogItem: row.catalog_item,
  };
  if (row.type === 'change') {
    item.changeType = row.change_type;
    item.risk = row.risk;
    item.plannedStart = isoOrNull(row.planned_start);
    item.plannedEnd = isoOrNull(row.planned_end);
    item.affectedCis = row.affected_cis;
    item.impactedServices = [];
  }
  return item;
}

export function ticketOf(
  row: ShownRow,
  extra: Pick<Ticket, 'children' | 'relations' | 'actions'> & { fields?: Record<string, unknown>; sla?: Ticket['sla'] },
): Ticket {
  return { ...listItemOf(row), fields: extra.fields ?? row.fields, sla: [], knownErrors: [], ...extra };
}

/** The `ticket` variable a ticket's flow sees: people as usernames, groups by id. */
export function ticketVariable(row: ShownRow): Record<string, unknown> {
  return {
    number: row.number,
    type: row.type,
    priority: row.priority,
    impact: row.impact,
    urgency: row.urgency,
    category: row.category,
    subcategory: row.subcategory,
    symptom: row.symptom,
    requester: row.requester_username,
    assignee: row.assignee_username,
    assignmentGroup: row.assignment_group_id,
    major: row.major,
    catalogItem: row.catalog_item,
    changeType: row.change_type,
    fields: row.fields,
  };
}

export const NUMBER_PREFIX: Record<TicketType, string> = { incident: 'INC', request: 'REQ', problem: 'PRB', change: 'CHG', release: 'RLS' };
export const TYPE_OF_PREFIX: Record<string, TicketType> = {
  INC: 'incident',
  REQ: 'request',
  PRB: 'problem',
  CHG: 'change',
  RLS: 'release',
};
export const DEFINITION_KEY: Record<TicketType, string> = {
  incident: 'itsm-incident',
  request: 'itsm-request',
  problem: 'itsm-problem',
  change: 'itsm-change',
  release: 'itsm-release',
};

/** States after which a ticket is no longer open. */
export const ENDED_STATES = ['resolved', 'closed', 'cancelled', 'rejected'];
export const isOpen = (state: string) => !ENDED_STATES.includes(state);

export const formatNumber = (type: TicketType, n: number) => `${NUMBER_PREFIX[type]}${String(n).padStart(7, '0')}`;
