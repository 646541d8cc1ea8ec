// The tenant's own name and settings (PATCH /tenant): the shortest timer cycle a deploy may hold,
// and the hosts connectors may reach on private addresses.
import type { OwnTenant } from '@serviceloom/contracts';
import { Alert, Button, Descriptions, Flex, Form, Input, Select, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useToast } from '../../shell/toast.ts';
import { adminApi, errorText, showFieldErrors } from './adminApi.ts';
import { ADMIN_NS } from './i18n.ts';
import { useLoad } from './shared.ts';

interface TenantForm {
  name: string;
  settings: { timerCycleMinimum: string; egressAllowHosts: string[] };
}

export function TenantTab() {
  const { t } = useTranslation(ADMIN_NS);
  const toast = useToast();
  const tenant = useLoad(() => adminApi.tenant());
  const [form] = Form.useForm<TenantForm>();
  const [failure, setFailure] = useState<string>();
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (tenant.data) form.setFieldsValue(formOf(tenant.data));
  }, [tenant.data, form]);

  const save = async (v: TenantForm) => {
    setSaving(true);
    setFailure(undefined);
    try {
      const saved = await adminApi.updateTenant({
        name: v.name,
        settings: { timerCycleMinimum: v.settings.timerCycleMinimum.trim(), egressAllowHosts: v.settings.egressAllowHosts },
      });
      form.setFieldsValue(formOf(saved));
      toast.success(t('common.saved'));
    } catch (e) {
      showFieldErrors(form, e);
      setFailure(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  if (tenant.error) return <Alert type="error" title={t('common.loadFailed', { message: tenant.error })} />;
  return (
    <Flex vertical gap="middle" style={{ maxWidth: 720 }}>
      {tenant.data && (
        <Descriptions size="small" column={2}>
          <Descriptions.Item label={t('tenant.id')}>{tenant.data.id}</Descriptions.Item>
          <Descriptions.Item label={t('tenant.status')}>
            <Tag color={tenant.data.status === 'active' ? 'green' : 'orange'}>{tenant.data.status}</Tag>
          </Descriptions.Item>
        </Descriptions>
      )}
      {failure && <Alert type="error" title={failure} />}
      <Form<TenantForm> form={form} layout="vertical" onFinish={save} disabled={tenant.loading}>
        <Form.Item name="name" label={t('tenant.name')} rules={[{ required: true, max: 200 }]}>
          <Input data-testid="tenant-name" />
        </Form.Item>
        <Form.Item
          name={['settings', 'timerCycleMinimum']}
          label={t('tenant.timerCycleMinimum')}
          extra={t('tenant.timerCycleMinimumHint')}
          rules={[{ required: true, max: 40 }]}
        >
          <Input placeholder="PT1M" data-testid="tenant-timer-cycle-minimum" />
        </Form.Item>
        <Form.Item name={['settings', 'egressAllowHosts']} label={t('tenant.egressAllowHosts')} extra={t('tenant.egressHint')}>
          <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', ' ']} data-testid="tenant-egress" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="tenant-save">
          {t('common.save')}
        </Button>
      </Form>
    </Flex>
  );
}

const formOf = (tenant: OwnTenant): TenantForm => ({
  name: tenant.name,
  settings: {
    timerCycleMinimum: tenant.settings.timerCycleMinimum ?? 'PT1M',
    egressAllowHosts: tenant.settings.egressAllowHosts ?? [],
  },
});
