// Business time on a calendar: working hours per weekday in the calendar's own time zone, holidays
// (no hours) and make-up days (weekend dates worked with Monday's hours, 调休). Pure: no clock, no
// database. SLA due times and the ITSM modules' business days are computed here.
//
// An instant is business time when its wall time in the zone falls in a span of its wall date. So
// on a spring-forward day an hour that does not exist on the wall is not counted, and on a
// fall-back day an hour the wall shows twice is counted twice. Time is walked in pieces of one
// wall date and one UTC offset each (a day, or two on a day the offset changes), never minute by
// minute.
import { IANAZone } from 'luxon';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface BusinessCalendar {
  id: string;
  name?: string;
  /** IANA zone the spans and dates are in. */
  timezone: string;
  /** Spans of local time per weekday, `["09:00", "12:00"]`; `"24:00"` may end a span. */
  week: Partial<Record<Weekday, [string, string][]>>;
  /** Dates (`YYYY-MM-DD`, in the zone) with no working hours. */
  holidays: string[];
  /** Weekend dates worked instead, with Monday's hours. */
  workdays: string[];
}

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** 24x7 in UTC: business time is elapsed time. */
export const AROUND_THE_CLOCK: BusinessCalendar = Object.freeze({
  id: '24x7',
  name: '24x7',
  timezone: 'UTC',
  week: Object.freeze(Object.fromEntries(WEEKDAYS.map((d) => [d, [['00:00', '24:00']]]))),
  holidays: [],
  workdays: [],
}) as BusinessCalendar;

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Minutes since midnight of `HH:MM` (`24:00` is 1440), or undefined if it is not one. */
export function parseClock(hhmm: string): number | undefined {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h === 24 && min === 0) return 1440;
  if (h > 23 || min > 59) return undefined;
  return h * 60 + min;
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date, or undefined if it is not a real date. */
export function parseDate(iso: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(ms).toISOString().slice(0, 10) !== iso) return undefined;
  return ms / DAY;
}

/** Monday = 0 ... Sunday = 6 of a day number (1970-01-01 was a Thursday). */
const weekdayOf = (day: number): number => (((day + 3) % 7) + 7) % 7;

interface Compiled {
  /** Offset in ms (wall = instant + offset) at an instant. */
  offset(at: number): number;
  /** Merged spans in ms since wall midnight, Monday first. */
  week: Array<Array<[number, number]>>;
  holidays: Set<number>;
  workdays: Set<number>;
  /** Past this day nothing more is worked (no weekly hours, only make-up days); undefined if hours recur. */
  lastWorkedDay: number | undefined;
}

const compiledCache = new WeakMap<BusinessCalendar, Compiled>();

function compile(cal: BusinessCalendar): Compiled {
  const cached = compiledCache.get(cal);
  if (cached) return cached;
  const offset = offsetFunction(cal.timezone);
  const week = WEEKDAYS.map((d) => mergeSpans(cal.week[d] ?? [], d));
  const dates = (list: string[], what: string) =>
    new Set(
      list.map((iso) => {
        const day = parseDate(iso);
        if (day === undefined) throw new RangeError(`${what}: "${iso}" is not a date (YYYY-MM-DD)`);
        return day;
      }),
    );
  const holidays = dates(cal.holidays ?? [], 'holidays');
  const workdays = dates(cal.workdays ?? [], 'workdays');
  const recurring = week.some((spans) => spans.length > 0);
  const worked = [...workdays].filter((d) => !holidays.has(d) && (week[0]?.length ?? 0) > 0);
  const compiled: Compiled = {
    offset,
    week,
    holidays,
    workdays,
    lastWorkedDay: recurring ? undefined : worked.length > 0 ? Math.max(...worked) : Number.NEGATIVE_INFINITY,
  };
  compiledCache.set(cal, compiled);
  return compiled;
}

function offsetFunction(timezone: string): (at: number) => number {
  if (timezone === 'UTC' || timezone === 'Etc/UTC') return () => 0;
  const zone = IANAZone.create(timezone);
  if (!zone.isValid) throw new RangeError(`timezone: "${timezone}" is not an IANA time zone`);
  return (at) => zone.offset(at) * MINUTE;
}

function mergeSpans(spans: [string, string][], day: Weekday): Array<[number, number]> {
  const parsed = spans.map(([a, b]): [number, number] => {
    const start = parseClock(a);
    const end = parseClock(b);
    if (start === undefined || start === 1440 || end === undefined || start >= end)
      throw new RangeError(`week.${day}: ["${a}", "${b}"] is not a span of HH:MM with start < end`);
    return [start * MINUTE, end * MINUTE];
  });
  parsed.sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const s of parsed) {
    const last = merged[merged.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  return merged;
}

/** The spans (ms since wall midnight) worked on a wall date given as a day number. */
function spansOn(c: Compiled, day: number): Array<[number, number]> {
  if (c.holidays.has(day)) return [];
  const weekday = weekdayOf(day);
  if (c.workdays.has(day) && weekday >= 5) return c.week[0] ?? [];
  return c.week[weekday] ?? [];
}

/** Whether a date (`YYYY-MM-DD`, in the calendar's zone) has working hours. */
export function isWorkingDay(cal: BusinessCalendar, isoDate: string): boolean {
  const day = parseDate(isoDate);
  if (day === undefined) throw new RangeError(`"${isoDate}" is not a date (YYYY-MM-DD)`);
  return spansOn(compile(cal), day).length > 0;
}

/** The first instant after `from` whose offset is not `offset`, searched in (from, to]. */
function transitionIn(c: Compiled, from: number, to: number, offset: number): number {
  let lo = from;
  let hi = to;
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (c.offset(mid) === offset) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * Business intervals [start, end) in instants, in order, from `from` on. Ends when the calendar
 * can work no more (a calendar without weekly hours, past its last make-up day).
 */
function* intervalsFrom(c: Compiled, from: number): Generator<[number, number]> {
  let t = from;
  let offset = c.offset(t);
  for (;;) {
    const wall = t + offset;
    const day = Math.floor(wall / DAY);
    if (c.lastWorkedDay !== undefined && day > c.lastWorkedDay) return;
    // The piece runs to the next wall midnight, or to an offset change before it.
    let end = (day + 1) * DAY - offset;
    const offsetAtEnd = c.offset(end);
    let nextOffset = offsetAtEnd;
    if (offsetAtEnd !== offset) {
      end = transitionIn(c, t, end, offset);
      nextOffset = c.offset(end);
    }
    const midnight = day * DAY - offset; // the instant the wall would show 00:00 at this offset
    for (const [s, e] of spansOn(c, day)) {
      const a = Math.max(t, midnight + s);
      const b = Math.min(end, midnight + e);
      if (a < b) yield [a, b];
    }
    t = end;
    offset = nextOffset;
  }
}

function checkInstant(d: Date, what: string): number {
  const ms = d.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`${what} is not a valid date`);
  return ms;
}

/** The first instant at which `ms` of business time has passed since `from`. */
export function addBusinessTime(cal: BusinessCalendar, from: Date, ms: number): Date {
  const start = checkInstant(from, 'from');
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`business time must be a finite number of ms >= 0, got ${ms}`);
  if (ms === 0) return new Date(start);
  let left = ms;
  for (const [a, b] of intervalsFrom(compile(cal), start)) {
    if (b - a >= left) return new Date(a + left);
    left -= b - a;
  }
  throw new RangeError(`calendar "${cal.id}" has no working hours left after ${from.toISOString()}`);
}

/** Ms of business time in [from, to); 0 if to <= from. */
export function businessTimeBetween(cal: BusinessCalendar, from: Date, to: Date): number {
  const start = checkInstant(from, 'from');
  const end = checkInstant(to, 'to');
  if (end <= start) return 0;
  let total = 0;
  for (const [a, b] of intervalsFrom(compile(cal), start)) {
    if (a >= end) break;
    total += Math.min(b, end) - a;
  }
  return total;
}

export interface CalendarProblem {
  /** The field, as the API's validation errors name it: `timezone`, `week.mon[1]`, `workdays[2]`. */
  field: string;
  message: string;
}

/** Problems with a calendar's fields, each naming its field; empty when it is usable. */
export function calendarProblems(cal: Pick<BusinessCalendar, 'timezone' | 'week' | 'holidays' | 'workdays'>): CalendarProblem[] {
  const problems: CalendarProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  if (typeof cal.timezone !== 'string' || !IANAZone.isValidZone(cal.timezone))
    add('timezone', `"${String(cal.timezone)}" is not an IANA time zone`);
  for (const [key, spans] of Object.entries(cal.week ?? {})) {
    if (!WEEKDAYS.includes(key as Weekday)) {
      add(`week.${key}`, 'not a weekday (mon ... sun)');
      continue;
    }
    (spans ?? []).forEach(([a, b], i) => {
      const field = `week.${key}[${i}]`;
      const start = parseClock(a);
      const end = parseClock(b);
      if (start === undefined || start === 1440) add(field, `start "${a}" is not a time HH:MM (00:00 to 23:59)`);
      else if (end === undefined) add(field, `end "${b}" is not a time HH:MM (00:00 to 24:00)`);
      else if (start >= end) add(field, `start ${a} is not before end ${b}`);
    });
  }
  (cal.holidays ?? []).forEach((iso, i) => {
    if (parseDate(iso) === undefined) add(`holidays[${i}]`, `"${iso}" is not a date (YYYY-MM-DD)`);
  });
  (cal.workdays ?? []).forEach((iso, i) => {
    const day = parseDate(iso);
    if (day === undefined) add(`workdays[${i}]`, `"${iso}" is not a date (YYYY-MM-DD)`);
    else if (weekdayOf(day) < 5) add(`workdays[${i}]`, `${iso} is not a Saturday or Sunday: make-up days are weekend dates worked`);
  });
  return problems;
}
