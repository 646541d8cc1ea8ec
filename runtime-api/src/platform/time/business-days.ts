// Business days, shared by the ITSM modules (auto-close of resolved tickets, approval reminders
// and escalations): counted on a business calendar, the tenant's `default` (calendars.ts), so a
// weekend or holiday is skipped and a make-up day (调休) counts. Only which dates are worked
// matters here, not the hours: a day later is the same local time on the next working date.
import { DateTime } from 'luxon';
import { type BusinessCalendar, isWorkingDay } from './business-time.ts';
import { builtInDefault } from './calendars.ts';

/** The longest run of non-working dates looked through before giving up (a calendar with no working date). */
const MAX_DAYS_OFF = 3660;

/**
 * The instant `days` working days after `from`, at the same local time. From a non-working date,
 * counting starts on the next working date at the same local time. `calendar` may be a time zone
 * alone: Monday to Friday in it.
 */
export function addBusinessDays(from: number, days: number, calendar: BusinessCalendar | string): number {
  const cal = typeof calendar === 'string' ? builtInDefault(calendar) : calendar;
  let t: DateTime = DateTime.fromMillis(from, { zone: cal.timezone });
  if (!t.isValid) t = DateTime.fromMillis(from, { zone: 'UTC' });
  // A zone this runtime does not know counts in UTC, as `t` does.
  const dates = t.zone.name === cal.timezone ? cal : { ...cal, timezone: 'UTC' };
  const worked = (d: DateTime) => isWorkingDay(dates, d.toISODate() as string);
  const next = (d: DateTime): DateTime => {
    for (let n = 0; n < MAX_DAYS_OFF; n++) {
      d = d.plus({ days: 1 });
      if (worked(d)) return d;
    }
    throw new RangeError(`calendar "${cal.id}" has no working day within ${MAX_DAYS_OFF} days of ${d.toISODate()}`);
  };
  if (!worked(t)) t = next(t);
  for (let left = days; left > 0; left--) t = next(t);
  return t.toMillis();
}
