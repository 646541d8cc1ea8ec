// A tenant's business calendars as stored in `itsm_calendars` (migration 012; written by the
// calendars module), read here so that every ITSM module counts business time the same way. The
// calendar `default` exists for every tenant: the built-in Monday to Friday, 09:00 to 18:00 in the
// tenant's time zone until the tenant stores its own.
import { IANAZone } from 'luxon';
import type { Queryable } from '../db/connect.ts';
import { Work } from '../db/transactions.ts';
import type { BusinessCalendar, Weekday } from './business-time.ts';

export const DEFAULT_CALENDAR_ID = 'default';

export interface CalendarRow {
  tenant_id: string;
  id: string;
  name: string;
  timezone: string;
  week: Partial<Record<Weekday, [string, string][]>> | string;
  holidays: string[] | string;
  workdays: string[] | string;
  created_at: Date | string;
  updated_at: Date | string;
}

/** jsonb comes back parsed from pg and PGlite; a string only from an older driver path. */
const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

export function calendarOfRow(row: CalendarRow): BusinessCalendar {
  return {
    id: row.id,
    name: row.name,
    timezone: row.timezone,
    week: json(row.week),
    holidays: json(row.holidays),
    workdays: json(row.workdays),
  };
}

/** The built-in `default`: Monday to Friday, 09:00 to 18:00, in the given zone. */
export function builtInDefault(timezone: string): BusinessCalendar {
  const day: [string, string][] = [['09:00', '18:00']];
  return {
    id: DEFAULT_CALENDAR_ID,
    name: 'Default',
    timezone,
    week: { mon: day, tue: day, wed: day, thu: day, fri: day },
    holidays: [],
    workdays: [],
  };
}

/** The tenant's zone (`settings.timezone`), UTC unless set to a zone this runtime knows. */
export async function tenantTimezone(q: Queryable, tenantId: string): Promise<string> {
  const tenant = await q('tenants').where({ id: tenantId }).first('settings');
  const zone = (tenant?.settings as { timezone?: unknown } | undefined)?.timezone;
  return typeof zone === 'string' && IANAZone.isValidZone(zone) ? zone : 'UTC';
}

/** A tenant's calendar, or null if it has none of that id (`default` always exists). */
export async function loadCalendar(q: Queryable | Work, tenantId: string, id: string): Promise<BusinessCalendar | null> {
  const db = q instanceof Work ? q.tx : q;
  const row = (await db('itsm_calendars').where({ tenant_id: tenantId, id }).first()) as CalendarRow | undefined;
  if (row) return calendarOfRow(row);
  if (id !== DEFAULT_CALENDAR_ID) return null;
  return builtInDefault(await tenantTimezone(db, tenantId));
}

/** The tenant's calendar `default`: its own if stored, else the built-in one. */
export async function loadDefaultCalendar(q: Queryable | Work, tenantId: string): Promise<BusinessCalendar> {
  return (await loadCalendar(q, tenantId, DEFAULT_CALENDAR_ID)) ?? builtInDefault('UTC');
}
