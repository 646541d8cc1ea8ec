// One engine step = one transaction: lock the instance row, run execute(), write the new state
// (bumping version_no) and everything the step produced. Callers pass the Work of an open
// transaction; nothing here commits, unless the caller says the step is the transaction's last
// (`last`): then its writes and the COMMIT go to the database together.
import { randomUUID } from 'node:crypto';
import { type Command, type Definition, execute, type StartCommand, type StepResult, type Variables } from '@serviceloom/engine';
import { EXPECTATION_FAILED } from '@serviceloom/migrations';
import { runStatements, type Statement } from '../platform/db/batch.ts';
import { type Build, byId, compiled, inserts } from '../platform/db/compiled.ts';
import type { DefinitionRef, InstanceRow } from '../platform/db/rows.ts';
import type { Work } from '../platform/db/transactions.ts';
import { conflict, notFound } from '../platform/errors.ts';
import type { OutboxEntry } from '../platform/outbox/messages.ts';
import type { DefinitionService } from './definitions.ts';
import { recordStep } from './effects.ts';

export interface StartOptions {
  variables?: Variables;
  businessKey?: string;
  startEventId?: string;
  parent?: { instanceId: string; callId: string; rootInstanceId: string };
  actor?: string;
  /** Writes to go with the start's own (in the same round trip, after them), given the new instance's id. */
  also?: (instanceId: string) => Statement[];
  /** Nothing runs in the transaction after the start: it commits with the start's writes. */
  last?: boolean;
}

/** The instance a step runs on: its id, or the task or job whose instance it is. */
export type StepTarget = string | { task: string } | { job: string };

export interface StepOptions<Row = Record<string, unknown>> {
  /**
   * Runs once the instance row is locked and before the engine: where stale commands become 409s.
   * For a task or job target it gets that row too, read under the lock.
   */
  check?: (instance: InstanceRow, row: Row) => Promise<void> | void;
  /** Writes of the caller's to go with the step's own, in the same round trip, after them. */
  also?: () => Statement[];
  actor?: string;
  /** Nothing runs in the transaction after the step: it commits with the step's writes. */
  last?: boolean;
}

/** One step, as a record kept beside an instance (a ticket) sees it: the `sl:state`s its tokens entered. */
export interface ObservedStep {
  tenantId: string;
  instanceId: string;
  definitionKey: string;
  businessKey: string | null;
  /** `sl:state` of each element a token entered in this step, in order. */
  states: string[];
  /** The instance's status after the step. */
  status: string;
  actor?: string;
}

/**
 * Keeps a record in step with its instance: its statements go out with the step's own writes, in
 * the same transaction, so the record and the instance never disagree.
 */
export interface StepObserver {
  onStep(work: Work, step: ObservedStep): Statement[];
  /** Outbox rows (module events) the step writes too: what other modules learn of it. */
  events?(work: Work, step: ObservedStep): OutboxEntry[];
}

export class StepRunner {
  private readonly observers: StepObserver[] = [];

  constructor(private readonly definitions: DefinitionService) {}

  /** Adds an observer of every step that enters an element carrying `sl:state`. */
  observe(observer: StepObserver): void {
    this.observers.push(observer);
  }

  private observed(
    work: Work,
    row: InstanceRow,
    definition: Definition,
    result: StepResult,
    actor: string | undefined,
  ): { statements: Statement[]; outbox: OutboxEntry[] } {
    const none = { statements: [], outbox: [] };
    if (this.observers.length === 0) return none;
    const states: string[] = [];
    for (const h of result.history) {
      const state = h.event === 'started' ? definition.nodes[h.elementId]?.recordState : undefined;
      if (state) states.push(state);
    }
    if (states.length === 0) return none;
    const step: ObservedStep = {
      tenantId: row.tenant_id,
      instanceId: row.id,
      definitionKey: row.definition_key,
      businessKey: row.business_key,
      states,
      status: result.state.status,
      ...(actor ? { actor } : {}),
    };
    return {
      statements: this.observers.flatMap((o) => o.onStep(work, step)),
      outbox: this.observers.flatMap((o) => o.events?.(work, step) ?? []),
    };
  }

  /**
   * Locks the instance (SELECT ... FOR UPDATE), applies one command and persists the outcome. For
   * a task or job target, the lock and the read of that row under it are one round trip.
   */
  async step<Row = Record<string, unknown>>(
    work: Work,
    tenantId: string,
    target: StepTarget,
    command: Command,
    options: StepOptions<Row> = {},
  ): Promise<InstanceRow> {
    sameTenant(work, tenantId);
    const { tx } = work;
    const via = viaRow(target);
    const [locked, reread] = await runStatements(
      tx,
      via
        ? [
            compiled(tx, LOCK_THROUGH[via.table], { tenantId, id: via.id }),
            // After the lock, so it reads what the step before this one left.
            compiled(tx, byId(via.table), { tenantId, id: via.id }),
          ]
        : [compiled(tx, lockInstance, { tenantId, id: target as string })],
    );
    const row = locked?.rows[0] as unknown as InstanceRow | undefined;
    if (via && !(row && reread?.rows[0])) throw notFound(via.what, via.id);
    if (!row) throw notFound('process instance', target as string);
    await options.check?.(row, reread?.rows[0] as Row);
    if (row.status !== 'active') throw conflict('INSTANCE_NOT_ACTIVE', `process instance "${row.id}" is ${row.status}`);
    const definition = await this.definitions.compiledById(tx, row.definition_id);
    const result = execute(definition, row.state, command, work.now);
    // The instance write leads the step's writes, which go to the database together (recordStep).
    // Under the row lock it cannot miss; the check guards writers that skipped the lock. It is made
    // in SQL, in the same statement, ahead of the writes and the COMMIT that may go with them:
    // failing, it rolls the step back.
    const versionNo = row.version_no + 1;
    const updateOrFail = compiled(tx, updateInstance, {
      id: row.id,
      version: row.version_no,
      next: versionNo,
      state: JSON.stringify(result.state),
      status: result.state.status,
      endedAt: result.state.endedAt ?? null,
      message: `process instance "${row.id}" changed meanwhile; try again`,
    });
    const observed = this.observed(work, row, definition, result, options.actor);
    try {
      await recordStep(work, { ...contextOf(row, options.actor), before: row.state }, result, {
        lead: [updateOrFail],
        also: [...(options.also?.() ?? []), ...observed.statements],
        outbox: observed.outbox,
        commit: options.last === true,
      });
    } catch (e) {
      if ((e as { code?: string }).code === EXPECTATION_FAILED.instanceMoved) throw conflict('CONCURRENT_UPDATE', (e as Error).message);
      throw e;
    }
    return {
      ...row,
      state: result.state,
      status: result.state.status,
      version_no: versionNo,
      ended_at: result.state.endedAt ? new Date(result.state.endedAt) : null,
    };
  }

  /** Starts a new instance of a deployed version: its first step, in the caller's transaction. */
  async start(work: Work, definitionRow: DefinitionRef, options: StartOptions = {}): Promise<InstanceRow> {
    sameTenant(work, definitionRow.tenant_id);
    const id = randomUUID();
    const definition = await this.definitions.compiledById(work.tx, definitionRow.id);
    const command: StartCommand = { type: 'start', instanceId: id };
    if (options.variables) command.variables = options.variables;
    if (options.businessKey !== undefined) command.businessKey = options.businessKey;
    if (options.startEventId) command.startEventId = options.startEventId;
    if (options.parent) command.parent = { instanceId: options.parent.instanceId, callId: options.parent.callId };
    const result: StepResult = execute(definition, undefined, command, work.now);
    const row: InstanceRow = {
      id,
      tenant_id: definitionRow.tenant_id,
      definition_id: definitionRow.id,
      definition_key: definitionRow.key,
      definition_version: definitionRow.version,
      business_key: options.businessKey ?? null,
      status: result.state.status,
      state: result.state,
      version_no: 1,
      parent_instance_id: options.parent?.instanceId ?? null,
      parent_call_id: options.parent?.callId ?? null,
      root_instance_id: options.parent?.rootInstanceId ?? id,
      started_by: options.actor ?? null,
      started_at: new Date(work.now),
      ended_at: result.state.endedAt ? new Date(result.state.endedAt) : null,
    };
    const insert = compiled(work.tx, inserts('instances'), {
      ...row,
      state: JSON.stringify(row.state),
      started_at: work.at,
      ended_at: result.state.endedAt ?? null,
    });
    const observed = this.observed(work, row, definition, result, options.actor);
    await recordStep(work, contextOf(row, options.actor), result, {
      lead: [insert],
      also: [...(options.also?.(id) ?? []), ...observed.statements],
      outbox: observed.outbox,
      commit: options.last === true,
    });
    return row;
  }
}

// The step's statements, compiled once per shape (db/compiled.ts).
const lockInstance: Build<{ tenantId: string; id: string }> = (q, a) =>
  q('instances').where({ tenant_id: a.tenantId, id: a.id }).forUpdate();
/** Locks the instance of a task or job. */
const lockThrough =
  (table: 'tasks' | 'jobs'): Build<{ tenantId: string; id: string }> =>
  (q, a) =>
    q('instances')
      .where({ tenant_id: a.tenantId, id: q(table).select('instance_id').where({ tenant_id: a.tenantId, id: a.id }) })
      .forUpdate();
const LOCK_THROUGH = { tasks: lockThrough('tasks'), jobs: lockThrough('jobs') };
/** The instance's new state, failing the statement unless the instance still has the version the step read. */
const updateInstance: Build<{
  id: string;
  version: number;
  next: number;
  state: string;
  status: string;
  endedAt: string | null;
  message: string;
}> = (q, a) =>
  q.raw('WITH updated AS (?) SELECT serviceloom_expect(EXISTS (SELECT FROM updated), ?, ?)', [
    q('instances')
      .where({ id: a.id, version_no: a.version })
      .update({ state: a.state, status: a.status, version_no: a.next, ended_at: a.endedAt })
      .returning('id'),
    EXPECTATION_FAILED.instanceMoved,
    a.message,
  ]);

/** The task or job row a target names, if it names one. */
function viaRow(target: StepTarget): { table: 'tasks' | 'jobs'; what: string; id: string } | undefined {
  if (typeof target === 'string') return undefined;
  return 'task' in target ? { table: 'tasks', what: 'task', id: target.task } : { table: 'jobs', what: 'job', id: target.job };
}

/** A step runs in the transaction's tenant: anything else is a bug (row-level security would hide the rows anyway). */
function sameTenant(work: Work, tenantId: string): void {
  if (work.tenantId !== tenantId)
    throw new Error(`a step for tenant "${tenantId}" in a transaction of tenant "${work.tenantId ?? '(none)'}"`);
}

function contextOf(row: InstanceRow, actor: string | undefined) {
  return {
    tenantId: row.tenant_id,
    instanceId: row.id,
    ...(row.parent_instance_id && row.parent_call_id ? { parent: { instanceId: row.parent_instance_id, callId: row.parent_call_id } } : {}),
    ...(actor ? { actor } : {}),
  };
}
