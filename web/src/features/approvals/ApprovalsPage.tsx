// "My approvals" (/approvals): what waits for the signed-in user's decision, each with approve and
// reject (an optional comment). Until this server has approvals, a note says so.
import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, Input, List, Modal, Skeleton, Space, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useToast } from '../../shell/toast.ts';
import { type Approval, approvalsApi } from '../tickets/api.ts';
import { errorText, useItsm, When } from '../tickets/components.tsx';
import { useTicketStream } from '../tickets/useTicketStream.ts';

export default function ApprovalsPage() {
  const { t } = useItsm();
  const [items, setItems] = useState<Approval[] | null>();
  const [error, setError] = useState<string>();
  const [deciding, setDeciding] = useState<{ approval: Approval; decision: 'approve' | 'reject' }>();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const toast = useToast();

  const load = useCallback(async () => {
    try {
      setItems((await approvalsApi.list('requested')) ?? null);
      setError(undefined);
    } catch (e) {
      setError(errorText(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  // A new approval comes with a change of its ticket.
  useTicketStream(() => void load());

  const decide = async () => {
    if (!deciding) return;
    setBusy(true);
    try {
      await approvalsApi.decide(deciding.approval.id, deciding.decision, comment.trim() || undefined);
      toast.success(t(deciding.decision === 'approve' ? 'approvals.approved' : 'approvals.rejected'));
      setDeciding(undefined);
      setComment('');
      void load();
    } catch (e) {
      toast.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <Typography.Title level={3}>{t('approvals.title')}</Typography.Title>
      {error && <Alert type="error" showIcon title={t('common.error', { message: error })} style={{ marginBottom: 8 }} />}
      {items === undefined && !error && <Skeleton active />}
      {items === null && <Alert type="info" showIcon title={t('approvals.unavailable')} data-testid="approvals-unavailable" />}
      {items && (
        <Card size="small" data-testid="approvals">
          {items.length === 0 ? (
            <Empty description={t('approvals.empty')} />
          ) : (
            <List
              dataSource={items}
              renderItem={(a) => (
                <List.Item
                  data-testid={`approval-${a.id}`}
                  actions={[
                    <Button
                      key="approve"
                      type="primary"
                      icon={<CheckOutlined />}
                      data-testid="approval-approve"
                      onClick={() => setDeciding({ approval: a, decision: 'approve' })}
                    >
                      {t('approvals.approve')}
                    </Button>,
                    <Button
                      key="reject"
                      danger
                      icon={<CloseOutlined />}
                      data-testid="approval-reject"
                      onClick={() => setDeciding({ approval: a, decision: 'reject' })}
                    >
                      {t('approvals.reject')}
                    </Button>,
                  ]}
                >
                  <List.Item.Meta
                    title={
                      <Space>
                        <Link to={`/tickets/${a.ticket}`}>{a.ticket}</Link>
                        {a.title}
                      </Space>
                    }
                    description={
                      <>
                        {t('approvals.requestedAt')}: <When at={a.requestedAt} />
                      </>
                    }
                  />
                </List.Item>
              )}
            />
          )}
        </Card>
      )}
      <Modal
        open={deciding !== undefined}
        title={
          deciding ? `${t(deciding.decision === 'approve' ? 'approvals.approve' : 'approvals.reject')} · ${deciding.approval.ticket}` : ''
        }
        onCancel={() => setDeciding(undefined)}
        onOk={decide}
        okText={deciding ? t(deciding.decision === 'approve' ? 'approvals.approve' : 'approvals.reject') : ''}
        okButtonProps={{ danger: deciding?.decision === 'reject', ...({ 'data-testid': 'approval-confirm' } as object) }}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        destroyOnHidden
      >
        <Input.TextArea
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          placeholder={t('approvals.comment')}
          autoSize={{ minRows: 2 }}
          autoFocus
          data-testid="approval-comment"
        />
      </Modal>
    </section>
  );
}
