// Helpers of the module's tests: people's settings as the users and groups APIs set them, an
// event as another module emits it, and a person's inbox.
import { expect } from 'vitest';
import type { Call, TestServer } from '../../../../test/helpers.ts';
import { settle } from '../../../../test/helpers.ts';

export async function setUser(s: TestServer, username: string, values: { locale?: string | null; email?: string | null }, tenant = 'demo') {
  await s.app.services.transactions.withTenant(tenant, (work) => work.tx('users').where({ tenant_id: tenant, username }).update(values));
}

export async function setGroupManager(s: TestServer, group: string, manager: string | null, tenant = 'demo') {
  await s.app.services.transactions.withTenant(tenant, async (work) => {
    const m = manager ? await work.tx('users').where({ tenant_id: tenant, username: manager }).first('id') : null;
    await work
      .tx('groups')
      .where({ tenant_id: tenant, id: group })
      .update({ manager_id: m?.id ?? null });
  });
}

export async function userId(s: TestServer, username: string, tenant = 'demo'): Promise<string> {
  return s.app.services.transactions.read(tenant, async (tx) => (await tx('users').where({ tenant_id: tenant, username }).first('id')).id);
}

/** Emits a module event as another module would (the SLA module's `sla.breached`, say), and lets it run. */
export async function emitEvent(s: TestServer, name: string, data: Record<string, unknown>, tenant = 'demo') {
  await s.app.services.transactions.withTenant(tenant, (work) => s.app.services.moduleEvents.emit(work, name, data));
  await settle(s.app);
}

export interface Item {
  id: string;
  event: string;
  ticket: string | null;
  title: string;
  body: string;
  read: boolean;
  createdAt: string;
}

export async function inbox(call: Call, query = ''): Promise<Item[]> {
  const res = await call('GET', `/api/v1/notifications${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items as Item[];
}

/** A person's notifications about one ticket, oldest first. */
export async function about(call: Call, ticket: string, event?: string): Promise<Item[]> {
  return (await inbox(call, '?limit=200')).filter((n) => n.ticket === ticket && (!event || n.event === event)).reverse();
}
