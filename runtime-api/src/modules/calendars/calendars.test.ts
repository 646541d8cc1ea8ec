// Business calendars over HTTP: the built-in default, tenant admins' calendars checked field by
// field, who may read and write them, and tenants apart. Also what the rest of the runtime reads
// (loadCalendar) once a calendar is stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Call, startServer, type TestServer } from '../../../test/helpers.ts';
import { addBusinessTime } from '../../platform/time/business-time.ts';
import { loadCalendar } from '../../platform/time/calendars.ts';

let s: TestServer;
let admin: Call;
let agent: Call;
let requester: Call;

beforeAll(async () => {
  s = await startServer();
  admin = as(s.app, s.tokens.admin);
  agent = as(s.app, s.tokens.agent1);
  requester = as(s.app, s.tokens.requester);
});
afterAll(() => s.close());

const URL = '/api/v1/itsm/calendars';
const office = [
  ['09:00', '12:00'],
  ['13:00', '18:00'],
];
const china = (extra: Record<string, unknown> = {}) => ({
  id: 'cn',
  name: '中国大陆',
  timezone: 'Asia/Shanghai',
  week: { mon: office, tue: office, wed: office, thu: office, fri: office },
  holidays: ['2026-10-07', '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06'],
  workdays: ['2026-10-10', '2026-09-27'],
  ...extra,
});

async function setTenantZone(timezone: string): Promise<void> {
  const res = await admin('PATCH', '/api/v1/tenant', { settings: { timezone } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.settings.timezone).toBe(timezone);
}

describe('business calendars', () => {
  it('always has `default`: Monday to Friday 09:00-18:00 in the tenant’s zone, UTC unless set', async () => {
    const list = await admin('GET', URL);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      {
        id: 'default',
        name: 'Default',
        timezone: 'UTC',
        week: {
          mon: [['09:00', '18:00']],
          tue: [['09:00', '18:00']],
          wed: [['09:00', '18:00']],
          thu: [['09:00', '18:00']],
          fri: [['09:00', '18:00']],
        },
        holidays: [],
        workdays: [],
        builtIn: true,
        updatedAt: null,
      },
    ]);
    const badZone = await admin('PATCH', '/api/v1/tenant', { settings: { timezone: 'Europe/Atlantis' } });
    expect(badZone.status).toBe(400);
    expect(badZone.body.details[0].field).toBe('settings.timezone');
    await setTenantZone('Europe/Berlin');
    expect((await agent('GET', `${URL}/default`)).body).toMatchObject({ id: 'default', timezone: 'Europe/Berlin', builtIn: true });
    const cal = await s.app.services.transactions.read('demo', (tx) => loadCalendar(tx, 'demo', 'default'));
    expect(cal?.timezone).toBe('Europe/Berlin');
    await setTenantZone('UTC');
  });

  it('lets tenant admins add, read, change and remove a calendar, dates sorted and once each', async () => {
    const created = await admin('POST', URL, china({ holidays: [...china().holidays, '2026-10-01'] }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: 'cn',
      name: '中国大陆',
      timezone: 'Asia/Shanghai',
      holidays: ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'],
      workdays: ['2026-09-27', '2026-10-10'],
      builtIn: false,
    });
    expect(created.body.updatedAt).toEqual(expect.any(String));
    expect((await admin('POST', URL, china())).status).toBe(409);
    expect((await agent('GET', `${URL}/cn`)).body.week.mon).toEqual(office);
    expect((await agent('GET', URL)).body.map((c: { id: string }) => c.id)).toEqual(['default', 'cn']);

    // What SLA due times are computed on: Wednesday 30 September 17:00 + 2 business hours is after the holiday.
    const stored = await s.app.services.transactions.read('demo', (tx) => loadCalendar(tx, 'demo', 'cn'));
    expect(addBusinessTime(stored!, new Date('2026-09-30T09:00:00Z'), 2 * 3_600_000).toISOString()).toBe('2026-10-08T02:00:00.000Z');

    const changed = await admin('PUT', `${URL}/cn`, { timezone: 'Asia/Shanghai', week: { sat: [['10:00', '24:00']] } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: 'cn', name: 'cn', week: { sat: [['10:00', '24:00']] }, holidays: [], workdays: [] });
    expect((await admin('DELETE', `${URL}/cn`)).status).toBe(204);
    expect((await agent('GET', `${URL}/cn`)).status).toBe(404);
    expect((await admin('DELETE', `${URL}/cn`)).status).toBe(404);
    expect((await admin('PUT', `${URL}/cn`, { timezone: 'UTC', week: {} })).status).toBe(404);
  });

  it('replaces the built-in default with the tenant’s own, and deleting it brings the built-in back', async () => {
    const own = await admin('PUT', `${URL}/default`, china({ id: undefined, name: 'Default (China)' }));
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id: 'default', timezone: 'Asia/Shanghai', builtIn: false });
    expect((await agent('GET', URL)).body[0]).toMatchObject({ id: 'default', name: 'Default (China)', builtIn: false });
    const loaded = await s.app.services.transactions.read('demo', (tx) => loadCalendar(tx, 'demo', 'default'));
    expect(loaded?.holidays).toContain('2026-10-01');

    expect((await admin('DELETE', `${URL}/default`)).status).toBe(204);
    expect((await agent('GET', `${URL}/default`)).body).toMatchObject({ builtIn: true, timezone: 'UTC', holidays: [] });
    // Deleting the built-in changes nothing and is no error.
    expect((await admin('DELETE', `${URL}/default`)).status).toBe(204);
    // POST may also store a default.
    expect((await admin('POST', URL, china({ id: 'default' }))).status).toBe(201);
    expect((await admin('POST', URL, china({ id: 'default' }))).status).toBe(409);
    expect((await admin('DELETE', `${URL}/default`)).status).toBe(204);
  });

  it('answers 400 naming the field that is wrong', async () => {
    const problem = async (body: Record<string, unknown>) => {
      const res = await admin('POST', URL, body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      return res.body as { code: string; message: string; details: Array<{ field: string }> };
    };
    const fields = (b: { details: Array<{ field: string }> }) => b.details.map((d) => d.field);

    const zone = await problem(china({ timezone: 'Asia/Atlantis' }));
    expect(zone).toMatchObject({ code: 'CALENDAR_INVALID' });
    expect(fields(zone)).toEqual(['timezone']);
    expect(zone.message).toContain('"timezone"');
    expect(fields(await problem(china({ week: { mon: [['18:00', '09:00']] } })))).toEqual(['week.mon[0]']);
    expect(fields(await problem(china({ week: { tue: [['09:00', '09:00']] } })))).toEqual(['week.tue[0]']);
    expect(fields(await problem(china({ week: { mon: [['9:00', '18:00']] } })))[0]).toMatch(/^week\.mon\[0\]/);
    expect(fields(await problem(china({ week: { mon: [['09:00', '25:00']] } })))[0]).toMatch(/^week\.mon\[0\]/);
    expect(fields(await problem(china({ week: { funday: [['09:00', '18:00']] } })))).toContain('week.funday');
    expect(fields(await problem(china({ holidays: ['2026-02-30'] })))).toEqual(['holidays[0]']);
    expect(fields(await problem(china({ holidays: ['1 Oct'] })))[0]).toMatch(/^holidays\[0\]/);
    expect(fields(await problem(china({ workdays: ['2026-09-27', '2026-10-08'] })))).toEqual(['workdays[1]']);
    expect(fields(await problem(china({ id: 'not an id!' })))).toEqual(['id']);
    expect(fields(await problem(china({ id: undefined })))).toEqual(['id']);
    const put = await admin('PUT', `${URL}/default`, { timezone: 'UTC', week: { sun: [['22:00', '06:00']] } });
    expect(put.status).toBe(400);
    expect(put.body.details.map((d: { field: string }) => d.field)).toEqual(['week.sun[0]']);
  });

  it('is written by tenant admins only and read by admins and agents', async () => {
    expect((await agent('POST', URL, china({ id: 'mine' }))).status).toBe(403);
    expect((await agent('PUT', `${URL}/default`, { timezone: 'UTC', week: {} })).status).toBe(403);
    expect((await agent('DELETE', `${URL}/default`)).status).toBe(403);
    expect((await requester('GET', URL)).status).toBe(403);
    expect((await requester('GET', `${URL}/default`)).status).toBe(403);
    expect((await as(s.app, undefined)('GET', URL)).status).toBe(401);
  });

  it('keeps each tenant’s calendars its own', async () => {
    expect((await admin('POST', URL, china())).status).toBe(201);
    expect((await admin('PUT', `${URL}/default`, china({ id: undefined }))).status).toBe(200);
    const created = await admin('POST', '/api/v1/tenants', {
      id: 'initech',
      name: 'Initech',
      admin: { username: 'root', password: 'initech-secret' },
    });
    expect(created.status).toBe(201);
    const login = await as(s.app, undefined)('POST', '/api/v1/auth/login', {
      tenant: 'initech',
      username: 'root',
      password: 'initech-secret',
    });
    const initech = as(s.app, login.body.token);
    expect((await initech('GET', `${URL}/cn`)).status).toBe(404);
    expect((await initech('PUT', `${URL}/cn`, { timezone: 'UTC', week: {} })).status).toBe(404);
    expect((await initech('DELETE', `${URL}/cn`)).status).toBe(404);
    // Its default is the built-in one, whatever demo stored.
    expect((await initech('GET', URL)).body).toEqual([expect.objectContaining({ id: 'default', builtIn: true, timezone: 'UTC' })]);
    // The same id in two tenants are two calendars.
    expect((await initech('POST', URL, china({ timezone: 'Europe/Berlin' }))).status).toBe(201);
    expect((await admin('GET', `${URL}/cn`)).body.timezone).toBe('Asia/Shanghai');
  });
});
