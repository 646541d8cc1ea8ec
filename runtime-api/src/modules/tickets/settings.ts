// The tenant's ITSM settings (itsm_settings: one JSON value per name) and the priority matrix.
// Names not set read as their defaults; secrets are stored but never returned.
import type { PriorityMatrix } from '@serviceloom/contracts';
import type { Queryable } from '../../platform/db/connect.ts';
import type { Transactions } from '../../platform/db/transactions.ts';
import { badRequest } from '../../platform/errors.ts';

export const DEFAULT_MATRIX: PriorityMatrix['matrix'] = {
  '1': { '1': 1, '2': 2, '3': 3 },
  '2': { '1': 2, '2': 3, '3': 4 },
  '3': { '1': 3, '2': 4, '3': 5 },
};

const PRIORITY_MATRIX = 'itsm.priorityMatrix';

/** What each known setting accepts, and its default. Modules to come add theirs here. */
const KNOWN: Record<string, { check: (v: unknown) => boolean; expects: string; fallback?: unknown; secret?: boolean }> = {
  'itsm.autoCloseDays': {
    check: (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 365,
    expects: 'a whole number of business days from 0 to 365',
    fallback: 3,
  },
  'itsm.firstLineGroup': {
    check: (v) => typeof v === 'string' && v.length > 0 && v.length <= 100,
    expects: 'a group id',
    fallback: 'service-desk',
  },
  'itsm.defaultCalendar': {
    check: (v) => typeof v === 'string' && v.length > 0 && v.length <= 100,
    expects: 'a calendar id',
    fallback: 'default',
  },
  'itsm.cdUrl': { check: (v) => v === null || (typeof v === 'string' && /^https?:\/\/\S+$/.test(v)), expects: 'an http(s) URL or null' },
  'itsm.cdSecret': { check: (v) => v === null || (typeof v === 'string' && v.length <= 500), expects: 'a string or null', secret: true },
  'knowledge.contributorWeights': {
    check: (v) => typeof v === 'object' && v !== null && Object.values(v).every((w) => typeof w === 'number' && Number.isFinite(w)),
    expects: 'an object of numeric weights { articles, views, helpful, solved }',
    fallback: { articles: 5, views: 0.1, helpful: 2, solved: 3 },
  },
};

export class ItsmSettings {
  constructor(private readonly transactions: Transactions) {}

  /** Every setting with its value (the default where unset); secrets only say whether they are set. */
  async all(tenantId: string): Promise<Record<string, unknown>> {
    const rows = await this.transactions.read(tenantId, (tx) => tx('itsm_settings').select('name', 'value'));
    const stored = new Map((rows as Array<{ name: string; value: unknown }>).map((r) => [r.name, r.value]));
    const out: Record<string, unknown> = {};
    for (const [name, spec] of Object.entries(KNOWN)) {
      if (spec.secret) out[`${name}Set`] = stored.get(name) !== undefined && stored.get(name) !== null;
      else out[name] = stored.has(name) ? stored.get(name) : (spec.fallback ?? null);
    }
    return out;
  }

  async update(tenantId: string, patch: Record<string, unknown>): Promise<Record<string, unknown>> {
    for (const [name, value] of Object.entries(patch)) {
      const spec = KNOWN[name];
      if (!spec) throw badRequest('UNKNOWN_SETTING', `"${name}" is not an ITSM setting; known: ${Object.keys(KNOWN).join(', ')}`);
      if (!spec.check(value)) throw badRequest('INVALID_SETTING', `"${name}" must be ${spec.expects}`);
    }
    await this.transactions.withTenant(tenantId, async (work) => {
      for (const [name, value] of Object.entries(patch)) await this.write(work.tx, tenantId, name, value);
    });
    return this.all(tenantId);
  }

  async value<T>(q: Queryable, tenantId: string, name: string): Promise<T> {
    const row = await q('itsm_settings').where({ tenant_id: tenantId, name }).first('value');
    return (row ? row.value : KNOWN[name]?.fallback) as T;
  }

  async matrix(q: Queryable, tenantId: string): Promise<PriorityMatrix['matrix']> {
    const row = await q('itsm_settings').where({ tenant_id: tenantId, name: PRIORITY_MATRIX }).first('value');
    return (row?.value as PriorityMatrix['matrix'] | undefined) ?? DEFAULT_MATRIX;
  }

  async priorityMatrix(tenantId: string): Promise<PriorityMatrix> {
    return { matrix: await this.transactions.read(tenantId, (tx) => this.matrix(tx, tenantId)) };
  }

  async setPriorityMatrix(tenantId: string, body: PriorityMatrix): Promise<PriorityMatrix> {
    await this.transactions.withTenant(tenantId, (work) => this.write(work.tx, tenantId, PRIORITY_MATRIX, body.matrix));
    return { matrix: body.matrix };
  }

  private async write(q: Queryable, tenantId: string, name: string, value: unknown): Promise<void> {
    await q('itsm_settings')
      .insert({ tenant_id: tenantId, name, value: JSON.stringify(value) })
      .onConflict(['tenant_id', 'name'])
      .merge();
  }
}

/** The priority of an impact and an urgency (1 to 3 each) by the tenant's matrix. */
export function priorityOf(matrix: PriorityMatrix['matrix'], impact: number, urgency: number): number {
  const row = matrix[String(impact) as '1' | '2' | '3'];
  return row?.[String(urgency) as '1' | '2' | '3'] ?? 5;
}
