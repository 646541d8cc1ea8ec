// Every row belongs to a tenant: another tenant's ids answer 404, exactly like unknown ones.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addUser, as, bpmn, type Call, deploy, line, startInstance, startServer, type TestServer, userTask } from './helpers.ts';

let s: TestServer;
let demoAdmin: Call;
let otherAdmin: Call;
beforeAll(async () => {
  s = await startServer();
  demoAdmin = as(s.app, s.tokens.admin);
  await s.app.services.transactions.withTenant('acme', (work) => work.tx('tenants').insert({ id: 'acme', name: 'Acme' }));
  otherAdmin = as(s.app, await addUser(s.app, 'admin', ['tenant-admin', 'process-owner', 'worker', 'agent'], [], 'acme'));
});
afterAll(() => s.close());

it("keeps each tenant's definitions, instances, tasks, jobs and messages apart", async () => {
  const definition = await deploy(demoAdmin, line('secret', [userTask('t')]));
  await deploy(
    demoAdmin,
    bpmn(
      'worked',
      '<bpmn:startEvent id="s"/><bpmn:serviceTask id="j" sl:type="shared-type"/><bpmn:endEvent id="e"/><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="j"/><bpmn:sequenceFlow id="f2" sourceRef="j" targetRef="e"/>',
    ),
  );
  const instance = await startInstance(demoAdmin, 'secret');
  await startInstance(demoAdmin, 'worked');
  const task = (await demoAdmin('GET', `/api/v1/tasks?processInstanceId=${instance.id}`)).body[0];

  expect((await otherAdmin('GET', '/api/v1/definitions')).body).toEqual([]);
  expect((await otherAdmin('GET', `/api/v1/definitions/${definition.id}`)).status).toBe(404);
  expect((await otherAdmin('GET', '/api/v1/definitions/secret/versions')).status).toBe(404);
  expect((await otherAdmin('POST', '/api/v1/process-instances', { definitionKey: 'secret' })).status).toBe(404);
  expect((await otherAdmin('GET', `/api/v1/process-instances/${instance.id}`)).status).toBe(404);
  expect((await otherAdmin('POST', `/api/v1/process-instances/${instance.id}/cancel`)).status).toBe(404);
  expect((await otherAdmin('GET', '/api/v1/tasks')).body).toEqual([]);
  expect((await otherAdmin('POST', `/api/v1/tasks/${task.id}/complete`)).status).toBe(404);
  expect((await otherAdmin('POST', '/api/v1/jobs/activate', { type: 'shared-type', maxJobs: 5, lockDuration: 1000 })).body).toEqual([]);
  expect((await otherAdmin('POST', '/api/v1/signals', { name: 'anything' })).body).toEqual({ delivered: 0 });
  // The same key deployed by the other tenant is its own version 1.
  expect((await deploy(otherAdmin, line('secret', [userTask('t')]))).version).toBe(1);
  expect((await demoAdmin('GET', `/api/v1/process-instances/${instance.id}`)).body.status).toBe('active');
});
