// Groups of a tenant and their members. Groups are what user tasks name as candidates
// (`sl:candidateGroups`): a member may claim and complete an unassigned task of the group.

import { actorOf, audit } from '../platform/audit.ts';
import type { Principal } from '../platform/auth/tokens.ts';
import type { Tx } from '../platform/db/connect.ts';
import type { GroupRow } from '../platform/db/rows.ts';
import type { Transactions, Work } from '../platform/db/transactions.ts';
import { conflict, notFound } from '../platform/errors.ts';
import { checkManager } from './profile.ts';
import { mustHoldRoles } from './users.ts';

export interface GroupView {
  id: string;
  name: string;
  members: Array<{ id: string; username: string }>;
  /** A user of the tenant who answers for the group (approvals and escalations reach them), or null. */
  managerId: string | null;
  createdAt: string;
}

export class GroupService {
  constructor(private readonly transactions: Transactions) {}

  list(tenantId: string): Promise<GroupView[]> {
    return this.transactions.read(tenantId, async (tx) => {
      const groups: GroupRow[] = await tx('groups').where({ tenant_id: tenantId }).orderBy('id');
      const members: Array<{ group_id: string; id: string; username: string }> = await tx('user_groups as m')
        .join('users as u', 'u.id', 'm.user_id')
        .where('m.tenant_id', tenantId)
        .select('m.group_id', 'u.id', 'u.username')
        .orderBy('u.username');
      return groups.map((g) =>
        view(
          g,
          members.filter((m) => m.group_id === g.id),
        ),
      );
    });
  }

  get(tenantId: string, id: string): Promise<GroupView> {
    return this.transactions.read(tenantId, (tx) => this.view(tx, tenantId, id));
  }

  private async view(tx: Tx, tenantId: string, id: string): Promise<GroupView> {
    const group: GroupRow | undefined = await tx('groups').where({ tenant_id: tenantId, id }).first();
    if (!group) throw notFound('group', id);
    const members: Array<{ id: string; username: string }> = await tx('user_groups as m')
      .join('users as u', 'u.id', 'm.user_id')
      .where({ 'm.tenant_id': tenantId, 'm.group_id': id })
      .select('u.id', 'u.username')
      .orderBy('u.username');
    return view(group, members);
  }

  create(actor: Principal, input: { id: string; name: string; managerId?: string | null }): Promise<GroupView> {
    return this.transactions.withTenant(actor.tenantId, async (work) => {
      await checkManager(work.tx, actor.tenantId, input.managerId);
      const created = await createGroup(work, input);
      if (!created) throw conflict('GROUP_EXISTS', `group "${input.id}" exists already`);
      const after = await this.view(work.tx, actor.tenantId, input.id);
      await audit(work, actorOf(actor), {
        action: 'group.create',
        targetType: 'group',
        targetId: input.id,
        after: { name: after.name, managerId: after.managerId },
      });
      return after;
    });
  }

  update(actor: Principal, id: string, patch: { name?: string; managerId?: string | null }): Promise<GroupView> {
    return this.transactions.withTenant(actor.tenantId, async (work) => {
      const before = await this.view(work.tx, actor.tenantId, id);
      await checkManager(work.tx, actor.tenantId, patch.managerId);
      const changes: Record<string, unknown> = {};
      if (patch.name !== undefined) changes.name = patch.name;
      if (patch.managerId !== undefined) changes.manager_id = patch.managerId;
      if (Object.keys(changes).length) await work.tx('groups').where({ tenant_id: actor.tenantId, id }).update(changes);
      const after = await this.view(work.tx, actor.tenantId, id);
      await audit(work, actorOf(actor), {
        action: 'group.update',
        targetType: 'group',
        targetId: id,
        before: { name: before.name, managerId: before.managerId },
        after: { name: after.name, managerId: after.managerId },
      });
      return after;
    });
  }

  delete(actor: Principal, id: string): Promise<void> {
    return this.transactions.withTenant(actor.tenantId, async (work) => {
      const before = await this.view(work.tx, actor.tenantId, id);
      // Memberships go with it (ON DELETE CASCADE).
      await work.tx('groups').where({ tenant_id: actor.tenantId, id }).delete();
      await audit(work, actorOf(actor), {
        action: 'group.delete',
        targetType: 'group',
        targetId: id,
        before: { name: before.name, members: before.members.map((m) => m.username) },
      });
    });
  }

  /** Adds (or, with `member` false, removes) a user; idempotent. */
  setMember(actor: Principal, groupId: string, userId: string, member: boolean): Promise<GroupView> {
    return this.transactions.withTenant(actor.tenantId, async (work) => {
      const tenantId = actor.tenantId;
      const before = await this.view(work.tx, tenantId, groupId);
      const user: { username: string; roles: string[] | null } | undefined = await work
        .tx('users')
        .where({ tenant_id: tenantId, id: userId })
        .first('username', 'roles');
      if (!user) throw notFound('user', userId);
      // Groups decide which tasks a user may work: the admin boundary of users.ts holds here too.
      mustHoldRoles(
        actor,
        user.roles ?? [],
        `${member ? 'add' : 'remove'} user "${user.username}", who holds it, ${member ? 'to' : 'from'} a group`,
      );
      const isMember = before.members.some((m) => m.id === userId);
      if (member && !isMember) await work.tx('user_groups').insert({ tenant_id: tenantId, user_id: userId, group_id: groupId });
      if (!member && isMember) await work.tx('user_groups').where({ tenant_id: tenantId, user_id: userId, group_id: groupId }).delete();
      if (member !== isMember) {
        await audit(work, actorOf(actor), {
          action: member ? 'group.member_add' : 'group.member_remove',
          targetType: 'group',
          targetId: groupId,
          after: { user: user.username, userId },
        });
      }
      return this.view(work.tx, tenantId, groupId);
    });
  }
}

/** Inserts a group in the transaction's tenant; false if it exists. */
export async function createGroup(work: Work, input: { id: string; name: string; managerId?: string | null }): Promise<boolean> {
  const inserted = await work
    .tx('groups')
    .insert({ tenant_id: work.tenantId, id: input.id, name: input.name, manager_id: input.managerId ?? null, created_at: work.at })
    .onConflict(['tenant_id', 'id'])
    .ignore()
    .returning('id');
  return inserted.length > 0;
}

const view = (g: GroupRow, members: Array<{ id: string; username: string }>): GroupView => ({
  id: g.id,
  name: g.name,
  members: members.map((m) => ({ id: m.id, username: m.username })),
  managerId: g.manager_id ?? null,
  createdAt: new Date(g.created_at).toISOString(),
});
