// The service catalog over HTTP: the defaults every tenant starts with, tenant admins' changes
// (FEEL `when` checked when saved), who may do what, and tenants apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Call, startServer, type TestServer } from '../../../test/helpers.ts';

let s: TestServer;
let admin: Call;
let requester: Call;

beforeAll(async () => {
  s = await startServer();
  admin = as(s.app, s.tokens.admin);
  requester = as(s.app, s.tokens.requester);
});
afterAll(() => s.close());

const item = (key: string, extra: Record<string, unknown> = {}) => ({
  key,
  name: { en: 'VPN access', 'zh-CN': 'VPN 访问' },
  category: 'access',
  ...extra,
});

describe('the catalog', () => {
  it('starts with the default items, in both languages, with their approval chains', async () => {
    const res = await requester('GET', '/api/v1/catalog');
    expect(res.status).toBe(200);
    const byKey = Object.fromEntries(res.body.map((i: { key: string }) => [i.key, i]));
    expect(Object.keys(byKey).sort()).toEqual(['access-request', 'new-laptop', 'password-reset', 'software-install']);
    expect(byKey['password-reset']).toMatchObject({
      name: { en: 'Password reset', 'zh-CN': '密码重置' },
      formKey: 'password-reset',
      approval: [],
      fulfilmentGroup: null,
    });
    expect(byKey['software-install'].approval).toEqual([{ kind: 'manager' }]);
    expect(byKey['access-request'].approval).toEqual([
      { kind: 'manager' },
      { kind: 'group', groupField: 'ownerGroup' },
      { kind: 'group', group: 'security', when: 'privileged = true' },
    ]);
    expect(byKey['new-laptop'].approval).toEqual([{ kind: 'manager' }, { kind: 'group', group: 'finance', when: 'cost > 10000' }]);
    expect(byKey['new-laptop'].description['zh-CN']).toContain('财务');
  });

  it('lets tenant admins add, change and remove items; the defaults never come back by themselves', async () => {
    const created = await admin('POST', '/api/v1/catalog', item('vpn', { approval: [{ kind: 'manager', when: 'remote = true' }] }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      key: 'vpn',
      formKey: 'vpn',
      description: { en: 'VPN access' },
      fulfilmentGroup: null,
      approval: [{ kind: 'manager', when: 'remote = true' }],
    });
    expect((await admin('POST', '/api/v1/catalog', item('vpn'))).body.code).toBe('CATALOG_ITEM_EXISTS');
    const changed = await admin('PUT', '/api/v1/catalog/vpn', {
      name: { en: 'VPN' },
      category: 'network',
      fulfilmentGroup: 'network',
      formKey: null,
    });
    expect(changed.body).toMatchObject({
      name: { en: 'VPN' },
      category: 'network',
      fulfilmentGroup: 'network',
      formKey: null,
      approval: [],
    });
    expect((await admin('DELETE', '/api/v1/catalog/vpn')).status).toBe(204);
    expect((await admin('DELETE', '/api/v1/catalog/vpn')).status).toBe(404);
    expect((await admin('PUT', '/api/v1/catalog/vpn', { name: { en: 'VPN' }, category: 'x' })).status).toBe(404);
    expect((await requester('GET', '/api/v1/catalog')).body.map((i: { key: string }) => i.key)).not.toContain('vpn');
    // A deleted key is free again.
    expect((await admin('POST', '/api/v1/catalog', item('vpn'))).status).toBe(201);
    for (const key of ['password-reset', 'software-install', 'access-request', 'new-laptop', 'vpn']) {
      expect((await admin('DELETE', `/api/v1/catalog/${key}`)).status).toBe(204);
    }
    expect((await requester('GET', '/api/v1/catalog')).body).toEqual([]);
    expect((await admin('POST', '/api/v1/catalog', item('vpn'))).status).toBe(201);
    expect((await requester('GET', '/api/v1/catalog')).body.map((i: { key: string }) => i.key)).toEqual(['vpn']);
  });

  it('refuses bad approval steps by field, and FEEL that does not parse', async () => {
    const feel = await admin(
      'POST',
      '/api/v1/catalog',
      item('bad', { approval: [{ kind: 'manager' }, { kind: 'manager', when: 'cost >' }] }),
    );
    expect(feel.status).toBe(400);
    expect(feel.body).toMatchObject({ code: 'CATALOG_INVALID' });
    expect(feel.body.message).toContain('"approval[1].when"');
    const noGroup = await admin('POST', '/api/v1/catalog', item('bad', { approval: [{ kind: 'group' }] }));
    expect(noGroup.body.message).toContain('"approval[0]"');
    const both = await admin('POST', '/api/v1/catalog', item('bad', { approval: [{ kind: 'group', group: 'a', groupField: 'b' }] }));
    expect(both.status).toBe(400);
    const managerGroup = await admin('POST', '/api/v1/catalog', item('bad', { approval: [{ kind: 'manager', group: 'a' }] }));
    expect(managerGroup.status).toBe(400);
    expect((await admin('POST', '/api/v1/catalog', item('bad', { approval: [{ kind: 'boss' }] }))).status).toBe(400);
    expect((await admin('POST', '/api/v1/catalog', { ...item('bad'), name: 'VPN' })).status).toBe(400);
  });

  it('is managed by tenant admins only', async () => {
    expect((await requester('POST', '/api/v1/catalog', item('mine'))).status).toBe(403);
    expect((await as(s.app, s.tokens.agent1)('PUT', '/api/v1/catalog/vpn', { name: { en: 'x' }, category: 'x' })).status).toBe(403);
    expect((await requester('DELETE', '/api/v1/catalog/vpn')).status).toBe(403);
    expect((await as(s.app, undefined)('GET', '/api/v1/catalog')).status).toBe(401);
  });

  it('keeps each tenant’s catalog its own', async () => {
    const res = await admin('POST', '/api/v1/tenants', {
      id: 'globex',
      name: 'Globex',
      admin: { username: 'root', password: 'globex-secret' },
    });
    expect(res.status).toBe(201);
    const login = await as(s.app, undefined)('POST', '/api/v1/auth/login', {
      tenant: 'globex',
      username: 'root',
      password: 'globex-secret',
    });
    const globex = as(s.app, login.body.token);
    // Demo's catalog is now only "vpn"; globex gets the defaults, and demo's item is not its.
    expect((await globex('GET', '/api/v1/catalog')).body.map((i: { key: string }) => i.key).sort()).toEqual([
      'access-request',
      'new-laptop',
      'password-reset',
      'software-install',
    ]);
    expect((await globex('PUT', '/api/v1/catalog/vpn', { name: { en: 'x' }, category: 'x' })).status).toBe(404);
    expect((await globex('DELETE', '/api/v1/catalog/password-reset')).status).toBe(204);
    expect((await requester('GET', '/api/v1/catalog')).body.map((i: { key: string }) => i.key)).toEqual(['vpn']);
  });
});
