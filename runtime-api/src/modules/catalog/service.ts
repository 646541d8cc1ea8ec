// The service catalog: the items a requester may ask for, each with its form, category, approval
// chain and fulfilment group. Tenant admins manage them; anyone signed in reads them.
//
// Defaults are seeded lazily: the first time a tenant's catalog is used (read, written, or asked
// for an approval chain) and it has no item at all, deleted ones included, it gets DEFAULT_ITEMS.
// Seeding at tenant creation would have the identity layer know this module; a deleted item stays
// as a marked row, so deleting every default never brings them back.
import type { ApprovalStep, CatalogItem, CreateCatalogItemBody, UpdateCatalogItemBody } from '@serviceloom/contracts';
import { compileFeel, FeelSyntaxError } from '@serviceloom/engine';
import { actorOf, audit } from '../../platform/audit.ts';
import type { Principal } from '../../platform/auth/tokens.ts';
import type { Transactions, Work } from '../../platform/db/transactions.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';
import { DEFAULT_ITEMS } from './defaults.ts';
import { type CatalogItemRow, itemOf } from './rows.ts';

export class CatalogService {
  constructor(private readonly transactions: Transactions) {}

  async list(p: Principal): Promise<CatalogItem[]> {
    return this.transactions.withTenant(p.tenantId, async (work) => {
      await this.seeded(work);
      const rows = (await work
        .tx('catalog_items')
        .where({ tenant_id: p.tenantId, deleted: false })
        .orderBy(['category', 'key'])) as CatalogItemRow[];
      return rows.map(itemOf);
    });
  }

  async create(p: Principal, body: CreateCatalogItemBody): Promise<CatalogItem> {
    checkApproval(body.approval ?? []);
    return this.transactions.withTenant(p.tenantId, async (work) => {
      await this.seeded(work);
      const existing = await this.row(work, body.key);
      if (existing && !existing.deleted) throw conflict('CATALOG_ITEM_EXISTS', `catalog item "${body.key}" exists; change it with PUT`);
      const { key, ...fields } = body;
      const values = columnsOf(key, fields);
      // A deleted item's key is free again: its row is replaced.
      if (existing)
        await work
          .tx('catalog_items')
          .where({ tenant_id: p.tenantId, key })
          .update({ ...values, deleted: false, updated_at: work.at });
      else await work.tx('catalog_items').insert({ tenant_id: p.tenantId, key, ...values, created_at: work.at, updated_at: work.at });
      const item = itemOf((await this.row(work, key)) as CatalogItemRow);
      await audit(work, actorOf(p), { action: 'catalog.create', targetType: 'catalog_item', targetId: key, after: item });
      return item;
    });
  }

  async update(p: Principal, key: string, body: UpdateCatalogItemBody): Promise<CatalogItem> {
    checkApproval(body.approval ?? []);
    return this.transactions.withTenant(p.tenantId, async (work) => {
      await this.seeded(work);
      const existing = await this.row(work, key);
      if (!existing || existing.deleted) throw notFound('catalog item', key);
      await work
        .tx('catalog_items')
        .where({ tenant_id: p.tenantId, key })
        .update({ ...columnsOf(key, body), updated_at: work.at });
      const item = itemOf((await this.row(work, key)) as CatalogItemRow);
      await audit(work, actorOf(p), {
        action: 'catalog.update',
        targetType: 'catalog_item',
        targetId: key,
        before: itemOf(existing),
        after: item,
      });
      return item;
    });
  }

  async remove(p: Principal, key: string): Promise<void> {
    await this.transactions.withTenant(p.tenantId, async (work) => {
      await this.seeded(work);
      const existing = await this.row(work, key);
      if (!existing || existing.deleted) throw notFound('catalog item', key);
      await work.tx('catalog_items').where({ tenant_id: p.tenantId, key }).update({ deleted: true, updated_at: work.at });
      await audit(work, actorOf(p), { action: 'catalog.delete', targetType: 'catalog_item', targetId: key, before: itemOf(existing) });
    });
  }

  /** An item by key, deleted or not (a request raised before the deletion keeps its chain). */
  async item(work: Work, key: string): Promise<CatalogItemRow | undefined> {
    await this.seeded(work);
    return this.row(work, key);
  }

  private async row(work: Work, key: string): Promise<CatalogItemRow | undefined> {
    return (await work.tx('catalog_items').where({ tenant_id: work.tenantId, key }).first()) as CatalogItemRow | undefined;
  }

  /** Seeds the defaults into a tenant that never had a catalog item. */
  private async seeded(work: Work): Promise<void> {
    const tenantId = work.tenantId as string;
    if (await work.tx('catalog_items').where({ tenant_id: tenantId }).first('key')) return;
    const rows = DEFAULT_ITEMS.map(({ key, ...fields }) => ({
      tenant_id: tenantId,
      key,
      ...columnsOf(key, fields),
      created_at: work.at,
      updated_at: work.at,
    }));
    // Two first reads at once: the second's inserts find the rows there.
    await work.tx('catalog_items').insert(rows).onConflict(['tenant_id', 'key']).ignore();
  }
}

function columnsOf(key: string, fields: UpdateCatalogItemBody) {
  return {
    name: JSON.stringify(fields.name),
    category: fields.category,
    description: JSON.stringify(fields.description ?? fields.name),
    form_key: fields.formKey === undefined ? key : fields.formKey,
    approval: JSON.stringify(fields.approval ?? []),
    fulfilment_group: fields.fulfilmentGroup ?? null,
  };
}

/** A group step names its group one way; a manager step names none; `when` is FEEL that compiles. */
function checkApproval(steps: ApprovalStep[]): void {
  steps.forEach((step, i) => {
    const at = `"approval[${i}]`;
    if (step.kind === 'group' && (step.group === undefined) === (step.groupField === undefined)) {
      throw badRequest('CATALOG_INVALID', `${at}": a group step names either "group" or "groupField"`);
    }
    if (step.kind === 'manager' && (step.group !== undefined || step.groupField !== undefined)) {
      throw badRequest('CATALOG_INVALID', `${at}": a manager step names no group`);
    }
    if (step.when !== undefined) {
      try {
        compileFeel(step.when);
      } catch (e) {
        if (e instanceof FeelSyntaxError) throw badRequest('CATALOG_INVALID', `${at}.when" is not a FEEL expression: ${e.message}`);
        throw e;
      }
    }
  });
}
