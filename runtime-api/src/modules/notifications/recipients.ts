// A rule's recipients, resolved from the ticket: roles in it (requester, assignee, the assignment
// group's members, its manager, watchers), the approver of an approval event, `group:<id>` and
// `user:<username>`. Disabled users and unknown names resolve to nobody.
import type { Queryable } from '../../platform/db/connect.ts';
import { groupManager, groupMembers, type Person, peopleByIds, peopleByUsernames, type TicketFacts, unique, watchers } from './facts.ts';

export async function resolveRecipients(
  q: Queryable,
  tenantId: string,
  recipients: string[],
  ticket: TicketFacts | undefined,
  data: Record<string, unknown>,
  options: { internal: boolean },
): Promise<Person[]> {
  const out: Person[] = [];
  const groupId = ticket?.assignmentGroupId ?? (data.assignmentGroupId as string | undefined) ?? null;
  for (const r of recipients) {
    if (r === 'requester') {
      // A work note is for agents: never told to the requester.
      if (!options.internal && ticket?.requesterId) out.push(...(await peopleByIds(q, tenantId, [ticket.requesterId])));
    } else if (r === 'assignee') {
      const id = ticket?.assigneeId ?? (data.assigneeId as string | undefined);
      if (id) out.push(...(await peopleByIds(q, tenantId, [id])));
    } else if (r === 'assignmentGroup') {
      if (groupId) out.push(...(await groupMembers(q, tenantId, groupId)));
    } else if (r === 'groupManager') {
      if (groupId) out.push(...(await groupManager(q, tenantId, groupId)));
    } else if (r === 'watchers') {
      if (!options.internal && ticket) out.push(...(await watchers(q, tenantId, ticket.id)));
    } else if (r === 'approver') {
      if (typeof data.approverId === 'string') out.push(...(await peopleByIds(q, tenantId, [data.approverId])));
    } else if (r.startsWith('group:')) {
      out.push(...(await groupMembers(q, tenantId, r.slice('group:'.length))));
    } else if (r.startsWith('user:')) {
      out.push(...(await peopleByUsernames(q, tenantId, [r.slice('user:'.length)])));
    }
  }
  return unique(out);
}
