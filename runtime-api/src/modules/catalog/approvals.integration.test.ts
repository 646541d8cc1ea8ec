// Approvals decided at the same moment, on PostgreSQL when DATABASE_URL is set (else embedded):
// the decisions of one chain queue on its run's row, so a CAB whose members all approve at once
// moves the change exactly once, and of an ECAB approving at once exactly one approval counts.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  as,
  type Call,
  deploy,
  integrationDatabaseUrl,
  settle,
  startServer,
  type TestServer,
  tokenFor,
} from '../../../test/helpers.ts';
import { changeFlow } from '../../../test/itsm/request-flows.ts';

let s: TestServer;
let tenant: string;
let agent: Call;
const members: Record<string, Call> = {};

beforeAll(async () => {
  const databaseUrl = integrationDatabaseUrl();
  s = await startServer(databaseUrl ? { databaseUrl } : {});
  // A tenant of its own: a shared database keeps the groups of earlier runs.
  tenant = `appr-${randomUUID().slice(0, 8)}`;
  const platform = as(s.app, await tokenFor(s.app, 'admin'));
  const created = await platform('POST', '/api/v1/tenants', {
    id: tenant,
    name: 'Approvals',
    admin: { username: 'root', password: 'approvals-secret' },
  });
  expect(created.status).toBe(201);
  const admin = as(s.app, await tokenFor(s.app, 'root', tenant));
  await deploy(admin, changeFlow());
  agent = as(s.app, await addUser(s.app, 'changer', ['agent'], [], tenant));
  for (const name of ['cab1', 'cab2', 'cab3', 'cab4']) members[name] = as(s.app, await addUser(s.app, name, ['agent'], ['cab'], tenant));
  for (const name of ['ecab1', 'ecab2', 'ecab3']) members[name] = as(s.app, await addUser(s.app, name, ['agent'], ['ecab'], tenant));
});
afterAll(() => s.close());

async function change(changeType: string): Promise<string> {
  const res = await agent('POST', '/api/v1/tickets', { type: 'change', title: `${changeType} change`, changeType });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect((await agent('POST', `/api/v1/tickets/${res.body.number}/actions/submit`, {})).status).toBe(200);
  await settle(s.app);
  return res.body.number;
}

async function approveAtOnce(names: string[], number: string) {
  const ids = await Promise.all(
    names.map(async (name) => {
      const mine = (await (members[name] as Call)('GET', '/api/v1/approvals?state=requested')).body as Array<{
        id: string;
        ticket: string;
      }>;
      return mine.find((a) => a.ticket === number)?.id as string;
    }),
  );
  expect(ids.every(Boolean)).toBe(true);
  const replies = await Promise.all(names.map((name, i) => (members[name] as Call)('POST', `/api/v1/approvals/${ids[i]}/approve`, {})));
  await settle(s.app);
  return replies;
}

async function stateChanges(number: string) {
  const timeline = (await agent('GET', `/api/v1/tickets/${number}/timeline`)).body as Array<{ kind: string; data: any }>;
  return timeline.filter((e) => e.kind === 'state').map((e) => `${e.data.from}>${e.data.to}`);
}

describe(`approvals at once (${integrationDatabaseUrl() ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('a CAB approving all at once schedules the change once', async () => {
    const n = await change('normal');
    const replies = await approveAtOnce(['cab1', 'cab2', 'cab3', 'cab4'], n);
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect((await agent('GET', `/api/v1/tickets/${n}`)).body.state).toBe('scheduled');
    expect(await stateChanges(n)).toEqual(['new>authorize', 'authorize>scheduled']);
  });

  it('of an ECAB approving all at once, one approval counts and the others find theirs cancelled', async () => {
    const n = await change('emergency');
    const replies = await approveAtOnce(['ecab1', 'ecab2', 'ecab3'], n);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    expect(replies.filter((r) => r.status === 409).every((r) => r.body.code === 'APPROVAL_DECIDED')).toBe(true);
    expect(await stateChanges(n)).toEqual(['new>authorize', 'authorize>scheduled']);
  });
});
