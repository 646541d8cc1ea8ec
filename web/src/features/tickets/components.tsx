// Small pieces the ticket pages share: the state and priority tags, dates in the chosen language,
// error sentences.
import { Tag } from 'antd';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn.js';
import relativeTime from 'dayjs/plugin/relativeTime.js';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.ts';
import { NS } from './i18n.ts';

dayjs.extend(relativeTime);

const STATE_COLORS: Record<string, string> = {
  new: 'blue',
  in_progress: 'processing',
  on_hold: 'warning',
  resolved: 'success',
  closed: 'default',
  cancelled: 'default',
  approval: 'purple',
  rejected: 'error',
};
const PRIORITY_COLORS: Record<number, string> = { 1: 'red', 2: 'volcano', 3: 'gold', 4: 'blue', 5: 'default' };

export const useItsm = () => useTranslation(NS);

/** The state, translated, with the raw state in `data-state` for tests and tools. */
export function StateTag({ state }: { state: string }) {
  const { t } = useItsm();
  return (
    <Tag color={STATE_COLORS[state] ?? 'default'} data-testid="ticket-state" data-state={state}>
      {t(`state.${state}`, { defaultValue: state })}
    </Tag>
  );
}

export function PriorityTag({ priority }: { priority: number }) {
  const { t } = useItsm();
  return <Tag color={PRIORITY_COLORS[priority] ?? 'default'}>{t(`priority.${priority}`, { defaultValue: `P${priority}` })}</Tag>;
}

/** A date in the chosen language: "2 minutes ago", with the full time on hover. */
export function When({ at }: { at: string | null | undefined }) {
  const { i18n, t } = useItsm();
  if (!at) return <>{t('common.none')}</>;
  const d = dayjs(at).locale(i18n.language === 'zh-CN' ? 'zh-cn' : 'en');
  return <time title={d.format('YYYY-MM-DD HH:mm:ss')}>{d.fromNow()}</time>;
}

export function fullDate(at: string | null | undefined, language: string): string {
  return at
    ? dayjs(at)
        .locale(language === 'zh-CN' ? 'zh-cn' : 'en')
        .format('YYYY-MM-DD HH:mm')
    : '—';
}

/** An error as a sentence for a message box. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  return e instanceof Error ? e.message : String(e);
}

export const personName = (p: { displayName?: string; username: string } | null | undefined) => (p ? p.displayName || p.username : '—');
