import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { addBusinessDays } from './business-days.ts';
import type { BusinessCalendar } from './business-time.ts';

const at = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toMillis();
const local = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toFormat('ccc yyyy-MM-dd HH:mm');

describe('addBusinessDays', () => {
  it('skips weekends and keeps the local time', () => {
    expect(local(addBusinessDays(at('2026-12-04T10:00', 'UTC'), 3, 'UTC'), 'UTC')).toBe('Wed 2026-12-09 10:00');
    expect(local(addBusinessDays(at('2026-12-07T17:30', 'UTC'), 3, 'UTC'), 'UTC')).toBe('Thu 2026-12-10 17:30');
  });

  it('counts from Monday when it starts on a weekend', () => {
    expect(local(addBusinessDays(at('2026-12-05T11:00', 'UTC'), 1, 'UTC'), 'UTC')).toBe('Tue 2026-12-08 11:00');
  });

  it('works in the tenant’s zone, across a daylight-saving change', () => {
    // Europe/Berlin leaves summer time on Sunday 2026-10-25.
    const from = at('2026-10-23T09:00', 'Europe/Berlin');
    expect(local(addBusinessDays(from, 1, 'Europe/Berlin'), 'Europe/Berlin')).toBe('Mon 2026-10-26 09:00');
    expect(local(addBusinessDays(at('2026-12-04T18:00', 'Asia/Shanghai'), 2, 'Asia/Shanghai'), 'Asia/Shanghai')).toBe(
      'Tue 2026-12-08 18:00',
    );
  });

  it('falls back to UTC for a zone it does not know, and adds nothing for 0 days on a weekday', () => {
    const from = at('2026-12-02T08:00', 'UTC');
    expect(addBusinessDays(from, 0, 'Not/AZone')).toBe(from);
  });
});

describe('addBusinessDays on a calendar', () => {
  const china: BusinessCalendar = {
    id: 'default',
    timezone: 'Asia/Shanghai',
    week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '18:00']]])),
    holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
    workdays: ['2026-09-27', '2026-10-10'],
  };
  const zone = 'Asia/Shanghai';

  it('skips holidays and weekends, and counts make-up days', () => {
    // Wednesday 30 September + 1: the holiday (1-7 October, weekend included) is skipped.
    expect(local(addBusinessDays(at('2026-09-30T10:00', zone), 1, china), zone)).toBe('Thu 2026-10-08 10:00');
    // Friday 25 September + 1: the make-up Sunday 27 September.
    expect(local(addBusinessDays(at('2026-09-25T10:00', zone), 1, china), zone)).toBe('Sun 2026-09-27 10:00');
    // Friday 9 October + 1: the make-up Saturday 10 October; + 2: Monday 12 October.
    expect(local(addBusinessDays(at('2026-10-09T10:00', zone), 1, china), zone)).toBe('Sat 2026-10-10 10:00');
    expect(local(addBusinessDays(at('2026-10-09T10:00', zone), 2, china), zone)).toBe('Mon 2026-10-12 10:00');
    // From a holiday, counting starts on the next working date.
    expect(local(addBusinessDays(at('2026-10-02T10:00', zone), 0, china), zone)).toBe('Thu 2026-10-08 10:00');
  });

  it('refuses a calendar that never works rather than looping', () => {
    expect(() => addBusinessDays(at('2026-12-02T08:00', 'UTC'), 1, { ...china, week: {}, workdays: [] })).toThrow(RangeError);
  });
});
