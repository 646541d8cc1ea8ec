// What is told to whom when something happens. Each event the module follows is handled once,
// after its transaction committed, in the outbox row's own transaction:
//
// 1. Built-in in-app notifications (not rules): an SLA warning or breach to the assignee (else
//    every member of the assignment group); an approval request and its reminder to the approver;
//    an urge (催单) to the assignee (else the group), and from the third urge on also to the
//    group's manager; a major incident to the members of group `major-incident`; an assignment
//    to the person assigned (unless they assigned themselves).
// 2. The tenant's rules for the event: a rule whose FEEL condition holds over the ticket resolves
//    its recipients and renders its template per locale; its channel `in-app` delivers here, any
//    other is one `notification.send` event (NOTIFY-SEND contract) for the channels module,
//    written in this same transaction so that it goes out exactly when the handling commits.
import { NOTIFICATION_EVENTS } from '@serviceloom/contracts';
import { compileFeel } from '@serviceloom/engine';
import type { Work } from '../../platform/db/transactions.ts';
import type { ModuleEvents } from '../../platform/outbox/module-events.ts';
import {
  actorName,
  groupManager,
  groupMembers,
  type Person,
  peopleByIds,
  type TicketFacts,
  tenantLocale,
  ticketFacts,
  unique,
} from './facts.ts';
import type { Inbox } from './inbox.ts';
import { resolveRecipients } from './recipients.ts';
import { IN_APP, type RuleRow } from './rows.ts';
import { tenantTemplate } from './rules.ts';
import { type Messages, messagesFor, type TemplateContext } from './templates.ts';

const SUBSCRIBER = 'notifications';
export const SEND = 'notification.send';
/** Only the approvals' reminder has no rule event of its own: it is an in-app reminder. */
const BUILT_IN_ONLY = ['approval.reminder'];
/** The group told of every major incident. */
export const MAJOR_INCIDENT_GROUP = 'major-incident';
/** The urge from which the group manager hears of it too. */
export const URGES_FOR_MANAGER = 3;

export class Notifier {
  constructor(
    private readonly moduleEvents: ModuleEvents,
    private readonly inbox: Inbox,
  ) {}

  listen(): void {
    for (const event of [...NOTIFICATION_EVENTS, ...BUILT_IN_ONLY]) {
      this.moduleEvents.on(event, SUBSCRIBER, (work, tenantId, data) => this.handle(work, tenantId, event, data));
    }
  }

  async handle(work: Work, tenantId: string, event: string, data: Record<string, unknown>): Promise<void> {
    const number = typeof data.number === 'string' ? data.number : typeof data.ticket === 'string' ? data.ticket : null;
    const facts = asOfEvent(number ? await ticketFacts(work.tx, tenantId, number) : undefined, data);
    const ctx: TemplateContext = {
      ticket: facts?.view ?? { number, title: data.title ?? '' },
      actor: await actorName(work.tx, tenantId, data.actor),
      event,
      data,
    };
    const tenantWording = await tenantTemplate(work.tx, tenantId, event);

    const builtIn = await this.builtInRecipients(work, tenantId, event, data, facts);
    if (builtIn.length) await this.inbox.deliver(work, builtIn, event, number, messagesFor(event, ctx, null, tenantWording));

    if (BUILT_IN_ONLY.includes(event)) return;
    const rules = (await work.tx('notification_rules').where({ tenant_id: tenantId, event }).orderBy('id')) as RuleRow[];
    if (!rules.length) return;
    const internal = data.internal === true;
    for (const rule of rules) {
      if (rule.condition && !holds(rule.condition, facts, event, data)) continue;
      const people = await resolveRecipients(work.tx, tenantId, rule.recipients, facts, data, { internal });
      const messages = messagesFor(event, ctx, rule.template, tenantWording);
      if (rule.channel === IN_APP) {
        await this.inbox.deliver(work, people, event, number, messages);
        continue;
      }
      await this.moduleEvents.emit(work, SEND, {
        deliveryKey: `${rule.id}:${crypto.randomUUID()}`,
        channel: rule.channel,
        event,
        ticket: number,
        at: typeof data.at === 'string' ? data.at : work.at,
        data,
        recipients: people,
        messages: number ? withNumber(messages, number) : messages,
        defaultLocale: await tenantLocale(work.tx, tenantId),
      });
    }
  }

  private async builtInRecipients(
    work: Work,
    tenantId: string,
    event: string,
    data: Record<string, unknown>,
    facts: TicketFacts | undefined,
  ): Promise<Person[]> {
    const q = work.tx;
    const assigneeOrGroup = async (): Promise<Person[]> => {
      const assignee = str(data.assigneeId) ?? facts?.assigneeId;
      if (assignee) {
        const found = await peopleByIds(q, tenantId, [assignee]);
        if (found.length) return found;
      }
      const group = str(data.assignmentGroupId) ?? facts?.assignmentGroupId;
      return group ? groupMembers(q, tenantId, group) : [];
    };
    switch (event) {
      case 'sla.warning':
      case 'sla.breached':
        return assigneeOrGroup();
      case 'approval.requested':
      case 'approval.reminder': {
        const approver = str(data.approverId);
        return approver ? peopleByIds(q, tenantId, [approver]) : [];
      }
      case 'ticket.urged': {
        const people = await assigneeOrGroup();
        const group = str(data.assignmentGroupId) ?? facts?.assignmentGroupId;
        const count = Number(data.urgeCount ?? facts?.view.urgeCount ?? 0);
        if (group && count >= URGES_FOR_MANAGER) people.push(...(await groupManager(q, tenantId, group)));
        return unique(people);
      }
      case 'major.declared':
        return groupMembers(q, tenantId, MAJOR_INCIDENT_GROUP);
      case 'ticket.assigned': {
        const assignee = str(data.assigneeId);
        if (!assignee || data.assigneeChanged === false || assignee === str(data.actorId)) return [];
        return peopleByIds(q, tenantId, [assignee]);
      }
      default:
        return [];
    }
  }
}

/**
 * The ticket as the event saw it: handlers run after later changes may have committed too (a
 * ticket resolved right after it started), so what the event tells wins over the table.
 */
function asOfEvent(facts: TicketFacts | undefined, data: Record<string, unknown>): TicketFacts | undefined {
  if (!facts) return facts;
  const view = { ...facts.view };
  for (const key of ['title', 'state', 'priority', 'type'] as const) if (data[key] !== undefined) view[key] = data[key];
  if (typeof data.to === 'string') view.state = data.to;
  return { ...facts, view };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Whether a rule's condition holds: only FEEL `true` does (null, errors: no). */
function holds(condition: string, facts: TicketFacts | undefined, event: string, data: Record<string, unknown>): boolean {
  const ticket = facts?.view ?? {};
  try {
    return compileFeel(condition).evaluate({ ...ticket, ticket, event, data }) === true;
  } catch {
    return false;
  }
}

/** Subjects begin with `[<number>]`, so that replies to a mail thread under the ticket. */
function withNumber(messages: Messages, number: string): Messages {
  const prefix = `[${number}]`;
  const out = {} as Messages;
  for (const [locale, m] of Object.entries(messages) as Array<[keyof Messages, Messages[keyof Messages]]>) {
    out[locale] = { subject: m.subject.startsWith(prefix) ? m.subject : `${prefix} ${m.subject}`, body: m.body };
  }
  return out;
}
