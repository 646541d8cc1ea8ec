// Admin boundaries: no one changes, disables, resets, unlocks or deletes a user holding a role they
// do not hold themselves, adds or removes such a user's group memberships, or grants a role they
// do not hold (403 ROLE_NOT_HELD naming the roles); so a tenant admin never touches a platform
// admin. A tenant admin holds the powers of every tenant role (so may grant them), never those of
// platform-admin. Every user-mutating route runs against every pair of actor and target role sets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, rolesNotHeld } from '../src/platform/auth/roles.ts';
import { addUser, as, type Call, inTenant, login, PASSWORD, startServer, type TestServer } from './helpers.ts';

let s: TestServer;
let root: Call;
beforeAll(async () => {
  s = await startServer();
  root = as(s.app, s.tokens.admin);
  expect((await root('POST', '/api/v1/groups', { id: 'crew', name: 'Crew' })).status).toBe(201);
  // Generous: the server starts on a busy shared machine.
}, 240_000);
afterAll(() => s.close());

/** Hundreds of requests (and password hashes): generous on a busy shared machine. */
const MATRIX_TIMEOUT = 600_000;
const TA = 'tenant-admin';
/** Who acts: every route needs tenant-admin; with it, each other role alone, and all of them. */
const ACTORS: string[][] = [[TA], ...ROLES.filter((r) => r !== TA).map((r) => [TA, r]), [...ROLES]];
/** Whom they act on: no role, each role alone, a platform admin who is also tenant admin, all roles. */
const TARGETS: string[][] = [[], ...ROLES.map((r) => [r]), [TA, 'platform-admin'], [...ROLES]];

/** The user-mutating routes this file covers; the route table must not hold others. */
const COVERED = [
  'POST /api/v1/users',
  'PATCH /api/v1/users/:id',
  'DELETE /api/v1/users/:id',
  'PUT /api/v1/groups/:id/members/:userId',
  'DELETE /api/v1/groups/:id/members/:userId',
];

/** The mutations of one user, in an order that leaves the user to delete last. */
const MUTATIONS: Array<[string, (id: string) => [string, string, unknown?]]> = [
  ['PATCH displayName', (id) => ['PATCH', `/api/v1/users/${id}`, { displayName: 'changed' }]],
  ['PATCH roles (unchanged)', (id) => ['PATCH', `/api/v1/users/${id}`, { roles: '__same__' }]],
  ['PATCH groups', (id) => ['PATCH', `/api/v1/users/${id}`, { groups: ['crew'] }]],
  ['PATCH unlock', (id) => ['PATCH', `/api/v1/users/${id}`, { unlock: true }]],
  ['PATCH password (reset)', (id) => ['PATCH', `/api/v1/users/${id}`, { password: 'a-new-password' }]],
  ['PUT group member', (id) => ['PUT', `/api/v1/groups/crew/members/${id}`]],
  ['DELETE group member', (id) => ['DELETE', `/api/v1/groups/crew/members/${id}`]],
  ['PATCH disabled', (id) => ['PATCH', `/api/v1/users/${id}`, { disabled: true }]],
  ['DELETE user', (id) => ['DELETE', `/api/v1/users/${id}`]],
];

/** What the actor (always a tenant admin here) lacks of the target's roles: platform-admin alone. */
const notHeld = (actor: string[], target: string[]) =>
  target.includes('platform-admin') && !actor.includes('platform-admin') ? ['platform-admin'] : [];

let serial = 0;
async function newUser(roles: string[]): Promise<{ id: string; username: string; token: string }> {
  const username = `u${++serial}`;
  const token = await addUser(s.app, username, roles);
  const id = await inTenant(s.app, 'demo', async (tx) => (await tx('users').where({ tenant_id: 'demo', username }).first('id')).id);
  return { id, username, token };
}

const expectRefused = (res: { status: number; body: any }, missing: string[], what: string) => {
  expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(403);
  expect(res.body.code, what).toBe('ROLE_NOT_HELD');
  for (const role of missing) expect(res.body.message, what).toContain(role);
  expect(
    res.body.details.map((d: { role: string }) => d.role),
    what,
  ).toEqual(missing);
};

describe('admin boundaries', () => {
  it('covers every user-mutating route of the route table', () => {
    const mutating = s.app.routeAccess
      .filter((r) => r.method !== 'GET' && (r.url.startsWith('/api/v1/users') || r.url.includes('/members/')))
      .map((r) => `${r.method} ${r.url}`);
    expect(mutating.sort()).toEqual([...COVERED].sort());
  });

  it(
    'lets an actor touch a user only if they hold every role the user holds',
    async () => {
      for (const actorRoles of ACTORS) {
        const actor = as(s.app, (await newUser(actorRoles)).token);
        for (const targetRoles of TARGETS) {
          const target = await newUser(targetRoles);
          const missing = notHeld(actorRoles, targetRoles);
          const before = (await root('GET', `/api/v1/users/${target.id}`)).body;
          for (const [label, request] of MUTATIONS) {
            const [method, url, body] = request(target.id);
            const payload = body && (body as { roles?: unknown }).roles === '__same__' ? { roles: targetRoles } : body;
            const res = await actor(method as never, url, payload);
            const what = `[${actorRoles}] ${label} of [${targetRoles}]`;
            if (missing.length) expectRefused(res, missing, what);
            else expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
          }
          const after = await root('GET', `/api/v1/users/${target.id}`);
          if (missing.length) {
            // Nothing changed, and the user's session still works.
            expect(after.body, `[${actorRoles}] on [${targetRoles}]`).toEqual(before);
            expect((await as(s.app, target.token)('GET', '/api/v1/auth/me')).status).toBe(200);
          } else {
            expect(after.status, `[${actorRoles}] deleted [${targetRoles}]`).toBe(404);
          }
        }
      }
    },
    MATRIX_TIMEOUT,
  );

  it(
    'lets an actor grant only roles they hold, creating or changing a user',
    async () => {
      for (const actorRoles of ACTORS) {
        const actor = as(s.app, (await newUser(actorRoles)).token);
        for (const role of ROLES) {
          const held = notHeld(actorRoles, [role]).length === 0;
          const what = `[${actorRoles}] grants ${role}`;
          const created = await actor('POST', '/api/v1/users', { username: `g${++serial}`, roles: [role] });
          if (held) expect(created.status, what).toBe(201);
          else expectRefused(created, [role], `${what} on create`);
          const plain = await newUser([]);
          const granted = await actor('PATCH', `/api/v1/users/${plain.id}`, { roles: [role] });
          if (held) expect(granted.body.roles, what).toEqual([role]);
          else {
            expectRefused(granted, [role], `${what} on change`);
            expect((await root('GET', `/api/v1/users/${plain.id}`)).body.roles).toEqual([]);
          }
        }
      }
    },
    MATRIX_TIMEOUT,
  );

  it(
    'keeps a tenant admin off the demo platform admin: no password reset, no disabling',
    async () => {
      const actor = as(s.app, (await newUser([TA])).token);
      const [adminUser] = (await root('GET', '/api/v1/users')).body.filter((u: { username: string }) => u.username === 'admin');
      expect(adminUser.roles).toContain('platform-admin');
      for (const patch of [{ password: 'taken-over-now' }, { disabled: true }, { unlock: true }, { roles: [TA] }]) {
        const res = await actor('PATCH', `/api/v1/users/${adminUser.id}`, patch);
        expect(res.status, JSON.stringify(patch)).toBe(403);
        expect(res.body.code).toBe('ROLE_NOT_HELD');
        expect(res.body.message).toContain('platform-admin');
      }
      expectRefused(await actor('DELETE', `/api/v1/users/${adminUser.id}`), ['platform-admin'], 'delete admin');
      // The platform admin still signs in with the old password and is enabled.
      expect(await login(s.app, 'admin', PASSWORD)).toBeTruthy();
      expect((await root('GET', `/api/v1/users/${adminUser.id}`)).body.disabled).toBe(false);
    },
    MATRIX_TIMEOUT,
  );

  it('lets an admin who holds every role still manage themselves', async () => {
    const self = await newUser([TA, 'agent']);
    const res = await as(s.app, self.token)('PATCH', `/api/v1/users/${self.id}`, { displayName: 'me', roles: [TA] });
    expect(res.status).toBe(200);
    expect(res.body.roles).toEqual([TA]);
  });
});

describe('which roles an actor holds', () => {
  it('gives a tenant admin every tenant role, and anyone else only their own', () => {
    expect(rolesNotHeld(['tenant-admin'], [...ROLES])).toEqual(['platform-admin']);
    expect(rolesNotHeld(['tenant-admin', 'platform-admin'], [...ROLES])).toEqual([]);
    expect(rolesNotHeld(['platform-admin'], ['agent', 'platform-admin'])).toEqual(['agent']);
    expect(rolesNotHeld(['process-owner'], ['agent', 'process-owner', 'tenant-admin'])).toEqual(['agent', 'tenant-admin']);
    expect(rolesNotHeld(['agent'], [])).toEqual([]);
  });
});
