// The bell's list: the newest notifications, unread ones marked; a click on one marks it read and
// opens its ticket. Loaded on the bell's first click.
import type { Notification } from '@serviceloom/contracts';
import { Button, Empty, List, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

export interface NotificationsPanelProps {
  items: Notification[];
  onRead: (id: string) => Promise<void>;
  onReadAll: () => Promise<void>;
  onClose: () => void;
}

export default function NotificationsPanel({ items, onRead, onReadAll, onClose }: NotificationsPanelProps) {
  const { t, i18n } = useTranslation('app');
  const navigate = useNavigate();
  const open = async (n: Notification) => {
    if (!n.read) await onRead(n.id);
    if (n.ticket) {
      onClose();
      navigate(`/tickets/${n.ticket}`);
    }
  };
  return (
    <div className="notifications-panel" data-testid="notifications-panel" role="dialog" aria-label={t('notifications.title')}>
      <div className="notifications-panel-head">
        <Typography.Text strong>{t('notifications.title')}</Typography.Text>
        <Button
          size="small"
          type="link"
          data-testid="notifications-read-all"
          onClick={() => void onReadAll()}
          disabled={!items.some((n) => !n.read)}
        >
          {t('notifications.readAll')}
        </Button>
      </div>
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.empty')} />
      ) : (
        <List
          size="small"
          dataSource={items}
          renderItem={(n) => (
            <List.Item
              key={n.id}
              data-testid={`notification-${n.id}`}
              data-read={n.read}
              className={n.read ? 'notification read' : 'notification unread'}
              onClick={() => void open(n)}
              actions={
                n.read
                  ? []
                  : [
                      <Button
                        key="read"
                        size="small"
                        type="link"
                        data-testid="notification-mark-read"
                        onClick={(e) => {
                          e.stopPropagation();
                          void onRead(n.id);
                        }}
                      >
                        {t('notifications.markRead')}
                      </Button>,
                    ]
              }
            >
              <List.Item.Meta
                title={n.title}
                description={
                  <>
                    <div>{n.body}</div>
                    <Typography.Text type="secondary">{new Date(n.createdAt).toLocaleString(i18n.language)}</Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
    </div>
  );
}
