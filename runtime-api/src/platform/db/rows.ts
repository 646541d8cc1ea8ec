// Row shapes as the database returns them (snake_case; timestamps as Date).
import type { InstanceState } from '@serviceloom/engine';

export interface DefinitionRow {
  id: string;
  tenant_id: string;
  key: string;
  version: number;
  name: string | null;
  bpmn_xml: string;
  checksum: string;
  deployed_by: string | null;
  deployed_at: Date;
}

/** What starting an instance needs of a definition (not its XML: the compiled form is cached by id). */
export type DefinitionRef = Pick<DefinitionRow, 'id' | 'tenant_id' | 'key' | 'version'>;

export interface InstanceRow {
  id: string;
  tenant_id: string;
  definition_id: string;
  definition_key: string;
  definition_version: number;
  business_key: string | null;
  status: string;
  state: InstanceState;
  version_no: number;
  parent_instance_id: string | null;
  parent_call_id: string | null;
  root_instance_id: string;
  /** The username that started it; null for call-activity children and timer starts. */
  started_by: string | null;
  started_at: Date;
  ended_at: Date | null;
}

export interface TaskRow {
  id: string;
  tenant_id: string;
  instance_id: string;
  element_id: string;
  name: string | null;
  assignee: string | null;
  candidate_groups: string[];
  form_key: string | null;
  due_at: Date | null;
  status: 'open' | 'completed' | 'cancelled';
  created_at: Date;
  completed_at: Date | null;
  completed_by: string | null;
}

export interface JobRow {
  id: string;
  tenant_id: string;
  instance_id: string;
  element_id: string;
  type: string;
  status: 'activatable' | 'locked' | 'completed' | 'failed' | 'cancelled';
  retries: number;
  variables: Record<string, unknown>;
  lock_owner: string | null;
  lock_expires_at: Date | null;
  error_message: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface TimerRow {
  id: string;
  tenant_id: string;
  instance_id: string | null;
  definition_id: string | null;
  element_id: string;
  due_at: Date;
  repeat: number | null;
  every: string | null;
  status: 'scheduled' | 'fired' | 'cancelled';
  created_at: Date;
}

export interface OutboxRow {
  id: number;
  tenant_id: string;
  instance_id: string | null;
  kind: string;
  payload: unknown;
  created_at: Date;
  available_at: Date;
  dispatched_at: Date | null;
  attempts: number;
  last_error: string | null;
}

export interface UserRow {
  id: string;
  tenant_id: string;
  username: string;
  display_name: string | null;
  /** scrypt$...; "!" for users who sign in only through an identity provider. */
  password_hash: string;
  roles: string[];
  disabled: boolean;
  failed_logins: number;
  locked_until: Date | null;
  idp_id: string | null;
  idp_subject: string | null;
  /** Another user of the same tenant (the database refuses any other), or null. */
  manager_id: string | null;
  email: string | null;
  locale: string | null;
  timezone: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface GroupRow {
  tenant_id: string;
  id: string;
  name: string;
  manager_id: string | null;
  created_at: Date;
}

export interface TenantRow {
  id: string;
  name: string;
  status: 'active' | 'suspended' | 'deleted';
  settings: TenantSettings;
  created_at: Date;
  updated_at: Date;
}

export interface TenantSettings {
  /** Hosts (or host:port) connectors and identity providers may reach even on private addresses. */
  egressAllowHosts?: string[];
  /** The shortest timer cycle a deploy may have (ISO 8601 duration; default PT1M). */
  timerCycleMinimum?: string;
  /** IANA time zone of the tenant (default UTC): the zone of its built-in business calendar. */
  timezone?: string;
}

export const isoOrNull = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);
