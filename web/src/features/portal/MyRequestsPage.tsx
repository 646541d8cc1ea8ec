// "My requests" (/portal/requests): what the signed-in user raised (or watches), with its state,
// who has it, what it waits for, and what they can do: confirm or reopen a resolved ticket, urge
// (催单) an open one, rate it once resolved, comment. Live: changes show without a reload.
import { CommentOutlined, PlusOutlined } from '@ant-design/icons';
import type { Ticket } from '@serviceloom/contracts';
import { Alert, Button, Input, Modal, Space, Table, type TableColumnsType, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useToast } from '../../shell/toast.ts';
import { ActionDialog } from '../tickets/ActionDialog.tsx';
import { type TicketListItem, ticketsApi } from '../tickets/api.ts';
import { errorText, personName, StateTag, useItsm, When } from '../tickets/components.tsx';
import { TimeLeft } from '../tickets/sla-time.tsx';
import { useTicketStream } from '../tickets/useTicketStream.ts';

const OPEN = ['new', 'in_progress', 'on_hold', 'approval'];

export default function MyRequestsPage() {
  const { t } = useItsm();
  const [items, setItems] = useState<TicketListItem[]>();
  const [error, setError] = useState<string>();
  const [dialog, setDialog] = useState<{ ticket: TicketListItem; action: string; title: string }>();
  const [commenting, setCommenting] = useState<TicketListItem>();
  const toast = useToast();
  const loading = useRef(0);

  const load = useCallback(async () => {
    const run = ++loading.current;
    try {
      const list = await ticketsApi.list({
        sort: '-updatedAt' as never, // the contract's sort union types as undefined (built from a mapped array); the server checks it
        limit: '100',
      });
      if (run === loading.current) {
        setItems(list.items);
        setError(undefined);
      }
    } catch (e) {
      if (run === loading.current) setError(errorText(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  useTicketStream(() => void load());

  const open = (ticket: TicketListItem, action: string, title: string) => setDialog({ ticket, action, title });

  const waitingFor = (row: TicketListItem) =>
    t(`requests.waiting.${row.state}`, {
      defaultValue: '—',
      reason: row.holdReason ? t(`holdReason.${row.holdReason}`, { defaultValue: row.holdReason }) : '—',
    });

  const columns: TableColumnsType<TicketListItem> = [
    {
      title: t('inbox.number'),
      dataIndex: 'number',
      width: 110,
      render: (n: string) => <Link to={`/tickets/${n}`}>{n}</Link>,
    },
    { title: t('inbox.short'), dataIndex: 'title', ellipsis: true },
    { title: t('inbox.state'), dataIndex: 'state', width: 110, render: (s: string) => <StateTag state={s} /> },
    { title: t('inbox.assignee'), dataIndex: 'assignee', width: 120, ellipsis: true, render: personName },
    {
      title: t('requests.waitingFor'),
      key: 'waiting',
      width: 170,
      render: (_, row) => <span data-testid="ticket-waiting">{waitingFor(row)}</span>,
    },
    {
      title: t('sla.timeLeft'),
      key: 'timeLeft',
      width: 150,
      render: (_, row) => (OPEN.includes(row.state) && row.slaDueAt ? <TimeLeft dueAt={row.slaDueAt} /> : '—'),
    },
    { title: t('inbox.updated'), dataIndex: 'updatedAt', width: 110, render: (at: string) => <When at={at} /> },
    {
      title: '',
      key: 'actions',
      width: 290,
      render: (_, row) => (
        <Space wrap size={4}>
          {row.state === 'resolved' && (
            <>
              <Button size="small" type="primary" data-testid="request-confirm" onClick={() => open(row, 'close', t('requests.confirm'))}>
                {t('requests.confirm')}
              </Button>
              <Button
                size="small"
                data-testid="request-reopen"
                onClick={() => open(row, 'reopen', t('requests.reopenTitle', { number: row.number }))}
              >
                {t('requests.reopen')}
              </Button>
            </>
          )}
          {OPEN.includes(row.state) && (
            <Button
              size="small"
              data-testid="request-urge"
              onClick={() => open(row, 'urge', t('requests.urgeTitle', { number: row.number }))}
            >
              {t('requests.urge')}
            </Button>
          )}
          {(row.state === 'resolved' || row.state === 'closed') &&
            (row.csat ? (
              <Typography.Text type="secondary">{t('requests.rated', { score: row.csat.score })}</Typography.Text>
            ) : (
              <Button
                size="small"
                data-testid="request-rate"
                onClick={() => open(row, 'rate', t('requests.rateTitle', { number: row.number }))}
              >
                {t('requests.rate')}
              </Button>
            ))}
          {row.state !== 'closed' && row.state !== 'cancelled' && (
            <Button
              size="small"
              icon={<CommentOutlined />}
              data-testid="request-comment"
              onClick={() => setCommenting(row)}
              aria-label={t('requests.comment')}
            />
          )}
        </Space>
      ),
    },
  ];

  return (
    <section data-testid="my-requests-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('requests.title')}
        </Typography.Title>
        <Link to="/portal">
          <Button icon={<PlusOutlined />}>{t('portal.newIncident')}</Button>
        </Link>
      </Space>
      {error && <Alert type="error" showIcon title={t('common.error', { message: error })} style={{ marginBottom: 8 }} />}
      <Table<TicketListItem>
        data-testid="my-requests"
        rowKey="number"
        size="middle"
        columns={columns}
        dataSource={items}
        loading={!items && !error}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t('requests.empty') }}
        onRow={(row) => ({ 'data-testid': `ticket-row-${row.number}` }) as React.HTMLAttributes<HTMLElement>}
        scroll={{ x: 900 }}
      />
      {dialog && (
        <ActionDialog
          ticket={dialog.ticket}
          action={dialog.action}
          title={dialog.title}
          onClose={() => setDialog(undefined)}
          onDone={(updated: Ticket) => {
            setDialog(undefined);
            toast.success(t('action.done', { action: t(`action.${dialog.action}`) }));
            setItems((list) => list?.map((i) => (i.number === updated.number ? { ...i, ...updated } : i)));
            void load();
          }}
        />
      )}
      <CommentDialog
        ticket={commenting}
        onClose={() => setCommenting(undefined)}
        onDone={() => {
          setCommenting(undefined);
          void load();
        }}
      />
    </section>
  );
}

function CommentDialog({ ticket, onClose, onDone }: { ticket: TicketListItem | undefined; onClose(): void; onDone(): void }) {
  const { t } = useItsm();
  const [body, setBody] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const send = async () => {
    if (!ticket || !body.trim()) return;
    setBusy(true);
    try {
      await ticketsApi.comment(ticket.number, body.trim(), false);
      setBody('');
      setError(undefined);
      onDone();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={ticket !== undefined}
      title={ticket ? t('requests.commentTitle', { number: ticket.number }) : ''}
      onCancel={onClose}
      onOk={send}
      okText={t('ticket.send')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: !body.trim() }}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Input.TextArea
        value={body}
        onChange={(e) => setBody(e.target.value)}
        autoSize={{ minRows: 3 }}
        autoFocus
        data-testid="ticket-comment"
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 8 }} />}
    </Modal>
  );
}
