// Reads by need: tenant admins and process owners read every instance; agents the instances they
// started or hold a task of (as their task list shows it); requesters only those they started.
// An instance outside that answers 404 (with its variables and history), as for a missing id; and
// GET /tasks/:id shows exactly the tasks the caller's task list shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, type Call, deploy, line, startInstance, startServer, type TestServer, userTask } from './helpers.ts';

let s: TestServer;
const users: Record<string, Call> = {};
const ids: Record<string, string> = {};
beforeAll(async () => {
  s = await startServer();
  const admin = as(s.app, s.tokens.admin);
  await deploy(admin, line('desk', [userTask('triage', 'sl:candidateGroups="desk"')]));
  await deploy(admin, line('open', [userTask('anyone')]));
  for (const [name, roles, groups] of [
    ['alice', ['requester'], []],
    ['bob', ['requester'], []],
    ['deskAgent', ['agent'], ['desk']],
    ['otherAgent', ['agent'], ['other']],
    ['owner', ['process-owner'], []],
    ['tenantAdmin', ['tenant-admin'], []],
    ['worker', ['worker'], []],
  ] as const) {
    users[name] = as(s.app, await addUser(s.app, `r-${name}`, [...roles], [...groups]));
  }
  ids.alice = (await startInstance(users.alice as Call, 'desk', { variables: { secret: 'alice' } })).id;
  ids.bob = (await startInstance(users.bob as Call, 'desk', { variables: { secret: 'bob' } })).id;
  ids.otherAgent = (await startInstance(users.otherAgent as Call, 'desk', { variables: { secret: 'agent' } })).id;
  // Started by the demo admin; its task is meant for anyone, so every agent may work it.
  ids.open = (await startInstance(admin, 'open')).id;
  // Generous: the server starts on a busy shared machine.
}, 240_000);
afterAll(() => s.close());

const call = (name: string) => users[name] as Call;
const listed = async (name: string) => {
  const res = await call(name)('GET', '/api/v1/process-instances');
  expect(res.status).toBe(200);
  return new Set<string>(res.body.map((i: { id: string }) => i.id));
};

/** Who reads which of the instances started above. */
const READS: Record<string, string[]> = {
  alice: ['alice'],
  bob: ['bob'],
  worker: [],
  // Desk tasks of every requester, and the task meant for anyone.
  deskAgent: ['alice', 'bob', 'otherAgent', 'open'],
  // The instance they started (its task is the desk's, not theirs), and the task meant for anyone.
  otherAgent: ['otherAgent', 'open'],
  owner: ['alice', 'bob', 'otherAgent', 'open'],
  tenantAdmin: ['alice', 'bob', 'otherAgent', 'open'],
};

describe('reads by need', () => {
  it('lists, shows (with variables) and gives the history of only the instances a reader may see', async () => {
    for (const [reader, mine] of Object.entries(READS)) {
      const seen = await listed(reader);
      for (const [who, id] of Object.entries(ids)) {
        const may = mine.includes(who);
        expect(seen.has(id), `${reader} lists ${who}'s instance`).toBe(may);
        const one = await call(reader)('GET', `/api/v1/process-instances/${id}`);
        expect(one.status, `${reader} reads ${who}'s instance`).toBe(may ? 200 : 404);
        if (may && who !== 'open') expect(one.body.variables.secret).toBe(who === 'otherAgent' ? 'agent' : who);
        if (!may) {
          expect(one.body.code).toBe('NOT_FOUND');
          expect(JSON.stringify(one.body)).not.toContain('secret');
        }
        const history = await call(reader)('GET', `/api/v1/process-instances/${id}/history`);
        expect(history.status, `${reader} reads ${who}'s history`).toBe(may ? 200 : 404);
      }
    }
  });

  it('keeps the filters within what the reader may see', async () => {
    const res = await call('alice')('GET', '/api/v1/process-instances?definitionKey=desk&status=active');
    expect(res.body.map((i: { id: string }) => i.id)).toEqual([ids.alice]);
  });

  it('answers GET /tasks/:id exactly for the tasks the caller’s task list shows', async () => {
    const admin = as(s.app, s.tokens.admin);
    const all: Array<{ id: string; processInstanceId: string }> = (await admin('GET', '/api/v1/tasks')).body;
    expect(all.length).toBeGreaterThanOrEqual(4);
    // A claimed desk task stays in the desk's list, and out of the other agent's.
    const aliceTask = all.find((t) => t.processInstanceId === ids.alice) as { id: string };
    expect((await call('deskAgent')('POST', `/api/v1/tasks/${aliceTask.id}/claim`)).status).toBe(200);
    for (const agent of ['deskAgent', 'otherAgent', 'tenantAdmin']) {
      const list = new Set<string>((await call(agent)('GET', '/api/v1/tasks')).body.map((t: { id: string }) => t.id));
      for (const task of all) {
        const res = await call(agent)('GET', `/api/v1/tasks/${task.id}`);
        expect(res.status, `${agent} reads task of ${task.processInstanceId}`).toBe(list.has(task.id) ? 200 : 404);
      }
    }
    expect((await call('otherAgent')('GET', `/api/v1/tasks/${aliceTask.id}`)).status).toBe(404);
    expect((await call('deskAgent')('GET', `/api/v1/tasks/${aliceTask.id}`)).body.assignee).toBe('r-deskAgent');
  });
});
