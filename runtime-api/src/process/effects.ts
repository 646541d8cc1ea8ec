// Writes what one engine step did into the tables beside the instance row: tasks, jobs, timers,
// subscriptions, faults and history, plus an outbox row for everything that must happen later.
// Runs inside the step's transaction. The writes, with the step's own instance write first, go to
// the database together (runBatch: one round trip on PostgreSQL), in the order the effects came.
import type { Effect, InstanceState, StepResult } from '@serviceloom/engine';
import { pinFormVersion } from '../forms/forms.ts';
import { runStatements, type Statement } from '../platform/db/batch.ts';
import { chunksOf } from '../platform/db/chunks.ts';
import { type Build, compiled, inserts } from '../platform/db/compiled.ts';
import { literal } from '../platform/db/literal.ts';
import type { Work } from '../platform/db/transactions.ts';
import type { OutboxEntry } from '../platform/outbox/messages.ts';

export interface StepContext {
  tenantId: string;
  instanceId: string;
  /** Set when a call activity started this instance. */
  parent?: { instanceId: string; callId: string };
  /** Username of whoever caused the step, for task records. */
  actor?: string;
  /** The instance's state before the step (none for its first). */
  before?: InstanceState;
}

export interface RecordOptions {
  /** The step's insert or update of the instance row (and any check of it): written first. */
  lead?: readonly Statement[];
  /** The caller's own writes, such as a form submission: written after the step's. */
  also?: readonly Statement[];
  /** Nothing runs in the transaction after: its COMMIT goes with the writes (runStatements). */
  commit?: boolean;
  /** Outbox rows of the caller's (module events), written with the step's own. */
  outbox?: readonly OutboxEntry[];
}

/** Writes the step's effects, history and outbox rows, in one batch. */
export async function recordStep(work: Work, ctx: StepContext, result: StepResult, options: RecordOptions = {}): Promise<void> {
  const outbox: OutboxEntry[] = [...(options.outbox ?? [])];
  const writes: Statement[] = [...(options.lead ?? [])];
  for (const effect of result.effects) recordEffect(work, ctx, effect, result.effects, writes, outbox);
  const history = result.history.map((h) => ({
    tenant_id: ctx.tenantId,
    instance_id: ctx.instanceId,
    element_id: h.elementId,
    element_type: h.elementType,
    event: h.event,
    element_instance_id: h.elementInstanceId ?? null,
    at: h.at,
  }));
  // One insert for a usual step; several for a long run of automatic elements (chunks.ts).
  for (const rows of chunksOf(history)) writes.push(compiled(work.tx, inserts('history'), rows));
  writes.push(...(options.also ?? []));
  const enqueue = work.outboxInsert(outbox);
  if (enqueue) writes.push(...enqueue.statements);
  const results = await runStatements(work.tx, writes, { commit: options.commit === true });
  // The outbox inserts are the last statements: their ids, in order.
  if (enqueue) enqueue.written(results.slice(results.length - enqueue.statements.length).flatMap((r) => r.rows));
}

function recordEffect(
  work: Work,
  ctx: StepContext,
  e: Effect,
  effects: readonly Effect[],
  writes: Statement[],
  outbox: OutboxEntry[],
): void {
  const { tx, at } = work;
  const base = { tenantId: ctx.tenantId, instanceId: ctx.instanceId };
  switch (e.type) {
    case 'taskCreated':
      writes.push(
        compiled(tx, insertTask, {
          id: e.taskId,
          tenant_id: ctx.tenantId,
          instance_id: ctx.instanceId,
          element_id: e.elementId,
          name: e.name ?? null,
          assignee: e.assignee ?? null,
          candidate_groups: JSON.stringify(e.candidateGroups),
          form_key: e.formKey || null,
          due_at: e.dueAt ?? null,
          status: 'open',
          created_at: at,
        }),
      );
      return;
    case 'taskCancelled':
      writes.push(tx('tasks').where({ id: e.taskId, status: 'open' }).update({ status: 'cancelled', completed_at: at }));
      return;
    case 'taskCompleted':
      writes.push(compiled(tx, completeTask, { id: e.taskId, at, by: ctx.actor ?? null }));
      return;
    case 'jobCreated': {
      // A fault retry creates the same job id again: make it activatable anew.
      const row = {
        id: e.jobId,
        tenant_id: ctx.tenantId,
        instance_id: ctx.instanceId,
        element_id: e.elementId,
        type: e.jobType,
        status: 'activatable',
        retries: e.retries,
        variables: JSON.stringify(e.variables),
        lock_owner: null,
        lock_expires_at: null,
        error_message: null,
        created_at: at,
        updated_at: at,
      };
      const { created_at: _kept, ...update } = row;
      writes.push(tx('jobs').insert(row).onConflict('id').merge(update));
      outbox.push({ ...base, kind: 'job', payload: { jobId: e.jobId, type: e.jobType } });
      return;
    }
    case 'jobCancelled':
      writes.push(
        tx('jobs')
          .where({ id: e.jobId })
          .whereIn('status', OPEN_JOB)
          .update({ status: 'cancelled', lock_owner: null, lock_expires_at: null, updated_at: at }),
      );
      return;
    case 'jobCompleted':
      writes.push(
        tx('jobs').where({ id: e.jobId }).update({ status: 'completed', lock_owner: null, lock_expires_at: null, updated_at: at }),
      );
      return;
    case 'jobRetry':
      writes.push(
        tx('jobs')
          .where({ id: e.jobId })
          .update({
            status: 'activatable',
            retries: e.retries,
            error_message: e.message ?? null,
            lock_owner: null,
            lock_expires_at: null,
            updated_at: at,
          }),
      );
      return;
    case 'timerScheduled':
      writes.push(
        tx('timers').insert({
          id: e.timerId,
          tenant_id: ctx.tenantId,
          instance_id: ctx.instanceId,
          element_id: e.elementId,
          due_at: e.dueAt,
          status: 'scheduled',
          created_at: at,
        }),
      );
      outbox.push({ ...base, kind: 'timer', payload: { timerId: e.timerId }, availableAt: Date.parse(e.dueAt) });
      return;
    case 'timerCancelled':
      writes.push(tx('timers').where({ id: e.timerId, status: 'scheduled' }).update({ status: 'cancelled' }));
      return;
    case 'messageSubscribed':
      writes.push(
        tx('message_subscriptions').insert({
          id: e.subscriptionId,
          tenant_id: ctx.tenantId,
          instance_id: ctx.instanceId,
          element_id: e.elementId,
          name: e.name,
          correlation_key: e.correlationKey ?? null,
          created_at: at,
        }),
      );
      return;
    case 'messageUnsubscribed':
      writes.push(tx('message_subscriptions').where({ id: e.subscriptionId }).delete());
      return;
    case 'signalSubscribed':
      writes.push(
        tx('signal_subscriptions').insert({
          id: e.subscriptionId,
          tenant_id: ctx.tenantId,
          instance_id: ctx.instanceId,
          element_id: e.elementId,
          name: e.name,
          created_at: at,
        }),
      );
      return;
    case 'signalUnsubscribed':
      writes.push(tx('signal_subscriptions').where({ id: e.subscriptionId }).delete());
      return;
    case 'messageThrown':
      outbox.push({
        ...base,
        kind: 'message',
        payload: { name: e.name, variables: e.variables, ...(e.correlationKey !== undefined ? { correlationKey: e.correlationKey } : {}) },
      });
      return;
    case 'signalThrown':
      outbox.push({ ...base, kind: 'signal', payload: { name: e.name, variables: e.variables } });
      return;
    case 'callStarted':
      outbox.push({
        ...base,
        kind: 'call.start',
        payload: {
          parentInstanceId: ctx.instanceId,
          callId: e.callId,
          processId: e.processId,
          variables: e.variables,
          ...(e.version !== undefined ? { version: e.version } : {}),
          ...(e.businessKey !== undefined ? { businessKey: e.businessKey } : {}),
        },
      });
      return;
    case 'callCancelled':
      outbox.push({ ...base, kind: 'call.cancel', payload: { parentInstanceId: ctx.instanceId, callId: e.callId } });
      return;
    case 'faultRaised':
      writes.push(
        tx('faults').insert({
          id: e.faultId,
          tenant_id: ctx.tenantId,
          instance_id: ctx.instanceId,
          element_id: e.elementId,
          job_id: e.jobId ?? null,
          message: e.message,
          status: 'open',
          created_at: at,
        }),
      );
      if (e.jobId) {
        writes.push(
          tx('jobs')
            .where({ id: e.jobId })
            .update({ status: 'failed', retries: 0, error_message: e.message, lock_owner: null, lock_expires_at: null, updated_at: at }),
        );
      }
      return;
    case 'faultResolved':
      writes.push(tx('faults').where({ id: e.faultId, status: 'open' }).update({ status: 'resolved', resolved_at: at }));
      return;
    case 'instanceEnded':
      closeEverything(work, ctx.instanceId, writes, mayBeOpen(ctx.before, effects));
      if (ctx.parent) {
        outbox.push({
          ...base,
          kind: 'call.ended',
          payload: {
            parentInstanceId: ctx.parent.instanceId,
            callId: ctx.parent.callId,
            childInstanceId: ctx.instanceId,
            status: e.status,
            variables: e.variables,
            ...(e.error ? { error: e.error } : {}),
          },
        });
      }
      return;
    default:
      return;
  }
}

// Statements of every step, compiled once per shape (db/compiled.ts).
type TaskInsert = Record<string, unknown> & { tenant_id: string; form_key: string | null };
/** A task row; with a form, it keeps the form version that is the latest now, whatever is published later. */
const insertTask: Build<TaskInsert> = (q, row) =>
  q('tasks').insert({ ...row, form_version: row.form_key === null ? null : pinFormVersion(q, row.tenant_id, row.form_key) });
const completeTask: Build<{ id: string; at: string; by: string | null }> = (q, a) =>
  q('tasks').where({ id: a.id, status: 'open' }).update({ status: 'completed', completed_at: a.at, completed_by: a.by });
const cancelOpenTasks: Build<{ instanceId: string; at: string }> = (q, a) =>
  q('tasks')
    .where({ instance_id: a.instanceId, status: literal(q, 'open') })
    .update({ status: 'cancelled', completed_at: a.at });

type Closable = 'task' | 'job' | 'timer' | 'message' | 'signal' | 'fault';

/** The statuses of a job that is not over (a failed job stays open beside its fault). */
const OPEN_JOB = ['activatable', 'locked', 'failed'];

/** The effects that open a row an ended instance must close, and the kind of row. */
const OPENED_BY: Partial<Record<Effect['type'], Closable>> = {
  taskCreated: 'task',
  jobCreated: 'job',
  timerScheduled: 'timer',
  messageSubscribed: 'message',
  signalSubscribed: 'signal',
  faultRaised: 'fault',
};

/**
 * What an instance can have open rows of: what it waited for before the step, and what the step
 * opened (rows are written with the state, in the same transaction, so they never hold more).
 */
function mayBeOpen(before: InstanceState | undefined, effects: readonly Effect[]): Set<Closable> {
  const kinds = new Set<Closable>();
  for (const wait of Object.values(before?.waits ?? {})) kinds.add(wait.kind as Closable);
  if (Object.keys(before?.faults ?? {}).length) kinds.add('fault');
  for (const e of effects) {
    const kind = OPENED_BY[e.type];
    if (kind) kinds.add(kind);
  }
  return kinds;
}

/**
 * An ended instance waits for nothing: whatever the engine did not close explicitly goes too, of
 * the kinds it may have open (a job that failed for good stays open beside its fault).
 */
function closeEverything(work: Work, instanceId: string, writes: Statement[], open: Set<Closable>): void {
  const { tx, at } = work;
  if (open.has('task')) {
    writes.push(compiled(tx, cancelOpenTasks, { instanceId, at }));
  }
  if (open.has('job') || open.has('fault')) {
    writes.push(
      tx('jobs')
        .where({ instance_id: instanceId })
        .whereIn(
          'status',
          OPEN_JOB.map((status) => literal(tx, status)),
        )
        .update({ status: 'cancelled', lock_owner: null, lock_expires_at: null, updated_at: at }),
    );
  }
  if (open.has('timer')) {
    writes.push(
      tx('timers')
        .where({ instance_id: instanceId, status: literal(tx, 'scheduled') })
        .update({ status: 'cancelled' }),
    );
  }
  if (open.has('message')) writes.push(tx('message_subscriptions').where({ instance_id: instanceId }).delete());
  if (open.has('signal')) writes.push(tx('signal_subscriptions').where({ instance_id: instanceId }).delete());
  if (open.has('fault')) {
    writes.push(
      tx('faults')
        .where({ instance_id: instanceId, status: literal(tx, 'open') })
        .update({ status: 'resolved', resolved_at: at }),
    );
  }
}
