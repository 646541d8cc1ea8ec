// The calendars' rows (itsm_calendars, migration 012) and their API shape.
import type { Calendar, CreateCalendarBody, UpdateCalendarBody } from '@serviceloom/contracts';
import type { BusinessCalendar } from '../../platform/time/business-time.ts';
import { type CalendarRow, calendarOfRow } from '../../platform/time/calendars.ts';

export function calendarView(cal: BusinessCalendar, row?: CalendarRow): Calendar {
  return {
    id: cal.id,
    name: cal.name ?? cal.id,
    timezone: cal.timezone,
    week: cal.week,
    holidays: cal.holidays,
    workdays: cal.workdays,
    builtIn: row === undefined,
    updatedAt: row ? new Date(row.updated_at).toISOString() : null,
  };
}

export const viewOfRow = (row: CalendarRow): Calendar => calendarView(calendarOfRow(row), row);

/** Dates once each, in order. */
const dates = (list: string[] | undefined) => [...new Set(list ?? [])].sort();

/** The stored columns of a calendar (name defaults to the id). */
export function columnsOf(id: string, body: UpdateCalendarBody | CreateCalendarBody) {
  return {
    name: body.name?.trim() || id,
    timezone: body.timezone,
    week: JSON.stringify(body.week),
    holidays: JSON.stringify(dates(body.holidays)),
    workdays: JSON.stringify(dates(body.workdays)),
  };
}
