// The administration API as the admin pages use it (docs/api.md: users, groups, identity
// providers, tenant settings, audit log), and how its refusals show in a form.
import type {
  AuditQuery,
  CreateGroupBody,
  CreateIdentityProviderBody,
  CreateUserBody,
  UpdateGroupBody,
  UpdateIdentityProviderBody,
  UpdateOwnTenantBody,
  UpdateUserBody,
} from '@serviceloom/contracts';
import type { FormInstance } from 'antd';
import { ApiError, api } from '../../api.ts';

export const adminApi = {
  users: () => api.call('users.list'),
  createUser: (body: CreateUserBody) => api.call('users.create', { body }),
  updateUser: (id: string, body: UpdateUserBody) => api.call('users.update', { params: { id }, body }),
  deleteUser: (id: string) => api.call('users.delete', { params: { id } }),

  groups: () => api.call('groups.list'),
  createGroup: (body: CreateGroupBody) => api.call('groups.create', { body }),
  updateGroup: (id: string, body: UpdateGroupBody) => api.call('groups.update', { params: { id }, body }),
  deleteGroup: (id: string) => api.call('groups.delete', { params: { id } }),
  addMember: (id: string, userId: string) => api.call('groups.addMember', { params: { id, userId } }),
  removeMember: (id: string, userId: string) => api.call('groups.removeMember', { params: { id, userId } }),

  providers: () => api.call('identityProviders.list'),
  createProvider: (body: CreateIdentityProviderBody) => api.call('identityProviders.create', { body }),
  updateProvider: (id: string, body: UpdateIdentityProviderBody) => api.call('identityProviders.update', { params: { id }, body }),
  deleteProvider: (id: string) => api.call('identityProviders.delete', { params: { id } }),

  tenant: () => api.call('tenant.get'),
  updateTenant: (body: UpdateOwnTenantBody) => api.call('tenant.update', { body }),

  audit: (query: AuditQuery) => api.call('audit.list', { query }),

  templates: () => api.call('itsmTemplates.list'),
  templateDiff: (key: string) => api.call('itsmTemplates.diff', { params: { key } }),
  resetTemplate: (key: string) => api.call('itsmTemplates.reset', { params: { key } }),
};

/** The message to show for a failed call: the server's sentence (it names the field) or the network's. */
export const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Puts a refusal's field problems next to the fields of `form` that it names ("managerId",
 * "settings.timerCycleMinimum"); true if any field took one.
 */
export function showFieldErrors(form: FormInstance, e: unknown): boolean {
  if (!(e instanceof ApiError) || !e.details?.length) return false;
  const known = new Set(form.getFieldsError().map((f) => f.name.join('.')));
  const fields = e.details
    .filter((d) => typeof d.field === 'string')
    .map((d) => ({ name: (d.field as string).split('.'), errors: [d.message] }))
    .filter((f) => known.has(f.name.join('.')));
  if (fields.length) form.setFields(fields);
  return fields.length > 0;
}
