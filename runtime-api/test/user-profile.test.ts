// Users' managers, e-mail addresses, languages and time zones, and groups' managers, through the
// API: what is accepted, what is refused (and naming which field), and that a manager is always a
// user of the same tenant.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Call, startServer, type TestServer } from './helpers.ts';

let s: TestServer;
let admin: Call;
/** Demo usernames to ids. */
const ids: Record<string, string> = {};
beforeAll(async () => {
  s = await startServer();
  admin = as(s.app, s.tokens.admin);
  for (const u of (await admin('GET', '/api/v1/users')).body as Array<{ id: string; username: string }>) ids[u.username] = u.id;
}, 240_000);
afterAll(() => s.close());

const fieldsOf = (body: { details?: Array<{ field?: string }> }) => (body.details ?? []).map((d) => d.field);

describe('user profile', () => {
  it('seeds the demo with e-mail addresses and a chain of managers for approvals', async () => {
    const requester = (await admin('GET', `/api/v1/users/${ids.requester}`)).body;
    expect(requester).toMatchObject({ email: 'requester@demo.example.com', managerId: ids.manager, locale: null, timezone: null });
    expect((await admin('GET', `/api/v1/users/${ids.manager}`)).body.managerId).toBe(ids.admin);
    const groups = (await admin('GET', '/api/v1/groups')).body as Array<{ id: string; managerId: string | null }>;
    expect(groups.find((g) => g.id === 'service-desk')?.managerId).toBe(ids.manager);
  });

  it('creates a user with a manager, e-mail, language and time zone, and returns them everywhere', async () => {
    const created = await admin('POST', '/api/v1/users', {
      username: 'li.wei',
      password: 'a-long-password',
      roles: ['requester'],
      managerId: ids.manager,
      email: 'Li.Wei@Example.com',
      locale: 'zh-CN',
      timezone: 'Asia/Shanghai',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ managerId: ids.manager, email: 'Li.Wei@Example.com', locale: 'zh-CN', timezone: 'Asia/Shanghai' });
    const listed = ((await admin('GET', '/api/v1/users')).body as Array<{ username: string }>).find((u) => u.username === 'li.wei');
    expect(listed).toMatchObject({ managerId: ids.manager, email: 'Li.Wei@Example.com', locale: 'zh-CN', timezone: 'Asia/Shanghai' });

    const signedIn = await as(s.app, undefined)('POST', '/api/v1/auth/login', {
      tenant: 'demo',
      username: 'li.wei',
      password: 'a-long-password',
    });
    const me = await as(s.app, signedIn.body.token)('GET', '/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      username: 'li.wei',
      managerId: ids.manager,
      email: 'Li.Wei@Example.com',
      locale: 'zh-CN',
      timezone: 'Asia/Shanghai',
      roles: ['requester'],
    });

    // Each can be changed and cleared; the change is audited.
    const patched = await admin('PATCH', `/api/v1/users/${created.body.id}`, {
      managerId: null,
      email: 'lw@example.com',
      locale: 'en',
      timezone: null,
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ managerId: null, email: 'lw@example.com', locale: 'en', timezone: null });
    const log = (await admin('GET', `/api/v1/audit?targetId=${created.body.id}`)).body;
    const update = (log.items ?? log).find((e: { action: string }) => e.action === 'user.update');
    expect(update.before).toMatchObject({ managerId: ids.manager, email: 'Li.Wei@Example.com' });
    expect(update.after).toMatchObject({ managerId: null, email: 'lw@example.com', locale: 'en' });
  });

  it('refuses a manager that is the user, unknown, or closes a loop, naming managerId', async () => {
    const self = await admin('PATCH', `/api/v1/users/${ids.agent1}`, { managerId: ids.agent1 });
    expect(self.status).toBe(400);
    expect(self.body.code).toBe('INVALID_MANAGER');
    expect(fieldsOf(self.body)).toEqual(['managerId']);

    for (const [method, url] of [
      ['PATCH', `/api/v1/users/${ids.agent1}`],
      ['POST', '/api/v1/users'],
    ] as const) {
      const unknown = await admin(method, url, { ...(method === 'POST' ? { username: 'ghost' } : {}), managerId: 'no-such-user' });
      expect(unknown.status, url).toBe(400);
      expect(unknown.body.code).toBe('UNKNOWN_MANAGER');
      expect(fieldsOf(unknown.body)).toEqual(['managerId']);
    }
    expect((await admin('GET', '/api/v1/users')).body.some((u: { username: string }) => u.username === 'ghost')).toBe(false);

    // requester -> manager -> admin: making admin report to requester (or to manager) would loop.
    for (const managerId of [ids.requester, ids.manager]) {
      const loop = await admin('PATCH', `/api/v1/users/${ids.admin}`, { managerId });
      expect(loop.status).toBe(400);
      expect(loop.body.code).toBe('MANAGER_CYCLE');
      expect(fieldsOf(loop.body)).toEqual(['managerId']);
    }
    expect((await admin('GET', `/api/v1/users/${ids.admin}`)).body.managerId).toBeNull();
    // A manager further along the chain, without a loop, is fine.
    expect((await admin('PATCH', `/api/v1/users/${ids.requester}`, { managerId: ids.admin })).body.managerId).toBe(ids.admin);
    expect((await admin('PATCH', `/api/v1/users/${ids.requester}`, { managerId: ids.manager })).body.managerId).toBe(ids.manager);
  });

  it('refuses a malformed e-mail, one another user holds (whatever its case), a bad language and a bad time zone', async () => {
    const malformed = await admin('PATCH', `/api/v1/users/${ids.agent2}`, { email: 'not an address' });
    expect(malformed.status).toBe(400);
    expect(fieldsOf(malformed.body)).toContain('email');

    const taken = await admin('PATCH', `/api/v1/users/${ids.agent2}`, { email: 'AGENT1@demo.example.com' });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('EMAIL_TAKEN');
    const takenOnCreate = await admin('POST', '/api/v1/users', { username: 'copycat', email: 'requester@DEMO.example.com' });
    expect(takenOnCreate.status).toBe(409);
    // Keeping one's own address (in another case) is no conflict.
    expect((await admin('PATCH', `/api/v1/users/${ids.agent2}`, { email: 'Agent2@demo.example.com' })).status).toBe(200);

    const locale = await admin('PATCH', `/api/v1/users/${ids.agent2}`, { locale: 'fr' });
    expect(locale.status).toBe(400);
    expect(fieldsOf(locale.body)).toContain('locale');

    for (const timezone of ['Mars/Olympus', 'GMT+25', '']) {
      const tz = await admin('PATCH', `/api/v1/users/${ids.agent2}`, { timezone });
      expect(tz.status, timezone).toBe(400);
      expect(new Set(fieldsOf(tz.body)), timezone).toEqual(new Set(['timezone']));
    }
    const tzOnCreate = await admin('POST', '/api/v1/users', { username: 'tz', timezone: 'Nowhere/Land' });
    expect(tzOnCreate.body.code).toBe('INVALID_TIMEZONE');
    expect((await admin('PATCH', `/api/v1/users/${ids.agent2}`, { timezone: 'Europe/Paris' })).body.timezone).toBe('Europe/Paris');
  });

  it('keeps the admin boundary: no one sets the manager of a user holding a role they lack', async () => {
    // A tenant admin without platform-admin cannot touch the demo admin (who holds it).
    const created = await admin('POST', '/api/v1/users', { username: 'ta', password: 'a-long-password', roles: ['tenant-admin'] });
    const login = await as(s.app, undefined)('POST', '/api/v1/auth/login', { tenant: 'demo', username: 'ta', password: 'a-long-password' });
    const ta = as(s.app, login.body.token);
    const refused = await ta('PATCH', `/api/v1/users/${ids.admin}`, { managerId: created.body.id });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('ROLE_NOT_HELD');
    expect((await admin('GET', `/api/v1/users/${ids.admin}`)).body.managerId).toBeNull();
  });

  it('sets, changes and clears a group’s manager, who must be a user of the tenant', async () => {
    const created = await admin('POST', '/api/v1/groups', { id: 'release-board', name: 'Release board', managerId: ids.manager });
    expect(created.status).toBe(201);
    expect(created.body.managerId).toBe(ids.manager);
    expect((await admin('PATCH', '/api/v1/groups/release-board', { managerId: ids.admin })).body.managerId).toBe(ids.admin);
    expect((await admin('GET', '/api/v1/groups/release-board')).body.managerId).toBe(ids.admin);
    const unknown = await admin('PATCH', '/api/v1/groups/release-board', { managerId: 'nobody' });
    expect(unknown.status).toBe(400);
    expect(fieldsOf(unknown.body)).toEqual(['managerId']);
    expect((await admin('POST', '/api/v1/groups', { id: 'release-board-2', name: 'Release board 2', managerId: 'nobody' })).status).toBe(
      400,
    );
    expect((await admin('GET', '/api/v1/groups/release-board-2')).status).toBe(404);
    expect((await admin('PATCH', '/api/v1/groups/release-board', { managerId: null })).body.managerId).toBeNull();
  });

  it('clears the manager of users and groups when the manager is deleted', async () => {
    const boss = await admin('POST', '/api/v1/users', { username: 'boss' });
    const worker = await admin('POST', '/api/v1/users', { username: 'worker1', managerId: boss.body.id });
    await admin('PATCH', '/api/v1/groups/cab', { managerId: boss.body.id });
    expect((await admin('DELETE', `/api/v1/users/${boss.body.id}`)).status).toBe(204);
    expect((await admin('GET', `/api/v1/users/${worker.body.id}`)).body.managerId).toBeNull();
    expect((await admin('GET', '/api/v1/groups/cab')).body.managerId).toBeNull();
  });

  it('never links a user or group to a manager of another tenant', async () => {
    const tenant = await admin('POST', '/api/v1/tenants', {
      id: 'acme',
      name: 'Acme',
      admin: { username: 'root', password: 'acme-secret-1' },
    });
    expect(tenant.status).toBe(201);
    const login = await as(s.app, undefined)('POST', '/api/v1/auth/login', { tenant: 'acme', username: 'root', password: 'acme-secret-1' });
    const acme = as(s.app, login.body.token);
    const acmeRoot = (await acme('GET', '/api/v1/auth/me')).body.id as string;

    // Demo's admin names acme's root as a manager: refused as unknown, never stored.
    for (const [method, url, body] of [
      ['PATCH', `/api/v1/users/${ids.agent1}`, { managerId: acmeRoot }],
      ['POST', '/api/v1/users', { username: 'crosser', managerId: acmeRoot }],
      ['PATCH', '/api/v1/groups/service-desk', { managerId: acmeRoot }],
      ['POST', '/api/v1/groups', { id: 'crossers', name: 'x', managerId: acmeRoot }],
    ] as const) {
      const res = await admin(method, url, body);
      expect(res.status, `${method} ${url}`).toBe(400);
      expect(res.body.code).toBe('UNKNOWN_MANAGER');
    }
    expect((await admin('GET', `/api/v1/users/${ids.agent1}`)).body.managerId).toBe(ids.manager);
    expect((await admin('GET', '/api/v1/groups/service-desk')).body.managerId).toBe(ids.manager);
    // And the other way round: acme's admin cannot name a demo user, nor read one.
    const back = await acme('PATCH', `/api/v1/users/${acmeRoot}`, { managerId: ids.manager });
    expect(back.status).toBe(400);
    expect((await acme('GET', `/api/v1/users/${ids.manager}`)).status).toBe(404);
    // The database refuses it too, should a service ever forget the check.
    await expect(
      s.app.services.transactions.withTenant('demo', (work) =>
        work.tx('users').where({ tenant_id: 'demo', id: ids.agent1 }).update({ manager_id: acmeRoot }),
      ),
    ).rejects.toThrow(/users_manager/);
  });
});
