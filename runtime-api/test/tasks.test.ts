import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, type Call, deploy, line, startInstance, startServer, type TestServer, userTask } from './helpers.ts';

let s: TestServer;
let admin: Call;
let agent1: Call;
let agent2: Call;
beforeAll(async () => {
  s = await startServer();
  admin = as(s.app, s.tokens.admin);
  agent1 = as(s.app, s.tokens.agent1);
  agent2 = as(s.app, s.tokens.agent2);
  await deploy(
    admin,
    line('desk', [
      userTask('triage', 'sl:candidateGroups="service-desk" sl:dueDate="PT4H" sl:formKey="triage-form"'),
      userTask('fix', 'sl:assignee="= fixer"'),
    ]),
  );
  await deploy(admin, line('hr', [userTask('onboard', 'sl:candidateGroups="hr"')]));
});
afterAll(() => s.close());

async function triageTask(instanceId: string) {
  const res = await agent1('GET', `/api/v1/tasks?processInstanceId=${instanceId}`);
  expect(res.status).toBe(200);
  return res.body[0];
}

describe('the inbox', () => {
  it('shows a new task with its groups, form and due date', async () => {
    const { id } = await startInstance(admin, 'desk');
    const task = await triageTask(id);
    expect(task).toMatchObject({
      id: expect.any(String),
      elementId: 'triage',
      name: 'triage',
      processInstanceId: id,
      assignee: null,
      candidateGroups: ['service-desk'],
      formKey: 'triage-form',
      dueAt: expect.any(String),
      createdAt: expect.any(String),
      status: 'open',
    });
    expect(Date.parse(task.dueAt) - Date.parse(task.createdAt)).toBe(4 * 3600_000);
    const byGroup = await agent1('GET', '/api/v1/tasks?candidateGroup=service-desk');
    expect(byGroup.body.map((t: { id: string }) => t.id)).toContain(task.id);
    expect((await agent1('GET', '/api/v1/tasks?candidateGroup=network')).body.map((t: { id: string }) => t.id)).not.toContain(task.id);
    // Empty filters filter nothing.
    const all = (await agent1('GET', '/api/v1/tasks')).body.map((t: { id: string }) => t.id);
    expect(all).toContain(task.id);
    expect(
      (await agent1('GET', '/api/v1/tasks?processInstanceId=&assignee=&candidateGroup=')).body.map((t: { id: string }) => t.id),
    ).toEqual(all);
  });

  it('hides other groups tasks from agents, not from tenant admins', async () => {
    const { id } = await startInstance(admin, 'hr');
    expect((await agent1('GET', `/api/v1/tasks?processInstanceId=${id}`)).body).toHaveLength(0);
    expect((await admin('GET', `/api/v1/tasks?processInstanceId=${id}`)).body).toHaveLength(1);
  });

  it('answers 400 for an unknown status filter and unknown parameters', async () => {
    expect((await agent1('GET', '/api/v1/tasks?status=done')).status).toBe(400);
    const res = await agent1('GET', '/api/v1/tasks?colour=red');
    expect(res.status).toBe(400);
    expect(res.body.details[0]).toMatchObject({ field: 'colour', in: 'querystring' });
  });
});

describe('claiming', () => {
  it('claims, refuses a second claimant with 409, and unclaims', async () => {
    const task = await triageTask((await startInstance(admin, 'desk')).id);
    const claimed = await agent1('POST', `/api/v1/tasks/${task.id}/claim`);
    expect(claimed.status).toBe(200);
    expect(claimed.body.assignee).toBe('agent1');
    expect((await agent1('POST', `/api/v1/tasks/${task.id}/claim`)).status).toBe(200);
    const stolen = await agent2('POST', `/api/v1/tasks/${task.id}/claim`);
    expect(stolen.status).toBe(409);
    expect(stolen.body.code).toBe('TASK_CLAIMED');
    expect((await agent2('POST', `/api/v1/tasks/${task.id}/unclaim`)).status).toBe(403);
    expect((await agent2('POST', `/api/v1/tasks/${task.id}/complete`)).status).toBe(403);
    const released = await agent1('POST', `/api/v1/tasks/${task.id}/unclaim`);
    expect(released.body.assignee).toBeNull();
    expect((await agent2('POST', `/api/v1/tasks/${task.id}/claim`)).body.assignee).toBe('agent2');
  });

  it('refuses agents outside the candidate groups with 403', async () => {
    const { id } = await startInstance(admin, 'hr');
    const task = (await admin('GET', `/api/v1/tasks?processInstanceId=${id}`)).body[0];
    expect((await agent1('POST', `/api/v1/tasks/${task.id}/claim`)).status).toBe(403);
    expect((await agent1('POST', `/api/v1/tasks/${task.id}/complete`)).status).toBe(403);
    const hrAgent = as(s.app, await addUser(s.app, 'hr-agent', ['agent'], ['hr']));
    expect((await hrAgent('POST', `/api/v1/tasks/${task.id}/complete`)).status).toBe(200);
  });

  it('answers 404 for unknown tasks', async () => {
    for (const action of ['claim', 'unclaim', 'complete']) {
      expect((await agent1('POST', `/api/v1/tasks/nope/${action}`)).status).toBe(404);
    }
    expect((await agent1('GET', '/api/v1/tasks/nope')).status).toBe(404);
  });
});

describe('completing', () => {
  it('completes with variables, moves the token on, and answers 409 the second time', async () => {
    const { id } = await startInstance(admin, 'desk');
    const task = await triageTask(id);
    const done = await agent1('POST', `/api/v1/tasks/${task.id}/complete`, { variables: { fixer: 'agent2', severity: 'high' } });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('completed');
    const again = await agent1('POST', `/api/v1/tasks/${task.id}/complete`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('TASK_NOT_OPEN');
    const instance = (await admin('GET', `/api/v1/process-instances/${id}`)).body;
    expect(instance).toMatchObject({ activeElementIds: ['fix'], variables: { fixer: 'agent2', severity: 'high' } });
    const fix = (await agent2('GET', `/api/v1/tasks?processInstanceId=${id}`)).body[0];
    expect(fix).toMatchObject({ elementId: 'fix', assignee: 'agent2' });
    expect((await agent1('POST', `/api/v1/tasks/${fix.id}/complete`)).status).toBe(403);
    expect((await agent2('POST', `/api/v1/tasks/${fix.id}/complete`, {})).status).toBe(200);
    expect((await admin('GET', `/api/v1/process-instances/${id}`)).body.status).toBe('completed');
    const completed = await agent1('GET', `/api/v1/tasks?processInstanceId=${id}&status=completed`);
    expect(completed.body.map((t: { elementId: string }) => t.elementId)).toEqual(['triage']);
  });

  it('answers 400 for variables that are not an object', async () => {
    const task = await triageTask((await startInstance(admin, 'desk')).id);
    const res = await agent1('POST', `/api/v1/tasks/${task.id}/complete`, { variables: ['a'] });
    expect(res.status).toBe(400);
    expect(res.body.details[0].field).toBe('variables');
  });

  it('lets exactly one of 10 parallel completions of the same task win; the rest get 409', async () => {
    const task = await triageTask((await startInstance(admin, 'desk')).id);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        agent1('POST', `/api/v1/tasks/${task.id}/complete`, { variables: { fixer: 'agent2', attempt: i } }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    const history = await admin('GET', `/api/v1/process-instances/${task.processInstanceId}/history`);
    expect(
      history.body.filter((h: { elementId: string; event: string }) => h.elementId === 'triage' && h.event === 'completed'),
    ).toHaveLength(1);
  });
});
