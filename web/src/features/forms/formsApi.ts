// The forms API as the form pages use it (typed by the contracts, with the form builder's document
// types for schemas), attachments (upload, download) and the user and group pickers.
import type { Form, FormDraft, FormVersion as FormVersionReply, TaskForm as TaskFormReply } from '@serviceloom/contracts';
import type { FieldError, FormDocument, Localized, PickerOption } from '@serviceloom/form-builder';
import { ApiError, api } from '../../api.ts';

export type { FormSummary } from '@serviceloom/contracts';

/** A reply whose schema and uiSchema are a form document, as the form builder types them. */
type WithDocument<T> = Omit<T, 'schema' | 'uiSchema'> & FormDocument;

export type FormDetail = Omit<Form, 'draft'> & { draft: WithDocument<FormDraft> | null };
export type FormVersion = WithDocument<FormVersionReply>;
export type TaskForm = WithDocument<TaskFormReply>;

export const formsApi = {
  list: () => api.call('forms.list'),
  get: (key: string) => api.call('forms.get', { params: { key } }) as Promise<FormDetail>,
  version: (key: string, version: number | 'latest') => api.call('forms.version', { params: { key, version } }) as Promise<FormVersion>,
  create: (key: string, name: string, labels: Localized, doc: FormDocument) =>
    api.call('forms.create', { body: { key, name, labels, ...doc } }) as Promise<FormDetail>,
  saveDraft: (key: string, name: string, labels: Localized, doc: FormDocument) =>
    api.call('forms.saveDraft', { params: { key }, body: { name, labels, ...doc } }) as Promise<FormDetail>,
  publish: (key: string) => api.call('forms.publish', { params: { key } }),
  deleteDraft: (key: string) => api.call('forms.deleteDraft', { params: { key } }),
  taskForm: (taskId: string) => api.call('tasks.form', { params: { id: taskId } }) as Promise<TaskForm>,
};

/** The field errors of a FORM_INVALID answer (JSON pointers), if that is what the error is. */
export function formErrorsOf(e: unknown): FieldError[] | undefined {
  if (!(e instanceof ApiError) || e.code !== 'FORM_INVALID') return undefined;
  return (e.details ?? []) as unknown as FieldError[];
}

export const uploadAttachment = (file: File, taskId?: string) => api.upload(file, file.name, taskId);

export async function downloadAttachment(id: string): Promise<void> {
  const { blob, filename } = await api.download(id);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename ?? id;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const describeAttachment = async (id: string) => (await api.call('attachments.info', { params: { id } })).filename;

/** Options for the user and group pickers (empty for those who may not list them). */
export const pickers: Partial<Record<'user' | 'group' | 'ci', () => Promise<PickerOption[]>>> = {
  user: () =>
    api.call('users.list').then(
      (users) => users.map((u) => ({ value: u.username, label: u.displayName ?? u.username })),
      () => [],
    ),
  group: () =>
    api.call('groups.list').then(
      (groups) => groups.map((g) => ({ value: g.id, label: g.name })),
      () => [],
    ),
};
