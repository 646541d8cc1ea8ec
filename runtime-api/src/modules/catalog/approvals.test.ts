// Approvals over HTTP, driven by the request and change flows: each default catalog item's chain,
// rejection, the reminder and the escalation on the test clock, CAB (all) and ECAB (any), FEEL
// `when`, whose approval is whose, and the ticket's timeline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, type Call, deploy, settle, startServer, type TestServer, tokenFor } from '../../../test/helpers.ts';
import { changeFlow, requestFlow } from '../../../test/itsm/request-flows.ts';
import { addBusinessDays } from '../../platform/time/business-days.ts';

let s: TestServer;
let admin: Call;
let agent: Call;
let requester: Call;
const people: Record<string, Call> = {};

/** Sets (or clears) a user's manager, as the users API of migration 009 will. */
async function setManager(username: string, manager: string | null, tenant = 'demo'): Promise<void> {
  await s.app.services.transactions.withTenant(tenant, async (work) => {
    const m = manager ? await work.tx('users').where({ tenant_id: tenant, username: manager }).first('id') : null;
    await work
      .tx('users')
      .where({ tenant_id: tenant, username })
      .update({ manager_id: m?.id ?? null });
  });
}

beforeAll(async () => {
  s = await startServer();
  admin = as(s.app, s.tokens.admin);
  agent = as(s.app, s.tokens.agent1);
  requester = as(s.app, s.tokens.requester);
  const members: Array<[string, string[]]> = [
    ['mgr', []],
    ['director', []],
    ['nomgr', []],
    ['sec1', ['security']],
    ['sec2', ['security']],
    ['fin1', ['finance']],
    ['own1', ['app-owners']],
    ['own2', ['app-owners']],
    ['cab1', ['cab']],
    ['cab2', ['cab']],
    ['ecab1', ['ecab']],
    ['ecab2', ['ecab']],
  ];
  for (const [name, groups] of members) people[name] = as(s.app, await addUser(s.app, name, ['requester'], groups));
  await setManager('requester', 'mgr');
  await setManager('mgr', 'director');
  await deploy(admin, requestFlow());
  await deploy(admin, changeFlow());
});
afterAll(() => s.close());

const person = (name: string) => people[name] as Call;

/** What the seeded items' forms require, so that a request passes its form. */
const VALID_FIELDS: Record<string, Record<string, unknown>> = {
  'password-reset': { account: 'rita', system: 'directory' },
  'software-install': { software: '7-Zip', reason: 'unpack the logs' },
  'access-request': { system: 'ERP', accessLevel: 'read', reason: 'month-end close' },
  'new-laptop': { model: 'standard', reason: 'the old one broke' },
};

async function request(catalogItem: string, fields: Record<string, unknown> = {}, call: Call = requester) {
  const res = await call('POST', '/api/v1/tickets', {
    type: 'request',
    title: `Please: ${catalogItem}`,
    catalogItem,
    fields: { ...VALID_FIELDS[catalogItem], ...fields },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await settle(s.app);
  return res.body.number as string;
}

const stateOf = async (number: string) => (await agent('GET', `/api/v1/tickets/${number}`)).body.state as string;

/** The user's requested approvals of one ticket. */
async function asked(name: string, number: string) {
  const res = await person(name)('GET', '/api/v1/approvals?state=requested');
  expect(res.status).toBe(200);
  return (res.body as Array<{ id: string; ticket: string; step: number }>).filter((a) => a.ticket === number);
}

async function decide(name: string, number: string, verb: 'approve' | 'reject', comment?: string) {
  const [approval] = await asked(name, number);
  expect(approval, `${name} is asked to approve ${number}`).toBeDefined();
  const res = await person(name)('POST', `/api/v1/approvals/${approval?.id}/${verb}`, comment ? { comment } : {});
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  await settle(s.app);
  return res.body;
}

async function approvalEntries(number: string) {
  const timeline = (await agent('GET', `/api/v1/tickets/${number}/timeline`)).body as Array<{ kind: string; actor: any; data: any }>;
  return timeline.filter((e) => e.kind === 'approval');
}

async function variables(number: string) {
  const t = (await agent('GET', `/api/v1/tickets/${number}`)).body;
  return (await admin('GET', `/api/v1/process-instances/${t.processInstanceId}`)).body.variables as Record<string, unknown>;
}

describe('the default items’ chains', () => {
  it('password-reset: no approval, fulfilled automatically', async () => {
    const n = await request('password-reset');
    expect(await stateOf(n)).toBe('resolved');
    expect(await variables(n)).toMatchObject({ needsApproval: true, fulfilment: 'auto', fulfilmentGroup: null });
    expect(await approvalEntries(n)).toEqual([]);
  });

  it('software-install: the requester’s manager approves, then the service desk fulfils', async () => {
    const n = await request('software-install');
    expect(await stateOf(n)).toBe('approval');
    const [mine] = await asked('mgr', n);
    expect(mine).toMatchObject({ ticket: n, title: 'Please: software-install', step: 1, state: 'requested', decidedAt: null });
    expect(await asked('director', n)).toEqual([]);
    const decided = await decide('mgr', n, 'approve', 'ok');
    expect(decided).toMatchObject({ id: mine?.id, state: 'approved' });
    expect(decided.decidedAt).not.toBeNull();
    expect(await stateOf(n)).toBe('in_progress');
    expect(await variables(n)).toMatchObject({ fulfilment: 'group', fulfilmentGroup: 'service-desk' });
    const entries = await approvalEntries(n);
    expect(entries.map((e) => [e.data.event, e.data.approver, e.actor?.username ?? null])).toEqual([
      ['requested', 'mgr', null],
      ['approved', 'mgr', 'mgr'],
    ]);
    expect(entries[1]?.data.comment).toBe('ok');
    // Decided once only; someone else's approval does not exist for them.
    const again = await person('mgr')('POST', `/api/v1/approvals/${mine?.id}/reject`, {});
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('APPROVAL_DECIDED');
    expect((await person('director')('POST', `/api/v1/approvals/${mine?.id}/approve`, {})).status).toBe(404);
    expect((await person('mgr')('GET', '/api/v1/approvals?state=approved')).body.map((a: { id: string }) => a.id)).toContain(mine?.id);
  });

  it('access-request: the manager, every member of the owning group, then security when privileged', async () => {
    const n = await request('access-request', { ownerGroup: 'app-owners', privileged: true });
    await decide('mgr', n, 'approve');
    expect(await stateOf(n)).toBe('approval');
    expect((await asked('own1', n)).map((a) => a.step)).toEqual([2]);
    expect(await asked('own2', n)).toHaveLength(1);
    expect(await asked('sec1', n)).toEqual([]);
    await decide('own1', n, 'approve');
    // All must approve: own2 still owes it.
    expect(await stateOf(n)).toBe('approval');
    expect(await asked('sec1', n)).toEqual([]);
    await decide('own2', n, 'approve');
    expect((await asked('sec1', n)).map((a) => a.step)).toEqual([3]);
    await decide('sec1', n, 'approve');
    await decide('sec2', n, 'approve');
    expect(await stateOf(n)).toBe('in_progress');
  });

  it('access-request without privileged access skips security, and the timeline says why', async () => {
    const n = await request('access-request', { ownerGroup: 'app-owners', privileged: false });
    expect((await approvalEntries(n)).find((e) => e.data.event === 'skipped')?.data).toMatchObject({
      step: 3,
      reason: '"privileged = true" is not true',
    });
    await decide('mgr', n, 'approve');
    await decide('own1', n, 'approve');
    await decide('own2', n, 'approve');
    expect(await stateOf(n)).toBe('in_progress');
    expect(await asked('sec1', n)).toEqual([]);
  });

  it('new-laptop: finance approves too when the cost is above 10000', async () => {
    const dear = await request('new-laptop', { cost: 15000 });
    await decide('mgr', dear, 'approve');
    expect(await stateOf(dear)).toBe('approval');
    await decide('fin1', dear, 'approve');
    expect(await stateOf(dear)).toBe('in_progress');

    const cheap = await request('new-laptop', { cost: 8000 });
    await decide('mgr', cheap, 'approve');
    expect(await stateOf(cheap)).toBe('in_progress');
    expect(await asked('fin1', cheap)).toEqual([]);
  });

  it('skips a manager step for a requester without a manager', async () => {
    const n = await request('software-install', {}, person('nomgr'));
    expect(await stateOf(n)).toBe('in_progress');
    expect((await approvalEntries(n)).map((e) => [e.data.event, e.data.reason])).toEqual([['skipped', 'the requester has no manager']]);
  });

  it('runs a tenant admin’s own FEEL `when` over the request’s fields', async () => {
    const created = await admin('POST', '/api/v1/catalog', {
      key: 'cloud-account',
      name: { en: 'Cloud account' },
      category: 'access',
      approval: [
        { kind: 'group', group: 'security', when: 'starts with(environment, "prod") and count(regions) > 1' },
        { kind: 'group', group: 'finance', when: 'budget >= 500' },
      ],
      fulfilmentGroup: 'network',
    });
    expect(created.status).toBe(201);
    const prod = await request('cloud-account', { environment: 'production', regions: ['eu', 'us'], budget: 100 });
    expect((await asked('sec1', prod)).map((a) => a.step)).toEqual([1]);
    expect(await asked('fin1', prod)).toEqual([]);
    const dev = await request('cloud-account', { environment: 'dev', regions: ['eu', 'us'], budget: 500 });
    expect(await asked('sec1', dev)).toEqual([]);
    expect((await asked('fin1', dev)).map((a) => a.step)).toEqual([2]);
    // A field the expression needs is missing: FEEL gives null, which is not true.
    const none = await request('cloud-account', {});
    expect(await stateOf(none)).toBe('in_progress');
    expect(await variables(none)).toMatchObject({ fulfilment: 'group', fulfilmentGroup: 'network' });
  });
});

describe('rejection', () => {
  it('one rejection rejects the ticket, with the comment in its timeline', async () => {
    const n = await request('software-install');
    await decide('mgr', n, 'reject', 'not licensed for this');
    expect(await stateOf(n)).toBe('rejected');
    const rejected = (await approvalEntries(n)).find((e) => e.data.event === 'rejected');
    expect(rejected).toMatchObject({ actor: { username: 'mgr' }, data: { approver: 'mgr', comment: 'not licensed for this' } });
  });

  it('cancels the rest of the step when one member of a group rejects', async () => {
    const n = await request('access-request', { ownerGroup: 'app-owners' });
    await decide('mgr', n, 'approve');
    const [own2] = await asked('own2', n);
    await decide('own1', n, 'reject');
    expect(await stateOf(n)).toBe('rejected');
    const theirs = (await person('own2')('GET', '/api/v1/approvals?state=cancelled')).body as Array<{ id: string }>;
    expect(theirs.map((a) => a.id)).toContain(own2?.id);
    expect((await person('own2')('POST', `/api/v1/approvals/${own2?.id}/approve`, {})).status).toBe(409);
  });

  it('cancels what is still asked when the ticket is cancelled during approval', async () => {
    const n = await request('software-install');
    const [mine] = await asked('mgr', n);
    expect((await agent('POST', `/api/v1/tickets/${n}/actions/cancel`, { reason: 'duplicate' })).body.state).toBe('cancelled');
    await settle(s.app);
    const cancelled = (await person('mgr')('GET', '/api/v1/approvals?state=cancelled')).body as Array<{ id: string }>;
    expect(cancelled.map((a) => a.id)).toContain(mine?.id);
  });
});

describe('reminders and escalation (business days on the test clock)', () => {
  const now = async () => Date.parse((await admin('GET', '/api/v1/admin/clock')).body.now);
  const advanceTo = async (at: number) => {
    const res = await admin('POST', '/api/v1/admin/clock', { advanceBy: `PT${Math.ceil((at - (await now())) / 1000)}S` });
    expect(res.status).toBe(200);
    await settle(s.app);
    // Sessions end after a week of the test clock: everyone signs in again.
    admin = as(s.app, await tokenFor(s.app, 'admin'));
    agent = as(s.app, await tokenFor(s.app, 'agent1'));
    requester = as(s.app, await tokenFor(s.app, 'requester'));
    for (const name of Object.keys(people)) people[name] = as(s.app, await tokenFor(s.app, name));
  };

  it('reminds after 2 business days, escalates to the approver’s manager after 3, and stays when there is nobody above', async () => {
    const n = await request('software-install');
    const requestedAt = await now();
    const [mine] = await asked('mgr', n);
    await advanceTo(addBusinessDays(requestedAt, 2, 'UTC') - 60_000);
    expect((await approvalEntries(n)).map((e) => e.data.event)).toEqual(['requested']);
    await advanceTo(addBusinessDays(requestedAt, 2, 'UTC') + 60_000);
    expect((await approvalEntries(n)).map((e) => e.data.event)).toEqual(['requested', 'reminded']);
    expect(await asked('mgr', n)).toHaveLength(1);
    expect(await asked('director', n)).toEqual([]);

    await advanceTo(addBusinessDays(requestedAt, 3, 'UTC') + 60_000);
    const escalatedAt = await now();
    const escalated = (await person('mgr')('GET', '/api/v1/approvals?state=escalated')).body as Array<{ id: string }>;
    expect(escalated.map((a) => a.id)).toContain(mine?.id);
    const [theirs] = await asked('director', n);
    expect(theirs).toMatchObject({ step: 1, state: 'requested' });
    const entries = await approvalEntries(n);
    expect(entries.slice(2).map((e) => [e.data.event, e.data.approver])).toEqual([
      ['escalated', 'mgr'],
      ['requested', 'director'],
    ]);
    expect(entries[2]?.data.to).toBe('director');
    expect(entries[3]?.data.escalatedFrom).toBe('mgr');
    expect((await person('mgr')('POST', `/api/v1/approvals/${mine?.id}/approve`, {})).status).toBe(409);

    // The director has no manager: their approval stays theirs, past its own 3 business days.
    await advanceTo(addBusinessDays(escalatedAt, 4, 'UTC'));
    expect(await asked('director', n)).toHaveLength(1);
    expect(await stateOf(n)).toBe('approval');
    await decide('director', n, 'approve');
    expect(await stateOf(n)).toBe('in_progress');
  });

  it('counts the business days on the tenant’s calendar `default`: its holidays are skipped', async () => {
    const start = await now();
    // The next eight dates are holidays.
    const holidays = Array.from({ length: 8 }, (_, i) => new Date(start + (i + 1) * 86_400_000).toISOString().slice(0, 10));
    const day: [string, string][] = [['09:00', '18:00']];
    const calendar = { timezone: 'UTC', week: { mon: day, tue: day, wed: day, thu: day, fri: day }, holidays, workdays: [] };
    expect((await admin('PUT', '/api/v1/itsm/calendars/default', calendar)).status).toBe(200);
    try {
      const n = await request('software-install');
      const requestedAt = await now();
      // Two business days without the holidays: no reminder yet.
      await advanceTo(addBusinessDays(requestedAt, 2, 'UTC') + 60_000);
      expect((await approvalEntries(n)).map((e) => e.data.event)).toEqual(['requested']);
      const remindAt = addBusinessDays(requestedAt, 2, { id: 'default', ...calendar });
      expect(remindAt).toBeGreaterThan(requestedAt + 9 * 86_400_000);
      await advanceTo(remindAt - 60_000);
      expect((await approvalEntries(n)).map((e) => e.data.event)).toEqual(['requested']);
      await advanceTo(remindAt + 60_000);
      expect((await approvalEntries(n)).map((e) => e.data.event)).toEqual(['requested', 'reminded']);
    } finally {
      await admin('DELETE', '/api/v1/itsm/calendars/default');
    }
  });
});

describe('changes', () => {
  async function change(changeType: string) {
    const res = await agent('POST', '/api/v1/tickets', { type: 'change', title: `A ${changeType} change`, changeType });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const submitted = await agent('POST', `/api/v1/tickets/${res.body.number}/actions/submit`, {});
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    await settle(s.app);
    return res.body.number as string;
  }

  it('a normal change needs every member of the CAB', async () => {
    const n = await change('normal');
    expect(await stateOf(n)).toBe('authorize');
    await decide('cab1', n, 'approve');
    expect(await stateOf(n)).toBe('authorize');
    await decide('cab2', n, 'approve');
    expect(await stateOf(n)).toBe('scheduled');
  });

  it('a CAB rejection sends the change back to new', async () => {
    const n = await change('normal');
    await decide('cab2', n, 'reject', 'no rollback plan');
    expect(await stateOf(n)).toBe('new');
  });

  it('an emergency change needs any one member of the ECAB', async () => {
    const n = await change('emergency');
    const [other] = await asked('ecab2', n);
    await decide('ecab1', n, 'approve');
    expect(await stateOf(n)).toBe('scheduled');
    const cancelled = (await person('ecab2')('GET', '/api/v1/approvals?state=cancelled')).body as Array<{ id: string }>;
    expect(cancelled.map((a) => a.id)).toContain(other?.id);
  });

  it('a standard change is approved at once', async () => {
    expect(await stateOf(await change('standard'))).toBe('scheduled');
  });
});

describe('whose approvals', () => {
  it('shows each user only their own, and no other tenant sees them', async () => {
    const n = await request('software-install');
    const [mine] = await asked('mgr', n);
    expect((await requester('GET', '/api/v1/approvals')).body).toEqual([]);
    expect((await requester('POST', `/api/v1/approvals/${mine?.id}/approve`, {})).status).toBe(404);
    expect((await requester('POST', '/api/v1/approvals/nope/approve', {})).status).toBe(404);
    expect((await person('mgr')('GET', '/api/v1/approvals?state=bogus')).status).toBe(400);

    const created = await admin('POST', '/api/v1/tenants', {
      id: 'initech',
      name: 'Initech',
      admin: { username: 'mgr', password: 'initech-secret' },
    });
    expect(created.status).toBe(201);
    const login = await as(s.app, undefined)('POST', '/api/v1/auth/login', {
      tenant: 'initech',
      username: 'mgr',
      password: 'initech-secret',
    });
    const namesake = as(s.app, login.body.token);
    expect((await namesake('GET', '/api/v1/approvals')).body).toEqual([]);
    expect((await namesake('POST', `/api/v1/approvals/${mine?.id}/approve`, {})).status).toBe(404);
    expect(await asked('mgr', n)).toHaveLength(1);
  });
});
