// A crash between commit and dispatch loses nothing: undispatched outbox rows run when the server
// comes back, and timers that fell due while it was down fire then.
import { describe, expect, it } from 'vitest';
import { as, deploy, inTenant, line, settle, startInstance, startServer, userTask } from './helpers.ts';

const timer = (value: string) => `<bpmn:timerEventDefinition><bpmn:timeDuration>${value}</bpmn:timeDuration></bpmn:timerEventDefinition>`;

describe('restarting on the same data', () => {
  it('dispatches outbox rows committed before a stop and fires timers that fell due meanwhile', async () => {
    const first = await startServer({ testClock: false });
    const dataDir = first.dataDir;
    let parentId: string;
    let sleeperId: string;
    try {
      const admin = as(first.app, first.tokens.admin);
      await deploy(admin, line('child', [userTask('work')]));
      await deploy(admin, line('parent', ['<bpmn:callActivity id="call" calledElement="child"/>']));
      await deploy(admin, line('sleeper', [`<bpmn:intermediateCatchEvent id="nap">${timer('PT1S')}</bpmn:intermediateCatchEvent>`]));
      // As if the process died right after commit: nothing gets dispatched.
      await first.app.outbox.dispatcher.stop();
      parentId = (await startInstance(admin, 'parent')).id;
      sleeperId = (await startInstance(admin, 'sleeper')).id;
      const pending = await inTenant(first.app, 'demo', (tx) => tx('outbox').whereNull('dispatched_at').select('kind'));
      expect(pending.map((r: { kind: string }) => r.kind).sort()).toEqual(['call.start', 'timer']);
    } finally {
      await first.app.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 1200));

    // The same data: the data dir, or the same PostgreSQL database (SERVICELOOM_UNIT_PG).
    const second = await startServer(
      { testClock: false, ...(first.config.databaseUrl ? { databaseUrl: first.config.databaseUrl } : {}) },
      dataDir,
    );
    try {
      await settle(second.app);
      const admin = as(second.app, second.tokens.admin);
      const children = (await admin('GET', `/api/v1/process-instances?parentInstanceId=${parentId}`)).body;
      expect(children).toHaveLength(1);
      expect((await admin('GET', `/api/v1/process-instances/${sleeperId}`)).body.status).toBe('completed');
      expect(await inTenant(second.app, 'demo', (tx) => tx('outbox').whereNull('dispatched_at').count('* as n').first())).toMatchObject({
        n: 0,
      });
    } finally {
      await second.app.close();
      await first.removeData();
    }
  });
});

describe('an outbox row dispatched twice', () => {
  it('runs its follow-up once', async () => {
    const s = await startServer();
    try {
      const admin = as(s.app, s.tokens.admin);
      await deploy(admin, line('child', [userTask('work')]));
      await deploy(admin, line('parent', ['<bpmn:callActivity id="call" calledElement="child"/>']));
      await s.app.outbox.dispatcher.stop();
      const parent = await startInstance(admin, 'parent');
      const row = await inTenant(s.app, 'demo', (tx) => tx('outbox').where({ kind: 'call.start' }).first());
      const outcomes = await Promise.all([s.app.outbox.processor.process(row.id), s.app.outbox.processor.process(row.id)]);
      expect(outcomes.sort()).toEqual(['done', 'skipped']);
      // Even a row put back by hand (a redelivery) starts no second child.
      await inTenant(s.app, 'demo', (tx) => tx('outbox').where({ id: row.id }).update({ dispatched_at: null }));
      expect(await s.app.outbox.processor.process(row.id)).toBe('done');
      expect((await admin('GET', `/api/v1/process-instances?parentInstanceId=${parent.id}`)).body).toHaveLength(1);
    } finally {
      await s.close();
    }
  });
});
