// The process port (process/port.ts): what an ITSM module may ask of the process core, with the
// caller's visibility and the task's rules intact.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { as, deploy, line, startServer, type TestServer, tokenFor, userTask } from './helpers.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
  await deploy(as(s.app, s.tokens.admin), line('port-flow', [userTask('triage', 'sl:candidateGroups="service-desk"')]));
});
afterAll(() => s.close());

const principal = async (username: string) => {
  const caller = s.app.tokens.verify(await tokenFor(s.app, username), s.app.clock.now());
  if (!caller) throw new Error(`no principal for ${username}`);
  return caller;
};

it('starts an instance, lists and completes its task, and reads where it stands', async () => {
  const port = s.app.services.process;
  const started = await port.startInstance('demo', 'requester', { definitionKey: 'port-flow', businessKey: 'INC0000001' });
  expect(started).toMatchObject({ definitionKey: 'port-flow', businessKey: 'INC0000001', status: 'active' });

  const agent = await principal('agent1');
  const [task] = await port.tasksOf(agent, started.id);
  expect(task).toMatchObject({ elementId: 'triage', status: 'open' });
  await port.completeTask(agent, task.id, { outcome: 'done' });

  expect(await port.readInstance(agent, started.id)).toMatchObject({ status: 'completed', variables: { outcome: 'done' } });
});

it('keeps the core rules: a requester cannot complete a service-desk task, nor read an instance they did not start', async () => {
  const port = s.app.services.process;
  const started = await port.startInstance('demo', 'agent1', { definitionKey: 'port-flow' });
  const requester = await principal('requester');
  const [task] = await port.tasksOf(await principal('agent1'), started.id);
  await expect(port.completeTask(requester, task.id)).rejects.toMatchObject({ kind: expect.stringMatching(/forbidden|not_found/) });
  await expect(port.readInstance(requester, started.id)).rejects.toMatchObject({ kind: 'not_found' });
});
