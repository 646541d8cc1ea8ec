// Process instances: start, read, history, cancel, and retrying the faults an operator fixed.
import {
  activeElementIds,
  type HistoryEventKind,
  type InstanceState,
  type InstanceStatus,
  instanceVariables,
  type Variables,
} from '@serviceloom/engine';
import { DEFINITION_SUSPENDED_STATE, EXPECTATION_FAILED } from '@serviceloom/migrations';
import type { Knex } from 'knex';
import type { FormService } from '../forms/forms.ts';
import { ACCESS, hasAnyRole } from '../platform/auth/roles.ts';
import { shownTo, type TaskCaller, taskCaller } from '../platform/auth/task-access.ts';
import type { Principal } from '../platform/auth/tokens.ts';
import type { Statement } from '../platform/db/batch.ts';
import { type InstanceRow, isoOrNull } from '../platform/db/rows.ts';
import type { Transactions, Work } from '../platform/db/transactions.ts';
import { badRequest, notFound } from '../platform/errors.ts';
import { type CancelBatchRow, type CancelFilter, cancelWithDescendants, countMatching, openBatch } from './cancellation.ts';
import { type DefinitionService, definitionSuspended } from './definitions.ts';
import type { StepRunner } from './steps.ts';

export interface InstanceView {
  id: string;
  definitionKey: string;
  version: number;
  businessKey: string | null;
  status: InstanceStatus;
  variables: Variables;
  activeElementIds: string[];
  startedAt: string;
  endedAt: string | null;
  parentInstanceId: string | null;
  faults: Array<{ id: string; elementId: string; message: string; jobId: string | null }>;
}

export interface StartRequest {
  definitionKey: string;
  version?: number;
  businessKey?: string;
  variables?: Variables;
}

export interface CancelRequest {
  definitionKey?: string;
  definitionId?: string;
  version?: number;
  businessKey?: string;
  /** ISO time; later than now counts as now. */
  startedBefore?: string;
}

export interface InstanceFilter {
  definitionKey?: string;
  status?: string;
  businessKey?: string;
  parentInstanceId?: string;
}

export function instanceView(row: InstanceRow): InstanceView {
  const state = row.state as InstanceState;
  return {
    id: row.id,
    definitionKey: row.definition_key,
    version: row.definition_version,
    businessKey: row.business_key,
    status: row.status as InstanceStatus,
    variables: instanceVariables(state),
    activeElementIds: row.status === 'active' ? activeElementIds(state) : [],
    startedAt: new Date(row.started_at).toISOString(),
    endedAt: isoOrNull(row.ended_at),
    parentInstanceId: row.parent_instance_id,
    faults: Object.values(state.faults ?? {}).map((f) => ({
      id: f.id,
      elementId: f.elementId,
      message: f.message,
      jobId: f.jobId ?? null,
    })),
  };
}

export class InstanceService {
  constructor(
    private readonly transactions: Transactions,
    private readonly definitions: DefinitionService,
    private readonly steps: StepRunner,
    /** Validates start variables against the start event's form and records them. */
    private readonly forms?: Pick<FormService, 'checkStart' | 'recordWrites'>,
  ) {}

  /**
   * Starts an instance of the latest (or the given) version. The latest version this server knows
   * is used without reading it again, in the same round trip as the start, with a check that no
   * newer one exists: if another server deployed one, the start is rolled back and run again.
   */
  async start(tenantId: string, actor: string, request: StartRequest): Promise<InstanceView> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.startOnce(tenantId, actor, request, attempt === 1);
      } catch (e) {
        if ((e as { code?: string }).code === DEFINITION_SUSPENDED_STATE) throw definitionSuspended((e as Error).message);
        if (attempt > 1 || (e as { code?: string }).code !== EXPECTATION_FAILED.staleDefinition) throw e;
        this.definitions.forgetLatest(tenantId, request.definitionKey);
      }
    }
  }

  private startOnce(tenantId: string, actor: string, request: StartRequest, useKnown: boolean): Promise<InstanceView> {
    return this.transactions.withTenant(tenantId, async (work) => {
      const known = request.version === undefined && useKnown ? this.definitions.knownLatest(tenantId, request.definitionKey) : undefined;
      const definition = known ?? (await this.definitions.find(work.tx, tenantId, request.definitionKey, request.version));
      if (!definition) {
        throw notFound('definition', request.version === undefined ? request.definitionKey : `${request.definitionKey}@${request.version}`);
      }
      const submission = await this.forms?.checkStart(work, definition, request.variables ?? {}, actor);
      const forms = this.forms;
      const row = await this.steps.start(work, definition, {
        actor,
        last: true,
        ...(request.variables ? { variables: request.variables } : {}),
        ...(request.businessKey !== undefined ? { businessKey: request.businessKey } : {}),
        also: (id: string) => [
          this.definitions.notSuspended(work.tx, definition),
          ...(known ? [this.definitions.stillLatest(work.tx, known)] : []),
          ...(submission && forms ? forms.recordWrites(work, submission, id) : []),
        ],
      });
      return instanceView(row);
    });
  }

  /**
   * Starts an instance of the latest version inside the caller's transaction (for a record created
   * with it, such as a ticket). `also` gets the new instance's id: its writes go with the start's.
   */
  async startIn(
    work: Work,
    actor: string,
    request: StartRequest,
    also?: (instanceId: string, definitionVersion: number) => Statement[],
  ): Promise<InstanceView> {
    const tenantId = work.tenantId as string;
    const definition = await this.definitions.find(work.tx, tenantId, request.definitionKey, request.version);
    if (!definition) throw notFound('definition', request.definitionKey);
    try {
      const row = await this.steps.start(work, definition, {
        actor,
        ...(request.variables ? { variables: request.variables } : {}),
        ...(request.businessKey !== undefined ? { businessKey: request.businessKey } : {}),
        also: (id: string) => [this.definitions.notSuspended(work.tx, definition), ...(also?.(id, definition.version) ?? [])],
      });
      return instanceView(row);
    } catch (e) {
      if ((e as { code?: string }).code === DEFINITION_SUSPENDED_STATE) throw definitionSuspended((e as Error).message);
      throw e;
    }
  }

  /** One instance, with its variables, if the reader may see it (404 otherwise, as for a missing id). */
  async get(p: Principal, id: string): Promise<InstanceView> {
    return instanceView(await this.visibleRow(p, id));
  }

  /** The instances the reader may see (`readScope`), newest first. */
  async list(p: Principal, filter: InstanceFilter, limit = 100): Promise<InstanceView[]> {
    const tenantId = p.tenantId;
    const rows: InstanceRow[] = await this.transactions.read(tenantId, (tx) => {
      const query = tx('instances').where({ tenant_id: tenantId });
      if (filter.definitionKey) query.andWhere({ definition_key: filter.definitionKey });
      if (filter.status) query.andWhere({ status: filter.status });
      if (filter.businessKey) query.andWhere({ business_key: filter.businessKey });
      if (filter.parentInstanceId) query.andWhere({ parent_instance_id: filter.parentInstanceId });
      const scope = readScope(p);
      if (scope !== 'all') {
        query.andWhere((w) => {
          w.where({ started_by: p.username });
          if (scope === 'agent') w.orWhereExists(workableTask(tx, tenantId, taskCaller(p)).andWhereRaw('tasks.instance_id = instances.id'));
        });
      }
      return query.orderBy('started_at', 'desc').orderBy('id').limit(limit);
    });
    return rows.map(instanceView);
  }

  async history(p: Principal, id: string) {
    const tenantId = p.tenantId;
    await this.visibleRow(p, id);
    const rows = await this.transactions.read(tenantId, (tx) =>
      tx('history').where({ tenant_id: tenantId, instance_id: id }).orderBy('id'),
    );
    return rows.map((h: { element_id: string; element_type: string; event: HistoryEventKind; at: Date }) => ({
      elementId: h.element_id,
      elementType: h.element_type,
      event: h.event,
      at: new Date(h.at).toISOString(),
    }));
  }

  /** Cancels an instance; the instances it called (and theirs) follow in a cancel batch (cancellation.ts). */
  cancel(tenantId: string, actor: string, id: string): Promise<InstanceView> {
    return this.transactions.withTenant(tenantId, async (work) => instanceView(await cancelWithDescendants(work, this.steps, id, actor)));
  }

  /**
   * An operator's batch cancel: the active instances a filter matches, started no later than now
   * (or `startedBefore`), cancelled by the outbox a chunk per transaction, each with its descendants.
   */
  cancelMatching(tenantId: string, actor: string, request: CancelRequest): Promise<CancelBatchRow> {
    const { definitionKey, definitionId, version, businessKey, startedBefore } = request;
    if (definitionKey === undefined && definitionId === undefined && businessKey === undefined) {
      throw badRequest('FILTER_REQUIRED', 'name the instances to cancel: give definitionKey, definitionId or businessKey');
    }
    if (version !== undefined && definitionKey === undefined) {
      throw badRequest('FILTER_INVALID', 'version needs definitionKey: a version number means something only within one key');
    }
    return this.transactions.withTenant(tenantId, async (work) => {
      const before = startedBefore === undefined ? work.now : Math.min(Date.parse(startedBefore), work.now);
      const filter: CancelFilter = {
        ...(definitionKey !== undefined ? { definitionKey } : {}),
        ...(definitionId !== undefined ? { definitionId } : {}),
        ...(version !== undefined ? { version } : {}),
        ...(businessKey !== undefined ? { businessKey } : {}),
        startedBefore: new Date(before).toISOString(),
      };
      return openBatch(work, filter, await countMatching(work, filter), actor);
    });
  }

  async cancelBatch(tenantId: string, id: string): Promise<CancelBatchRow> {
    const row: CancelBatchRow | undefined = await this.transactions.read(tenantId, (tx) =>
      tx('cancel_batches').where({ tenant_id: tenantId, id }).first(),
    );
    if (!row) throw notFound('cancel batch', id);
    return row;
  }

  retryFault(tenantId: string, actor: string, id: string, faultId: string, retries?: number): Promise<InstanceView> {
    return this.transactions.withTenant(tenantId, async (work) =>
      instanceView(
        await this.steps.step(
          work,
          tenantId,
          id,
          { type: 'retryFault', faultId, ...(retries !== undefined ? { retries } : {}) },
          { actor },
        ),
      ),
    );
  }

  /** The instance's row if the reader may see it (`readScope`), else 404 as for a missing id. */
  private async visibleRow(p: Principal, id: string): Promise<InstanceRow> {
    const row = await this.row(p.tenantId, id);
    const scope = readScope(p);
    if (scope === 'all' || (row.started_by !== null && row.started_by === p.username)) return row;
    if (scope === 'agent') {
      const task = await this.transactions.read(p.tenantId, (tx) =>
        workableTask(tx, p.tenantId, taskCaller(p)).andWhere('tasks.instance_id', id).first(),
      );
      if (task) return row;
    }
    throw notFound('process instance', id);
  }

  private async row(tenantId: string, id: string): Promise<InstanceRow> {
    const row: InstanceRow | undefined = await this.transactions.read(tenantId, (tx) =>
      tx('instances').where({ tenant_id: tenantId, id }).first(),
    );
    if (!row) throw notFound('process instance', id);
    return row;
  }
}

/**
 * Who reads which instances (and so their variables and history): tenant admins and process owners
 * all of the tenant's; agents those they started and those with a task their task list shows;
 * everyone else (requesters, workers, form admins) only those they started.
 */
export function readScope(p: Principal): 'all' | 'agent' | 'starter' {
  if (hasAnyRole(p.roles, ACCESS.readAllInstances)) return 'all';
  return p.roles.includes('agent') ? 'agent' : 'starter';
}

/** Tasks of the tenant that the caller's task list shows; the caller narrows them to an instance. */
const workableTask = (tx: Knex, tenantId: string, caller: TaskCaller) =>
  tx('tasks')
    .select('tasks.id')
    .where('tasks.tenant_id', tenantId)
    .andWhere((w) => shownTo(w, caller));
