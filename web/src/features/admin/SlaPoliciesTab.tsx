// SLA policies of the tenant: the list (the defaults are seeded on first use), add, edit, delete,
// and "which policy would apply to this ticket": a ticket's number, or values (type, priority,
// symptom, service class), answered with each matching policy and its due time if it started now.
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { CreateSlaPolicyBody, SlaPolicy } from '@serviceloom/contracts';
import type { TableColumnsType } from 'antd';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Drawer,
  Flex,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Table,
  Tag,
  Typography,
} from 'antd';
import i18n from 'i18next';
import { type HTMLAttributes, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { errorText, showFieldErrors } from './adminApi.ts';
import { ADMIN_NS } from './i18n.ts';
import { useLoad } from './shared.ts';

i18n.addResourceBundle(
  'en',
  ADMIN_NS,
  {
    tabs: { sla: 'SLA policies' },
    sla: {
      id: 'Id',
      name: 'Name',
      ticketType: 'Ticket type',
      kind: 'Kind',
      condition: 'Condition (FEEL)',
      target: 'Target (ISO duration)',
      calendar: 'Calendar',
      aroundTheClock: 'around the clock',
      pauseStates: 'Pause in states',
      warnAt: 'Warn at (%)',
      onBreach: 'On breach',
      notifyManager: "notify the group's manager",
      reassign: 'reassign to group',
      raisePriority: 'raise the priority',
      preview: 'Which policy would apply?',
      previewTicket: 'Ticket number',
      previewType: 'Type',
      previewPriority: 'Priority',
      previewSymptom: 'Symptom',
      previewClass: 'Service class',
      previewRun: 'Preview',
      dueAt: 'Due if it started now',
      noMatch: 'No policy applies',
    },
  },
  true,
  false,
);
i18n.addResourceBundle(
  'zh-CN',
  ADMIN_NS,
  {
    tabs: { sla: 'SLA 策略' },
    sla: {
      id: '标识',
      name: '名称',
      ticketType: '工单类型',
      kind: '类型',
      condition: '条件（FEEL）',
      target: '目标（ISO 时长）',
      calendar: '日历',
      aroundTheClock: '全天候',
      pauseStates: '暂停状态',
      warnAt: '预警（%）',
      onBreach: '违约动作',
      notifyManager: '通知组经理',
      reassign: '转派到组',
      raisePriority: '提升优先级',
      preview: '哪条策略会适用？',
      previewTicket: '工单号',
      previewType: '类型',
      previewPriority: '优先级',
      previewSymptom: '症状',
      previewClass: '服务等级',
      previewRun: '预览',
      dueAt: '若现在开始的到期时间',
      noMatch: '没有适用的策略',
    },
  },
  true,
  false,
);

const TYPES = ['incident', 'request', 'problem', 'change', 'release'];
const SYMPTOMS = ['system_down', 'cannot_access', 'slow', 'other'];

const slaApi = {
  list: () => api.call('slaPolicies.list'),
  create: (body: CreateSlaPolicyBody) => api.call('slaPolicies.create', { body }),
  update: (id: string, body: Omit<CreateSlaPolicyBody, 'id'>) => api.call('slaPolicies.update', { params: { id }, body }),
  delete: (id: string) => api.call('slaPolicies.delete', { params: { id } }),
  preview: (body: { ticket?: string; values?: Record<string, unknown> }) => api.call('slaPolicies.preview', { body }),
};

export function SlaPoliciesTab() {
  const { t } = useTranslation(ADMIN_NS);
  const policies = useLoad(() => slaApi.list());
  const [editing, setEditing] = useState<SlaPolicy | 'new'>();

  const columns: TableColumnsType<SlaPolicy> = [
    {
      title: t('sla.id'),
      dataIndex: 'id',
      render: (id: string, p) => (
        <Typography.Link onClick={() => setEditing(p)} data-testid={`sla-policy-edit-${id}`}>
          {id}
        </Typography.Link>
      ),
    },
    { title: t('sla.name'), dataIndex: 'name' },
    { title: t('sla.ticketType'), dataIndex: 'ticketType', width: 100 },
    { title: t('sla.kind'), dataIndex: 'kind', width: 100 },
    { title: t('sla.condition'), dataIndex: 'condition', render: (c: string) => <Typography.Text code>{c}</Typography.Text> },
    { title: t('sla.target'), dataIndex: 'target', width: 90 },
    { title: t('sla.calendar'), dataIndex: 'calendar', width: 120, render: (c: string | null) => c ?? t('sla.aroundTheClock') },
    {
      title: t('sla.onBreach'),
      dataIndex: 'onBreach',
      render: (actions: SlaPolicy['onBreach']) =>
        actions.map((a) => (
          <Tag key={JSON.stringify(a)}>
            {'notify' in a
              ? t('sla.notifyManager')
              : 'reassign' in a
                ? `${t('sla.reassign')} ${String(a.reassign)}`
                : t('sla.raisePriority')}
          </Tag>
        )),
    },
  ];

  return (
    <Flex vertical gap="middle">
      <Flex gap="small" justify="flex-end">
        <Button icon={<ReloadOutlined />} onClick={policies.reload}>
          {t('common.refresh')}
        </Button>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="sla-policy-new">
          {t('common.create')}
        </Button>
      </Flex>
      {policies.error && <Alert type="error" title={t('common.loadFailed', { message: policies.error })} />}
      <Table<SlaPolicy>
        rowKey="id"
        size="middle"
        loading={policies.loading}
        columns={columns}
        dataSource={policies.data}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        onRow={(p) => ({ 'data-testid': `sla-policy-row-${p.id}` }) as HTMLAttributes<HTMLElement>}
      />
      <PreviewCard />
      {editing && (
        <PolicyDrawer
          policy={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
          onChanged={() => {
            setEditing(undefined);
            policies.reload();
          }}
        />
      )}
    </Flex>
  );
}

interface PolicyForm {
  id: string;
  name: string;
  ticketType: string;
  kind: 'response' | 'resolution';
  condition: string;
  target: string;
  calendar?: string;
  pauseStates: string[];
  warnAt: number[];
  notifyManager?: boolean;
  reassign?: string;
  raisePriority?: boolean;
}

function PolicyDrawer({ policy, onClose, onChanged }: { policy?: SlaPolicy; onClose: () => void; onChanged: () => void }) {
  const { t } = useTranslation(ADMIN_NS);
  const { message } = App.useApp();
  const [form] = Form.useForm<PolicyForm>();
  const [error, setError] = useState<string>();
  const reassign = policy?.onBreach.find((a) => 'reassign' in a)?.reassign as string | undefined;
  const initial: Partial<PolicyForm> = policy
    ? {
        ...policy,
        kind: policy.kind as PolicyForm['kind'],
        calendar: policy.calendar ?? undefined,
        notifyManager: policy.onBreach.some((a) => 'notify' in a),
        raisePriority: policy.onBreach.some((a) => 'raisePriority' in a),
        ...(reassign ? { reassign } : {}),
      }
    : { ticketType: 'incident', kind: 'resolution', pauseStates: ['on_hold'], warnAt: [50, 75] };

  const save = async (v: PolicyForm) => {
    const onBreach = [
      ...(v.notifyManager ? [{ notify: 'groupManager' as const }] : []),
      ...(v.reassign ? [{ reassign: v.reassign }] : []),
      ...(v.raisePriority ? [{ raisePriority: true as const }] : []),
    ];
    const body = {
      name: v.name,
      ticketType: v.ticketType as CreateSlaPolicyBody['ticketType'],
      kind: v.kind,
      condition: v.condition,
      target: v.target,
      calendar: v.calendar || null,
      pauseStates: v.pauseStates ?? [],
      warnAt: (v.warnAt ?? []).map(Number),
      onBreach,
    };
    try {
      if (policy) await slaApi.update(policy.id, body);
      else await slaApi.create({ id: v.id, ...body });
      void message.success(t('common.saved'));
      onChanged();
    } catch (e) {
      if (!showFieldErrors(form, e)) setError(errorText(e));
    }
  };

  const remove = async () => {
    if (!policy) return;
    try {
      await slaApi.delete(policy.id);
      void message.success(t('common.deleted'));
      onChanged();
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <Drawer open width={520} title={policy?.id ?? t('common.create')} onClose={onClose} data-testid="sla-policy-drawer">
      <Form form={form} layout="vertical" initialValues={initial} onFinish={save}>
        <Form.Item name="id" label={t('sla.id')} rules={[{ required: true }]}>
          <Input disabled={Boolean(policy)} data-testid="sla-policy-id" />
        </Form.Item>
        <Form.Item name="name" label={t('sla.name')} rules={[{ required: true }]}>
          <Input data-testid="sla-policy-name" />
        </Form.Item>
        <Form.Item name="ticketType" label={t('sla.ticketType')}>
          <Select options={TYPES.map((v) => ({ value: v, label: v }))} />
        </Form.Item>
        <Form.Item name="kind" label={t('sla.kind')}>
          <Select options={['response', 'resolution'].map((v) => ({ value: v, label: v }))} />
        </Form.Item>
        <Form.Item name="condition" label={t('sla.condition')} rules={[{ required: true }]}>
          <Input.TextArea rows={2} placeholder="priority = 1" data-testid="sla-policy-condition" />
        </Form.Item>
        <Form.Item name="target" label={t('sla.target')} rules={[{ required: true }]}>
          <Input placeholder="PT4H" data-testid="sla-policy-target" />
        </Form.Item>
        <Form.Item name="calendar" label={t('sla.calendar')}>
          <Input placeholder={t('sla.aroundTheClock')} />
        </Form.Item>
        <Form.Item name="pauseStates" label={t('sla.pauseStates')}>
          <Select mode="tags" />
        </Form.Item>
        <Form.Item name="warnAt" label={t('sla.warnAt')}>
          <Select mode="tags" />
        </Form.Item>
        <Form.Item name="notifyManager" valuePropName="checked" label={t('sla.onBreach')}>
          <Checkbox>{t('sla.notifyManager')}</Checkbox>
        </Form.Item>
        <Form.Item name="reassign" label={t('sla.reassign')}>
          <Input />
        </Form.Item>
        <Form.Item name="raisePriority" valuePropName="checked">
          <Checkbox>{t('sla.raisePriority')}</Checkbox>
        </Form.Item>
        {error && <Alert type="error" title={error} style={{ marginBottom: 12 }} />}
        <Flex gap="small" justify="space-between">
          {policy ? (
            <Popconfirm title={t('common.confirmDelete', { name: policy.id })} onConfirm={remove}>
              <Button danger>{t('common.delete')}</Button>
            </Popconfirm>
          ) : (
            <span />
          )}
          <Button type="primary" htmlType="submit" data-testid="sla-policy-save">
            {t('common.save')}
          </Button>
        </Flex>
      </Form>
    </Drawer>
  );
}

interface PreviewForm {
  ticket?: string;
  type?: string;
  priority?: number;
  symptom?: string;
  serviceClass?: number;
}

function PreviewCard() {
  const { t } = useTranslation(ADMIN_NS);
  const [result, setResult] = useState<Array<{ policy: string; name: string; kind: string; target: string; dueAt: string }>>();
  const [error, setError] = useState<string>();
  const run = async (v: PreviewForm) => {
    const values: Record<string, unknown> = {};
    if (v.type) values.type = v.type;
    if (v.priority) values.priority = v.priority;
    if (v.symptom) values.symptom = v.symptom;
    if (v.serviceClass) values.service = { serviceClass: v.serviceClass };
    try {
      setResult(await slaApi.preview({ ...(v.ticket ? { ticket: v.ticket.trim().toUpperCase() } : {}), values }));
      setError(undefined);
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <Card size="small" title={t('sla.preview')} data-testid="sla-preview">
      <Form<PreviewForm> layout="inline" onFinish={run}>
        <Form.Item name="ticket" label={t('sla.previewTicket')}>
          <Input placeholder="INC0000001" style={{ width: 140 }} data-testid="sla-preview-ticket" />
        </Form.Item>
        <Form.Item name="type" label={t('sla.previewType')}>
          <Select allowClear style={{ width: 120 }} options={TYPES.map((v) => ({ value: v, label: v }))} />
        </Form.Item>
        <Form.Item name="priority" label={t('sla.previewPriority')}>
          <InputNumber min={1} max={5} data-testid="sla-preview-priority" />
        </Form.Item>
        <Form.Item name="symptom" label={t('sla.previewSymptom')}>
          <Select allowClear style={{ width: 150 }} options={SYMPTOMS.map((v) => ({ value: v, label: v }))} />
        </Form.Item>
        <Form.Item name="serviceClass" label={t('sla.previewClass')}>
          <InputNumber min={1} max={3} />
        </Form.Item>
        <Button type="primary" htmlType="submit" data-testid="sla-preview-run">
          {t('sla.previewRun')}
        </Button>
      </Form>
      {error && <Alert type="error" title={error} style={{ marginTop: 12 }} />}
      {result && (
        <Table
          style={{ marginTop: 12 }}
          size="small"
          rowKey="policy"
          pagination={false}
          locale={{ emptyText: t('sla.noMatch') }}
          dataSource={result}
          data-testid="sla-preview-result"
          columns={[
            { title: t('sla.id'), dataIndex: 'policy' },
            { title: t('sla.kind'), dataIndex: 'kind' },
            { title: t('sla.target'), dataIndex: 'target' },
            { title: t('sla.dueAt'), dataIndex: 'dueAt', render: (at: string) => new Date(at).toLocaleString(i18n.language) },
          ]}
        />
      )}
    </Card>
  );
}
