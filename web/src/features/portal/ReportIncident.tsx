import { Alert, Button, Form, Input, Modal, Radio, Result, Select, Space } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { ticketsApi } from '../tickets/api.ts';
import { errorText, useItsm } from '../tickets/components.tsx';

const CATEGORIES = ['hardware', 'software', 'network', 'access', 'other'] as const;

interface IncidentForm {
  title: string;
  description?: string;
  impact: number;
  urgency: number;
  category?: string;
}

export function ReportIncident({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t } = useItsm();
  const [form] = Form.useForm<IncidentForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [created, setCreated] = useState<string>();

  const submit = async () => {
    let values: IncidentForm;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const ticket = await ticketsApi.create({
        type: 'incident',
        title: values.title.trim(),
        ...(values.description ? { description: values.description } : {}),
        impact: values.impact,
        urgency: values.urgency,
        ...(values.category ? { category: values.category } : {}),
      });
      setCreated(ticket.number);
      form.resetFields();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const close = () => {
    setCreated(undefined);
    setError(undefined);
    onClose();
  };

  return (
    <Modal
      open={open}
      onCancel={close}
      title={t('portal.newIncident')}
      width={640}
      destroyOnHidden
      footer={
        created
          ? [
              <Button key="another" onClick={() => setCreated(undefined)}>
                {t('portal.another')}
              </Button>,
              <Link key="view" to={`/tickets/${created}`}>
                <Button type="primary">{t('portal.view')}</Button>
              </Link>,
            ]
          : [
              <Button key="cancel" onClick={close}>
                {t('common.cancel')}
              </Button>,
              <Button key="submit" type="primary" loading={busy} onClick={submit} data-testid="portal-submit">
                {t('common.submit')}
              </Button>,
            ]
      }
    >
      {created ? (
        <Result
          status="success"
          title={
            <span data-testid="portal-created" data-number={created}>
              {t('portal.created', { number: created })}
            </span>
          }
          subTitle={<Link to="/portal/requests">{t('portal.createdHint')}</Link>}
        />
      ) : (
        <Form form={form} layout="vertical" initialValues={{ impact: 3, urgency: 3 }} onFinish={submit}>
          <Form.Item
            name="title"
            label={t('portal.formTitle')}
            rules={[{ required: true, whitespace: true, message: t('portal.titleRequired') }]}
          >
            <Input maxLength={300} autoFocus data-testid="portal-title" />
          </Form.Item>
          <Form.Item name="description" label={t('portal.formDescription')}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} data-testid="portal-description" />
          </Form.Item>
          <Form.Item name="impact" label={t('portal.impact')}>
            <Radio.Group data-testid="portal-impact">
              <Space direction="vertical">
                {[3, 2, 1].map((n) => (
                  <Radio key={n} value={n}>
                    {t(`portal.impact${n}`)}
                  </Radio>
                ))}
              </Space>
            </Radio.Group>
          </Form.Item>
          <Form.Item name="urgency" label={t('portal.urgency')}>
            <Radio.Group data-testid="portal-urgency">
              <Space direction="vertical">
                {[3, 2, 1].map((n) => (
                  <Radio key={n} value={n}>
                    {t(`portal.urgency${n}`)}
                  </Radio>
                ))}
              </Space>
            </Radio.Group>
          </Form.Item>
          <Form.Item name="category" label={t('portal.category')}>
            <Select
              allowClear
              data-testid="portal-category"
              options={CATEGORIES.map((c) => ({ value: c, label: t(`portal.categories.${c}`) }))}
            />
          </Form.Item>
        </Form>
      )}
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}
