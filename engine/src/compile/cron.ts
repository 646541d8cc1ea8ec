// Cron timer cycles, as process models write them: Quartz (Camunda 7, Flowable, Activiti: six or
// seven fields from seconds, days of the week numbered 1 = Sunday), Spring (Camunda 8: six fields,
// 0 or 7 = Sunday) or Unix (five fields). Compile time turns each into the one form timer.ts runs
// (cron-parser's: Unix numbering), so a Quartz "6#3" (the third Friday) stays the third Friday.
import { CronExpressionParser } from 'cron-parser';

const QUARTZ_DIALECTS = new Set(['camunda', 'flowable', 'activiti']);

/** Whether a timer cycle is written as cron rather than as an ISO 8601 repetition. */
export function looksLikeCron(text: string): boolean {
  return !/^R/i.test(text.trim()) && /^\S+(\s+\S+){4,6}$/.test(text.trim());
}

/** Quartz day-of-week numbers (1-7, Sunday first) to Unix ones (0-6); names and the `#n` occurrence are kept. */
function quartzDaysToUnix(field: string): string {
  return field
    .split(',')
    .map((part) => {
      const [base = '', step] = part.split('/');
      const [days = '', nth] = base.split('#');
      const mapped = days.replace(/\d+/g, (n) => {
        const v = Number(n);
        if (v < 1 || v > 7) throw new Error(`day of week ${n} is outside Quartz's 1 (Sunday) to 7 (Saturday)`);
        return String(v - 1);
      });
      return `${mapped}${nth !== undefined ? `#${nth}` : ''}${step !== undefined ? `/${step}` : ''}`;
    })
    .join(',');
}

/** The cycle in the form the engine runs, or throws with the reason it cannot be. */
export function normalizeCron(text: string, dialect: string): string {
  let fields = text.trim().split(/\s+/);
  if (fields.length === 7) {
    const year = fields[6] as string;
    if (year !== '*' && year !== '?') throw new Error(`the year field ("${year}") of a cron cycle is not supported`);
    fields = fields.slice(0, 6);
  }
  if (fields.length === 6 && QUARTZ_DIALECTS.has(dialect)) fields[5] = quartzDaysToUnix(fields[5] as string);
  const normalized = fields.join(' ');
  try {
    CronExpressionParser.parse(normalized, { tz: 'UTC' });
  } catch (e) {
    throw new Error(`"${text}" is not a cron expression this engine can run: ${(e as Error).message}`);
  }
  return normalized;
}
