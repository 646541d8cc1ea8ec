// Business days on the default working week (Monday to Friday) in the tenant's time zone, shared
// by the ITSM modules (auto-close of resolved tickets, approval reminders). Calendars with hours, holidays and make-up days (调休) replace
// this when the SLA module brings them; until then a holiday counts as a working day.
import { DateTime } from 'luxon';

/**
 * The instant `days` working days after `from`, at the same local time. From a weekend, counting
 * starts on the next Monday at the same local time.
 */
export function addBusinessDays(from: number, days: number, timezone: string): number {
  let t = DateTime.fromMillis(from, { zone: timezone });
  if (!t.isValid) t = DateTime.fromMillis(from, { zone: 'UTC' });
  while (t.weekday > 5) t = t.plus({ days: 1 });
  let left = days;
  while (left > 0) {
    t = t.plus({ days: 1 });
    if (t.weekday <= 5) left--;
  }
  return t.toMillis();
}
