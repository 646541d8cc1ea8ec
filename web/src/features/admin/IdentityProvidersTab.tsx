// OpenID Connect identity providers of the tenant: list, create, edit, delete. The client secret is
// write-only: the API says only whether one is stored; an empty field keeps it.
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { IdentityProvider, ProviderClaims } from '@serviceloom/contracts';
import { Alert, Button, Checkbox, Drawer, Flex, Form, Input, Popconfirm, Select, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useToast } from '../../shell/toast.ts';
import { adminApi, errorText, showFieldErrors } from './adminApi.ts';
import { ADMIN_NS } from './i18n.ts';
import { ROLES, useLoad } from './shared.ts';

interface ProviderForm {
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  clientSecret?: string;
  removeSecret?: boolean;
  scopes?: string;
  claims?: ProviderClaims;
  defaultRoles: string[];
  autoCreateUsers: boolean;
  enabled: boolean;
  roleMapping?: string;
  groupMapping?: string;
}

/** "name = value" lines to a record; undefined if a line is not one. */
function parseLines(text: string | undefined): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const line of (text ?? '').split('\n')) {
    if (!line.trim()) continue;
    const at = line.indexOf('=');
    if (at <= 0 || !line.slice(at + 1).trim()) return undefined;
    out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}

const roleLines = (m: Record<string, string[]>) =>
  Object.entries(m)
    .map(([k, v]) => `${k} = ${v.join(', ')}`)
    .join('\n');
const groupLines = (m: Record<string, string>) =>
  Object.entries(m)
    .map(([k, v]) => `${k} = ${v}`)
    .join('\n');

export function IdentityProvidersTab() {
  const { t } = useTranslation(ADMIN_NS);
  const providers = useLoad(() => adminApi.providers());
  const [editing, setEditing] = useState<IdentityProvider | 'new'>();
  return (
    <Flex vertical gap="middle">
      <Flex gap="small" justify="flex-end">
        <Button icon={<ReloadOutlined />} onClick={providers.reload}>
          {t('common.refresh')}
        </Button>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="idp-new">
          {t('common.create')}
        </Button>
      </Flex>
      {providers.error && <Alert type="error" title={t('common.loadFailed', { message: providers.error })} />}
      <Table<IdentityProvider>
        rowKey="id"
        size="middle"
        loading={providers.loading}
        dataSource={providers.data}
        pagination={false}
        columns={[
          {
            title: t('idps.id'),
            dataIndex: 'id',
            render: (id: string, p) => <Typography.Link onClick={() => setEditing(p)}>{id}</Typography.Link>,
          },
          { title: t('idps.name'), dataIndex: 'name' },
          { title: t('idps.issuer'), dataIndex: 'issuer' },
          { title: t('idps.clientId'), dataIndex: 'clientId' },
          {
            title: t('idps.enabled'),
            dataIndex: 'enabled',
            render: (on: boolean) => <Tag color={on ? 'green' : 'default'}>{on ? t('common.yes') : t('common.no')}</Tag>,
          },
        ]}
      />
      {editing && (
        <ProviderDrawer
          provider={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            providers.reload();
          }}
        />
      )}
    </Flex>
  );
}

function ProviderDrawer({
  provider,
  onClose,
  onSaved,
}: {
  provider: IdentityProvider | undefined;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation(ADMIN_NS);
  const toast = useToast();
  const [form] = Form.useForm<ProviderForm>();
  const [failure, setFailure] = useState<string>();
  const [saving, setSaving] = useState(false);
  const initial: ProviderForm = provider
    ? {
        id: provider.id,
        name: provider.name,
        issuer: provider.issuer,
        clientId: provider.clientId,
        scopes: provider.scopes,
        claims: provider.claims,
        defaultRoles: provider.defaultRoles,
        autoCreateUsers: provider.autoCreateUsers,
        enabled: provider.enabled,
        roleMapping: roleLines(provider.roleMapping),
        groupMapping: groupLines(provider.groupMapping),
      }
    : { id: '', name: '', issuer: '', clientId: '', defaultRoles: ['requester'], autoCreateUsers: true, enabled: true };

  const save = async (v: ProviderForm) => {
    const roles = parseLines(v.roleMapping);
    const groups = parseLines(v.groupMapping);
    if (!roles || !groups) {
      form.setFields([
        ...(roles ? [] : [{ name: 'roleMapping' as const, errors: [t('idps.mappingInvalid')] }]),
        ...(groups ? [] : [{ name: 'groupMapping' as const, errors: [t('idps.mappingInvalid')] }]),
      ]);
      return;
    }
    const claims = Object.fromEntries(Object.entries(v.claims ?? {}).filter(([, x]) => typeof x === 'string' && x.trim() !== ''));
    const body = {
      name: v.name,
      issuer: v.issuer.trim(),
      clientId: v.clientId.trim(),
      ...(v.scopes?.trim() ? { scopes: v.scopes.trim() } : {}),
      claims,
      defaultRoles: v.defaultRoles,
      autoCreateUsers: v.autoCreateUsers,
      enabled: v.enabled,
      roleMapping: Object.fromEntries(
        Object.entries(roles).map(([k, r]) => [
          k,
          r
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean),
        ]),
      ),
      groupMapping: groups,
      // Write-only: sent only when typed (or removed on purpose).
      ...(v.removeSecret ? { clientSecret: '' } : v.clientSecret ? { clientSecret: v.clientSecret } : {}),
    };
    setSaving(true);
    setFailure(undefined);
    try {
      if (provider) await adminApi.updateProvider(provider.id, body);
      else await adminApi.createProvider({ id: v.id, ...body });
      toast.success(t('common.saved'));
      onSaved();
    } catch (e) {
      showFieldErrors(form, e);
      setFailure(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  const remove = async () => {
    if (!provider) return;
    try {
      await adminApi.deleteProvider(provider.id);
      toast.success(t('common.deleted'));
      onSaved();
    } catch (e) {
      setFailure(errorText(e));
    }
  };

  return (
    <Drawer
      open
      size="large"
      destroyOnHidden
      title={provider ? t('idps.editTitle', { id: provider.id }) : t('idps.createTitle')}
      onClose={onClose}
      extra={
        <Flex gap="small">
          {provider && (
            <Popconfirm title={t('common.confirmDelete', { name: provider.name })} onConfirm={remove}>
              <Button danger>{t('common.delete')}</Button>
            </Popconfirm>
          )}
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="idp-save">
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      {failure && <Alert type="error" title={failure} style={{ marginBottom: 16 }} />}
      {provider && (
        <Flex vertical gap={4} style={{ marginBottom: 16 }}>
          <Typography.Text type="secondary">{t('idps.redirectUri')}</Typography.Text>
          <Typography.Text copyable code>
            {provider.redirectUri}
          </Typography.Text>
          <Typography.Text type="secondary">{t('idps.loginUrl')}</Typography.Text>
          <Typography.Text copyable code>
            {provider.loginUrl}
          </Typography.Text>
        </Flex>
      )}
      <Form<ProviderForm> form={form} layout="vertical" initialValues={initial} onFinish={save}>
        <Form.Item name="id" label={t('idps.id')} rules={[{ required: true }, { pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/ }]}>
          <Input disabled={Boolean(provider)} data-testid="idp-id" />
        </Form.Item>
        <Form.Item name="name" label={t('idps.name')} rules={[{ required: true, max: 200 }]}>
          <Input data-testid="idp-name" />
        </Form.Item>
        <Form.Item name="issuer" label={t('idps.issuer')} rules={[{ required: true, max: 2000 }]}>
          <Input placeholder="https://login.example.com/realms/acme" data-testid="idp-issuer" />
        </Form.Item>
        <Form.Item name="clientId" label={t('idps.clientId')} rules={[{ required: true, max: 500 }]}>
          <Input data-testid="idp-client-id" />
        </Form.Item>
        <Form.Item
          name="clientSecret"
          label={t('idps.clientSecret')}
          extra={provider?.hasClientSecret ? t('idps.secretSet') : t('idps.secretNone')}
        >
          <Input.Password autoComplete="new-password" data-testid="idp-client-secret" />
        </Form.Item>
        {provider?.hasClientSecret && (
          <Form.Item name="removeSecret" valuePropName="checked">
            <Checkbox>{t('idps.removeSecret')}</Checkbox>
          </Form.Item>
        )}
        <Form.Item name="scopes" label={t('idps.scopes')}>
          <Input placeholder="openid profile email" />
        </Form.Item>
        <Flex gap="middle">
          <Form.Item name={['claims', 'username']} label={t('idps.claimUsername')} style={{ flex: 1 }}>
            <Input placeholder="preferred_username" />
          </Form.Item>
          <Form.Item name={['claims', 'displayName']} label={t('idps.claimDisplayName')} style={{ flex: 1 }}>
            <Input placeholder="name" />
          </Form.Item>
          <Form.Item name={['claims', 'groups']} label={t('idps.claimGroups')} style={{ flex: 1 }}>
            <Input placeholder="groups" />
          </Form.Item>
        </Flex>
        <Form.Item name="defaultRoles" label={t('idps.defaultRoles')}>
          <Select mode="multiple" options={ROLES.filter((r) => r !== 'platform-admin').map((r) => ({ value: r, label: r }))} />
        </Form.Item>
        <Form.Item name="roleMapping" label={t('idps.roleMapping')}>
          <Input.TextArea rows={3} placeholder="itsm-agents = agent" />
        </Form.Item>
        <Form.Item name="groupMapping" label={t('idps.groupMapping')}>
          <Input.TextArea rows={3} placeholder="helpdesk = service-desk" />
        </Form.Item>
        <Flex gap="large">
          <Form.Item name="autoCreateUsers" label={t('idps.autoCreateUsers')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="enabled" label={t('idps.enabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Flex>
      </Form>
    </Drawer>
  );
}
