// The task access policy: who is shown a task (lists, reads, the reason to read an instance) and
// who may work it. One rule for the process core's task routes and for forms and attachments.
import type { Knex } from 'knex';
import type { TaskRow } from '../db/rows.ts';
import type { Principal } from './tokens.ts';

export const seesEverything = (p: Principal) => p.roles.includes('tenant-admin');

/** The caller of a task list, as its SQL needs them. */
export interface TaskCaller {
  username: string;
  groupsJson: string;
}

export const taskCaller = (p: Principal): TaskCaller => ({ username: p.username, groupsJson: JSON.stringify(p.groups) });

/**
 * The tasks a caller who does not see everything is shown (in the list, by id, and as the reason
 * to read an instance): their own, their groups' (claimed or not), and unassigned tasks meant for
 * anyone. `w` is a where-clause over `tasks`. `seesTask` is the same rule over a row.
 */
export function shownTo(w: Knex.QueryBuilder, caller: TaskCaller): Knex.QueryBuilder {
  return w
    .where({ assignee: caller.username })
    .orWhereRaw(
      'EXISTS (SELECT 1 FROM jsonb_array_elements_text(candidate_groups) g WHERE g IN (SELECT jsonb_array_elements_text(?::jsonb)))',
      [caller.groupsJson],
    )
    .orWhere((x) => x.whereNull('assignee').andWhereRaw("candidate_groups = '[]'::jsonb"));
}

/** Whether the caller's task list would show the task. */
export function seesTask(p: Principal, task: TaskRow): boolean {
  if (seesEverything(p)) return true;
  const groups = task.candidate_groups ?? [];
  return task.assignee === p.username || groups.some((g) => p.groups.includes(g)) || (!task.assignee && groups.length === 0);
}

/** Whether the user may work the task: its assignee, or (unassigned) a member of a candidate group. */
export function mayWork(p: Principal, task: TaskRow): boolean {
  if (seesEverything(p)) return true;
  if (task.assignee) return task.assignee === p.username;
  const groups = task.candidate_groups ?? [];
  return groups.length === 0 || groups.some((g) => p.groups.includes(g));
}
