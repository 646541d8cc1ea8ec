// A human-readable preview of a timer: "after 4 hours", "every 1 hour, 3 times", "at 9 Jan 2026 09:00 UTC".
export type TimerKind = 'duration' | 'date' | 'cycle';
type T = (key: string, options?: Record<string, unknown>) => string;

const DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const UNITS = ['year', 'month', 'week', 'day', 'hour', 'minute', 'second'] as const;

export function describeDuration(text: string, t: T): string | undefined {
  const m = DURATION.exec(text.trim());
  if (!m) return undefined;
  const parts = UNITS.flatMap((unit, i) => (m[i + 1] ? [t(`timer.unit.${unit}`, { count: Number(m[i + 1]) })] : []));
  return parts.join(t('timer.and'));
}

function describeDate(text: string): string | undefined {
  const ms = Date.parse(text.trim());
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(text.trim())) return undefined;
  return `${new Date(ms).toISOString().replace('T', ' ').slice(0, 16)} UTC`;
}

/** The preview, or `{ error }` when the value cannot be a timer of that kind. */
export function describeTimer(kind: TimerKind, value: string, t: T): { text?: string; error?: string } {
  const v = value.trim();
  if (!v) return { error: t('timer.empty') };
  if (v.startsWith('=')) return { text: t('timer.computed', { expr: v.slice(1).trim() }) };
  if (kind === 'duration') {
    const d = describeDuration(v, t);
    return d ? { text: t('timer.after', { duration: d }) } : { error: t('timer.badDuration') };
  }
  if (kind === 'date') {
    const d = describeDate(v);
    return d ? { text: t('timer.at', { date: d }) } : { error: t('timer.badDate') };
  }
  const parts = v.split('/');
  const rep = /^R(\d*)$/.exec(parts[0] ?? '');
  if (!rep || parts.length < 2 || parts.length > 3) return { error: t('timer.badCycle') };
  const every = describeDuration(parts[parts.length - 1] as string, t);
  const from = parts.length === 3 ? describeDate(parts[1] as string) : undefined;
  if (!every || (parts.length === 3 && !from)) return { error: t('timer.badCycle') };
  const times = rep[1] === '' ? t('timer.forever') : t('timer.times', { count: Number(rep[1]) });
  if (rep[1] === '0') return { error: t('timer.badCycle') };
  return { text: from ? t('timer.everyFrom', { every, from, times }) : t('timer.every', { every, times }) };
}
