import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  AROUND_THE_CLOCK,
  addBusinessTime,
  type BusinessCalendar,
  businessTimeBetween,
  calendarProblems,
  isWorkingDay,
  WEEKDAYS,
  type Weekday,
} from './business-time.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const at = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toJSDate();
const local = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).toFormat('ccc yyyy-MM-dd HH:mm');

const officeHours = (zone: string, extra: Partial<BusinessCalendar> = {}): BusinessCalendar => ({
  id: 'office',
  timezone: zone,
  week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '18:00']]])),
  holidays: [],
  workdays: [],
  ...extra,
});

/** National Day 2026 as this test's calendar has it: 1 to 7 October off, Sunday 27 September and Saturday 10 October worked. */
const shanghai = officeHours('Asia/Shanghai', {
  week: Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [
      d,
      [
        ['09:00', '12:00'],
        ['13:00', '18:00'],
      ],
    ]),
  ),
  holidays: ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'],
  workdays: ['2026-09-27', '2026-10-10'],
});

describe('business time: named examples', () => {
  it('PT27H on Monday to Friday 09:00-18:00 is three working days', () => {
    const cal = officeHours('UTC');
    expect(local(addBusinessTime(cal, at('2026-12-07T09:00', 'UTC'), 27 * HOUR), 'UTC')).toBe('Wed 2026-12-09 18:00');
    // Started on Friday afternoon, it runs over the weekend.
    expect(local(addBusinessTime(cal, at('2026-12-04T15:00', 'UTC'), 27 * HOUR), 'UTC')).toBe('Wed 2026-12-09 15:00');
    // From Saturday it starts on Monday morning.
    expect(local(addBusinessTime(cal, at('2026-12-05T11:00', 'UTC'), 27 * HOUR), 'UTC')).toBe('Wed 2026-12-09 18:00');
  });

  it('ends at the end of a span, not at the start of the next one', () => {
    const cal = officeHours('UTC');
    expect(local(addBusinessTime(cal, at('2026-12-07T17:00', 'UTC'), HOUR), 'UTC')).toBe('Mon 2026-12-07 18:00');
    expect(local(addBusinessTime(cal, at('2026-12-07T17:00', 'UTC'), HOUR + MINUTE), 'UTC')).toBe('Tue 2026-12-08 09:01');
  });

  it('skips the lunch break of a day with two spans', () => {
    const cal = officeHours('Asia/Shanghai', { week: shanghai.week });
    expect(local(addBusinessTime(cal, at('2026-12-07T11:00', 'Asia/Shanghai'), 2 * HOUR), 'Asia/Shanghai')).toBe('Mon 2026-12-07 14:00');
    expect(businessTimeBetween(cal, at('2026-12-07T08:00', 'Asia/Shanghai'), at('2026-12-07T20:00', 'Asia/Shanghai'))).toBe(8 * HOUR);
  });

  it('China’s National Day 2026: the holidays are skipped, the make-up Sunday and Saturday are worked', () => {
    const zone = 'Asia/Shanghai';
    expect(isWorkingDay(shanghai, '2026-09-26')).toBe(false); // Saturday
    expect(isWorkingDay(shanghai, '2026-09-27')).toBe(true); // Sunday worked
    expect(isWorkingDay(shanghai, '2026-10-01')).toBe(false); // Thursday, holiday
    expect(isWorkingDay(shanghai, '2026-10-08')).toBe(true);
    expect(isWorkingDay(shanghai, '2026-10-10')).toBe(true); // Saturday worked
    expect(isWorkingDay(shanghai, '2026-10-11')).toBe(false);
    // Friday 25 September 17:00 + 2 business hours: the make-up Sunday, with Monday's hours.
    expect(local(addBusinessTime(shanghai, at('2026-09-25T17:00', zone), 2 * HOUR), zone)).toBe('Sun 2026-09-27 10:00');
    // Wednesday 30 September 17:00 + 2 business hours: over the whole holiday, to Thursday 8 October.
    expect(local(addBusinessTime(shanghai, at('2026-09-30T17:00', zone), 2 * HOUR), zone)).toBe('Thu 2026-10-08 10:00');
    // From 8 October 09:00, 24 business hours (three days) end on the make-up Saturday.
    expect(local(addBusinessTime(shanghai, at('2026-10-08T09:00', zone), 24 * HOUR), zone)).toBe('Sat 2026-10-10 18:00');
    // The whole of September 26 to October 11: 27, 28, 29, 30 September, 8, 9, 10 October.
    expect(businessTimeBetween(shanghai, at('2026-09-26T00:00', zone), at('2026-10-12T00:00', zone))).toBe(7 * 8 * HOUR);
  });

  it('is exact across the daylight-saving changes of Berlin and New York', () => {
    const night = (zone: string): BusinessCalendar => ({
      id: 'night',
      timezone: zone,
      week: Object.fromEntries(WEEKDAYS.map((d) => [d, [['00:00', '24:00']]])),
      holidays: [],
      workdays: [],
    });
    // Berlin's spring day (29 March 2026) has 23 hours, its autumn day (25 October) 25.
    const berlin = night('Europe/Berlin');
    expect(businessTimeBetween(berlin, at('2026-03-29T00:00', 'Europe/Berlin'), at('2026-03-30T00:00', 'Europe/Berlin'))).toBe(23 * HOUR);
    expect(businessTimeBetween(berlin, at('2026-10-25T00:00', 'Europe/Berlin'), at('2026-10-26T00:00', 'Europe/Berlin'))).toBe(25 * HOUR);
    // A night shift 01:00-04:00 on the spring day loses the hour that does not exist (02:00-03:00).
    const shift = { ...night('Europe/Berlin'), week: { sun: [['01:00', '04:00']] as [string, string][] } };
    expect(businessTimeBetween(shift, at('2026-03-28T00:00', 'UTC'), at('2026-03-30T00:00', 'UTC'))).toBe(2 * HOUR);
    // ... and on the autumn day counts the hour the wall shows twice, twice.
    expect(businessTimeBetween(shift, at('2026-10-24T00:00', 'UTC'), at('2026-10-26T00:00', 'UTC'))).toBe(4 * HOUR);
    // New York's office day keeps 9 hours on both change days' weeks; the wall time stays 09:00-18:00.
    const ny = officeHours('America/New_York');
    const due = addBusinessTime(ny, at('2026-03-06T17:00', 'America/New_York'), 2 * HOUR);
    expect(local(due, 'America/New_York')).toBe('Mon 2026-03-09 10:00');
    expect(due.toISOString()).toBe('2026-03-09T14:00:00.000Z'); // EDT, UTC-4
    expect(local(addBusinessTime(ny, at('2026-10-30T17:00', 'America/New_York'), 2 * HOUR), 'America/New_York')).toBe(
      'Mon 2026-11-02 10:00',
    );
  });

  it('runs to midnight with a span ending at 24:00', () => {
    const cal: BusinessCalendar = { id: 'late', timezone: 'UTC', week: { mon: [['20:00', '24:00']] }, holidays: [], workdays: [] };
    expect(addBusinessTime(cal, at('2026-12-07T19:00', 'UTC'), 4 * HOUR).toISOString()).toBe('2026-12-08T00:00:00.000Z');
    expect(addBusinessTime(cal, at('2026-12-07T19:00', 'UTC'), 4 * HOUR + 1).toISOString()).toBe('2026-12-14T20:00:00.001Z');
  });

  it('around the clock, business time is elapsed time', () => {
    const from = new Date('2026-12-02T16:20:31.123Z');
    expect(addBusinessTime(AROUND_THE_CLOCK, from, 4 * HOUR + 7).getTime()).toBe(from.getTime() + 4 * HOUR + 7);
    expect(businessTimeBetween(AROUND_THE_CLOCK, from, new Date(from.getTime() + 90 * 24 * HOUR))).toBe(90 * 24 * HOUR);
  });

  it('counts nothing backwards and adds nothing for 0', () => {
    const cal = officeHours('UTC');
    const from = at('2026-12-05T11:00', 'UTC');
    expect(businessTimeBetween(cal, from, new Date(from.getTime() - HOUR))).toBe(0);
    expect(addBusinessTime(cal, from, 0)).toEqual(from);
    expect(() => addBusinessTime(cal, from, -1)).toThrow(RangeError);
  });

  it('stops with an error, not a loop, on a calendar that never works again', () => {
    const onlyMakeUp: BusinessCalendar = { id: 'x', timezone: 'UTC', week: {}, holidays: [], workdays: [] };
    expect(() => addBusinessTime(onlyMakeUp, at('2026-12-07T09:00', 'UTC'), HOUR)).toThrow(/no working hours/);
    expect(businessTimeBetween(onlyMakeUp, at('2026-12-07T09:00', 'UTC'), at('2027-12-07T09:00', 'UTC'))).toBe(0);
  });

  it('covers ten years of office days quickly', () => {
    const cal = officeHours('Europe/Berlin');
    const started = performance.now();
    const from = at('2026-01-01T00:00', 'Europe/Berlin');
    const to = at('2036-01-01T00:00', 'Europe/Berlin');
    const total = businessTimeBetween(cal, from, to);
    expect(addBusinessTime(cal, from, total).getTime()).toBeLessThanOrEqual(to.getTime());
    let weekdays = 0;
    for (let d = DateTime.fromISO('2026-01-01'); d.year < 2036; d = d.plus({ days: 1 })) if (d.weekday <= 5) weekdays++;
    expect(total).toBe(weekdays * 9 * HOUR);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('names the field of each problem', () => {
    expect(
      calendarProblems({
        timezone: 'Mars/Olympus',
        week: { mon: [['09:00', '08:00']], tue: [['9:00', '18:00']], wed: [['09:00', '24:30']] },
        holidays: ['2026-02-30'],
        workdays: ['2026-12-07', '2026-12-12'],
      }),
    ).toEqual([
      { field: 'timezone', message: '"Mars/Olympus" is not an IANA time zone' },
      { field: 'week.mon[0]', message: 'start 09:00 is not before end 08:00' },
      { field: 'week.tue[0]', message: 'start "9:00" is not a time HH:MM (00:00 to 23:59)' },
      { field: 'week.wed[0]', message: 'end "24:30" is not a time HH:MM (00:00 to 24:00)' },
      { field: 'holidays[0]', message: '"2026-02-30" is not a date (YYYY-MM-DD)' },
      { field: 'workdays[0]', message: '2026-12-07 is not a Saturday or Sunday: make-up days are weekend dates worked' },
    ]);
    expect(calendarProblems(shanghai)).toEqual([]);
  });
});

// ---- Property tests against a minute-by-minute reference ----

/** The reference: a minute is business time when its wall time falls in a span of its wall date. */
function bruteForce(cal: BusinessCalendar, from: number, to: number): number {
  const toMinutes = (hhmm: string) => (hhmm === '24:00' ? 1440 : Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)));
  let total = 0;
  for (let t = from; t < to; t += MINUTE) {
    const wall = DateTime.fromMillis(t, { zone: cal.timezone });
    const date = wall.toISODate() as string;
    const weekday = WEEKDAYS[wall.weekday - 1] as Weekday;
    let spans = cal.week[weekday] ?? [];
    if (cal.holidays.includes(date)) spans = [];
    else if (cal.workdays.includes(date) && wall.weekday >= 6) spans = cal.week.mon ?? [];
    const m = wall.hour * 60 + wall.minute;
    if (spans.some(([a, b]) => m >= toMinutes(a) && m < toMinutes(b))) total += MINUTE;
  }
  return total;
}

const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Shanghai', 'Australia/Lord_Howe', 'UTC'];
// Windows around each zone's changes (and China's National Day), so most runs cross one.
const WINDOWS = ['2026-03-07', '2026-03-27', '2026-04-03', '2026-09-24', '2026-10-23', '2026-10-31'].map((d) =>
  DateTime.fromISO(d, { zone: 'UTC' }).toMillis(),
);

const clock = fc.integer({ min: 0, max: 96 }).map((q) => q * 15); // quarter hours, 00:00 to 24:00
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const span = fc
  .tuple(clock, clock)
  .filter(([a, b]) => a !== b)
  .map(([a, b]): [string, string] => [hhmm(Math.min(a, b)), hhmm(Math.max(a, b))]);
const dateNear = fc
  .tuple(fc.constantFrom(...WINDOWS), fc.integer({ min: -3, max: 12 }))
  .map(([base, d]) => new Date(base + d * 86_400_000).toISOString().slice(0, 10));

const calendar: fc.Arbitrary<BusinessCalendar> = fc
  .record({
    timezone: fc.constantFrom(...ZONES),
    week: fc.record(
      Object.fromEntries(WEEKDAYS.map((d) => [d, fc.array(span, { maxLength: 3 })])) as Record<Weekday, fc.Arbitrary<[string, string][]>>,
    ),
    holidays: fc.array(dateNear, { maxLength: 6 }),
    workdays: fc.array(dateNear, { maxLength: 4 }),
  })
  .map((c) => ({ id: 'random', ...c }));

const minuteIn = fc.tuple(fc.constantFrom(...WINDOWS), fc.integer({ min: -2 * 1440, max: 8 * 1440 })).map(([base, m]) => base + m * MINUTE);

describe('business time: properties', () => {
  it('businessTimeBetween equals the minute-by-minute count', () => {
    fc.assert(
      fc.property(calendar, minuteIn, fc.integer({ min: 0, max: 4 * 1440 }), (cal, from, minutes) => {
        const to = from + minutes * MINUTE;
        expect(businessTimeBetween(cal, new Date(from), new Date(to))).toBe(bruteForce(cal, from, to));
      }),
      { numRuns: 60 },
    );
  });

  it('addBusinessTime is the first instant at which that much business time has passed', () => {
    fc.assert(
      fc.property(calendar, minuteIn, fc.integer({ min: 1, max: 12 * 60 }), (cal, from, minutes) => {
        const hasHours = WEEKDAYS.some((d) => (cal.week[d] ?? []).length > 0);
        fc.pre(hasHours);
        const due = addBusinessTime(cal, new Date(from), minutes * MINUTE).getTime();
        fc.pre(due - from <= 21 * 86_400_000); // keeps the reference's walk short
        expect(bruteForce(cal, from, due)).toBe(minutes * MINUTE);
        expect(bruteForce(cal, from, due - MINUTE)).toBe((minutes - 1) * MINUTE);
      }),
      { numRuns: 40 },
    );
  });

  it('is additive at any instant, to the millisecond', () => {
    fc.assert(
      fc.property(calendar, minuteIn, fc.nat(3 * 86_400_000), fc.nat(3 * 86_400_000), (cal, a, x, y) => {
        const b = a + x;
        const c = b + y;
        const [da, db, dc] = [new Date(a), new Date(b), new Date(c)];
        expect(businessTimeBetween(cal, da, db) + businessTimeBetween(cal, db, dc)).toBe(businessTimeBetween(cal, da, dc));
        const spent = businessTimeBetween(cal, da, dc);
        if (spent > 0) expect(businessTimeBetween(cal, da, addBusinessTime(cal, da, spent))).toBe(spent);
      }),
      { numRuns: 200 },
    );
  });
});
