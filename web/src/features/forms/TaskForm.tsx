// /tasks/:id: a task with its form (the version it pinned), filled with the instance's current
// values; completing it sends the form data, and the server's field errors come back to the fields.
import { type FieldError, FormRenderer } from '@serviceloom/form-builder';
import '@serviceloom/form-builder/style.css';
import type { Task } from '@serviceloom/contracts';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { ApiError } from '../../api.ts';
import { tasksApi } from '../tasks/tasksApi.ts';
import { describeAttachment, downloadAttachment, formErrorsOf, formsApi, pickers, type TaskForm, uploadAttachment } from './formsApi.ts';

export function TaskFormPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('formBuilder');
  const [task, setTask] = useState<Task>();
  const [form, setForm] = useState<TaskForm | null>();
  const [serverErrors, setServerErrors] = useState<FieldError[]>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    tasksApi
      .get(id)
      .then(setTask)
      .catch((e: ApiError) => setError(t('error.load', { message: e.message })));
    formsApi
      .taskForm(id)
      .then(setForm)
      .catch((e: ApiError) => (e.status === 404 ? setForm(null) : setError(t('error.load', { message: e.message }))));
  }, [id, t]);

  const complete = async (variables?: Record<string, unknown>) => {
    setBusy(true);
    setError(undefined);
    setServerErrors(undefined);
    try {
      const done = await tasksApi.complete(id, variables);
      // The form keeps showing what was submitted.
      if (variables) setForm((f) => (f ? { ...f, data: variables } : f));
      setTask(done);
    } catch (e) {
      const fields = formErrorsOf(e);
      if (fields) setServerErrors(fields);
      else setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const upload = (file: File) => uploadAttachment(file, id);

  return (
    <section className="task-form">
      <header className="page-header">
        <h1>{t('pages.taskTitle', { name: task?.name ?? task?.elementId ?? id })}</h1>
        <Link to="/tasks">{t('pages.backToTasks')}</Link>
      </header>
      {error && <p className="error">{error}</p>}
      {serverErrors && (
        <p className="error" data-testid="task-form-invalid">
          {t('pages.invalid')}
        </p>
      )}
      {task?.status === 'completed' && (
        <p className="ok" data-testid="task-completed">
          {t('pages.completed')}
        </p>
      )}
      {task?.status === 'open' && form === null && (
        <>
          <p>{t('pages.noForm')}</p>
          <button type="button" data-testid="task-complete" disabled={busy} onClick={() => complete()}>
            {t('pages.complete')}
          </button>
        </>
      )}
      {form && (
        <>
          <p className="muted" data-testid="task-form-version">
            {t('pages.formVersion', { key: form.key, version: form.version })}
          </p>
          <FormRenderer
            schema={form.schema}
            uiSchema={form.uiSchema}
            formData={form.data}
            serverErrors={serverErrors}
            disabled={busy || task?.status !== 'open'}
            submitLabel={task?.status === 'open' ? t('pages.complete') : false}
            submitTestId="task-complete"
            pickers={pickers}
            upload={upload}
            download={(attachment) => void downloadAttachment(attachment)}
            describeAttachment={describeAttachment}
            onSubmit={(data) => complete(data)}
          />
        </>
      )}
    </section>
  );
}
