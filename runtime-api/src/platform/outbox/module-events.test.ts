// Module events through the outbox: one row per event, each subscriber once, a failing subscriber
// rolled back and retried alone while the others' work commits; live listeners after commit only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asOwner, settle, startServer, type TestServer } from '../../../test/helpers.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.close());

const outboxRows = (name: string) =>
  asOwner(s.app, (tx) =>
    tx('outbox').where({ kind: 'module.event' }).whereRaw("payload->>'name' = ?", [name]).select('payload', 'dispatched_at'),
  );

describe('module events', () => {
  it('write one row per event; after a failure each subscriber runs alone, and only the failing one is retried', async () => {
    const events = s.app.services.moduleEvents;
    const name = `test.fan-out-${Date.now()}`;
    const ran: string[] = [];
    let failures = 2;
    // Each subscriber's work: an event of its own, dispatched only if that work committed.
    events.on(name, 'steady', (work) => {
      ran.push('steady');
      return events.emit(work, `${name}.from-steady`, {});
    });
    events.on(name, 'flaky', async (work) => {
      ran.push('flaky');
      await events.emit(work, `${name}.from-flaky`, {});
      if (failures-- > 0) throw new Error('receiver down');
    });
    events.on(`${name}.from-steady`, 'sink', async () => {
      ran.push('steady-committed');
    });
    events.on(`${name}.from-flaky`, 'sink', async () => {
      ran.push('flaky-committed');
    });
    const dueNow = () =>
      asOwner(s.app, (tx) =>
        tx('outbox')
          .whereNull('dispatched_at')
          .whereRaw("payload->>'name' = ?", [name])
          .update({ available_at: new Date(0).toISOString() }),
      );

    await s.app.services.transactions.withTenant('demo', (work) => events.emit(work, name, { n: 1 }));
    expect((await outboxRows(name)).length).toBe(1);

    // First attempt: together; the failure rolls back both and the row waits for its retry.
    await settle(s.app);
    expect(ran).toEqual(['steady', 'flaky']);

    // Second attempt: each in a savepoint; steady's work commits, flaky's is undone and gets a row of its own.
    await dueNow();
    await settle(s.app);
    expect(ran).toEqual(['steady', 'flaky', 'steady', 'flaky', 'steady-committed']);
    const rows = await outboxRows(name);
    expect(rows.length).toBe(2);
    expect(rows.find((r) => r.dispatched_at === null)?.payload).toMatchObject({ subscribers: ['flaky'], name, attempt: 1 });

    // Its retry runs flaky alone, once.
    await dueNow();
    await settle(s.app);
    expect(ran).toEqual(['steady', 'flaky', 'steady', 'flaky', 'steady-committed', 'flaky', 'flaky-committed']);
  });

  it('tell live listeners after the commit, and never of a transaction that rolled back', async () => {
    const events = s.app.services.moduleEvents;
    const name = `test.live-${Date.now()}`;
    const heard: unknown[] = [];
    events.onCommitted(name, (tenantId, data) => {
      heard.push({ tenantId, data });
    });
    await s.app.services.transactions
      .withTenant('demo', async (work) => {
        await events.emit(work, name, { n: 'rolled back' });
        throw new Error('abort');
      })
      .catch(() => {});
    await s.app.services.transactions.withTenant('demo', async (work) => {
      await events.emit(work, name, { n: 'kept' });
      expect(heard).toEqual([]);
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(heard).toEqual([{ tenantId: 'demo', data: { n: 'kept' } }]);
  });
});
