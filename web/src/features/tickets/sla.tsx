// SLA on the ticket pages: the inbox's badge (breached, at risk, on track, with the time left),
// the ticket page's panel (each record with its progress and due time), the portal's time left,
// and the sentence of an `sla` timeline entry.

import { Card, Empty, Progress, Space, Tag, Tooltip, Typography } from 'antd';
import type { TicketListItem } from './api.ts';
import { fullDate, useItsm } from './components.tsx';
import { TimeLeft } from './sla-time.tsx';

const STATUS_COLORS: Record<string, string> = { breached: 'red', at_risk: 'orange', ok: 'green' };
const STATE_COLORS: Record<string, string> = {
  in_progress: 'processing',
  paused: 'warning',
  met: 'success',
  breached: 'error',
  cancelled: 'default',
};

export interface SlaRecord {
  policy: string;
  kind: string;
  target: string;
  startedAt: string;
  dueAt: string;
  pausedFor: string;
  elapsed: string;
  percent: number;
  state: string;
}

/** The inbox's badge of a ticket's SLA state, with the time left to its next due time. */
export function SlaBadge({ item }: { item: TicketListItem }) {
  const { t } = useItsm();
  if (!item.slaStatus) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Space size={4} data-testid="sla-badge" data-sla-status={item.slaStatus}>
      {item.slaStatus !== 'ok' && <Tag color={STATUS_COLORS[item.slaStatus]}>{t(`sla.status.${item.slaStatus}`)}</Tag>}
      {item.slaDueAt && <TimeLeft dueAt={item.slaDueAt} />}
    </Space>
  );
}

/** The ticket page's SLA card: each record's kind, state, progress and due time. */
export function SlaPanel({ sla }: { sla: SlaRecord[] }) {
  const { t, i18n } = useItsm();
  return (
    <Card size="small" title={t('sla.title')} style={{ marginTop: 16 }} data-testid="ticket-sla">
      {sla.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('sla.none')} />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          {sla.map((r) => (
            <div key={`${r.policy}-${r.startedAt}`} data-testid="sla-record" data-sla-state={r.state}>
              <Space wrap>
                <Typography.Text strong>{t(`sla.kind.${r.kind}`, { defaultValue: r.kind })}</Typography.Text>
                <Tag color={STATE_COLORS[r.state] ?? 'default'}>{t(`sla.state.${r.state}`, { defaultValue: r.state })}</Tag>
                <Tooltip title={r.policy}>
                  <Typography.Text type="secondary">{r.target}</Typography.Text>
                </Tooltip>
              </Space>
              <Progress
                percent={Math.min(100, r.percent)}
                format={() => `${r.percent}%`}
                size="small"
                status={r.state === 'breached' ? 'exception' : r.state === 'met' ? 'success' : 'active'}
              />
              <Typography.Text type="secondary">
                {t('sla.due')}: {fullDate(r.dueAt, i18n.language)}{' '}
                {(r.state === 'in_progress' || r.state === 'paused') && <TimeLeft dueAt={r.dueAt} />}
              </Typography.Text>
            </div>
          ))}
        </Space>
      )}
    </Card>
  );
}

/** An `sla` timeline entry as a sentence: "Resolution SLA at 75%". */
export function useSlaEntryText() {
  const { t } = useItsm();
  return (data: Record<string, unknown>) =>
    t(`sla.event.${String(data.event)}`, {
      kind: t(`sla.kind.${String(data.kind)}`, { defaultValue: String(data.kind) }),
      threshold: data.threshold,
      defaultValue: `SLA ${String(data.event)}`,
    });
}
