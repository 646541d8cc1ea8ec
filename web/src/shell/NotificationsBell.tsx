// The bell in the header: the signed-in user's unread in-app notifications, live. One EventSource
// on GET /api/v1/notifications/stream (the token in the query: EventSource sends no headers) adds
// each new one; on (re)connecting the list is read again, for what came meanwhile. The list
// itself (NotificationsPanel) loads on the first click, so the bell costs the first page little.
import { BellOutlined } from '@ant-design/icons';
import type { Notification } from '@serviceloom/contracts';
import { Button } from 'antd';
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { useSession } from '../session.tsx';

const NotificationsPanel = lazy(() => import('./NotificationsPanel.tsx'));

export function NotificationsBell() {
  const { t } = useTranslation('app');
  const session = useSession();
  const token = session?.token;
  const [items, setItems] = useState<Notification[]>([]);
  const [unread, setUnread] = useState(0);
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLSpanElement>(null);

  const reload = useCallback(async () => {
    try {
      const list = await api.call('notifications.list', { query: { limit: '30' } });
      setItems(list.items);
      setUnread(list.unread);
    } catch {
      // The bell stays as it was; the next event or reconnect tries again.
    }
  }, []);

  useEffect(() => {
    if (!token) return;
    void reload();
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource(`/api/v1/notifications/stream?access_token=${encodeURIComponent(token)}`);
    source.addEventListener('ready', () => void reload());
    source.addEventListener('notification', (e) => {
      try {
        const n = JSON.parse((e as MessageEvent<string>).data) as Notification;
        setItems((list) => [n, ...list.filter((x) => x.id !== n.id)].slice(0, 30));
        setUnread((c) => c + 1);
      } catch {
        // a frame we do not understand: ignore it
      }
    });
    return () => source.close();
  }, [token, reload]);

  // A click outside closes the list.
  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open]);

  const markRead = async (id: string) => {
    const was = items.find((n) => n.id === id);
    await api.call('notifications.read', { params: { id } });
    setItems((list) => list.map((n) => (n.id === id ? { ...n, read: true } : n)));
    if (was && !was.read) setUnread((c) => Math.max(0, c - 1));
  };
  const readAll = async () => {
    await api.call('notifications.readAll');
    setItems((list) => list.map((n) => ({ ...n, read: true })));
    setUnread(0);
  };

  return (
    <span className="notifications" ref={box}>
      <Button
        type="text"
        data-testid="notifications-bell"
        data-unread={unread}
        aria-label={t('notifications.bell', { count: unread })}
        aria-expanded={open}
        icon={<BellOutlined />}
        onClick={() => setOpen((o) => !o)}
      >
        {unread > 0 && (
          <span className="notifications-count" data-testid="notifications-count">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </Button>
      {open && (
        <Suspense fallback={null}>
          <NotificationsPanel items={items} onRead={markRead} onReadAll={readAll} onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </span>
  );
}
