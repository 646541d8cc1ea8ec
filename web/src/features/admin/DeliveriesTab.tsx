// Notification deliveries, latest first, with their status (sent, failed, retrying with the next
// attempt's time, blocked by the egress guard), filtered by status, ticket and channel.
import { ReloadOutlined } from '@ant-design/icons';
import type { Delivery, DeliveryQuery, DeliveryStatus } from '@serviceloom/contracts';
import { Alert, Button, Flex, Input, Select, Table, Tag, Typography } from 'antd';
import { DateTime } from 'luxon';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { channelsApi } from './channelsApi.ts';
import './channelsI18n.ts';
import { ADMIN_NS } from './i18n.ts';
import { useLoad } from './shared.ts';

const STATUS_COLOR: Record<DeliveryStatus, string> = {
  sending: 'blue',
  sent: 'green',
  failed: 'red',
  retrying: 'orange',
  blocked: 'volcano',
};
const STATUSES = Object.keys(STATUS_COLOR) as DeliveryStatus[];
const when = (iso: string | null) => (iso ? DateTime.fromISO(iso).toLocaleString(DateTime.DATETIME_MED_WITH_SECONDS) : '');

export function DeliveriesTab() {
  const { t } = useTranslation(ADMIN_NS);
  const [filter, setFilter] = useState<DeliveryQuery>({});
  const deliveries = useLoad(() => channelsApi.deliveries(filter));
  const set = (patch: DeliveryQuery) => {
    setFilter((f) => {
      const next = { ...f, ...patch };
      for (const k of Object.keys(next) as Array<keyof DeliveryQuery>) if (next[k] === undefined || next[k] === '') delete next[k];
      return next;
    });
  };
  // The first load is useLoad's own; each change of the filter loads again.
  const first = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the filter changes
  useEffect(() => {
    if (first.current) first.current = false;
    else deliveries.reload();
  }, [filter]);
  return (
    <Flex vertical gap="middle">
      <Flex gap="small" wrap>
        <Select<DeliveryStatus | ''>
          style={{ width: 160 }}
          value={filter.status ?? ''}
          onChange={(v) => set({ status: v || undefined })}
          options={[
            { value: '', label: t('deliveries.anyStatus') },
            ...STATUSES.map((s) => ({ value: s, label: t(`deliveries.statuses.${s}`) })),
          ]}
          data-testid="delivery-status-filter"
        />
        <Input.Search
          allowClear
          style={{ width: 200 }}
          placeholder={t('deliveries.filterTicket')}
          onSearch={(v) => set({ ticket: v.trim() || undefined })}
          data-testid="delivery-ticket-filter"
        />
        <Input.Search
          allowClear
          style={{ width: 200 }}
          placeholder={t('deliveries.filterChannel')}
          onSearch={(v) => set({ channel: v.trim() || undefined })}
          data-testid="delivery-channel-filter"
        />
        <Button icon={<ReloadOutlined />} onClick={deliveries.reload} style={{ marginLeft: 'auto' }}>
          {t('common.refresh')}
        </Button>
      </Flex>
      {deliveries.error && <Alert type="error" title={t('common.loadFailed', { message: deliveries.error })} />}
      <Table<Delivery>
        rowKey="id"
        size="middle"
        loading={deliveries.loading}
        dataSource={deliveries.data?.items}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        data-testid="delivery-table"
        columns={[
          { title: t('deliveries.at'), dataIndex: 'updatedAt', render: when },
          { title: t('deliveries.channel'), dataIndex: 'channel' },
          { title: t('deliveries.ticket'), dataIndex: 'ticket', render: (n: string | null) => n ?? t('common.none') },
          { title: t('deliveries.event'), dataIndex: 'event' },
          {
            title: t('deliveries.status'),
            dataIndex: 'status',
            render: (s: DeliveryStatus) => (
              <Tag color={STATUS_COLOR[s]} data-testid={`delivery-status-${s}`}>
                {t(`deliveries.statuses.${s}`)}
              </Tag>
            ),
          },
          { title: t('deliveries.attempt'), dataIndex: 'attempt' },
          { title: t('deliveries.next'), dataIndex: 'nextAttemptAt', render: when },
          {
            title: t('deliveries.error'),
            dataIndex: 'error',
            render: (e: string | null) =>
              e ? (
                <Typography.Text type="danger" ellipsis={{ tooltip: e }} style={{ maxWidth: 320 }}>
                  {e}
                </Typography.Text>
              ) : (
                ''
              ),
          },
        ]}
      />
    </Flex>
  );
}
