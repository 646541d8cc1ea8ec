import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { addBusinessDays } from './business-days.ts';

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
