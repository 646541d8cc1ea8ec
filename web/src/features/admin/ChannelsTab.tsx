// Notification channels: list, a drawer to add or change one per kind, and "send a test". Secrets
// are write-only: the API says only whether one is stored (an empty field keeps it), and shows a
// robot's URL with its token masked (sent back unchanged, the stored URL stays).
import { PlusOutlined, ReloadOutlined, SendOutlined } from '@ant-design/icons';
import type { Channel, ChannelConfigInput, ChannelKind } from '@serviceloom/contracts';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Drawer,
  Flex,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, showFieldErrors } from './adminApi.ts';
import { channelsApi } from './channelsApi.ts';
import './channelsI18n.ts';
import { ADMIN_NS } from './i18n.ts';
import { useLoad } from './shared.ts';

const KINDS: ChannelKind[] = ['email', 'dingtalk', 'wecom', 'slack', 'teams', 'webhook'];
const SIGNED: ChannelKind[] = ['dingtalk', 'webhook'];

interface ChannelForm {
  id: string;
  kind: ChannelKind;
  config: {
    host?: string;
    port?: number;
    secure?: boolean;
    user?: string;
    password?: string;
    from?: string;
    url?: string;
    secret?: string;
  };
  removeSecret?: boolean;
}

export function ChannelsTab() {
  const { t } = useTranslation(ADMIN_NS);
  const channels = useLoad(() => channelsApi.list());
  const [editing, setEditing] = useState<Channel | 'new'>();
  return (
    <Flex vertical gap="middle">
      <Flex gap="small" justify="flex-end">
        <Button icon={<ReloadOutlined />} onClick={channels.reload}>
          {t('common.refresh')}
        </Button>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="channel-new">
          {t('common.create')}
        </Button>
      </Flex>
      {channels.error && <Alert type="error" title={t('common.loadFailed', { message: channels.error })} />}
      <Table<Channel>
        rowKey="id"
        size="middle"
        loading={channels.loading}
        dataSource={channels.data?.items}
        pagination={false}
        data-testid="channel-table"
        columns={[
          {
            title: t('channels.id'),
            dataIndex: 'id',
            render: (id: string, c) => (
              <Typography.Link onClick={() => setEditing(c)} data-testid={`channel-${id}`}>
                {id}
              </Typography.Link>
            ),
          },
          { title: t('channels.kind'), dataIndex: 'kind', render: (k: ChannelKind) => t(`channels.kinds.${k}`) },
          {
            title: t('channels.target'),
            render: (_: unknown, c) => (
              <Typography.Text code>
                {c.kind === 'email' ? `${c.config.host}:${c.config.port} (${c.config.from})` : c.config.url}
              </Typography.Text>
            ),
          },
          {
            title: t('channels.secret'),
            dataIndex: 'hasSecret',
            render: (on: boolean) => (on ? <Tag color="green">{t('channels.set')}</Tag> : t('common.none')),
          },
        ]}
      />
      {editing && (
        <ChannelDrawer
          channel={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            channels.reload();
          }}
        />
      )}
    </Flex>
  );
}

function ChannelDrawer({ channel, onClose, onSaved }: { channel: Channel | undefined; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation(ADMIN_NS);
  const { message } = App.useApp();
  const [form] = Form.useForm<ChannelForm>();
  const kind = Form.useWatch('kind', form) ?? channel?.kind ?? 'email';
  const [failure, setFailure] = useState<string>();
  const [saving, setSaving] = useState(false);
  const [testTo, setTestTo] = useState('');
  const [testing, setTesting] = useState(false);
  const initial: ChannelForm = channel
    ? { id: channel.id, kind: channel.kind, config: { ...channel.config, user: channel.config.user ?? undefined } }
    : { id: '', kind: 'email', config: { port: 587, secure: false } };

  const save = async (v: ChannelForm) => {
    const c = v.config ?? {};
    const secretField = kind === 'email' ? 'password' : 'secret';
    // Write-only: sent only when typed, or null when removed on purpose.
    const typed = c[secretField] ? { [secretField]: c[secretField] } : v.removeSecret ? { [secretField]: null } : {};
    const config: ChannelConfigInput =
      kind === 'email'
        ? { host: c.host?.trim(), port: c.port, secure: c.secure ?? false, user: c.user?.trim() || null, from: c.from?.trim(), ...typed }
        : { url: c.url?.trim(), ...(SIGNED.includes(kind) ? typed : {}) };
    setSaving(true);
    setFailure(undefined);
    try {
      if (channel) await channelsApi.update(channel.id, { kind, config });
      else await channelsApi.create({ id: v.id, kind, config });
      message.success(t('common.saved'));
      onSaved();
    } catch (e) {
      showFieldErrors(form, e);
      setFailure(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  const remove = async () => {
    if (!channel) return;
    try {
      await channelsApi.remove(channel.id);
      message.success(t('common.deleted'));
      onSaved();
    } catch (e) {
      setFailure(errorText(e));
    }
  };

  const test = async () => {
    if (!channel) return;
    setTesting(true);
    try {
      const reply = await channelsApi.test(channel.id, channel.kind === 'email' && testTo.trim() ? { to: testTo.trim() } : {});
      if (reply.status === 'sent') message.success(t('channels.testSent'));
      else message.error(t(reply.status === 'blocked' ? 'channels.testBlocked' : 'channels.testFailed', { error: reply.error ?? '' }));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setTesting(false);
    }
  };

  return (
    <Drawer
      open
      size="large"
      destroyOnHidden
      title={channel ? t('channels.editTitle', { id: channel.id }) : t('channels.createTitle')}
      onClose={onClose}
      extra={
        <Flex gap="small">
          {channel && (
            <Popconfirm title={t('common.confirmDelete', { name: channel.id })} onConfirm={remove}>
              <Button danger>{t('common.delete')}</Button>
            </Popconfirm>
          )}
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="channel-save">
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      {failure && <Alert type="error" title={failure} style={{ marginBottom: 16 }} data-testid="channel-error" />}
      <Form<ChannelForm> form={form} layout="vertical" initialValues={initial} onFinish={save}>
        <Form.Item name="id" label={t('channels.id')} rules={[{ required: true }, { pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/ }]}>
          <Input disabled={Boolean(channel)} data-testid="channel-id" />
        </Form.Item>
        <Form.Item name="kind" label={t('channels.kind')} rules={[{ required: true }]}>
          <Select data-testid="channel-kind" options={KINDS.map((k) => ({ value: k, label: t(`channels.kinds.${k}`) }))} />
        </Form.Item>
        <Alert type="info" showIcon title={t('channels.egressHint')} style={{ marginBottom: 16 }} />
        {kind === 'email' ? (
          <>
            <Flex gap="middle">
              <Form.Item name={['config', 'host']} label={t('channels.host')} rules={[{ required: true, max: 253 }]} style={{ flex: 3 }}>
                <Input placeholder="smtp.example.com" data-testid="channel-host" />
              </Form.Item>
              <Form.Item name={['config', 'port']} label={t('channels.port')} rules={[{ required: true }]} style={{ flex: 1 }}>
                <InputNumber min={1} max={65535} style={{ width: '100%' }} data-testid="channel-port" />
              </Form.Item>
            </Flex>
            <Form.Item name={['config', 'secure']} label={t('channels.secure')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name={['config', 'from']} label={t('channels.from')} rules={[{ required: true, max: 320 }]}>
              <Input placeholder="ServiceLoom <servicedesk@example.com>" data-testid="channel-from" />
            </Form.Item>
            <Form.Item name={['config', 'user']} label={t('channels.user')}>
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item
              name={['config', 'password']}
              label={t('channels.password')}
              extra={channel?.kind === 'email' && channel.hasSecret ? t('channels.secretSet') : t('channels.secretNone')}
            >
              <Input.Password autoComplete="new-password" data-testid="channel-password" />
            </Form.Item>
          </>
        ) : (
          <>
            <Form.Item
              name={['config', 'url']}
              label={t('channels.url')}
              rules={[{ required: true, max: 2000 }]}
              extra={channel && channel.kind !== 'email' ? t('channels.urlKept') : undefined}
            >
              <Input placeholder="https://" data-testid="channel-url" />
            </Form.Item>
            {SIGNED.includes(kind) && (
              <Form.Item
                name={['config', 'secret']}
                label={t('channels.signingSecret')}
                extra={`${t(`channels.secretHint.${kind as 'dingtalk' | 'webhook'}`)} ${channel?.kind === kind && channel.hasSecret ? t('channels.secretSet') : t('channels.secretNone')}`}
              >
                <Input.Password autoComplete="new-password" data-testid="channel-secret" />
              </Form.Item>
            )}
          </>
        )}
        {channel?.hasSecret && channel.kind === kind && (kind === 'email' || SIGNED.includes(kind)) && (
          <Form.Item name="removeSecret" valuePropName="checked">
            <Checkbox>{t('channels.removeSecret')}</Checkbox>
          </Form.Item>
        )}
      </Form>
      {channel && (
        <Flex gap="small" align="center" style={{ marginTop: 8 }}>
          {channel.kind === 'email' && (
            <Input
              placeholder={t('channels.testTo')}
              value={testTo}
              onChange={(e) => setTestTo(e.target.value)}
              style={{ maxWidth: 360 }}
              data-testid="channel-test-to"
            />
          )}
          <Button icon={<SendOutlined />} loading={testing} onClick={test} data-testid="channel-test">
            {t('channels.test')}
          </Button>
        </Flex>
      )}
    </Drawer>
  );
}
