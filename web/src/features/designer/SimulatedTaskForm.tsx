// A waiting user task's form in the designer's simulation: the latest published version of its form
// key, rendered as the person working the task would see it; submitting completes the simulated task.
// A form that is not published (or not readable) falls back to the designer's JSON variables box.
import type { TaskFormRenderer } from '@serviceloom/designer';
import { FormRenderer, formBuilderResources } from '@serviceloom/form-builder';
import '@serviceloom/form-builder/style.css';
import { Button, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { registerResources } from '../../i18n.ts';
import { antdFormTheme } from '../forms/antd-theme.ts';
import { type FormVersion, formsApi } from '../forms/formsApi.ts';

registerResources(formBuilderResources);

type Props = Parameters<TaskFormRenderer>[0];

function TaskFormInSimulation({ formKey, elementId, submit, fallback }: Props) {
  const { t } = useTranslation('designer');
  const [form, setForm] = useState<FormVersion | null>();
  useEffect(() => {
    let live = true;
    formsApi.version(formKey, 'latest').then(
      (f) => live && setForm(f),
      () => live && setForm(null),
    );
    return () => {
      live = false;
    };
  }, [formKey]);
  if (form === undefined) return <Spin size="small" />;
  if (form === null) return fallback;
  return (
    <div className="sim-task-form" data-testid={`sim-form-${elementId}`} data-form-version={form.version}>
      <FormRenderer
        theme={antdFormTheme}
        schema={form.schema}
        uiSchema={form.uiSchema}
        idPrefix={`sim_${elementId}`}
        onSubmit={(data) => submit(data as Parameters<Props['submit']>[0])}
      >
        <Button type="primary" size="small" htmlType="submit" data-testid={`sim-complete-${elementId}`}>
          {t('sim.complete')}
        </Button>
      </FormRenderer>
    </div>
  );
}

export const SimulatedTaskForm: TaskFormRenderer = (props) => <TaskFormInSimulation {...props} />;
