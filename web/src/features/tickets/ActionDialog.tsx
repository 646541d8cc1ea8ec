// The dialog of one ticket action: the action's inputs (docs/itsm-api.md, Actions) and a confirm
// button. Inputs carry `ticket-action-field-<name>`, the button `ticket-action-submit`.
import type { Ticket } from '@serviceloom/contracts';
import { Alert, Button, Form, Input, Modal, Radio } from 'antd';
import { useState } from 'react';
import { ticketsApi } from './api.ts';
import { errorText, useItsm } from './components.tsx';

type FieldKind = 'text' | 'textarea' | 'closeCode' | 'holdReason' | 'score';
interface FieldSpec {
  name: string;
  kind: FieldKind;
  required?: boolean;
}

const INCIDENT_CLOSE = ['solved', 'workaround', 'not_reproducible', 'too_costly', 'resolved_by_caller', 'duplicate'];
const REQUEST_CLOSE = ['fulfilled', 'partially_fulfilled', 'not_fulfilled'];
const HOLD_REASONS = ['awaiting_caller', 'awaiting_vendor', 'awaiting_problem', 'awaiting_change'];

/** Each action's inputs; actions not listed take none. */
const FIELDS: Record<string, FieldSpec[]> = {
  assign: [
    { name: 'assignee', kind: 'text' },
    { name: 'assignmentGroup', kind: 'text' },
  ],
  hold: [
    { name: 'reason', kind: 'holdReason', required: true },
    { name: 'note', kind: 'textarea', required: true },
  ],
  resolve: [
    { name: 'closeCode', kind: 'closeCode', required: true },
    { name: 'resolutionNotes', kind: 'textarea', required: true },
  ],
  reopen: [{ name: 'comment', kind: 'textarea', required: true }],
  cancel: [{ name: 'reason', kind: 'textarea', required: true }],
  'declare-major': [{ name: 'reason', kind: 'textarea', required: true }],
  urge: [{ name: 'comment', kind: 'textarea', required: true }],
  rate: [
    { name: 'score', kind: 'score', required: true },
    { name: 'comment', kind: 'textarea' },
  ],
};

export interface ActionDialogProps {
  ticket: Pick<Ticket, 'number' | 'type'>;
  /** The action to perform; undefined keeps the dialog closed. */
  action: string | undefined;
  /** A title other than the action's name. */
  title?: string;
  onClose(): void;
  onDone(ticket: Ticket): void;
}

export function ActionDialog({ ticket, action, title, onClose, onDone }: ActionDialogProps) {
  const { t } = useItsm();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const fields = action ? (FIELDS[action] ?? []) : [];

  const submit = async () => {
    if (!action) return;
    let values: Record<string, unknown>;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const body = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== ''));
    setBusy(true);
    setError(undefined);
    try {
      const updated = await ticketsApi.act(ticket.number, action, body);
      form.resetFields();
      onDone(updated);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const input = (f: FieldSpec) => {
    const testId = `ticket-action-field-${f.name}`;
    switch (f.kind) {
      case 'closeCode':
        return (
          <Radio.Group data-testid={testId} style={{ display: 'flex', flexDirection: 'column', gap: 4 }}>
            {(ticket.type === 'request' ? REQUEST_CLOSE : INCIDENT_CLOSE).map((c) => (
              <Radio key={c} value={c} data-value={c}>
                {t(`closeCode.${c}`)}
              </Radio>
            ))}
          </Radio.Group>
        );
      case 'holdReason':
        return (
          <Radio.Group data-testid={testId} style={{ display: 'flex', flexDirection: 'column', gap: 4 }}>
            {HOLD_REASONS.map((r) => (
              <Radio key={r} value={r} data-value={r}>
                {t(`holdReason.${r}`)}
              </Radio>
            ))}
          </Radio.Group>
        );
      case 'score':
        return (
          <Radio.Group data-testid={testId} optionType="button" buttonStyle="solid">
            {[1, 2, 3, 4, 5].map((n) => (
              <Radio.Button key={n} value={n} data-value={n}>
                {'★'.repeat(n)}
              </Radio.Button>
            ))}
          </Radio.Group>
        );
      case 'textarea':
        return <Input.TextArea data-testid={testId} autoSize={{ minRows: 2, maxRows: 6 }} />;
      default:
        return <Input data-testid={testId} />;
    }
  };

  return (
    <Modal
      open={action !== undefined}
      title={title ?? (action ? `${t(`action.${action}`, { defaultValue: action })} · ${ticket.number}` : '')}
      onCancel={() => {
        setError(undefined);
        onClose();
      }}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button key="ok" type="primary" loading={busy} onClick={submit} data-testid="ticket-action-submit">
          {action ? t(`action.${action}`, { defaultValue: t('common.confirm') }) : t('common.confirm')}
        </Button>,
      ]}
    >
      <Form form={form} layout="vertical" preserve={false} onFinish={submit}>
        {fields.map((f) => (
          <Form.Item
            key={f.name}
            name={f.name}
            label={t(`field.${f.name}`)}
            rules={f.required ? [{ required: true, message: t(`field.${f.name}`) }] : []}
          >
            {input(f)}
          </Form.Item>
        ))}
      </Form>
      {error && <Alert type="error" showIcon title={error} data-testid="ticket-action-error" />}
    </Modal>
  );
}
