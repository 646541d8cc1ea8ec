// Business calendars: working hours per weekday in a time zone, holidays and make-up days (weekend
// dates worked instead, with Monday's hours: 调休). SLA targets count business time on them.
import { type Static, Type } from 'typebox';
import { Nullable } from './common.ts';

export const CALENDAR_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$';
const CalendarId = Type.String({
  pattern: CALENDAR_ID_PATTERN,
  description: 'Letters, digits, _ . - (at most 64); `default` is the tenant’s default',
});

const Clock = Type.String({ pattern: '^(?:[01]\\d|2[0-3]):[0-5]\\d$|^24:00$', description: 'HH:MM local time; 24:00 ends a day' });
/** `["09:00", "12:00"]`: from start (included) to end (excluded), start < end. */
export const CalendarSpan = Type.Tuple([Clock, Clock]);
const Spans = Type.Array(CalendarSpan, { maxItems: 12 });
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD in the calendar’s zone' });

export const CalendarWeek = Type.Object(
  {
    mon: Type.Optional(Spans),
    tue: Type.Optional(Spans),
    wed: Type.Optional(Spans),
    thu: Type.Optional(Spans),
    fri: Type.Optional(Spans),
    sat: Type.Optional(Spans),
    sun: Type.Optional(Spans),
  },
  { additionalProperties: false, description: 'working spans per weekday; a day left out has none' },
);
export type CalendarWeek = Static<typeof CalendarWeek>;

const CalendarFields = {
  name: Type.Optional(Type.String({ maxLength: 200 })),
  timezone: Type.String({ minLength: 1, maxLength: 100, description: 'IANA time zone, e.g. Asia/Shanghai' }),
  week: CalendarWeek,
  holidays: Type.Optional(Type.Array(IsoDate, { maxItems: 1000, description: 'dates with no working hours' })),
  workdays: Type.Optional(
    Type.Array(IsoDate, { maxItems: 1000, description: 'Saturdays and Sundays worked instead (调休), with Monday’s hours' }),
  ),
};

export const CreateCalendarBody = Type.Object({ id: CalendarId, ...CalendarFields }, { additionalProperties: false });
export type CreateCalendarBody = Static<typeof CreateCalendarBody>;

export const UpdateCalendarBody = Type.Object(CalendarFields, { additionalProperties: false });
export type UpdateCalendarBody = Static<typeof UpdateCalendarBody>;

export const CalendarIdParams = Type.Object({ id: CalendarId }, { additionalProperties: false });

export const Calendar = Type.Object({
  id: Type.String(),
  name: Type.String(),
  timezone: Type.String(),
  week: CalendarWeek,
  holidays: Type.Array(Type.String()),
  workdays: Type.Array(Type.String()),
  builtIn: Type.Boolean({ description: 'the built-in `default` (Monday to Friday, 09:00-18:00 in the tenant’s zone), not stored' }),
  updatedAt: Nullable(Type.String({ format: 'date-time' })),
});
export type Calendar = Static<typeof Calendar>;

export const CalendarList = Type.Array(Calendar);
