// The audit log: newest first, filtered by action, target and actor, a page at a time (the API
// pages by "entries older than this id").
import type { AuditEntry, AuditQuery } from '@serviceloom/contracts';
import { Alert, Button, Flex, Form, Input, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { adminApi } from './adminApi.ts';
import { ADMIN_NS } from './i18n.ts';
import { useLoad } from './shared.ts';

const PAGE = 50;
type Filters = Pick<AuditQuery, 'action' | 'targetType' | 'targetId' | 'actor'>;

const brief = (value: unknown) => (value === undefined || value === null ? '' : JSON.stringify(value));

export function AuditTab() {
  const { t } = useTranslation(ADMIN_NS);
  const [filters, setFilters] = useState<Filters>({});
  /** The ids each shown page started after: [] is the newest page. */
  const [cursors, setCursors] = useState<string[]>([]);
  const before = cursors.at(-1);
  const log = useLoad(() => adminApi.audit({ ...filters, ...(before ? { before } : {}), limit: String(PAGE) }));
  /** Changes the query and loads it: both updates land in the same render, so the load reads the new query. */
  const reload = (next: () => void) => {
    next();
    log.reload();
  };

  const entries = log.data ?? [];
  return (
    <Flex vertical gap="middle">
      <Form<Filters>
        layout="inline"
        onFinish={(v) =>
          reload(() => {
            setFilters(Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'string' && x.trim() !== '')));
            setCursors([]);
          })
        }
      >
        <Form.Item name="action">
          <Input allowClear placeholder={t('audit.filterAction')} data-testid="audit-filter-action" />
        </Form.Item>
        <Form.Item name="targetType">
          <Input allowClear placeholder={t('audit.filterTargetType')} />
        </Form.Item>
        <Form.Item name="targetId">
          <Input allowClear placeholder={t('audit.filterTargetId')} />
        </Form.Item>
        <Form.Item name="actor">
          <Input allowClear placeholder={t('audit.filterActor')} />
        </Form.Item>
        <Button type="primary" htmlType="submit" data-testid="audit-search">
          {t('audit.search')}
        </Button>
      </Form>
      {log.error && <Alert type="error" title={t('common.loadFailed', { message: log.error })} />}
      <Table<AuditEntry>
        rowKey="id"
        size="small"
        loading={log.loading}
        dataSource={entries}
        pagination={false}
        data-testid="audit-table"
        expandable={{
          expandedRowRender: (e) => (
            <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{JSON.stringify({ before: e.before, after: e.after }, null, 2)}</pre>
          ),
        }}
        columns={[
          { title: t('audit.at'), dataIndex: 'at', width: 180, render: (at: string) => dayjs(at).format('YYYY-MM-DD HH:mm:ss') },
          { title: t('audit.actor'), dataIndex: 'actor', width: 140 },
          { title: t('audit.action'), dataIndex: 'action', width: 180, render: (a: string) => <Typography.Text code>{a}</Typography.Text> },
          { title: t('audit.target'), key: 'target', render: (_, e) => `${e.targetType}${e.targetId ? ` ${e.targetId}` : ''}` },
          {
            title: t('audit.changes'),
            key: 'changes',
            ellipsis: true,
            render: (_, e) => [brief(e.before), brief(e.after)].filter(Boolean).join(' → '),
          },
        ]}
      />
      <Flex gap="small" justify="flex-end">
        <Button disabled={cursors.length === 0} onClick={() => reload(() => setCursors([]))}>
          {t('audit.newest')}
        </Button>
        <Button
          disabled={entries.length < PAGE}
          onClick={() => reload(() => setCursors((c) => [...c, entries[entries.length - 1]?.id as string]))}
          data-testid="audit-more"
        >
          {t('audit.more')}
        </Button>
      </Flex>
    </Flex>
  );
}
