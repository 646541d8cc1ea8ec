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
  it('write one row per event, and retry only the subscriber that failed, with its own work rolled back', async () => {
    const events = s.app.services.moduleEvents;
    const name = `test.fan-out-${Date.now()}`;
    const ran: string[] = [];
    let failures = 1;
    events.on(name, 'first', async (work) => {
      ran.push('first');
      await work.tx.raw("select set_config('serviceloom.test_marker', 'first', true)");
    });
    events.on(name, 'flaky', async (work) => {
      ran.push('flaky');
      // Work the failure must undo: an event it emits would otherwise be dispatched.
      await events.emit(work, `${name}.from-flaky`, {});
      if (failures-- > 0) throw new Error('receiver down');
    });
    events.on(`${name}.from-flaky`, 'sink', async () => {
      ran.push('sink');
    });
    events.on(name, 'last', async () => {
      ran.push('last');
    });

    await s.app.services.transactions.withTenant('demo', (work) => events.emit(work, name, { n: 1 }));
    expect((await outboxRows(name)).length).toBe(1);
    await settle(s.app);
    expect(ran).toEqual(['first', 'flaky', 'last']);

    // The retry is a row of its own for `flaky` alone, due after a backoff.
    const rows = await outboxRows(name);
    expect(rows.length).toBe(2);
    const retry = rows.find((r) => r.dispatched_at === null);
    expect(retry?.payload).toMatchObject({ subscribers: ['flaky'], name, attempt: 1 });
    await asOwner(s.app, (tx) =>
      tx('outbox')
        .whereNull('dispatched_at')
        .whereRaw("payload->>'name' = ?", [name])
        .update({ available_at: new Date(0).toISOString() }),
    );
    await settle(s.app);
    expect(ran).toEqual(['first', 'flaky', 'last', 'flaky', 'sink']);
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
