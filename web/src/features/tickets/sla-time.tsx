// The time left to an SLA due time ("due in 3 hours", "overdue 2 hours ago"): the inbox's badge,
// the ticket's SLA panel and the portal's "time left" (kept apart so the portal loads no more).
import dayjs from 'dayjs';
import { useItsm } from './components.tsx';
import './sla-i18n.ts';

/** "due in 3 hours" / "overdue 2 hours ago", in the chosen language. */
export function TimeLeft({ dueAt }: { dueAt: string | null | undefined }) {
  const { t, i18n } = useItsm();
  if (!dueAt) return <>{t('common.none')}</>;
  const d = dayjs(dueAt).locale(i18n.language === 'zh-CN' ? 'zh-cn' : 'en');
  const late = d.isBefore(dayjs());
  return (
    <time title={d.format('YYYY-MM-DD HH:mm')} data-testid="sla-time-left" style={late ? { color: '#cf1322' } : undefined}>
      {t(late ? 'sla.overdue' : 'sla.dueIn', { when: d.fromNow() })}
    </time>
  );
}
