// Tenants. Platform admins create, list, rename, suspend, resume and delete them; a tenant's own
// admins read and change its settings. Listing is the one place that reads across tenants, through
// the `tenant_directory` view; everything else runs inside the tenant concerned.
//
// Suspended: sign-ins, refreshes and every token of the tenant are refused (403 TENANT_SUSPENDED);
// its data stays. Deleted: every row of the tenant goes, except its append-only records (the audit
// log) and its tenant row (status `deleted`), which keeps the id from being taken again.
import { EGRESS_HOST_PATTERN, TENANT_ID_PATTERN } from '@serviceloom/contracts';
import { cycleIntervalMs } from '@serviceloom/engine';
import { IANAZone } from 'luxon';
import { type AuditEntry, actorOf, audit } from '../platform/audit.ts';
import { hashPassword } from '../platform/auth/passwords.ts';
import type { Principal } from '../platform/auth/tokens.ts';
import type { Tx } from '../platform/db/connect.ts';
import type { TenantRow, TenantSettings } from '../platform/db/rows.ts';
import type { Transactions, Work } from '../platform/db/transactions.ts';
import type { EgressPolicy } from '../platform/egress/guard.ts';
import { badRequest, conflict, notFound } from '../platform/errors.ts';
import { DEFAULT_CYCLE_MINIMUM } from '../process/cycle-minimum.ts';
import type { DefinitionService } from '../process/definitions.ts';
import { seedTenant } from './seed.ts';
import { checkPassword } from './users.ts';

export interface TenantView {
  id: string;
  name: string;
  status: TenantRow['status'];
  createdAt: string;
  updatedAt: string;
}

export interface OwnTenantView extends TenantView {
  settings: Required<Omit<TenantSettings, 'timezone'>> & Pick<TenantSettings, 'timezone'>;
}

export interface NewTenant {
  id: string;
  name: string;
  admin: { username: string; password: string; displayName?: string };
}

const view = (t: Pick<TenantRow, 'id' | 'name' | 'status' | 'created_at' | 'updated_at'>): TenantView => ({
  id: t.id,
  name: t.name,
  status: t.status,
  createdAt: new Date(t.created_at).toISOString(),
  updatedAt: new Date(t.updated_at).toISOString(),
});

/** Tables that keep their rows when a tenant is deleted. */
const KEPT_ON_DELETE = new Set(['audit_log', 'tenants']);

export class TenantService {
  constructor(
    private readonly transactions: Transactions,
    private readonly definitions: DefinitionService,
    /** Told when sessions may have ended (suspension, deletion): the auth check stops trusting what it remembers. */
    private readonly sessionsChanged: () => void = () => {},
  ) {}

  async create(actor: Principal, input: NewTenant): Promise<TenantView> {
    checkPassword(input.admin.password, 'admin.password');
    const passwordHash = await hashPassword(input.admin.password);
    const created = await this.transactions.withTenant(input.id, async (work) => {
      const ok = await seedTenant(
        work,
        this.definitions,
        {
          id: input.id,
          name: input.name,
          groups: [],
          users: [
            { username: input.admin.username, displayName: input.admin.displayName, roles: ['tenant-admin'], groups: [], passwordHash },
          ],
        },
        actorOf(actor, input.id),
      );
      if (!ok) throw conflict('TENANT_EXISTS', `tenant "${input.id}" exists (or existed: ids of deleted tenants are not reused)`);
      return view(await this.row(work.tx, input.id));
    });
    await this.recordAtActor(actor, { action: 'tenant.create', targetType: 'tenant', targetId: input.id, after: { name: input.name } });
    return created;
  }

  /** Every tenant, deleted ones included (they hold their id). */
  list(): Promise<TenantView[]> {
    return this.transactions.run(async (work) => (await work.tx('tenant_directory').orderBy('id')).map(view));
  }

  async get(id: string): Promise<TenantView> {
    const row = await this.transactions.run((work) => work.tx('tenant_directory').where({ id }).first());
    if (!row) throw notFound('tenant', id);
    return view(row);
  }

  async rename(actor: Principal, id: string, name: string): Promise<TenantView> {
    return this.change(actor, id, 'tenant.update', async (work) => {
      await work.tx('tenants').where({ id }).update({ name, updated_at: work.at });
    });
  }

  async setStatus(actor: Principal, id: string, status: 'active' | 'suspended'): Promise<TenantView> {
    if (id === actor.tenantId) throw conflict('OWN_TENANT', 'you cannot suspend or resume the tenant you are signed in to');
    return this.change(actor, id, status === 'suspended' ? 'tenant.suspend' : 'tenant.resume', async (work, before) => {
      if (before.status === 'deleted') throw notFound('tenant', id);
      await work.tx('tenants').where({ id }).update({ status, updated_at: work.at });
    }).finally(this.sessionsChanged);
  }

  async delete(actor: Principal, id: string): Promise<void> {
    if (id === actor.tenantId) throw conflict('OWN_TENANT', 'you cannot delete the tenant you are signed in to');
    await this.change(actor, id, 'tenant.delete', async (work, before) => {
      if (before.status === 'deleted') throw notFound('tenant', id);
      await deleteTenantData(work);
      await work.tx('tenants').where({ id }).update({ status: 'deleted', settings: '{}', updated_at: work.at });
    }).finally(this.sessionsChanged);
  }

  /** What outbound requests made for the tenant may reach (connectors pass it to egress/guard.ts). */
  async egressPolicy(tenantId: string): Promise<EgressPolicy> {
    const row: { settings: TenantSettings } | undefined = await this.transactions.read(tenantId, (tx) =>
      tx('tenants').where({ id: tenantId }).first('settings'),
    );
    return { allowHosts: row?.settings?.egressAllowHosts ?? [] };
  }

  /** A tenant admin's view of their own tenant. */
  async own(tenantId: string): Promise<OwnTenantView> {
    return this.transactions.read(tenantId, async (tx) => ownView(await this.row(tx, tenantId)));
  }

  async updateOwn(actor: Principal, patch: { name?: string; settings?: TenantSettings }): Promise<OwnTenantView> {
    const hosts = patch.settings?.egressAllowHosts;
    if (hosts) {
      const bad = hosts.filter((h) => !new RegExp(EGRESS_HOST_PATTERN).test(h));
      if (bad.length) {
        throw badRequest(
          'VALIDATION_FAILED',
          `not a host name, host:port or address: ${bad.join(', ')}`,
          bad.map((h) => ({ field: 'settings.egressAllowHosts', in: 'body', message: `"${h}" is not a host name, host:port or address` })),
        );
      }
    }
    const minimum = patch.settings?.timerCycleMinimum;
    if (minimum !== undefined) checkCycleMinimum(minimum);
    const timezone = patch.settings?.timezone;
    if (timezone !== undefined && !IANAZone.isValidZone(timezone)) {
      const message = `"${timezone}" is not an IANA time zone (such as Asia/Shanghai or Europe/Paris)`;
      throw badRequest('VALIDATION_FAILED', message, [{ field: 'settings.timezone', in: 'body', message }]);
    }
    return this.transactions.withTenant(actor.tenantId, async (work) => {
      const before = ownView(await this.row(work.tx, actor.tenantId));
      const settings = {
        ...before.settings,
        ...(hosts ? { egressAllowHosts: [...new Set(hosts)] } : {}),
        ...(minimum !== undefined ? { timerCycleMinimum: minimum } : {}),
        ...(timezone !== undefined ? { timezone } : {}),
      };
      await work
        .tx('tenants')
        .where({ id: actor.tenantId })
        .update({ name: patch.name ?? before.name, settings: JSON.stringify(settings), updated_at: work.at });
      const after = ownView(await this.row(work.tx, actor.tenantId));
      await audit(work, actorOf(actor), {
        action: 'tenant.settings',
        targetType: 'tenant',
        targetId: actor.tenantId,
        before: { name: before.name, settings: before.settings },
        after: { name: after.name, settings: after.settings },
      });
      return after;
    });
  }

  private async row(tx: Tx, id: string): Promise<TenantRow> {
    const row: TenantRow | undefined = await tx('tenants').where({ id }).first();
    if (!row) throw notFound('tenant', id);
    return row;
  }

  /** A platform admin's change to tenant `id`, inside it, audited there and in the admin's own tenant. */
  private async change(
    actor: Principal,
    id: string,
    action: string,
    fn: (work: Work, before: TenantRow) => Promise<void>,
  ): Promise<TenantView> {
    if (!new RegExp(TENANT_ID_PATTERN).test(id)) throw notFound('tenant', id);
    const after = await this.transactions.withTenant(id, async (work) => {
      const before = await this.row(work.tx, id);
      await fn(work, before);
      const row = await this.row(work.tx, id);
      await audit(work, actorOf(actor, id), {
        action,
        targetType: 'tenant',
        targetId: id,
        before: { name: before.name, status: before.status },
        after: { name: row.name, status: row.status },
      });
      return view(row);
    });
    await this.recordAtActor(actor, { action, targetType: 'tenant', targetId: id, after: { name: after.name, status: after.status } });
    return after;
  }

  private async recordAtActor(actor: Principal, entry: AuditEntry): Promise<void> {
    await this.transactions.withTenant(actor.tenantId, (work) => audit(work, actorOf(actor), entry));
  }
}

const ownView = (t: TenantRow): OwnTenantView => ({
  ...view(t),
  settings: {
    egressAllowHosts: t.settings?.egressAllowHosts ?? [],
    timerCycleMinimum: t.settings?.timerCycleMinimum ?? DEFAULT_CYCLE_MINIMUM,
    ...(t.settings?.timezone ? { timezone: t.settings.timezone } : {}),
  },
});

/** A minimum cycle interval must be a positive duration (a cycle's interval can never be zero). */
function checkCycleMinimum(text: string): void {
  let ms = Number.NaN;
  try {
    ms = cycleIntervalMs(text);
  } catch {}
  if (!(ms > 0)) {
    const message = `"${text}" is not a positive ISO 8601 duration such as PT1M`;
    throw badRequest('VALIDATION_FAILED', message, [{ field: 'settings.timerCycleMinimum', in: 'body', message }]);
  }
}

/**
 * Deletes every row of the transaction's tenant from every tenant table the runtime may delete
 * from, found from the catalogue so that tables added later go too. Append-only tables (the audit
 * log, and any other the runtime is granted no DELETE on) keep their rows, as the tenant row does.
 * Foreign keys decide the order: a table whose rows are still referenced is retried after the
 * others (each try in a savepoint).
 */
async function deleteTenantData(work: Work): Promise<void> {
  const tenantId = work.tenantId as string;
  const { rows } = (await work.tx.raw(
    `SELECT c.table_name AS name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE'
        AND has_table_privilege(format('%I.%I', c.table_schema, c.table_name), 'DELETE')
      ORDER BY 1`,
  )) as { rows: Array<{ name: string }> };
  let pending = rows.map((r) => r.name).filter((t) => !KEPT_ON_DELETE.has(t));
  const deletable = new Set(pending);
  while (pending.length) {
    const left: string[] = [];
    for (const table of pending) {
      await work.tx.raw('SAVEPOINT tenant_delete');
      try {
        await work.tx(table).where({ tenant_id: tenantId }).delete();
        await work.tx.raw('RELEASE SAVEPOINT tenant_delete');
      } catch (e) {
        if ((e as { code?: string }).code !== '23503') throw e;
        await work.tx.raw('ROLLBACK TO SAVEPOINT tenant_delete');
        // Rows an append-only table refers to (forms, by their published form_versions) stay
        // with it; rows another deletable table holds go once that one is gone.
        const holder = /foreign key constraint "[^"]+" on table "([^"]+)"/.exec((e as Error).message)?.[1];
        if (holder && !deletable.has(holder)) continue;
        left.push(table);
      }
    }
    if (left.length === pending.length) throw new Error(`cannot delete the rows of tables ${left.join(', ')}: foreign keys hold them`);
    pending = left;
  }
}
