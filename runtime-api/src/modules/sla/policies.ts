// SLA policies: the tenant admins' CRUD (defaults seeded on first use), their conditions compiled
// once per text, the calendars they name, and the preview of which policies a ticket would get.
import type { CreateSlaPolicyBody, SlaPolicy, UpdateSlaPolicyBody } from '@serviceloom/contracts';
import { type CompiledFeel, compileFeel, FeelSyntaxError } from '@serviceloom/engine';
import type { Principal } from '../../platform/auth/tokens.ts';
import type { Transactions, Work } from '../../platform/db/transactions.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';
import { AROUND_THE_CLOCK, addBusinessTime, type BusinessCalendar } from '../../platform/time/business-time.ts';
import { loadCalendar } from '../../platform/time/calendars.ts';
import { DEFAULT_POLICIES } from './defaults.ts';
import { parseDuration } from './durations.ts';
import { type PolicyRow, policyOf } from './rows.ts';
import { feelContextOf } from './ticket-input.ts';

const INVALID = 'SLA_POLICY_INVALID';

export class SlaPolicies {
  private readonly compiled = new Map<string, CompiledFeel>();

  constructor(private readonly transactions: Transactions) {}

  list(p: Principal): Promise<SlaPolicy[]> {
    return this.transactions.withTenant(p.tenantId, async (work) => {
      await this.seeded(work);
      const rows = (await work.tx('sla_policies').where({ tenant_id: p.tenantId, deleted: false }).orderBy('id')) as PolicyRow[];
      return rows.map(policyOf);
    });
  }

  get(p: Principal, id: string): Promise<SlaPolicy> {
    return this.transactions.withTenant(p.tenantId, async (work) => policyOf(await this.existing(work, id)));
  }

  create(p: Principal, body: CreateSlaPolicyBody): Promise<SlaPolicy> {
    return this.transactions.withTenant(p.tenantId, async (work) => {
      await this.seeded(work);
      const { id, ...fields } = body;
      const found = (await work.tx('sla_policies').where({ tenant_id: p.tenantId, id }).first()) as PolicyRow | undefined;
      if (found && !found.deleted) throw conflict('SLA_POLICY_EXISTS', `an SLA policy "${id}" exists`);
      const columns = await this.columnsOf(work, fields);
      if (found)
        await work
          .tx('sla_policies')
          .where({ tenant_id: p.tenantId, id })
          .update({ ...columns, deleted: false, updated_at: work.at });
      else await work.tx('sla_policies').insert({ tenant_id: p.tenantId, id, ...columns, created_at: work.at, updated_at: work.at });
      return policyOf(await this.existing(work, id));
    });
  }

  update(p: Principal, id: string, body: UpdateSlaPolicyBody): Promise<SlaPolicy> {
    return this.transactions.withTenant(p.tenantId, async (work) => {
      await this.existing(work, id);
      const columns = await this.columnsOf(work, body);
      await work
        .tx('sla_policies')
        .where({ tenant_id: p.tenantId, id })
        .update({ ...columns, updated_at: work.at });
      return policyOf(await this.existing(work, id));
    });
  }

  /** Records already running keep the policy as it was when they attached. */
  delete(p: Principal, id: string): Promise<void> {
    return this.transactions.withTenant(p.tenantId, async (work) => {
      await this.existing(work, id);
      await work.tx('sla_policies').where({ tenant_id: p.tenantId, id }).update({ deleted: true, updated_at: work.at });
    });
  }

  /** The policies whose condition holds for the values (or the ticket), each with its due time if it started now. */
  preview(p: Principal, values: Record<string, unknown>) {
    return this.transactions.withTenant(p.tenantId, async (work) => {
      const type = typeof values.type === 'string' ? values.type : 'incident';
      const context = feelContextOf(values);
      const out = [];
      for (const policy of await this.active(work, type)) {
        if (!this.holds(policy.condition, context)) continue;
        const calendar = await this.calendar(work, policy.calendar);
        out.push({
          policy: policy.id,
          name: policy.name,
          kind: policy.kind,
          target: policy.target,
          calendar: policy.calendar,
          dueAt: addBusinessTime(calendar, new Date(work.now), parseDuration(policy.target) ?? 0).toISOString(),
        });
      }
      return out;
    });
  }

  /** The tenant's policies for a type of ticket (seeding the defaults first). */
  async active(work: Work, ticketType: string): Promise<PolicyRow[]> {
    await this.seeded(work);
    return (await work
      .tx('sla_policies')
      .where({ tenant_id: work.tenantId, ticket_type: ticketType, deleted: false })
      .orderBy('id')) as PolicyRow[];
  }

  /** Whether a condition holds; one that fails to evaluate does not. */
  holds(condition: string, context: Record<string, unknown>): boolean {
    let feel = this.compiled.get(condition);
    try {
      if (!feel) {
        feel = compileFeel(condition);
        this.compiled.set(condition, feel);
      }
      return feel.evaluate(context) === true;
    } catch {
      return false;
    }
  }

  /** A policy's calendar; around the clock without one (or if it was deleted since: the default's hours, if any). */
  async calendar(work: Work, id: string | null): Promise<BusinessCalendar> {
    if (!id) return AROUND_THE_CLOCK;
    const q = work.tx;
    return (
      (await loadCalendar(q, work.tenantId as string, id)) ??
      (await loadCalendar(q, work.tenantId as string, 'default')) ??
      AROUND_THE_CLOCK
    );
  }

  /** Seeds the defaults into a tenant that never had a policy. */
  async seeded(work: Work): Promise<void> {
    const tenantId = work.tenantId as string;
    if (await work.tx('sla_policies').where({ tenant_id: tenantId }).first('id')) return;
    const rows = DEFAULT_POLICIES.map(({ id, ...fields }) => ({
      tenant_id: tenantId,
      id,
      ...plainColumns(fields),
      created_at: work.at,
      updated_at: work.at,
    }));
    await work.tx('sla_policies').insert(rows).onConflict(['tenant_id', 'id']).ignore();
  }

  private async existing(work: Work, id: string): Promise<PolicyRow> {
    await this.seeded(work);
    const row = (await work.tx('sla_policies').where({ tenant_id: work.tenantId, id, deleted: false }).first()) as PolicyRow | undefined;
    if (!row) throw notFound('SLA policy', id);
    return row;
  }

  /** Checks a policy's fields: its condition compiles, its target is a duration, its calendar exists. */
  private async columnsOf(work: Work, body: UpdateSlaPolicyBody) {
    try {
      compileFeel(body.condition);
    } catch (e) {
      if (e instanceof FeelSyntaxError) throw badRequest(INVALID, `"condition" is not a FEEL expression: ${e.message}`);
      throw e;
    }
    if (parseDuration(body.target) === undefined)
      throw badRequest(INVALID, `"target" is not an ISO duration of weeks, days, hours, minutes or seconds (e.g. PT4H): "${body.target}"`);
    if (body.calendar && !(await loadCalendar(work.tx, work.tenantId as string, body.calendar)))
      throw badRequest(INVALID, `"calendar": no calendar "${body.calendar}" in this tenant`);
    const warnAt = body.warnAt ?? [50, 75];
    if (new Set(warnAt).size !== warnAt.length) throw badRequest(INVALID, '"warnAt": each threshold once');
    return plainColumns(body);
  }
}

function plainColumns(body: UpdateSlaPolicyBody) {
  return {
    name: body.name,
    ticket_type: body.ticketType,
    kind: body.kind,
    condition: body.condition,
    target: body.target,
    calendar: body.calendar ?? null,
    pause_states: JSON.stringify(body.pauseStates ?? ['on_hold']),
    warn_at: JSON.stringify([...(body.warnAt ?? [50, 75])].sort((a, b) => a - b)),
    on_breach: JSON.stringify(body.onBreach ?? []),
  };
}
