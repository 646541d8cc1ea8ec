// Stopping runaway processes: suspending definitions, cancelling a self-calling chain from its
// root, and batch cancels by filter (embedded PGlite).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  bpmn,
  type Call,
  deploy,
  inTenant,
  line,
  settle,
  startInstance,
  startServer,
  type TestServer,
  tokenFor,
  userTask,
} from './helpers.ts';

let s: TestServer;
let admin: Call;

const timer = (kind: string, value: string) =>
  `<bpmn:timerEventDefinition><bpmn:${kind}>${value}</bpmn:${kind}></bpmn:timerEventDefinition>`;

const withStart = (key: string, start: string, extra = '') =>
  bpmn(
    key,
    `<bpmn:startEvent id="start">${start}</bpmn:startEvent>
     ${userTask('work')}
     <bpmn:endEvent id="end"/>
     <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work"/>
     <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end"/>`,
    extra,
  );

const countOf = async (key: string, status = 'active') =>
  Number(
    (await inTenant(s.app, 'demo', (tx) => tx('instances').where({ tenant_id: 'demo', definition_key: key, status }).count('* as n')))[0].n,
  );

beforeAll(async () => {
  // The call-depth limit would stop a self-calling chain at 16 by itself; raised here so that the
  // cancel has a chain to catch up with, as with a limit an operator set high.
  s = await startServer({ callDepthLimit: 10_000 });
  admin = as(s.app, s.tokens.admin);
  // The first run after a migration change rebuilds the template database (test/template.ts).
}, 300_000);
afterAll(() => s.close());

describe('suspending a definition', () => {
  it('refuses API starts with 409 DEFINITION_SUSPENDED until activated, and shows suspended', async () => {
    const v1 = await deploy(admin, line('sus-api', [userTask('a')]));
    const suspended = await admin('POST', `/api/v1/definitions/${v1.id}/suspend`);
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({ id: v1.id, suspended: true });
    const refused = await admin('POST', '/api/v1/process-instances', { definitionKey: 'sus-api' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('DEFINITION_SUSPENDED');
    expect(refused.body.message).toContain('sus-api');
    // The pinned version too, and the reads show it.
    expect((await admin('POST', '/api/v1/process-instances', { definitionKey: 'sus-api', version: 1 })).body.code).toBe(
      'DEFINITION_SUSPENDED',
    );
    expect((await admin('GET', `/api/v1/definitions/${v1.id}`)).body.suspended).toBe(true);
    expect((await admin('GET', '/api/v1/definitions')).body.find((d: { key: string }) => d.key === 'sus-api').suspended).toBe(true);
    expect((await admin('GET', '/api/v1/definitions/sus-api/versions')).body[0].suspended).toBe(true);
    expect(await countOf('sus-api')).toBe(0);

    const activated = await admin('POST', `/api/v1/definitions/${v1.id}/activate`);
    expect(activated.body.suspended).toBe(false);
    expect((await admin('POST', '/api/v1/process-instances', { definitionKey: 'sus-api' })).status).toBe(201);

    const audit = (await admin('GET', '/api/v1/audit')).body;
    const actions = (Array.isArray(audit) ? audit : (audit.entries ?? audit.items)).map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['definition.suspend', 'definition.activate']));
  });

  it('suspends every version of a key, and answers 404 for an unknown one; agents may not', async () => {
    await deploy(admin, line('sus-all', [userTask('a')]));
    await deploy(admin, line('sus-all', [userTask('b')]));
    const res = await admin('POST', '/api/v1/definitions/sus-all/versions/suspend');
    expect(res.status).toBe(200);
    expect(res.body.map((d: { version: number; suspended: boolean }) => [d.version, d.suspended])).toEqual([
      [1, true],
      [2, true],
    ]);
    expect((await admin('POST', '/api/v1/process-instances', { definitionKey: 'sus-all', version: 1 })).status).toBe(409);
    expect((await admin('POST', '/api/v1/definitions/no-such-key/versions/suspend')).status).toBe(404);
    const agent = as(s.app, s.tokens.agent1);
    const owner = as(s.app, s.tokens.owner);
    expect((await agent('POST', '/api/v1/definitions/sus-all/versions/activate')).status).toBe(403);
    expect(
      (await owner('POST', '/api/v1/definitions/sus-all/versions/activate')).body.every((d: { suspended: boolean }) => !d.suspended),
    ).toBe(true);
  });

  it('holds timer start cycles while suspended and resumes them on activate, losing no timer', async () => {
    await deploy(admin, withStart('sus-tick', timer('timeCycle', 'R/PT1H')));
    await admin('POST', '/api/v1/definitions/sus-tick/versions/suspend');
    await admin('POST', '/api/v1/admin/clock', { advanceBy: 'PT61M' });
    await admin('POST', '/api/v1/admin/clock', { advanceBy: 'PT2H' });
    expect(await countOf('sus-tick')).toBe(0);
    const scheduled = () =>
      inTenant(s.app, 'demo', (tx) =>
        tx('timers as t')
          .join('definitions as d', 'd.id', 't.definition_id')
          .where({ 'd.key': 'sus-tick', 't.status': 'scheduled' })
          .whereNull('t.instance_id'),
      );
    expect(await scheduled()).toHaveLength(1);

    await admin('POST', '/api/v1/definitions/sus-tick/versions/activate');
    await settle(s.app);
    expect(await countOf('sus-tick')).toBeGreaterThanOrEqual(1);
    expect(await scheduled()).toHaveLength(1);
    const afterActivate = await countOf('sus-tick');
    await admin('POST', '/api/v1/admin/clock', { advanceBy: 'PT61M' });
    expect(await countOf('sus-tick')).toBeGreaterThan(afterActivate);
    await admin('POST', '/api/v1/definitions/sus-tick/versions/suspend');
  });

  it('skips a suspended definition for message and signal starts', async () => {
    const defs = '<bpmn:message id="m" name="sus-message"/><bpmn:signal id="sg" name="sus-signal"/>';
    await deploy(admin, withStart('sus-msg', '<bpmn:messageEventDefinition messageRef="m"/>', defs));
    await deploy(admin, withStart('sus-sig', '<bpmn:signalEventDefinition signalRef="sg"/>', defs));
    await admin('POST', '/api/v1/definitions/sus-msg/versions/suspend');
    await admin('POST', '/api/v1/definitions/sus-sig/versions/suspend');
    expect((await admin('POST', '/api/v1/messages', { name: 'sus-message' })).body.correlated).toBe(0);
    expect((await admin('POST', '/api/v1/signals', { name: 'sus-signal' })).body.delivered).toBe(0);
    await settle(s.app);
    expect(await countOf('sus-msg')).toBe(0);
    expect(await countOf('sus-sig')).toBe(0);

    await admin('POST', '/api/v1/definitions/sus-msg/versions/activate');
    await admin('POST', '/api/v1/definitions/sus-sig/versions/activate');
    expect((await admin('POST', '/api/v1/messages', { name: 'sus-message' })).body.correlated).toBe(1);
    expect((await admin('POST', '/api/v1/signals', { name: 'sus-signal' })).body.delivered).toBe(1);
    expect(await countOf('sus-msg')).toBe(1);
    expect(await countOf('sus-sig')).toBe(1);
  });

  it("stops the old version's timer cycle when a key is redeployed", async () => {
    const v1 = await deploy(admin, withStart('redeploy-tick', timer('timeCycle', 'R/PT10M')));
    await admin('POST', '/api/v1/admin/clock', { advanceBy: 'PT11M' });
    expect(await countOf('redeploy-tick')).toBe(1);
    await deploy(admin, withStart('redeploy-tick', timer('timeCycle', 'R/PT1H')));
    await admin('POST', '/api/v1/admin/clock', { advanceBy: 'PT30M' });
    const fromV1 = await inTenant(s.app, 'demo', (tx) => tx('instances').where({ definition_id: v1.id }).count('* as n'));
    expect(Number(fromV1[0].n)).toBe(1);
    const live = await inTenant(s.app, 'demo', (tx) =>
      tx('timers').where({ definition_id: v1.id, status: 'scheduled' }).whereNull('instance_id'),
    );
    expect(live).toHaveLength(0);
  });
});

describe('cancelling', () => {
  it("cancels every descendant of a self-calling chain's root, however fast it grows", async () => {
    await deploy(admin, line('runaway', ['<bpmn:callActivity id="again" calledElement="runaway"/>']));
    const root = await startInstance(admin, 'runaway');
    const inTree = (status?: string) =>
      inTenant(s.app, 'demo', (tx) => {
        const q = tx('instances').where({ root_instance_id: root.id });
        if (status) q.andWhere({ status });
        return q.count('* as n').then((r) => Number(r[0]?.n));
      });
    // The chain grows in the background, one instance per outbox row.
    for (let i = 0; i < 200 && (await inTree()) < 30; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await inTree()).toBeGreaterThanOrEqual(30);

    const res = await admin('POST', `/api/v1/process-instances/${root.id}/cancel`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('cancelled');
    await settle(s.app);
    expect(await inTree('active')).toBe(0);
    const total = await inTree();
    await new Promise((r) => setTimeout(r, 300));
    await settle(s.app);
    expect(await inTree()).toBe(total);
    expect(await inTree('active')).toBe(0);
  });

  it('cancels a batch by key, leaving other definitions and other tenants alone', async () => {
    await deploy(admin, line('batch-a', [userTask('a')]));
    await deploy(admin, line('batch-b', [userTask('b')]));
    for (let i = 0; i < 3; i++) await startInstance(admin, 'batch-a');
    for (let i = 0; i < 2; i++) await startInstance(admin, 'batch-b');
    const created = await admin('POST', '/api/v1/tenants', {
      id: 'other',
      name: 'Other',
      admin: { username: 'root', password: 'other-secret' },
    });
    expect(created.status).toBe(201);
    const other = as(s.app, await tokenFor(s.app, 'root', 'other'));
    await deploy(other, line('batch-a', [userTask('a')]));
    await startInstance(other, 'batch-a');
    await startInstance(other, 'batch-a');

    const res = await admin('POST', '/api/v1/process-instances/cancel', { definitionKey: 'batch-a', status: 'active' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ matched: 3, status: 'running' });
    await settle(s.app);
    expect(await countOf('batch-a')).toBe(0);
    expect(await countOf('batch-a', 'cancelled')).toBe(3);
    expect(await countOf('batch-b')).toBe(2);
    const othersActive = await inTenant(s.app, 'other', (tx) => tx('instances').where({ definition_key: 'batch-a', status: 'active' }));
    expect(othersActive).toHaveLength(2);

    const batch = await admin('GET', `/api/v1/process-instances/cancel-batches/${res.body.batchId}`);
    expect(batch.body).toMatchObject({ batchId: res.body.batchId, matched: 3, cancelled: 3, status: 'done' });
    expect((await other('GET', `/api/v1/process-instances/cancel-batches/${res.body.batchId}`)).status).toBe(404);
  });

  it('cancels more instances than one chunk holds, and not those started after the request', async () => {
    await deploy(admin, line('batch-many', [userTask('a')]));
    for (let i = 0; i < 120; i++) await startInstance(admin, 'batch-many', { businessKey: 'many' });
    const res = await admin('POST', '/api/v1/process-instances/cancel', { definitionKey: 'batch-many', businessKey: 'many' });
    expect(res.body.matched).toBe(120);
    await admin('POST', '/api/v1/admin/clock', { advanceBy: 'PT1S' });
    const late = await startInstance(admin, 'batch-many', { businessKey: 'many' });
    await settle(s.app);
    expect(await countOf('batch-many', 'cancelled')).toBe(120);
    expect((await admin('GET', `/api/v1/process-instances/${late.id}`)).body.status).toBe('active');
  });

  it('refuses a batch without a filter, or a version without its key', async () => {
    const none = await admin('POST', '/api/v1/process-instances/cancel', {});
    expect(none.status).toBe(400);
    expect(none.body.code).toBe('FILTER_REQUIRED');
    const version = await admin('POST', '/api/v1/process-instances/cancel', { version: 2, businessKey: 'x' });
    expect(version.body.code).toBe('FILTER_INVALID');
    expect((await admin('POST', '/api/v1/process-instances/cancel', { definitionKey: 'x', status: 'completed' })).status).toBe(400);
  });
});
