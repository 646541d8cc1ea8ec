// A full flow and the concurrency guarantees, on embedded PGlite or, with DATABASE_URL set, on
// PostgreSQL (where requests really run in parallel). Keys carry a run id so that runs can share
// one database.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  as,
  bpmn,
  type Call,
  deploy,
  integrationDatabaseUrl,
  settle,
  startInstance,
  startServer,
  type TestServer,
} from './helpers.ts';

const run = randomUUID().slice(0, 8);
const key = (name: string) => `${name}-${run}`;

let s: TestServer;
let admin: Call;
let agent: Call;
let worker: Call;

const timer = (value: string) => `<bpmn:timerEventDefinition><bpmn:timeDuration>${value}</bpmn:timeDuration></bpmn:timerEventDefinition>`;

beforeAll(async () => {
  const databaseUrl = integrationDatabaseUrl();
  s = await startServer(databaseUrl ? { databaseUrl } : {});
  admin = as(s.app, s.tokens.admin);
  agent = as(s.app, s.tokens.agent1);
  worker = as(s.app, await addUser(s.app, `worker-${run}`, ['worker']));
  await deploy(
    admin,
    bpmn(
      key('fix'),
      `<bpmn:startEvent id="start"/>
       <bpmn:userTask id="fixIt" sl:candidateGroups="network"/>
       <bpmn:endEvent id="end"/>
       <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fixIt"/>
       <bpmn:sequenceFlow id="f2" sourceRef="fixIt" targetRef="end"/>`,
    ),
  );
  await deploy(
    admin,
    bpmn(
      key('incident'),
      `<bpmn:startEvent id="start"/>
       <bpmn:userTask id="triage" sl:candidateGroups="service-desk"/>
       <bpmn:serviceTask id="diagnose" sl:type="${key('diagnose')}"/>
       <bpmn:intermediateCatchEvent id="awaitVendor" sl:correlationKey="= ticket"><bpmn:messageEventDefinition messageRef="m1"/></bpmn:intermediateCatchEvent>
       <bpmn:callActivity id="repair" calledElement="${key('fix')}"/>
       <bpmn:intermediateCatchEvent id="observe">${timer('PT2H')}</bpmn:intermediateCatchEvent>
       <bpmn:endEvent id="end"/>
       <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="triage"/>
       <bpmn:sequenceFlow id="f2" sourceRef="triage" targetRef="diagnose"/>
       <bpmn:sequenceFlow id="f3" sourceRef="diagnose" targetRef="awaitVendor"/>
       <bpmn:sequenceFlow id="f4" sourceRef="awaitVendor" targetRef="repair"/>
       <bpmn:sequenceFlow id="f5" sourceRef="repair" targetRef="observe"/>
       <bpmn:sequenceFlow id="f6" sourceRef="observe" targetRef="end"/>`,
      `<bpmn:message id="m1" name="${key('vendor-reply')}"/>`,
    ),
  );
}, 120_000);
afterAll(() => s?.close());

async function openTask(instanceId: string) {
  const tasks = (await agent('GET', `/api/v1/tasks?processInstanceId=${instanceId}`)).body;
  expect(tasks).toHaveLength(1);
  return tasks[0];
}

describe('an incident from report to close', () => {
  it('passes a user task, a worker job, a message, a call activity and a timer', async () => {
    const { id } = await startInstance(admin, key('incident'), { businessKey: `INC-${run}`, variables: { ticket: `T-${run}` } });
    expect((await agent('POST', `/api/v1/tasks/${(await openTask(id)).id}/complete`, { variables: { priority: 2 } })).status).toBe(200);

    const [job] = (await worker('POST', '/api/v1/jobs/activate', { type: key('diagnose'), maxJobs: 5, lockDuration: 'PT1M' })).body;
    expect(job).toMatchObject({ processInstanceId: id, variables: { ticket: `T-${run}`, priority: 2 } });
    expect((await worker('POST', `/api/v1/jobs/${job.id}/complete`, { variables: { cause: 'router' } })).status).toBe(200);

    const message = await admin('POST', '/api/v1/messages', {
      name: key('vendor-reply'),
      correlationKey: `T-${run}`,
      variables: { vendor: 'ok' },
    });
    expect(message.body).toEqual({ correlated: 1 });
    await settle(s.app);
    const [child] = (await admin('GET', `/api/v1/process-instances?parentInstanceId=${id}`)).body;
    expect(child).toMatchObject({ status: 'active', variables: { cause: 'router' } });
    await agent('POST', `/api/v1/tasks/${(await openTask(child.id)).id}/complete`, { variables: { fixed: true } });
    await settle(s.app);
    expect((await admin('GET', `/api/v1/process-instances/${id}`)).body.activeElementIds).toEqual(['observe']);

    await admin('POST', '/api/v1/admin/clock', { advanceBy: 'PT2H1M' });
    const done = (await admin('GET', `/api/v1/process-instances/${id}`)).body;
    expect(done).toMatchObject({ status: 'completed', variables: { priority: 2, cause: 'router', vendor: 'ok', fixed: true } });
    const path = (await admin('GET', `/api/v1/process-instances/${id}/history`)).body
      .filter((h: { event: string; elementType: string }) => h.event === 'completed' && h.elementType !== 'sequenceFlow')
      .map((h: { elementId: string }) => h.elementId);
    expect(path).toEqual(['start', 'triage', 'diagnose', 'awaitVendor', 'repair', 'observe', 'end', key('incident')]);
  });
});

describe('concurrency', () => {
  it('completes a task once when 10 requests race for it', async () => {
    const { id } = await startInstance(admin, key('fix'));
    const task = await openTask(id);
    const results = await Promise.all(Array.from({ length: 10 }, () => agent('POST', `/api/v1/tasks/${task.id}/complete`, {})));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    expect((await admin('GET', `/api/v1/process-instances/${id}`)).body.status).toBe('completed');
  });

  it('never hands the same job to two workers activating at once', async () => {
    await deploy(
      admin,
      bpmn(
        key('batch'),
        `<bpmn:startEvent id="s"/><bpmn:serviceTask id="t" sl:type="${key('batch')}"/><bpmn:endEvent id="e"/><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t"/><bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="e"/>`,
      ),
    );
    for (let i = 0; i < 6; i++) await startInstance(admin, key('batch'));
    const batches = await Promise.all(
      Array.from({ length: 4 }, () => worker('POST', '/api/v1/jobs/activate', { type: key('batch'), maxJobs: 3, lockDuration: 60_000 })),
    );
    const ids = batches.flatMap((b) => b.body.map((j: { id: string }) => j.id));
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
  });
});
