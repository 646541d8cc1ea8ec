// Tenants, users, groups and the audit log through the API.

import { FORMS, GROUPS, PROCESS_TEMPLATES } from '@serviceloom/templates';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Call, deploy, line, PASSWORD, startInstance, startServer, type TestServer, tokenFor } from './helpers.ts';

let s: TestServer;
let platform: Call;
beforeAll(async () => {
  s = await startServer();
  platform = as(s.app, s.tokens.admin);
});
afterAll(() => s.close());

const login = (tenant: string, username: string, password = PASSWORD) =>
  as(s.app, undefined)('POST', '/api/v1/auth/login', { tenant, username, password });

describe('tenants', () => {
  it('creates a tenant with its admin and its copy of the templates', async () => {
    const res = await platform('POST', '/api/v1/tenants', {
      id: 'globex',
      name: 'Globex',
      admin: { username: 'root', password: 'globex-secret' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: 'globex', name: 'Globex', status: 'active' });
    const signedIn = await login('globex', 'root', 'globex-secret');
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user.roles).toEqual(['tenant-admin']);
    const admin = as(s.app, signedIn.body.token);
    const definitions = (await admin('GET', '/api/v1/definitions')).body;
    expect(definitions.map((d: { key: string }) => d.key)).toEqual(PROCESS_TEMPLATES.map((t) => t.key).sort());
    expect(definitions.every((d: { version: number }) => d.version === 1)).toBe(true);
    const forms = (await admin('GET', '/api/v1/forms')).body.map((f: { key: string; latestVersion: number }) => [f.key, f.latestVersion]);
    expect(forms).toEqual(expect.arrayContaining(FORMS.map((f) => [f.key, 1])));
    const groups = (await admin('GET', '/api/v1/groups')).body.map((g: { id: string }) => g.id);
    expect(groups).toEqual(expect.arrayContaining(GROUPS.map((g) => g.id)));
    // The daily inspection is the tenant's to switch on: seeded suspended, so no timer start fires.
    const suspended = definitions.filter((d: { suspended: boolean }) => d.suspended).map((d: { key: string }) => d.key);
    expect(suspended).toEqual(['itsm-inspection']);
    expect((await admin('GET', '/api/v1/tenant')).body).toMatchObject({ id: 'globex', settings: { egressAllowHosts: [] } });
    await admin('PATCH', '/api/v1/tenant', { settings: { egressAllowHosts: ['hooks.globex.example', '*.intranet.globex.example:8443'] } });
    expect(await s.app.services.tenants.egressPolicy('globex')).toEqual({
      allowHosts: ['hooks.globex.example', '*.intranet.globex.example:8443'],
    });
    expect((await admin('PATCH', '/api/v1/tenant', { settings: { egressAllowHosts: ['http://x'] } })).status).toBe(400);
    // Its own tenant only: the platform routes are not a tenant admin's.
    expect((await admin('GET', '/api/v1/tenants')).status).toBe(403);
  });

  it('refuses a second tenant with the same id, bad ids and short passwords', async () => {
    expect(
      (await platform('POST', '/api/v1/tenants', { id: 'globex', name: 'Again', admin: { username: 'x', password: 'long-enough' } }))
        .status,
    ).toBe(409);
    for (const id of ['Globex', '-x', 'a_b', 'x'.repeat(64), '']) {
      expect(
        (await platform('POST', '/api/v1/tenants', { id, name: 'n', admin: { username: 'x', password: 'long-enough' } })).status,
        id,
      ).toBe(400);
    }
    const short = await platform('POST', '/api/v1/tenants', { id: 'shorty', name: 'n', admin: { username: 'x', password: 'short' } });
    expect(short.body.code).toBe('PASSWORD_TOO_SHORT');
  });

  it('lists, reads and renames tenants for platform admins', async () => {
    expect((await platform('GET', '/api/v1/tenants')).body.map((t: { id: string }) => t.id)).toEqual(
      expect.arrayContaining(['demo', 'globex']),
    );
    expect((await platform('PATCH', '/api/v1/tenants/globex', { name: 'Globex Corp' })).body.name).toBe('Globex Corp');
    expect((await platform('GET', '/api/v1/tenants/globex')).body.name).toBe('Globex Corp');
    expect((await platform('GET', '/api/v1/tenants/nowhere')).status).toBe(404);
    for (const [method, url] of [
      ['PATCH', '/api/v1/tenants/Not_A_Tenant'],
      ['POST', '/api/v1/tenants/Not_A_Tenant/suspend'],
      ['DELETE', '/api/v1/tenants/Not_A_Tenant'],
    ] as const) {
      expect((await platform(method, url, method === 'PATCH' ? { name: 'x' } : undefined)).status, url).toBe(404);
    }
  });

  it('suspends a tenant: sign-ins, refreshes and tokens are refused until it resumes', async () => {
    const session = (await login('globex', 'root', 'globex-secret')).body;
    expect((await platform('POST', '/api/v1/tenants/globex/suspend')).body.status).toBe('suspended');
    const refused = await as(s.app, session.token)('GET', '/api/v1/definitions');
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('TENANT_SUSPENDED');
    expect((await login('globex', 'root', 'globex-secret')).body.code).toBe('TENANT_SUSPENDED');
    expect((await login('globex', 'root', 'wrong-password')).status).toBe(401);
    expect((await as(s.app, undefined)('POST', '/api/v1/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(403);
    expect((await platform('POST', '/api/v1/tenants/globex/resume')).body.status).toBe('active');
    expect((await as(s.app, session.token)('GET', '/api/v1/definitions')).status).toBe(200);
  });

  it('will not suspend or delete the tenant the platform admin is signed in to', async () => {
    expect((await platform('POST', '/api/v1/tenants/demo/suspend')).body.code).toBe('OWN_TENANT');
    expect((await platform('DELETE', '/api/v1/tenants/demo')).body.code).toBe('OWN_TENANT');
  });

  it("deletes a tenant's data, keeps its audit log, and never gives its id out again", async () => {
    await platform('POST', '/api/v1/tenants', { id: 'doomed', name: 'Doomed', admin: { username: 'root', password: 'doomed-secret' } });
    const admin = as(s.app, (await login('doomed', 'root', 'doomed-secret')).body.token);
    await admin('POST', '/api/v1/groups', { id: 'crew', name: 'Crew' });
    await admin('POST', '/api/v1/users', {
      username: 'member',
      password: 'member-secret',
      roles: ['agent', 'tenant-admin'],
      groups: ['crew'],
    });
    const all = as(s.app, await tokenFor(s.app, 'member', 'doomed'));
    await deploy(all, line('doomed-flow', ['<bpmn:userTask id="t" sl:candidateGroups="crew"/>']));
    await startInstance(all, 'doomed-flow');
    const deleted = await platform('DELETE', '/api/v1/tenants/doomed');
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(204);
    expect((await platform('GET', '/api/v1/tenants/doomed')).body.status).toBe('deleted');
    expect((await login('doomed', 'root', 'doomed-secret')).status).toBe(401);
    expect((await all('GET', '/api/v1/tasks')).status).toBe(401);
    const left = await s.app.services.transactions.read('doomed', async (tx) => ({
      users: (await tx('users').count('* as n'))[0]?.n,
      instances: (await tx('instances').count('* as n'))[0]?.n,
      outbox: (await tx('outbox').count('* as n'))[0]?.n,
      audit: (await tx('audit_log').count('* as n'))[0]?.n,
    }));
    expect(left).toMatchObject({ users: 0, instances: 0, outbox: 0 });
    expect(Number(left.audit)).toBeGreaterThan(3);
    expect(
      (await platform('POST', '/api/v1/tenants', { id: 'doomed', name: 'Again', admin: { username: 'r', password: 'long-enough' } }))
        .status,
    ).toBe(409);
    expect((await platform('POST', '/api/v1/tenants/doomed/resume')).status).toBe(404);
  });
});

describe('users and groups', () => {
  let admin: Call;
  beforeAll(async () => {
    await platform('POST', '/api/v1/tenants', { id: 'initech', name: 'Initech', admin: { username: 'boss', password: 'initech-secret' } });
    admin = as(s.app, (await login('initech', 'boss', 'initech-secret')).body.token);
  });

  it('creates, lists, reads, changes and deletes users; never returns a password hash', async () => {
    expect((await admin('POST', '/api/v1/groups', { id: 'printers', name: 'Printers' })).status).toBe(201);
    const created = await admin('POST', '/api/v1/users', {
      username: 'milton',
      password: 'stapler-123',
      displayName: 'Milton',
      roles: ['agent'],
      groups: ['printers'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      username: 'milton',
      displayName: 'Milton',
      roles: ['agent'],
      groups: ['printers'],
      disabled: false,
    });
    expect(JSON.stringify(created.body)).not.toMatch(/scrypt|stapler/);
    expect((await admin('POST', '/api/v1/users', { username: 'milton', password: 'stapler-123' })).body.code).toBe('USERNAME_TAKEN');
    expect((await admin('GET', '/api/v1/users')).body.map((u: { username: string }) => u.username)).toEqual(['boss', 'milton']);
    const changed = await admin('PATCH', `/api/v1/users/${created.body.id}`, { displayName: 'Milton W.', roles: ['agent', 'requester'] });
    expect(changed.body).toMatchObject({ displayName: 'Milton W.', roles: ['agent', 'requester'] });
    expect((await login('initech', 'milton', 'stapler-123')).status).toBe(200);
    await admin('PATCH', `/api/v1/users/${created.body.id}`, { password: 'red-stapler-1' });
    expect((await login('initech', 'milton', 'stapler-123')).status).toBe(401);
    expect((await login('initech', 'milton', 'red-stapler-1')).status).toBe(200);
    expect((await admin('DELETE', `/api/v1/users/${created.body.id}`)).status).toBe(204);
    expect((await admin('GET', `/api/v1/users/${created.body.id}`)).status).toBe(404);
  });

  it('checks roles and groups, and keeps platform-admin to platform admins', async () => {
    expect((await admin('POST', '/api/v1/users', { username: 'x1', roles: ['overlord'] })).body.code).toBe('UNKNOWN_ROLE');
    expect((await admin('POST', '/api/v1/users', { username: 'x2', groups: ['nope'] })).body.code).toBe('UNKNOWN_GROUP');
    const escalate = await admin('POST', '/api/v1/users', { username: 'x3', roles: ['platform-admin'] });
    expect(escalate.status).toBe(403);
    const me = (await admin('GET', '/api/v1/users')).body.find((u: { username: string }) => u.username === 'boss');
    expect((await admin('PATCH', `/api/v1/users/${me.id}`, { roles: ['tenant-admin', 'platform-admin'] })).status).toBe(403);
    expect((await admin('DELETE', `/api/v1/users/${me.id}`)).body.code).toBe('CANNOT_DELETE_SELF');
    expect((await admin('POST', '/api/v1/users', { username: 'bad name' })).status).toBe(400);
    expect((await admin('POST', '/api/v1/users', { username: 'short', password: 'abc' })).body.code).toBe('PASSWORD_TOO_SHORT');
  });

  it('manages groups and their members', async () => {
    await admin('POST', '/api/v1/groups', { id: 'network', name: 'Network' });
    expect((await admin('POST', '/api/v1/groups', { id: 'network', name: 'Again' })).body.code).toBe('GROUP_EXISTS');
    const user = (await admin('POST', '/api/v1/users', { username: 'peter', password: 'tps-report', roles: ['agent'] })).body;
    const added = await admin('PUT', `/api/v1/groups/network/members/${user.id}`);
    expect(added.body.members).toEqual([{ id: user.id, username: 'peter' }]);
    expect((await admin('GET', `/api/v1/users/${user.id}`)).body.groups).toEqual(['network']);
    expect((await admin('PATCH', '/api/v1/groups/network', { name: 'Networking' })).body.name).toBe('Networking');
    expect((await admin('DELETE', `/api/v1/groups/network/members/${user.id}`)).body.members).toEqual([]);
    await admin('PUT', `/api/v1/groups/network/members/${user.id}`);
    expect((await admin('DELETE', '/api/v1/groups/network')).status).toBe(204);
    expect((await admin('GET', `/api/v1/users/${user.id}`)).body.groups).toEqual([]);
    expect((await admin('GET', '/api/v1/groups/network')).status).toBe(404);
  });

  it('offers a group task to members of the group only', async () => {
    await admin('POST', '/api/v1/groups', { id: 'desk', name: 'Desk' });
    const inGroup = (await admin('POST', '/api/v1/users', { username: 'samir', password: 'long-enough', roles: ['agent'] })).body;
    await admin('POST', '/api/v1/users', { username: 'michael', password: 'long-enough', roles: ['agent'] });
    await admin('PUT', `/api/v1/groups/desk/members/${inGroup.id}`);
    await deploy(admin, line('desk-flow', ['<bpmn:userTask id="t" sl:candidateGroups="desk"/>']));
    const instance = await startInstance(admin, 'desk-flow');
    const samir = as(s.app, (await login('initech', 'samir', 'long-enough')).body.token);
    const michael = as(s.app, (await login('initech', 'michael', 'long-enough')).body.token);
    const task = (await samir('GET', `/api/v1/tasks?processInstanceId=${instance.id}`)).body[0];
    expect(task.candidateGroups).toEqual(['desk']);
    expect((await michael('GET', `/api/v1/tasks?processInstanceId=${instance.id}`)).body).toEqual([]);
    expect((await michael('POST', `/api/v1/tasks/${task.id}/claim`)).status).toBe(403);
    expect((await samir('POST', `/api/v1/tasks/${task.id}/claim`)).body.assignee).toBe('samir');
    expect((await samir('POST', `/api/v1/tasks/${task.id}/complete`)).status).toBe(200);
  });
});

describe('audit log', () => {
  it('records changes to definitions, users, groups, roles and tenant settings, without secrets', async () => {
    await platform('POST', '/api/v1/tenants', { id: 'audited', name: 'Audited', admin: { username: 'root', password: 'root-password-1' } });
    const admin = as(s.app, await tokenFor(s.app, 'root', 'audited'));
    await admin('POST', '/api/v1/groups', { id: 'ops', name: 'Ops' });
    const user = (await admin('POST', '/api/v1/users', { username: 'ann', password: 'ann-password-1', roles: ['agent'] })).body;
    await admin('PATCH', `/api/v1/users/${user.id}`, { roles: ['agent', 'process-owner'], password: 'ann-password-2' });
    await admin('PUT', `/api/v1/groups/ops/members/${user.id}`);
    await admin('PATCH', '/api/v1/tenant', { settings: { egressAllowHosts: ['hooks.internal:8443'] } });
    await admin('POST', '/api/v1/identity-providers', {
      id: 'corp',
      name: 'Corp',
      issuer: 'https://idp.example.com',
      clientId: 'sl',
      clientSecret: 'very-secret-client-secret',
    });
    await deploy(as(s.app, await tokenFor(s.app, 'ann', 'audited')), line('audited-flow', ['<bpmn:userTask id="t"/>']));
    await admin('DELETE', `/api/v1/groups/ops/members/${user.id}`);

    const entries = (await admin('GET', '/api/v1/audit')).body as Array<{ action: string; actor: string; before: any; after: any }>;
    const actions = entries.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'tenant.create',
        'user.create',
        'group.create',
        'user.update',
        'group.member_add',
        'group.member_remove',
        'tenant.settings',
        'identity_provider.create',
        'definition.deploy',
      ]),
    );
    // Newest first.
    expect(actions[0]).toBe('group.member_remove');
    const roleChange = entries.find((e) => e.action === 'user.update');
    expect(roleChange).toMatchObject({
      actor: 'root',
      before: { roles: ['agent'] },
      after: { roles: ['agent', 'process-owner'], password: '[redacted]' },
    });
    expect(entries.find((e) => e.action === 'tenant.create')?.actor).toBe('admin@demo');
    expect(entries.find((e) => e.action === 'definition.deploy')).toMatchObject({
      actor: 'ann',
      after: { key: 'audited-flow', version: 1 },
    });
    expect(entries.find((e) => e.action === 'tenant.settings')?.after).toEqual({
      name: 'Audited',
      settings: { egressAllowHosts: ['hooks.internal:8443'], timerCycleMinimum: 'PT1M' },
    });
    const text = JSON.stringify(entries);
    for (const secret of ['ann-password-1', 'ann-password-2', 'very-secret-client-secret', 'root-password-1', 'scrypt$']) {
      expect(text).not.toContain(secret);
    }
    const stored = await s.app.services.transactions.read('audited', (tx) => tx('identity_providers').first('client_secret_enc'));
    expect(stored.client_secret_enc).not.toContain('very-secret');

    // Filters and paging.
    expect((await admin('GET', `/api/v1/audit?targetType=user&targetId=${user.id}`)).body.length).toBeGreaterThanOrEqual(2);
    const page = (await admin('GET', '/api/v1/audit?limit=2')).body;
    expect(page).toHaveLength(2);
    const next = (await admin('GET', `/api/v1/audit?limit=2&before=${page[1].id}`)).body;
    expect(next[0].id).not.toBe(page[1].id);
    // Tenant admins only.
    expect((await as(s.app, await tokenFor(s.app, 'ann', 'audited'))('GET', '/api/v1/audit')).status).toBe(403);
  });
});
