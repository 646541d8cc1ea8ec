// A tenant's business calendars. Tenant admins write them; admins and agents read them (agents see
// due times computed on them). `default` always exists: the built-in Monday to Friday,
// 09:00-18:00 in the tenant's zone, until the tenant stores its own; deleting the stored one
// brings the built-in back.
import type { Calendar, CreateCalendarBody, UpdateCalendarBody } from '@serviceloom/contracts';
import { actorOf, audit } from '../../platform/audit.ts';
import type { Principal } from '../../platform/auth/tokens.ts';
import type { Transactions, Work } from '../../platform/db/transactions.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';
import { calendarProblems } from '../../platform/time/business-time.ts';
import { builtInDefault, type CalendarRow, DEFAULT_CALENDAR_ID, tenantTimezone } from '../../platform/time/calendars.ts';
import { calendarView, columnsOf, viewOfRow } from './rows.ts';

export class CalendarService {
  constructor(private readonly transactions: Transactions) {}

  async list(p: Principal): Promise<Calendar[]> {
    return this.transactions.withTenant(p.tenantId, async (work) => {
      const rows = (await work.tx('itsm_calendars').where({ tenant_id: p.tenantId }).orderBy('id')) as CalendarRow[];
      const views = rows.map(viewOfRow);
      const stored = views.find((c) => c.id === DEFAULT_CALENDAR_ID);
      const rest = views.filter((c) => c.id !== DEFAULT_CALENDAR_ID);
      return [stored ?? (await this.builtIn(work)), ...rest];
    });
  }

  async get(p: Principal, id: string): Promise<Calendar> {
    return this.transactions.withTenant(p.tenantId, async (work) => {
      const row = await this.row(work, id);
      if (row) return viewOfRow(row);
      if (id === DEFAULT_CALENDAR_ID) return this.builtIn(work);
      throw notFound('calendar', id);
    });
  }

  async create(p: Principal, body: CreateCalendarBody): Promise<Calendar> {
    check(body);
    return this.transactions.withTenant(p.tenantId, async (work) => {
      if (await this.row(work, body.id)) throw conflict('CALENDAR_EXISTS', `calendar "${body.id}" exists; change it with PUT`);
      // `default` may be created: the tenant's own replaces the built-in.
      await work.tx('itsm_calendars').insert({
        tenant_id: p.tenantId,
        id: body.id,
        ...columnsOf(body.id, body),
        created_at: work.at,
        updated_at: work.at,
      });
      const view = viewOfRow((await this.row(work, body.id)) as CalendarRow);
      await audit(work, actorOf(p), { action: 'calendar.create', targetType: 'calendar', targetId: body.id, after: view });
      return view;
    });
  }

  async update(p: Principal, id: string, body: UpdateCalendarBody): Promise<Calendar> {
    check(body);
    return this.transactions.withTenant(p.tenantId, async (work) => {
      const existing = await this.row(work, id);
      if (existing) {
        await work
          .tx('itsm_calendars')
          .where({ tenant_id: p.tenantId, id })
          .update({ ...columnsOf(id, body), updated_at: work.at });
      } else if (id === DEFAULT_CALENDAR_ID) {
        await work
          .tx('itsm_calendars')
          .insert({ tenant_id: p.tenantId, id, ...columnsOf(id, body), created_at: work.at, updated_at: work.at });
      } else {
        throw notFound('calendar', id);
      }
      const before = existing ? viewOfRow(existing) : await this.builtIn(work);
      const view = viewOfRow((await this.row(work, id)) as CalendarRow);
      await audit(work, actorOf(p), { action: 'calendar.update', targetType: 'calendar', targetId: id, before, after: view });
      return view;
    });
  }

  async remove(p: Principal, id: string): Promise<void> {
    await this.transactions.withTenant(p.tenantId, async (work) => {
      const existing = await this.row(work, id);
      if (!existing) {
        // The built-in default is what a deleted default becomes: deleting it again changes nothing.
        if (id === DEFAULT_CALENDAR_ID) return;
        throw notFound('calendar', id);
      }
      await work.tx('itsm_calendars').where({ tenant_id: p.tenantId, id }).delete();
      await audit(work, actorOf(p), { action: 'calendar.delete', targetType: 'calendar', targetId: id, before: viewOfRow(existing) });
    });
  }

  private async row(work: Work, id: string): Promise<CalendarRow | undefined> {
    return (await work.tx('itsm_calendars').where({ tenant_id: work.tenantId, id }).first()) as CalendarRow | undefined;
  }

  private async builtIn(work: Work): Promise<Calendar> {
    return calendarView(builtInDefault(await tenantTimezone(work.tx, work.tenantId as string)));
  }
}

/** 400 naming every field that is wrong: zone, spans, dates, make-up days that are not weekend days. */
function check(body: UpdateCalendarBody): void {
  const problems = calendarProblems({
    timezone: body.timezone,
    week: body.week,
    holidays: body.holidays ?? [],
    workdays: body.workdays ?? [],
  });
  if (problems.length === 0) return;
  throw badRequest(
    'CALENDAR_INVALID',
    problems.map((p) => `"${p.field}": ${p.message}`).join('; '),
    problems.map((p) => ({ field: p.field, in: 'body', message: p.message })),
  );
}
