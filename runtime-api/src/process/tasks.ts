// User tasks: the inbox, claiming, and completing (an engine step on the task's instance).
import type { Variables } from '@serviceloom/engine';
import type { FormService, Submission } from '../forms/forms.ts';
import { mayWork, seesEverything, seesTask, shownTo, taskCaller } from '../platform/auth/task-access.ts';
import type { Principal } from '../platform/auth/tokens.ts';
import { type Build, byId, compiled } from '../platform/db/compiled.ts';
import { literal } from '../platform/db/literal.ts';
import { isoOrNull, type TaskRow } from '../platform/db/rows.ts';
import type { Transactions } from '../platform/db/transactions.ts';
import { conflict, forbidden, notFound } from '../platform/errors.ts';
import type { StepRunner } from './steps.ts';

export interface TaskView {
  id: string;
  elementId: string;
  name: string | null;
  processInstanceId: string;
  assignee: string | null;
  candidateGroups: string[];
  formKey: string | null;
  dueAt: string | null;
  createdAt: string;
  status: TaskRow['status'];
}

export interface TaskFilter {
  processInstanceId?: string;
  assignee?: string;
  candidateGroup?: string;
  status?: 'open' | 'completed' | 'cancelled';
}

export function taskView(row: TaskRow): TaskView {
  return {
    id: row.id,
    elementId: row.element_id,
    name: row.name,
    processInstanceId: row.instance_id,
    assignee: row.assignee,
    candidateGroups: row.candidate_groups ?? [],
    formKey: row.form_key,
    dueAt: isoOrNull(row.due_at),
    createdAt: new Date(row.created_at).toISOString(),
    status: row.status,
  };
}

// The task list and task reads, compiled once per shape (db/compiled.ts).
interface ListArgs {
  tenantId: string;
  instanceId: string | undefined;
  assignee: string | undefined;
  candidateGroupJson: string | undefined;
  /** Whose tasks: undefined for a caller who sees every task of the tenant. */
  caller: { username: string; groupsJson: string } | undefined;
  /** An argument, not written in the build: a number the build writes itself cannot be cached. */
  limit: number;
}
/** The most tasks a list returns. */
const PAGE = 500;
/** A page of tasks in one status (written into the SQL: db/literal.ts). */
const listIn =
  (status: TaskRow['status']): Build<ListArgs> =>
  (q, a) => {
    const list = q('tasks').where({ tenant_id: a.tenantId, status: literal(q, status) });
    if (a.instanceId !== undefined) list.andWhere({ instance_id: a.instanceId });
    if (a.assignee !== undefined) list.andWhere({ assignee: a.assignee });
    if (a.candidateGroupJson !== undefined) list.andWhereRaw('candidate_groups @> ?::jsonb', [a.candidateGroupJson]);
    const caller = a.caller;
    if (caller) list.andWhere((w) => shownTo(w, caller));
    return list.orderBy('created_at').orderBy('id').limit(a.limit);
  };
const LIST = { open: listIn('open'), completed: listIn('completed'), cancelled: listIn('cancelled') };

export class TaskService {
  constructor(
    private readonly transactions: Transactions,
    private readonly steps: StepRunner,
    /** Validates completions against the task's form and records them. */
    private readonly forms?: Pick<FormService, 'checkTask' | 'recordWrites'>,
  ) {}

  async list(p: Principal, filter: TaskFilter): Promise<TaskView[]> {
    // An empty filter (`?assignee=`) filters nothing, as it always has.
    const args: ListArgs = {
      tenantId: p.tenantId,
      instanceId: filter.processInstanceId || undefined,
      assignee: filter.assignee || undefined,
      candidateGroupJson: filter.candidateGroup ? JSON.stringify([filter.candidateGroup]) : undefined,
      caller: seesEverything(p) ? undefined : taskCaller(p),
      limit: PAGE,
    };
    const rows = await this.transactions.rows<TaskRow>(p.tenantId, (q) => compiled(q, LIST[filter.status ?? 'open'], args));
    return rows.map(taskView);
  }

  async get(p: Principal, id: string): Promise<TaskRow> {
    const [row] = await this.transactions.rows<TaskRow>(p.tenantId, (q) => compiled(q, byId('tasks'), { tenantId: p.tenantId, id }));
    if (!row) throw notFound('task', id);
    return row;
  }

  /** One task as GET /tasks/:id shows it: only if the caller's task list would (404 otherwise, as for a missing id). */
  async read(p: Principal, id: string): Promise<TaskView> {
    const row = await this.get(p, id);
    if (!seesTask(p, row)) throw notFound('task', id);
    return taskView(row);
  }

  async claim(p: Principal, id: string): Promise<TaskView> {
    const task = await this.get(p, id);
    if (task.status !== 'open') throw conflict('TASK_NOT_OPEN', `task "${id}" is ${task.status}`);
    if (task.assignee === p.username) return taskView(task);
    if (task.assignee) throw conflict('TASK_CLAIMED', `task "${id}" is already claimed by ${task.assignee}`);
    if (!mayWork(p, task)) throw forbidden(`task "${id}" belongs to groups you are not in`);
    // Conditional update: of two claims at once, one wins and the other sees 409.
    const updated = await this.transactions.read(p.tenantId, (tx) =>
      tx('tasks').where({ id, status: 'open' }).whereNull('assignee').update({ assignee: p.username }),
    );
    if (updated !== 1) throw conflict('TASK_CLAIMED', `task "${id}" was claimed or closed meanwhile`);
    return taskView({ ...task, assignee: p.username });
  }

  async unclaim(p: Principal, id: string): Promise<TaskView> {
    const task = await this.get(p, id);
    if (task.status !== 'open') throw conflict('TASK_NOT_OPEN', `task "${id}" is ${task.status}`);
    if (!task.assignee) return taskView(task);
    if (task.assignee !== p.username && !seesEverything(p)) throw forbidden(`task "${id}" is claimed by ${task.assignee}, not you`);
    await this.transactions.read(p.tenantId, (tx) => tx('tasks').where({ id, status: 'open' }).update({ assignee: null }));
    return taskView({ ...task, assignee: null });
  }

  /**
   * Completes the task: one engine step. The task is read under its instance's lock (in the same
   * round trip as the lock), so of parallel completions only the first finds it open.
   */
  async complete(p: Principal, id: string, variables?: Variables): Promise<TaskView> {
    return this.transactions.withTenant(p.tenantId, async (work) => {
      let task: TaskRow | undefined;
      let submission: Submission | undefined;
      await this.steps.step<TaskRow>(
        work,
        p.tenantId,
        { task: id },
        { type: 'completeTask', taskId: id, ...(variables ? { variables } : {}) },
        {
          actor: p.username,
          last: true,
          check: async (_instance, current) => {
            task = current;
            if (!mayWork(p, current)) throw forbidden(`task "${id}" is not yours to complete`);
            if (current.status !== 'open') throw conflict('TASK_NOT_OPEN', `task "${id}" is ${current.status}`);
            // The form's schema, before anything changes: 400 FORM_INVALID leaves the task open.
            submission = await this.forms?.checkTask(work, current, variables ?? {}, p.username);
          },
          also: () => (submission && this.forms ? this.forms.recordWrites(work, submission, (task as TaskRow).instance_id) : []),
        },
      );
      const done = task as TaskRow;
      return taskView({ ...done, status: 'completed', completed_at: new Date(work.now), completed_by: p.username });
    });
  }
}
