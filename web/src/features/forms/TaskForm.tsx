// /tasks/:id: a task with its form (the version it pinned), filled with the instance's current
// values and rendered with Ant Design (@rjsf/antd); completing it sends the form data, and the
// server's field errors come back to the fields.
import type { Task } from '@serviceloom/contracts';
import { type FieldError, FormRenderer, formBuilderResources } from '@serviceloom/form-builder';
import '@serviceloom/form-builder/style.css';
import { Alert, Button, Card, Flex, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api.ts';
import { registerResources } from '../../i18n.ts';
import { errorSentence } from '../../shell/errors.ts';
import { tasksApi } from '../tasks/tasksApi.ts';
import { antdFormTheme } from './antd-theme.ts';
import { describeAttachment, downloadAttachment, formErrorsOf, formsApi, pickers, type TaskForm, uploadAttachment } from './formsApi.ts';

registerResources(formBuilderResources);

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
      .catch((e) => setError(t('error.load', { message: errorSentence(t, e) })));
    formsApi
      .taskForm(id)
      .then(setForm)
      .catch((e) =>
        e instanceof ApiError && e.status === 404 ? setForm(null) : setError(t('error.load', { message: errorSentence(t, e) })),
      );
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
      else setError(errorSentence(t, e));
    } finally {
      setBusy(false);
    }
  };

  const upload = (file: File) => uploadAttachment(file, id);
  const open = task?.status === 'open';

  return (
    <section className="task-form">
      <Flex className="page-header" align="center" gap="middle" wrap>
        <Link to="/tasks">{t('pages.backToTasks')}</Link>
        <Typography.Title level={3}>{t('pages.taskTitle', { name: task?.name ?? task?.elementId ?? id })}</Typography.Title>
      </Flex>
      {error && <Alert type="error" showIcon title={error} />}
      {serverErrors && <Alert type="error" showIcon data-testid="task-form-invalid" title={t('pages.invalid')} />}
      {task?.status === 'completed' && <Alert type="success" showIcon data-testid="task-completed" title={t('pages.completed')} />}
      {(!task || form === undefined) && !error && <Spin />}
      {open && form === null && (
        <Card>
          <Typography.Paragraph>{t('pages.noForm')}</Typography.Paragraph>
          <Button type="primary" data-testid="task-complete" loading={busy} onClick={() => complete()}>
            {t('pages.complete')}
          </Button>
        </Card>
      )}
      {form && (
        <Card
          title={
            <Typography.Text type="secondary" data-testid="task-form-version">
              {t('pages.formVersion', { key: form.key, version: form.version })}
            </Typography.Text>
          }
        >
          <FormRenderer
            theme={antdFormTheme}
            schema={form.schema}
            uiSchema={form.uiSchema}
            formData={form.data}
            serverErrors={serverErrors}
            disabled={busy || !open}
            pickers={pickers}
            upload={upload}
            download={(attachment) => void downloadAttachment(attachment)}
            describeAttachment={describeAttachment}
            onSubmit={(data) => complete(data)}
            submitLabel={open ? t('pages.complete') : false}
          >
            {open ? (
              <Button type="primary" htmlType="submit" data-testid="task-complete" loading={busy}>
                {t('pages.complete')}
              </Button>
            ) : undefined}
          </FormRenderer>
        </Card>
      )}
    </section>
  );
}

export default TaskFormPage;
