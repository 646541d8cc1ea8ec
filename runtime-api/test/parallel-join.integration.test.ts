// A parallel join reached by two completions at the same moment fires exactly once. On
// PostgreSQL (DATABASE_URL) the two completions really run at once, on two connections, and the
// instance row lock orders them; on PGlite they are serialized by its single connection.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { as, bpmn, type Call, deploy, integrationDatabaseUrl, settle, startInstance, startServer, type TestServer } from './helpers.ts';

const run = randomUUID().slice(0, 8);
const PROCESS = `join-${run}`;
const ROUNDS = 20;

let s: TestServer;
let admin: Call;

beforeAll(async () => {
  const databaseUrl = integrationDatabaseUrl();
  s = await startServer(databaseUrl ? { databaseUrl } : {});
  admin = as(s.app, s.tokens.admin);
  await deploy(
    admin,
    bpmn(
      PROCESS,
      `<bpmn:startEvent id="start"/>
       <bpmn:parallelGateway id="fork"/>
       <bpmn:userTask id="a"/>
       <bpmn:userTask id="b"/>
       <bpmn:parallelGateway id="join"/>
       <bpmn:userTask id="after"/>
       <bpmn:endEvent id="end"/>
       <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fork"/>
       <bpmn:sequenceFlow id="f2" sourceRef="fork" targetRef="a"/>
       <bpmn:sequenceFlow id="f3" sourceRef="fork" targetRef="b"/>
       <bpmn:sequenceFlow id="f4" sourceRef="a" targetRef="join"/>
       <bpmn:sequenceFlow id="f5" sourceRef="b" targetRef="join"/>
       <bpmn:sequenceFlow id="f6" sourceRef="join" targetRef="after"/>
       <bpmn:sequenceFlow id="f7" sourceRef="after" targetRef="end"/>`,
    ),
  );
}, 120_000);
afterAll(() => s?.close());

it(`fires a parallel join once when both branches complete at once (${ROUNDS} instances, all at once)`, async () => {
  const instances = await Promise.all(Array.from({ length: ROUNDS }, () => startInstance(admin, PROCESS)));
  await Promise.all(
    instances.map(async ({ id }) => {
      const tasks = (await admin('GET', `/api/v1/tasks?processInstanceId=${id}`)).body as Array<{ id: string; elementId: string }>;
      expect(tasks.map((t) => t.elementId).sort()).toEqual(['a', 'b']);
      // Both completions in flight together: each must succeed, and the join must fire once.
      const results = await Promise.all(tasks.map((t) => admin('POST', `/api/v1/tasks/${t.id}/complete`, {})));
      expect(results.map((r) => r.status)).toEqual([200, 200]);
    }),
  );
  await settle(s.app);
  for (const { id } of instances) {
    const open = (await admin('GET', `/api/v1/tasks?processInstanceId=${id}`)).body;
    expect(open.map((t: { elementId: string }) => t.elementId)).toEqual(['after']);
    const history: Array<{ elementId: string; event: string }> = (await admin('GET', `/api/v1/process-instances/${id}/history`)).body;
    expect(history.filter((h) => h.elementId === 'join' && h.event === 'completed')).toHaveLength(1);
    expect(history.filter((h) => h.elementId === 'after' && h.event === 'started')).toHaveLength(1);
    expect((await admin('GET', `/api/v1/process-instances/${id}`)).body.activeElementIds).toEqual(['after']);
  }
});
