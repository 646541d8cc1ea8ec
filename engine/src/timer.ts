// ISO 8601 timer arithmetic (durations, dates, repeating cycles) with luxon, always from a
// `now` passed in: the engine reads no clock.
import { CronExpressionParser } from 'cron-parser';
import { DateTime, Duration } from 'luxon';

export interface Schedule {
  dueAt: string;
  /** Cycles: repetitions left after this firing (-1 = forever) and the interval. */
  repeat?: number;
  every?: string;
}

export class TimerFormatError extends Error {}

function parseDuration(text: string): Duration {
  const d = Duration.fromISO(text.trim());
  if (!d.isValid) throw new TimerFormatError(`"${text}" is not an ISO 8601 duration such as PT4H`);
  return d;
}

function parseDate(text: string): DateTime {
  // An offset in the text is kept for the arithmetic; a date without one is UTC, never the server's zone.
  const d = DateTime.fromISO(text.trim(), { setZone: true, zone: 'utc' });
  if (!d.isValid) throw new TimerFormatError(`"${text}" is not an ISO 8601 date-time such as 2026-01-01T09:00:00Z`);
  return d;
}

const iso = (d: DateTime): string => d.toUTC().toISO() as string;

/** Durations without calendar units (years, months), by text: their length in milliseconds. */
const fixedLengths = new Map<string, number | null>();

/**
 * The length of a duration with no years or months: in UTC a day is always 24 hours and a week 7
 * days, so adding it to a UTC instant is plain arithmetic. null for a calendar duration.
 * (A user task's due date is computed on every task created: luxon's parse and add cost 1.4% of
 * the server's CPU under the API bench.)
 */
function fixedLength(text: string): number | null {
  let ms = fixedLengths.get(text);
  if (ms === undefined) {
    const d = parseDuration(text);
    ms = d.years || d.quarters || d.months ? null : d.as('milliseconds');
    if (fixedLengths.size >= 1000) fixedLengths.clear();
    fixedLengths.set(text, ms);
  }
  return ms;
}

export function addDuration(from: number | string, duration: string): string {
  if (typeof from === 'number') {
    const ms = fixedLength(duration);
    if (ms !== null) return new Date(from + ms).toISOString();
  }
  const start = typeof from === 'number' ? DateTime.fromMillis(from, { zone: 'utc' }) : parseDate(from);
  return iso(start.plus(parseDuration(duration)));
}

/**
 * Cron cycles (compile() has turned Quartz and Spring forms into cron-parser's) fire at the
 * expression's next time in UTC, without end: their "interval" is the expression itself.
 */
const isCron = (text: string) => /^\S+(\s+\S+){4,5}$/.test(text.trim()) && !/^R/i.test(text.trim());

function cronAfter(expression: string, after: number): string {
  return CronExpressionParser.parse(expression, { currentDate: new Date(after), tz: 'UTC' })
    .next()
    .toISOString() as string;
}

/** A cycle "R3/PT1H", "R/PT1H" or "R3/2026-01-01T00:00:00Z/PT1H", split into its parts; a cron cycle repeats forever. */
export function parseCycle(text: string): { repeat: number; start?: string; every: string } {
  if (isCron(text)) {
    try {
      CronExpressionParser.parse(text.trim(), { tz: 'UTC' });
    } catch (e) {
      throw new TimerFormatError(`"${text}" is not a cron expression: ${(e as Error).message}`);
    }
    return { repeat: -1, every: text.trim() };
  }
  const parts = text.trim().split('/');
  const rep = /^R(\d*)$/.exec(parts[0] ?? '');
  if (!rep || parts.length < 2 || parts.length > 3) {
    throw new TimerFormatError(`"${text}" is not an ISO 8601 repeating interval such as R3/PT1H`);
  }
  const repeat = rep[1] === '' ? -1 : Number(rep[1]);
  if (repeat === 0) throw new TimerFormatError(`"${text}" repeats zero times`);
  const every = parts[parts.length - 1] as string;
  if (parts.length === 3) parseDate(parts[1] as string);
  // A cycle of no time (or negative time) would fire without end at one instant.
  if (cycleIntervalMs(every) <= 0)
    throw new TimerFormatError(`"${text}" repeats every ${every}: a cycle's interval must be longer than zero`);
  return parts.length === 3 ? { repeat, start: parts[1], every } : { repeat, every };
}

/**
 * A cycle interval's length in milliseconds, counted from the Unix epoch for calendar units (a
 * month ~ 30 days): what a minimum interval or a sign is judged by, not when it fires.
 */
export function cycleIntervalMs(every: string): number {
  if (isCron(every)) {
    // The shortest gap between its first firings (from the epoch): what a minimum is judged by.
    let shortest = Number.POSITIVE_INFINITY;
    let at = Date.parse(cronAfter(every, 0));
    for (let i = 0; i < 60; i++) {
      const next = Date.parse(cronAfter(every, at));
      shortest = Math.min(shortest, next - at);
      at = next;
    }
    return shortest;
  }
  return DateTime.fromMillis(0, { zone: 'utc' }).plus(parseDuration(every)).toMillis();
}

/** When a timer of the given kind first fires, evaluated at `now` (epoch ms). */
export function firstSchedule(kind: 'duration' | 'date' | 'cycle', text: string, now: number): Schedule {
  if (kind === 'duration') return { dueAt: addDuration(now, text) };
  if (kind === 'date') return { dueAt: iso(parseDate(text)) };
  const cycle = parseCycle(text);
  if (isCron(cycle.every)) return { dueAt: cronAfter(cycle.every, now), repeat: -1, every: cycle.every };
  const left = cycle.repeat === -1 ? -1 : cycle.repeat - 1;
  if (cycle.start) {
    // A start in the past fires at once; later firings keep the interval from the start.
    return { dueAt: iso(parseDate(cycle.start)), repeat: left, every: cycle.every };
  }
  return { dueAt: addDuration(now, cycle.every), repeat: left, every: cycle.every };
}

/**
 * The next firing of a cycle after one due at `dueAt`, or undefined when it is spent. Given `now`
 * (when the firing happened), a cycle that fell behind (a start in the past, a server that was
 * down) does not fire once per missed period, as Camunda does not: the next firing is the first
 * one of the cycle's own phase after now, the missed ones counting as the one that just fired.
 */
export function nextSchedule(previous: Schedule, now?: number): Schedule | undefined {
  if (previous.every === undefined || previous.repeat === undefined || previous.repeat === 0) return undefined;
  return {
    dueAt: nextAfter(previous.dueAt, previous.every, now),
    repeat: previous.repeat === -1 ? -1 : previous.repeat - 1,
    every: previous.every,
  };
}

/** `from` + `every`, moved on by whole intervals past `now` when that is still not later. */
function nextAfter(from: string, every: string, now: number | undefined): string {
  // A cron cycle's next time after the firing, or after now when it fell behind (once for all missed).
  if (isCron(every)) return cronAfter(every, Math.max(Date.parse(from), now ?? 0));
  const next = addDuration(from, every);
  if (now === undefined || Date.parse(next) > now) return next;
  const ms = fixedLength(every);
  if (ms !== null && ms > 0) {
    // Keeps the phase: the first of from + k * every that lies after now.
    const start = Date.parse(from);
    return new Date(start + (Math.floor((now - start) / ms) + 1) * ms).toISOString();
  }
  // A calendar interval (months, years): one interval from now.
  return addDuration(now, every);
}

/** Validates a literal timer value at compile time; returns the problem or undefined. */
export function checkTimerLiteral(kind: 'duration' | 'date' | 'cycle', text: string): string | undefined {
  try {
    if (kind === 'duration') parseDuration(text);
    else if (kind === 'date') parseDate(text);
    else parseCycle(text);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * When a timer start event of a process first fires. Its value cannot read variables (none
 * exist before the instance), so compile() has already checked it gives a valid schedule.
 */
export function startTimerSchedule(
  timer: {
    kind: 'duration' | 'date' | 'cycle';
    value: { literal: string } | { expr: { evaluate(ctx: Record<string, unknown>): unknown } };
  },
  now: number,
): Schedule {
  const text = 'literal' in timer.value ? timer.value.literal : String(timer.value.expr.evaluate({}) ?? '');
  return firstSchedule(timer.kind, text, now);
}
