// The agent's inbox (/tasks): tickets by queue (my work, my groups, unassigned) with counts,
// filters, sort, claim and bulk assign, kept live by the ticket stream; below, the flows' own
// user tasks (the existing task list).
import { ReloadOutlined, UserAddOutlined } from '@ant-design/icons';
import type { TicketQuery } from '@serviceloom/contracts';
import {
  Alert,
  Badge,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tabs,
  Tooltip,
  Typography,
} from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useSession } from '../../session.tsx';
import { useToast } from '../../shell/toast.ts';
import { TasksPage } from '../tasks/Tasks.tsx';
import { type TicketListItem, ticketsApi } from './api.ts';
import { errorText, PriorityTag, personName, StateTag, useItsm, When } from './components.tsx';
import { SlaBadge } from './sla.tsx';
import { useTicketStream } from './useTicketStream.ts';

type Queue = 'mine' | 'groups' | 'unassigned';
const QUEUES: Queue[] = ['mine', 'groups', 'unassigned'];
const OPEN_STATES = 'new,in_progress,on_hold,approval';
const STATES = ['new', 'in_progress', 'on_hold', 'approval', 'resolved', 'closed', 'cancelled'];
const TYPES = ['incident', 'request', 'problem', 'change', 'release'] as const;
const SORTS = ['-priority', 'slaDueAt', '-updatedAt', '-openedAt', 'openedAt'] as const;
const LIMIT = '200';

const queueQuery = (queue: Queue): TicketQuery =>
  queue === 'mine' ? { assignee: 'me' } : queue === 'groups' ? { assignmentGroup: 'mine' } : { assignee: 'none' };

interface Filters {
  type?: TicketQuery['type'];
  state?: string;
  priority?: string;
  sort: (typeof SORTS)[number];
  q?: string;
}

export default function InboxPage() {
  const { t } = useItsm();
  const session = useSession();
  const [queue, setQueue] = useState<Queue>('mine');
  const [filters, setFilters] = useState<Filters>({ sort: '-priority' });
  // Every queue's tickets at once: the counts need them, and switching tabs needs no fetch.
  const [queues, setQueues] = useState<Record<Queue, { items: TicketListItem[]; more: boolean }>>();
  const [error, setError] = useState<string>();
  const [selected, setSelected] = useState<string[]>([]);
  const [bulkOpen, setBulkOpen] = useState(false);
  const toast = useToast();
  const loading = useRef(0);

  const load = useCallback(async () => {
    const run = ++loading.current;
    const base: TicketQuery = {
      state: filters.state ?? OPEN_STATES,
      ...(filters.type ? { type: filters.type } : {}),
      ...(filters.priority ? { priority: filters.priority } : {}),
      ...(filters.q ? { q: filters.q } : {}),
      limit: LIMIT,
    };
    try {
      const lists = await Promise.all(
        QUEUES.map((q) =>
          ticketsApi.list({
            ...base,
            ...queueQuery(q),
            sort: filters.sort as never /* the contract's sort union types as undefined; the server checks it */,
          }),
        ),
      );
      if (run !== loading.current) return;
      setQueues(
        Object.fromEntries(QUEUES.map((q, i) => [q, { items: lists[i]?.items ?? [], more: Boolean(lists[i]?.nextCursor) }])) as Record<
          Queue,
          { items: TicketListItem[]; more: boolean }
        >,
      );
      setError(undefined);
    } catch (e) {
      if (run === loading.current) setError(errorText(e));
    }
  }, [filters]);

  useEffect(() => {
    void load();
  }, [load]);

  // A change anywhere may move a ticket between queues: refetch, a little later if several come at once.
  // The latest load (with the current filters), not the one of the render the event arrived in.
  const latestLoad = useRef(load);
  latestLoad.current = load;
  const pending = useRef<ReturnType<typeof setTimeout>>(undefined);
  useTicketStream(() => {
    clearTimeout(pending.current);
    pending.current = setTimeout(() => void latestLoad.current(), 250);
  });
  useEffect(() => () => clearTimeout(pending.current), []);

  const claim = async (number: string) => {
    try {
      await ticketsApi.act(number, 'assign', { assignee: session?.user.username });
      toast.success(t('inbox.claimed', { number }));
      void load();
    } catch (e) {
      toast.error(errorText(e));
    }
  };

  const columns: TableColumnsType<TicketListItem> = [
    {
      title: t('inbox.number'),
      dataIndex: 'number',
      width: 120,
      render: (n: string) => (
        <Link to={`/tickets/${n}`} data-testid="ticket-open">
          {n}
        </Link>
      ),
    },
    {
      title: t('inbox.short'),
      dataIndex: 'title',
      ellipsis: true,
      render: (title: string, row) => (
        <Space size={4}>
          {row.major && <Badge status="error" />}
          <span>{title}</span>
        </Space>
      ),
    },
    { title: t('inbox.type'), dataIndex: 'type', width: 100, render: (type: string) => t(`type.${type}`) },
    { title: t('inbox.state'), dataIndex: 'state', width: 120, render: (s: string) => <StateTag state={s} /> },
    { title: t('inbox.priority'), dataIndex: 'priority', width: 130, render: (p: number) => <PriorityTag priority={p} /> },
    { title: t('inbox.sla'), key: 'sla', width: 170, render: (_, row) => <SlaBadge item={row} /> },
    { title: t('inbox.assignee'), dataIndex: 'assignee', width: 130, ellipsis: true, render: personName },
    { title: t('inbox.group'), dataIndex: 'assignmentGroup', width: 130, ellipsis: true, render: (g) => g?.name ?? '—' },
    { title: t('inbox.updated'), dataIndex: 'updatedAt', width: 130, render: (at: string) => <When at={at} /> },
    {
      title: '',
      key: 'claim',
      width: 90,
      render: (_, row) =>
        row.assignee?.username === session?.user.username ? null : (
          <Button size="small" icon={<UserAddOutlined />} onClick={() => claim(row.number)} data-testid="ticket-claim">
            {t('inbox.claim')}
          </Button>
        ),
    },
  ];

  const setFilter = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));

  return (
    <section data-testid="inbox">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('inbox.title')}
        </Typography.Title>
        <Space wrap>
          <Input.Search
            allowClear
            placeholder={t('inbox.search')}
            style={{ width: 240 }}
            onSearch={(q) => setFilter({ q: q || undefined })}
            data-testid="inbox-search"
          />
          <Select
            allowClear
            placeholder={t('inbox.filterType')}
            style={{ width: 130 }}
            value={filters.type}
            onChange={(type) => setFilter({ type })}
            options={TYPES.map((v) => ({ value: v, label: t(`type.${v}`) }))}
            data-testid="inbox-filter-type"
          />
          <Select
            allowClear
            placeholder={t('inbox.filterState')}
            style={{ width: 140 }}
            value={filters.state}
            onChange={(state) => setFilter({ state })}
            options={STATES.map((v) => ({ value: v, label: t(`state.${v}`) }))}
            data-testid="inbox-filter-state"
          />
          <Select
            allowClear
            placeholder={t('inbox.filterPriority')}
            style={{ width: 140 }}
            value={filters.priority}
            onChange={(priority) => setFilter({ priority })}
            options={['1', '2', '3', '4', '5'].map((v) => ({ value: v, label: t(`priority.${v}`) }))}
            data-testid="inbox-filter-priority"
          />
          <Select
            style={{ width: 170 }}
            value={filters.sort}
            onChange={(sort) => setFilter({ sort })}
            aria-label={t('inbox.sort')}
            options={[
              { value: '-priority', label: t('inbox.sortPriority') },
              { value: 'slaDueAt', label: t('inbox.sortSla') },
              { value: '-updatedAt', label: t('inbox.sortUpdated') },
              { value: '-openedAt', label: t('inbox.sortOpened') },
              { value: 'openedAt', label: t('inbox.sortOldest') },
            ]}
            data-testid="inbox-sort"
          />
          <Tooltip title={t('common.refresh')}>
            <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('common.refresh')} />
          </Tooltip>
        </Space>
      </Space>
      {error && <Alert type="error" showIcon title={t('common.error', { message: error })} style={{ marginBottom: 8 }} />}
      <Tabs
        activeKey={queue}
        onChange={(k) => {
          setQueue(k as Queue);
          setSelected([]);
        }}
        items={QUEUES.map((q) => ({
          key: q,
          label: (
            <span data-testid={`inbox-tab-${q}`}>
              {t(`inbox.${q}`)}{' '}
              <Badge
                count={queues ? `${queues[q].items.length}${queues[q].more ? '+' : ''}` : 0}
                showZero
                color={q === 'unassigned' ? 'orange' : 'blue'}
                overflowCount={999}
              />
            </span>
          ),
        }))}
        tabBarExtraContent={
          <Button disabled={!selected.length} onClick={() => setBulkOpen(true)} data-testid="inbox-bulk-assign">
            {t('inbox.bulkAssign')}
            {selected.length ? ` (${selected.length})` : ''}
          </Button>
        }
      />
      <Table<TicketListItem>
        rowKey="number"
        size="middle"
        columns={columns}
        dataSource={queues?.[queue].items}
        loading={!queues && !error}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }}
        locale={{ emptyText: t('inbox.empty') }}
        onRow={(row) => ({ 'data-testid': `ticket-row-${row.number}` }) as React.HTMLAttributes<HTMLElement>}
        scroll={{ x: 1000 }}
      />
      <BulkAssign
        numbers={selected}
        open={bulkOpen}
        onClose={() => setBulkOpen(false)}
        onDone={(count) => {
          setBulkOpen(false);
          setSelected([]);
          toast.success(t('inbox.bulkAssigned', { count }));
          void load();
        }}
      />
      <Card size="small" style={{ marginTop: 24 }} aria-label={t('inbox.openTasks')}>
        <TasksPage />
      </Card>
    </section>
  );
}

function BulkAssign({ numbers, open, onClose, onDone }: { numbers: string[]; open: boolean; onClose(): void; onDone(n: number): void }) {
  const { t } = useItsm();
  const [form] = Form.useForm<{ assignee?: string; assignmentGroup?: string }>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const values = await form.validateFields();
    const body = Object.fromEntries(Object.entries(values).filter(([, v]) => v));
    if (!Object.keys(body).length) return;
    setBusy(true);
    setError(undefined);
    const failed: string[] = [];
    for (const number of numbers) {
      try {
        await ticketsApi.act(number, 'assign', body);
      } catch (e) {
        failed.push(`${number}: ${errorText(e)}`);
      }
    }
    setBusy(false);
    if (failed.length) setError(failed.join('\n'));
    else {
      form.resetFields();
      onDone(numbers.length);
    }
  };
  return (
    <Modal
      open={open}
      title={t('inbox.bulkAssignTitle', { count: numbers.length })}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      okText={t('action.assign')}
      cancelText={t('common.cancel')}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item name="assignee" label={t('field.assignee')}>
          <Input data-testid="ticket-action-field-assignee" autoFocus />
        </Form.Item>
        <Form.Item name="assignmentGroup" label={t('field.assignmentGroup')}>
          <Input data-testid="ticket-action-field-assignmentGroup" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={<pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{error}</pre>} />}
    </Modal>
  );
}
