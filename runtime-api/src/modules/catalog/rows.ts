// The catalog's and the approvals' rows and their mapping to the API's shapes.
import type { Approval, ApprovalState, ApprovalStep, CatalogItem } from '@serviceloom/contracts';

type Localized = { en: string; 'zh-CN'?: string };

export interface CatalogItemRow {
  tenant_id: string;
  key: string;
  name: Localized;
  category: string;
  description: Localized;
  form_key: string | null;
  approval: ApprovalStep[];
  fulfilment_group: string | null;
  deleted: boolean;
}

export function itemOf(row: CatalogItemRow): CatalogItem {
  return {
    key: row.key,
    name: row.name,
    category: row.category,
    description: row.description,
    formKey: row.form_key,
    approval: row.approval,
    fulfilmentGroup: row.fulfilment_group,
  };
}

/** A step of a run: the item's step that applies, resolved to who is asked and how they decide. */
export interface RunStep {
  /** Position in the item's approval list, from 1. */
  step: number;
  kind: 'manager' | 'group';
  /** Group steps: the group's id (from the item, or the request's field). */
  group?: string | null;
  /** all: every approver must approve; any: the first approval approves the step. */
  policy: 'all' | 'any';
}

export interface RunRow {
  tenant_id: string;
  id: string;
  ticket: string;
  title: string;
  instance_id: string;
  requester_id: string | null;
  steps: RunStep[];
  current: number;
  state: 'running' | 'approved' | 'rejected' | 'cancelled';
  outcome: Record<string, unknown>;
}

export interface ApprovalRow {
  tenant_id: string;
  id: string;
  run_id: string;
  ticket: string;
  step: number;
  approver_id: string;
  state: ApprovalState;
  requested_at: Date | string;
  decided_at: Date | string | null;
  reminded_at: Date | string | null;
  comment: string | null;
  escalated_from: string | null;
}

export function approvalOf(row: ApprovalRow & { title: string }): Approval {
  return {
    id: row.id,
    ticket: row.ticket,
    title: row.title,
    step: row.step,
    state: row.state,
    requestedAt: new Date(row.requested_at).toISOString(),
    decidedAt: row.decided_at === null ? null : new Date(row.decided_at).toISOString(),
  };
}
