// The forms API as the form pages use it, plus what JSON-only `api()` cannot do: uploading and
// downloading attachments with the session's token.
import type { FieldError, FormDocument, Localized, PickerOption } from '@serviceloom/form-builder';
import { ApiError, api, loadSession } from '../../api.ts';

export interface FormSummary {
  key: string;
  name: string;
  labels: Localized;
  latestVersion: number | null;
  hasDraft: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface FormDetail {
  key: string;
  name: string;
  labels: Localized;
  latestVersion: number | null;
  draft: (FormDocument & { name: string; labels: Localized; updatedAt: string; updatedBy: string | null }) | null;
}

export interface FormVersion extends FormDocument {
  key: string;
  version: number;
  name: string;
  labels: Localized;
}

export interface TaskForm extends FormVersion {
  data: Record<string, unknown>;
}

export const formsApi = {
  list: () => api<FormSummary[]>('GET', '/api/v1/forms'),
  get: (key: string) => api<FormDetail>('GET', `/api/v1/forms/${encodeURIComponent(key)}`),
  version: (key: string, version: number | 'latest') =>
    api<FormVersion>('GET', `/api/v1/forms/${encodeURIComponent(key)}/versions/${version}`),
  create: (key: string, name: string, labels: Localized, doc: FormDocument) =>
    api<FormDetail>('POST', '/api/v1/forms', { key, name, labels, ...doc }),
  saveDraft: (key: string, name: string, labels: Localized, doc: FormDocument) =>
    api<FormDetail>('PUT', `/api/v1/forms/${encodeURIComponent(key)}/draft`, { name, labels, ...doc }),
  publish: (key: string) => api<{ key: string; version: number }>('POST', `/api/v1/forms/${encodeURIComponent(key)}/publish`),
  deleteDraft: (key: string) => api<void>('DELETE', `/api/v1/forms/${encodeURIComponent(key)}/draft`),
  taskForm: (taskId: string) => api<TaskForm>('GET', `/api/v1/tasks/${encodeURIComponent(taskId)}/form`),
};

/** The field errors of a FORM_INVALID answer (JSON pointers), if that is what the error is. */
export function formErrorsOf(e: unknown): FieldError[] | undefined {
  if (!(e instanceof ApiError) || e.code !== 'FORM_INVALID') return undefined;
  return (e.details ?? []) as unknown as FieldError[];
}

function authHeaders(): Record<string, string> {
  const session = loadSession();
  return session ? { authorization: `Bearer ${session.token}` } : {};
}

export async function uploadAttachment(file: File, taskId?: string): Promise<{ id: string; filename: string }> {
  const body = new FormData();
  body.append('file', file, file.name);
  const res = await fetch(`/api/v1/attachments${taskId ? `?taskId=${encodeURIComponent(taskId)}` : ''}`, {
    method: 'POST',
    headers: authHeaders(),
    body,
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, data.code ?? 'HTTP_ERROR', data.message ?? res.statusText);
  return data;
}

export async function downloadAttachment(id: string): Promise<void> {
  const res = await fetch(`/api/v1/attachments/${encodeURIComponent(id)}`, { headers: authHeaders() });
  if (!res.ok) throw new ApiError(res.status, 'HTTP_ERROR', res.statusText);
  const name = /filename\*=UTF-8''([^;]+)/.exec(res.headers.get('content-disposition') ?? '')?.[1];
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name ? decodeURIComponent(name) : id;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const describeAttachment = async (id: string) =>
  (await api<{ filename: string }>('GET', `/api/v1/attachments/${encodeURIComponent(id)}/info`)).filename;

/** Options for the user and group pickers (empty for those who may not list them). */
export const pickers: Partial<Record<'user' | 'group' | 'ci', () => Promise<PickerOption[]>>> = {
  user: () =>
    api<Array<{ username: string; displayName: string | null }>>('GET', '/api/v1/users').then(
      (users) => users.map((u) => ({ value: u.username, label: u.displayName ?? u.username })),
      () => [],
    ),
  group: () =>
    api<Array<{ id: string; name: string }>>('GET', '/api/v1/groups').then(
      (groups) => groups.map((g) => ({ value: g.id, label: g.name })),
      () => [],
    ),
};
