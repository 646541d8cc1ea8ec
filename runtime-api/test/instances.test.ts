import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Call, deploy, inTenant, line, startInstance, startServer, type TestServer, userTask } from './helpers.ts';

let s: TestServer;
let admin: Call;
let requester: Call;
beforeAll(async () => {
  s = await startServer();
  admin = as(s.app, s.tokens.admin);
  requester = as(s.app, s.tokens.requester);
  await deploy(admin, line('approval', [userTask('review', 'sl:candidateGroups="service-desk"')]));
  await deploy(
    admin,
    line('instant', [
      '<bpmn:scriptTask id="calc" scriptFormat="feel" sl:resultVariable="total"><bpmn:script>= a + b</bpmn:script></bpmn:scriptTask>',
    ]),
  );
});
afterAll(() => s.close());

describe('starting', () => {
  it('starts the version another server deployed since, though this one knew an older latest', async () => {
    await deploy(admin, line('elsewhere', [userTask('one')]));
    expect((await requester('POST', '/api/v1/process-instances', { definitionKey: 'elsewhere' })).body.version).toBe(1);
    // Version 2 written straight to the database, as a deploy through another server would: this
    // server still holds version 1 as the latest.
    const xml = line('elsewhere', [userTask('two')]);
    await inTenant(s.app, 'demo', async (tx) => {
      await tx('definitions').insert({
        id: crypto.randomUUID(),
        tenant_id: 'demo',
        key: 'elsewhere',
        version: 2,
        bpmn_xml: xml,
        checksum: 'deployed-elsewhere',
        deployed_by: 'admin',
        deployed_at: new Date().toISOString(),
      });
    });
    const started = await requester('POST', '/api/v1/process-instances', { definitionKey: 'elsewhere' });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ version: 2, activeElementIds: ['two'] });
    const count = await inTenant(s.app, 'demo', (tx) =>
      tx('instances').where({ definition_key: 'elsewhere' }).count<{ n: number }[]>('* as n'),
    );
    // The start that met the stale version left nothing behind.
    expect(Number(count[0]?.n)).toBe(2);
  });

  it('starts the latest version with variables and a business key, as a requester', async () => {
    const res = await requester('POST', '/api/v1/process-instances', {
      definitionKey: 'approval',
      businessKey: 'REQ-1',
      variables: { amount: 5 },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      definitionKey: 'approval',
      version: 1,
      status: 'active',
      variables: { amount: 5 },
    });
    const got = await requester('GET', `/api/v1/process-instances/${res.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      id: res.body.id,
      businessKey: 'REQ-1',
      status: 'active',
      activeElementIds: ['review'],
      endedAt: null,
      faults: [],
      startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('runs an instance without wait states to completion in the start step', async () => {
    const res = await requester('POST', '/api/v1/process-instances', { definitionKey: 'instant', variables: { a: 2, b: 3 } });
    expect(res.body).toMatchObject({ status: 'completed', variables: { a: 2, b: 3, total: 5 } });
    const got = await requester('GET', `/api/v1/process-instances/${res.body.id}`);
    expect(got.body.endedAt).toEqual(expect.any(String));
    expect(got.body.activeElementIds).toEqual([]);
  });

  it('starts a given version, and answers 404 for unknown keys and versions', async () => {
    expect((await requester('POST', '/api/v1/process-instances', { definitionKey: 'approval', version: 1 })).status).toBe(201);
    const noKey = await requester('POST', '/api/v1/process-instances', { definitionKey: 'nope' });
    expect(noKey.status).toBe(404);
    expect(noKey.body.code).toBe('NOT_FOUND');
    expect((await requester('POST', '/api/v1/process-instances', { definitionKey: 'approval', version: 9 })).status).toBe(404);
  });

  it.each([
    ['variables as a string', { definitionKey: 'approval', variables: 'x' }, 'variables'],
    ['variables as an array', { definitionKey: 'approval', variables: [1] }, 'variables'],
    ['a numeric key', { definitionKey: 7 }, 'definitionKey'],
    ['version as a string', { definitionKey: 'approval', version: '1' }, 'version'],
    ['version zero', { definitionKey: 'approval', version: 0 }, 'version'],
    ['no key', {}, 'definitionKey'],
  ])('answers 400 for %s', async (_, body, field) => {
    const res = await requester('POST', '/api/v1/process-instances', body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('lets form admins not start instances', async () => {
    expect((await as(s.app, s.tokens.formadmin)('POST', '/api/v1/process-instances', { definitionKey: 'approval' })).status).toBe(403);
  });
});

describe('reading, history and cancelling', () => {
  it('records the path in order', async () => {
    const { id } = await startInstance(admin, 'instant', { variables: { a: 1, b: 1 } });
    const res = await admin('GET', `/api/v1/process-instances/${id}/history`);
    expect(res.status).toBe(200);
    expect(res.body.map((h: { elementId: string; event: string }) => `${h.elementId}:${h.event}`)).toEqual([
      'instant:started',
      'start:started',
      'start:completed',
      'f0:taken',
      'calc:started',
      'calc:completed',
      'f1:taken',
      'end:started',
      'end:completed',
      'instant:completed',
    ]);
    expect(res.body[0]).toMatchObject({ elementType: 'process', at: expect.any(String) });
  });

  it('cancels an active instance, closing its tasks; a second cancel is a 409', async () => {
    const { id } = await startInstance(admin, 'approval');
    const cancelled = await admin('POST', `/api/v1/process-instances/${id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const tasks = await admin('GET', `/api/v1/tasks?processInstanceId=${id}&status=cancelled`);
    expect(tasks.body).toHaveLength(1);
    const again = await admin('POST', `/api/v1/process-instances/${id}/cancel`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('INSTANCE_NOT_ACTIVE');
    expect((await requester('POST', `/api/v1/process-instances/${id}/cancel`)).status).toBe(403);
  });

  it('fails a step whose instance moved on under it (a writer that skipped the lock) with a 409, writing nothing', async () => {
    const started = await requester('POST', '/api/v1/process-instances', { definitionKey: 'approval' });
    const id: string = started.body.id;
    const read = () =>
      inTenant(s.app, 'demo', async (tx) => ({
        instance: await tx('instances').where({ id }).first(),
        tasks: await tx('tasks').where({ instance_id: id }),
      }));
    const before = await read();
    const { steps, transactions } = s.app.services;
    const step = transactions.withTenant('demo', (work) =>
      steps.step(
        work,
        'demo',
        id,
        { type: 'completeTask', taskId: before.tasks[0].id },
        {
          // Another writer, after this step's lock was taken: what the version check is there for.
          check: async () => {
            await work.tx('instances').where({ id }).increment('version_no', 1);
          },
        },
      ),
    );
    await expect(step).rejects.toMatchObject({ kind: 'conflict', code: 'CONCURRENT_UPDATE' });
    // Rolled back whole: the other writer's change too, as it ran in the same transaction.
    expect(await read()).toEqual(before);
  });

  it('answers 404 for unknown instances everywhere', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/process-instances/nope'],
      ['GET', '/api/v1/process-instances/nope/history'],
      ['POST', '/api/v1/process-instances/nope/cancel'],
      ['POST', '/api/v1/process-instances/nope/faults/f/retry'],
    ] as const) {
      const res = await admin(method, url);
      expect(res.status, url).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    }
  });

  it('answers 404 for an unknown fault of a known instance', async () => {
    const { id } = await startInstance(admin, 'approval');
    expect((await admin('POST', `/api/v1/process-instances/${id}/faults/${id}.99/retry`)).status).toBe(404);
  });

  it('lists instances by key, status and business key', async () => {
    await startInstance(admin, 'approval', { businessKey: 'LIST-ME' });
    const res = await admin('GET', '/api/v1/process-instances?definitionKey=approval&status=active&businessKey=LIST-ME');
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(1);
    expect((await admin('GET', '/api/v1/process-instances?status=sleeping')).status).toBe(400);
  });
});
