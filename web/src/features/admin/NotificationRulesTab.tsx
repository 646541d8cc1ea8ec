// Notification rules: which event, under which FEEL condition over the ticket, goes over which
// channel (or in-app) to whom, in which words (a template per language; none: the default).
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { CreateNotificationRuleBody, NotificationRule } from '@serviceloom/contracts';
import type { TableColumnsType } from 'antd';
import { Alert, App, Button, Drawer, Flex, Form, Input, Popconfirm, Select, Table, Tag, Typography } from 'antd';
import { type HTMLAttributes, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from './adminApi.ts';
import { ADMIN_NS } from './i18n.ts';
import './notifications-i18n.ts';
import { notificationsApi, RECIPIENT_ROLES, RULE_EVENTS, templateOf } from './notificationsApi.ts';
import { useLoad } from './shared.ts';

type Values = {
  id: string;
  event: CreateNotificationRuleBody['event'];
  condition?: string;
  channel: string;
  recipients: string[];
  en?: { subject?: string; body?: string };
  'zh-CN'?: { subject?: string; body?: string };
};

export function NotificationRulesTab() {
  const { t } = useTranslation(ADMIN_NS);
  const { message } = App.useApp();
  const rules = useLoad(() => notificationsApi.rules());
  const [editing, setEditing] = useState<NotificationRule | 'new'>();

  const remove = async (id: string) => {
    try {
      await notificationsApi.deleteRule(id);
      message.success(t('common.deleted'));
      rules.reload();
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const columns: TableColumnsType<NotificationRule> = [
    {
      title: t('rules.id'),
      dataIndex: 'id',
      render: (id: string, r) => (
        <Typography.Link onClick={() => setEditing(r)} data-testid={`rule-edit-${id}`}>
          {id}
        </Typography.Link>
      ),
    },
    { title: t('rules.event'), dataIndex: 'event' },
    { title: t('rules.condition'), dataIndex: 'condition', render: (c: string | null) => (c ? <code>{c}</code> : t('rules.always')) },
    { title: t('rules.channel'), dataIndex: 'channel' },
    { title: t('rules.recipients'), dataIndex: 'recipients', render: (rs: string[]) => rs.map((r) => <Tag key={r}>{r}</Tag>) },
    {
      title: '',
      key: 'delete',
      render: (_: unknown, r) => (
        <Popconfirm title={t('common.confirmDelete', { name: r.id })} onConfirm={() => remove(r.id)}>
          <Button size="small" danger data-testid={`rule-delete-${r.id}`}>
            {t('common.delete')}
          </Button>
        </Popconfirm>
      ),
    },
  ];

  return (
    <Flex vertical gap="middle">
      <Flex gap="small" justify="flex-end">
        <Button icon={<ReloadOutlined />} onClick={rules.reload}>
          {t('common.refresh')}
        </Button>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="rule-new">
          {t('common.create')}
        </Button>
      </Flex>
      {rules.error && <Alert type="error" title={t('common.loadFailed', { message: rules.error })} />}
      <Table<NotificationRule>
        rowKey="id"
        size="middle"
        loading={rules.loading}
        columns={columns}
        dataSource={rules.data}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        onRow={(r) => ({ 'data-testid': `rule-row-${r.id}` }) as HTMLAttributes<HTMLElement>}
      />
      {editing && (
        <RuleDrawer
          rule={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            rules.reload();
          }}
        />
      )}
    </Flex>
  );
}

function RuleDrawer({ rule, onClose, onSaved }: { rule: NotificationRule | undefined; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation(ADMIN_NS);
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [failure, setFailure] = useState<string>();
  const [saving, setSaving] = useState(false);

  const save = async (v: Values) => {
    setSaving(true);
    setFailure(undefined);
    const body = {
      event: v.event,
      condition: v.condition?.trim() ? v.condition.trim() : null,
      channel: v.channel.trim(),
      recipients: v.recipients,
      template: templateOf({ en: v.en, 'zh-CN': v['zh-CN'] }),
    };
    try {
      if (rule) await notificationsApi.updateRule(rule.id, body);
      else await notificationsApi.createRule({ id: v.id, ...body });
      message.success(t('common.saved'));
      onSaved();
    } catch (e) {
      setFailure(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer
      open
      size={560}
      title={rule ? t('rules.editTitle', { id: rule.id }) : t('rules.createTitle')}
      onClose={onClose}
      extra={
        <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="rule-save">
          {t('common.save')}
        </Button>
      }
    >
      {failure && <Alert type="error" title={failure} style={{ marginBottom: 16 }} data-testid="rule-error" />}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={save}
        initialValues={
          rule
            ? {
                ...rule,
                event: rule.event as Values['event'],
                condition: rule.condition ?? '',
                en: rule.template?.en,
                'zh-CN': rule.template?.['zh-CN'],
              }
            : { event: 'ticket.created', channel: 'in-app', recipients: ['assignee'] }
        }
      >
        <Form.Item name="id" label={t('rules.id')} rules={[{ required: true, pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/ }]}>
          <Input disabled={!!rule} data-testid="rule-id" />
        </Form.Item>
        <Form.Item name="event" label={t('rules.event')} rules={[{ required: true }]}>
          <Select data-testid="rule-event" options={RULE_EVENTS.map((e) => ({ value: e, label: e }))} />
        </Form.Item>
        <Form.Item name="condition" label={t('rules.condition')} extra={t('rules.conditionHint')}>
          <Input data-testid="rule-condition" />
        </Form.Item>
        <Form.Item name="channel" label={t('rules.channel')} extra={t('rules.channelHint')} rules={[{ required: true }]}>
          <Input data-testid="rule-channel" />
        </Form.Item>
        <Form.Item name="recipients" label={t('rules.recipients')} extra={t('rules.recipientsHint')} rules={[{ required: true }]}>
          <Select mode="tags" data-testid="rule-recipients" options={RECIPIENT_ROLES.map((r) => ({ value: r, label: r }))} />
        </Form.Item>
        <Typography.Title level={5}>{t('rules.template')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('rules.placeholders')}</Typography.Paragraph>
        {(['en', 'zh-CN'] as const).map((locale) => (
          <div key={locale}>
            <Typography.Text strong>{locale}</Typography.Text>
            <Form.Item name={[locale, 'subject']} label={t('rules.subject')}>
              <Input data-testid={`rule-${locale}-subject`} />
            </Form.Item>
            <Form.Item name={[locale, 'body']} label={t('rules.body')}>
              <Input.TextArea rows={3} data-testid={`rule-${locale}-body`} />
            </Form.Item>
          </div>
        ))}
      </Form>
    </Drawer>
  );
}
