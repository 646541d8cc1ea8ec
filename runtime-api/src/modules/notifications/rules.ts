// The tenant's notification rules and its own wording of each event's message (tenant admins).
// A rule's FEEL condition is compiled when it is saved (400 naming `condition`), its template's
// placeholders are checked (400 naming the field).
import type {
  CreateNotificationRuleBody,
  LocalizedTemplate,
  NotificationRule,
  NotificationTemplate,
  PreviewTemplateBody,
  PreviewTemplateReply,
  UpdateNotificationRuleBody,
} from '@serviceloom/contracts';
import { compileFeel, FeelSyntaxError } from '@serviceloom/engine';
import type { Principal } from '../../platform/auth/tokens.ts';
import type { Queryable } from '../../platform/db/connect.ts';
import type { Transactions } from '../../platform/db/transactions.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';
import { actorName, ticketFacts } from './facts.ts';
import { type RuleRow, ruleOf } from './rows.ts';
import { checkTemplate, DEFAULT_TEMPLATES, messagesFor, type TemplateContext } from './templates.ts';

export class RuleService {
  constructor(private readonly transactions: Transactions) {}

  list(p: Principal): Promise<NotificationRule[]> {
    return this.transactions.read(p.tenantId, async (tx) =>
      ((await tx('notification_rules').where({ tenant_id: p.tenantId }).orderBy('id')) as RuleRow[]).map(ruleOf),
    );
  }

  get(p: Principal, id: string): Promise<NotificationRule> {
    return this.transactions.read(p.tenantId, async (tx) => ruleOf(await found(tx, p.tenantId, id)));
  }

  async create(p: Principal, body: CreateNotificationRuleBody): Promise<NotificationRule> {
    check(body);
    return this.transactions.withTenant(p.tenantId, async (work) => {
      const exists = await work.tx('notification_rules').where({ tenant_id: p.tenantId, id: body.id }).first('id');
      if (exists) throw conflict('RULE_EXISTS', `notification rule "${body.id}" exists already`);
      await work
        .tx('notification_rules')
        .insert({ tenant_id: p.tenantId, id: body.id, ...columns(body), created_at: work.at, updated_at: work.at });
      return ruleOf(await found(work.tx, p.tenantId, body.id));
    });
  }

  async update(p: Principal, id: string, body: UpdateNotificationRuleBody): Promise<NotificationRule> {
    check(body);
    return this.transactions.withTenant(p.tenantId, async (work) => {
      await found(work.tx, p.tenantId, id);
      await work
        .tx('notification_rules')
        .where({ tenant_id: p.tenantId, id })
        .update({ ...columns(body), updated_at: work.at });
      return ruleOf(await found(work.tx, p.tenantId, id));
    });
  }

  async remove(p: Principal, id: string): Promise<void> {
    await this.transactions.withTenant(p.tenantId, async (work) => {
      const gone = await work.tx('notification_rules').where({ tenant_id: p.tenantId, id }).del().returning('id');
      if (!(gone as unknown[]).length) throw notFound('notification rule', id);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Templates: the tenant's wording of each event's default message

  templates(p: Principal): Promise<NotificationTemplate[]> {
    return this.transactions.read(p.tenantId, async (tx) => {
      const own = new Map(
        (
          (await tx('notification_templates').where({ tenant_id: p.tenantId })) as Array<{ event: string; template: LocalizedTemplate }>
        ).map((r) => [r.event, r.template]),
      );
      return Object.entries(DEFAULT_TEMPLATES).map(([event, defaults]) => ({ event, template: own.get(event) ?? null, defaults }));
    });
  }

  async putTemplate(p: Principal, event: string, template: LocalizedTemplate): Promise<NotificationTemplate> {
    checkTemplate(template, 'template');
    return this.transactions.withTenant(p.tenantId, async (work) => {
      await work
        .tx('notification_templates')
        .insert({ tenant_id: p.tenantId, event, template: JSON.stringify(template), updated_at: work.at })
        .onConflict(['tenant_id', 'event'])
        .merge();
      return { event, template, defaults: DEFAULT_TEMPLATES[event] as NotificationTemplate['defaults'] };
    });
  }

  async resetTemplate(p: Principal, event: string): Promise<NotificationTemplate> {
    await this.transactions.withTenant(p.tenantId, (work) =>
      work.tx('notification_templates').where({ tenant_id: p.tenantId, event }).del(),
    );
    return { event, template: null, defaults: DEFAULT_TEMPLATES[event] as NotificationTemplate['defaults'] };
  }

  /** Renders a template (the given one, else the tenant's, else the default) for a ticket, in both languages. */
  async preview(p: Principal, body: PreviewTemplateBody): Promise<PreviewTemplateReply> {
    if (body.template) checkTemplate(body.template, 'template');
    return this.transactions.read(p.tenantId, async (tx) => {
      const tenant = await tenantTemplate(tx, p.tenantId, body.event);
      let ticket: Record<string, unknown> = SAMPLE_TICKET;
      if (body.ticket) {
        const facts = await ticketFacts(tx, p.tenantId, body.ticket);
        if (!facts) throw badRequest('PREVIEW_INVALID', `"ticket": ticket ${body.ticket} does not exist`);
        ticket = facts.view;
      }
      const ctx: TemplateContext = { ticket, actor: await actorName(tx, p.tenantId, p.username), event: body.event, data: SAMPLE_DATA };
      return messagesFor(body.event, ctx, body.template, tenant);
    });
  }
}

export async function tenantTemplate(q: Queryable, tenantId: string, event: string): Promise<LocalizedTemplate | null> {
  const row = await q('notification_templates').where({ tenant_id: tenantId, event }).first('template');
  return (row?.template as LocalizedTemplate | undefined) ?? null;
}

const SAMPLE_TICKET = {
  number: 'INC0000001',
  type: 'incident',
  state: 'in_progress',
  title: 'Email is down',
  priority: 2,
  assignee: 'Alice',
  requester: 'Bob',
  assignmentGroup: 'service-desk',
};
const SAMPLE_DATA = {
  to: 'in_progress',
  body: 'Any news?',
  comment: 'Still waiting',
  urgeCount: 1,
  step: 1,
  requestedAt: '2026-01-05T09:00:00.000Z',
  policy: 'p2-resolution',
  kind: 'resolution',
  threshold: 75,
  dueAt: '2026-01-05T17:00:00.000Z',
  reason: 'many users affected',
};

function check(body: UpdateNotificationRuleBody): void {
  if (body.condition) {
    try {
      compileFeel(body.condition);
    } catch (e) {
      if (e instanceof FeelSyntaxError) throw badRequest('RULE_INVALID', `"condition" is not a FEEL expression: ${e.message}`);
      throw e;
    }
  }
  if (body.template) checkTemplate(body.template, 'template');
}

function columns(body: UpdateNotificationRuleBody) {
  return {
    event: body.event,
    condition: body.condition ?? null,
    channel: body.channel,
    recipients: JSON.stringify(body.recipients),
    template: body.template ? JSON.stringify(body.template) : null,
  };
}

async function found(q: Queryable, tenantId: string, id: string): Promise<RuleRow> {
  const row = (await q('notification_rules').where({ tenant_id: tenantId, id }).first()) as RuleRow | undefined;
  if (!row) throw notFound('notification rule', id);
  return row;
}
