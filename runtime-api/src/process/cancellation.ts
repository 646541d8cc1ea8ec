// Cancelling many instances without one huge transaction: a cancel batch (`cancel_batches`) is
// worked through by the outbox, one `cancel.batch` row per chunk of at most CHUNK instances. Each
// chunk cancels its instances and writes the next chunk's row in the same transaction, so a batch
// survives restarts and runs exactly once. Two kinds of batch:
//   - an operator's filter (definition, version, business key, started before): POST
//     /process-instances/cancel;
//   - the descendants of a cancelled instance (`descendantsOf`): what its call activities started,
//     and what those started. Walking the whole tree in chunks outpaces a self-calling chain, which
//     grows by one instance per outbox hop; the call.cancel row of each level alone would only chase it.
import { randomUUID } from 'node:crypto';
import type { InstanceRow } from '../platform/db/rows.ts';
import type { Work } from '../platform/db/transactions.ts';
import { isSettled } from './events.ts';
import type { StepRunner } from './steps.ts';

/** Instances one chunk (one transaction) cancels at most. */
export const CANCEL_CHUNK = 50;

export interface CancelFilter {
  definitionKey?: string;
  definitionId?: string;
  version?: number;
  businessKey?: string;
  /** ISO time; a batch never reaches instances started after it was asked for. */
  startedBefore: string;
}

export type BatchFilter = CancelFilter | { descendantsOf: string; root: boolean };

export interface CancelBatchRow {
  id: string;
  tenant_id: string;
  filter: BatchFilter;
  matched: number;
  cancelled: number;
  status: 'running' | 'done';
  created_by: string | null;
  created_at: Date;
  finished_at: Date | null;
}

/** Cancels one instance (a step of its own in `work`) and, if it called any, a batch for its descendants. */
export async function cancelWithDescendants(work: Work, steps: StepRunner, id: string, actor?: string): Promise<InstanceRow> {
  const tenantId = work.tenantId as string;
  const row = await steps.step(work, tenantId, id, { type: 'cancel' }, actor ? { actor } : {});
  await cancelDescendants(work, row, actor);
  return row;
}

/** Opens a batch for the active descendants of a just-cancelled instance, if it has any. */
async function cancelDescendants(work: Work, row: InstanceRow, actor?: string): Promise<void> {
  const filter = { descendantsOf: row.id, root: row.root_instance_id === row.id };
  const [{ n }] = await countQuery(work, filter);
  if (Number(n) > 0) await openBatch(work, filter, Number(n), actor ?? null);
}

/** Records a batch and writes its first chunk's outbox row (none when nothing matched). */
export async function openBatch(work: Work, filter: BatchFilter, matched: number, createdBy: string | null): Promise<CancelBatchRow> {
  const tenantId = work.tenantId as string;
  const row: CancelBatchRow = {
    id: randomUUID(),
    tenant_id: tenantId,
    filter,
    matched,
    cancelled: 0,
    status: matched > 0 ? 'running' : 'done',
    created_by: createdBy,
    created_at: new Date(work.now),
    finished_at: matched > 0 ? null : new Date(work.now),
  };
  await work.tx('cancel_batches').insert({ ...row, filter: JSON.stringify(filter) });
  if (matched > 0) await work.enqueue([{ tenantId, kind: 'cancel.batch', payload: { batchId: row.id } }]);
  return row;
}

/** How many active instances a filter matches now. */
export async function countMatching(work: Work, filter: BatchFilter): Promise<number> {
  const [{ n }] = await countQuery(work, filter);
  return Number(n);
}

/**
 * One chunk of a batch (the `cancel.batch` follow-up): cancels up to CANCEL_CHUNK matching active
 * instances, oldest (for descendants: shallowest) first, then writes the next chunk's row; a chunk
 * that finds none closes the batch.
 */
export async function runCancelChunk(work: Work, steps: StepRunner, batchId: string): Promise<void> {
  const batch: CancelBatchRow | undefined = await work.tx('cancel_batches').where({ id: batchId }).forUpdate().first();
  if (!batch || batch.status !== 'running') return;
  const filter = (typeof batch.filter === 'string' ? JSON.parse(batch.filter) : batch.filter) as BatchFilter;
  const ids = await nextIds(work, filter, CANCEL_CHUNK);
  if (ids.length === 0) {
    await work.tx('cancel_batches').where({ id: batchId }).update({ status: 'done', finished_at: work.at });
    return;
  }
  let cancelled = 0;
  const actor = batch.created_by ?? undefined;
  for (const id of ids) {
    try {
      const row = await steps.step(work, batch.tenant_id, id, { type: 'cancel' }, actor ? { actor } : {});
      cancelled++;
      // Descendants of an instance this batch matched: their own batch, once per subtree (an
      // instance whose caller was cancelled too is inside its caller's subtree already).
      if ('descendantsOf' in filter || !(await callerStillActive(work, row))) continue;
      await cancelDescendants(work, row, actor);
    } catch (e) {
      // Ended or cancelled meanwhile: nothing to do for this one.
      if (!isSettled(e)) throw e;
    }
  }
  await work
    .tx('cancel_batches')
    .where({ id: batchId })
    .update({ cancelled: batch.cancelled + cancelled });
  await work.enqueue([{ tenantId: batch.tenant_id, kind: 'cancel.batch', payload: { batchId } }]);
}

/** Whether an instance was started by a caller that is still active (or by none: a root counts as active). */
async function callerStillActive(work: Work, row: InstanceRow): Promise<boolean> {
  if (!row.parent_instance_id) return true;
  const parent: { status: string } | undefined = await work.tx('instances').select('status').where({ id: row.parent_instance_id }).first();
  return parent?.status === 'active';
}

async function nextIds(work: Work, filter: BatchFilter, limit: number): Promise<string[]> {
  const { tx } = work;
  if ('descendantsOf' in filter && !filter.root) {
    const { rows } = (await tx.raw(
      `WITH RECURSIVE tree(id, depth) AS (
         SELECT id, 1 FROM instances WHERE parent_instance_id = ?
         UNION ALL
         SELECT i.id, t.depth + 1 FROM instances i JOIN tree t ON i.parent_instance_id = t.id
       )
       SELECT i.id FROM tree t JOIN instances i ON i.id = t.id
       WHERE i.status = 'active' ORDER BY t.depth, i.started_at, i.id LIMIT ?`,
      [filter.descendantsOf, limit],
    )) as { rows: Array<{ id: string }> };
    return rows.map((r) => r.id);
  }
  const rows: Array<{ id: string }> = await matching(work, filter).select('id').orderBy('started_at').orderBy('id').limit(limit);
  return rows.map((r) => r.id);
}

function countQuery(work: Work, filter: BatchFilter): Promise<Array<{ n: string | number }>> {
  const { tx } = work;
  if ('descendantsOf' in filter && !filter.root) {
    return tx
      .raw(
        `WITH RECURSIVE tree(id) AS (
           SELECT id FROM instances WHERE parent_instance_id = ?
           UNION ALL
           SELECT i.id FROM instances i JOIN tree t ON i.parent_instance_id = t.id
         )
         SELECT count(*) AS n FROM tree t JOIN instances i ON i.id = t.id WHERE i.status = 'active'`,
        [filter.descendantsOf],
      )
      .then((r: { rows: Array<{ n: string | number }> }) => r.rows);
  }
  return matching(work, filter).count('* as n') as unknown as Promise<Array<{ n: string | number }>>;
}

/** The active instances of a filter (a root's descendants: its tree, by root, itself excluded). */
function matching(work: Work, filter: BatchFilter) {
  const query = work.tx('instances').where({ tenant_id: work.tenantId, status: 'active' });
  if ('descendantsOf' in filter)
    return query.andWhere({ root_instance_id: filter.descendantsOf }).andWhereNot({ id: filter.descendantsOf });
  if (filter.definitionKey !== undefined) query.andWhere({ definition_key: filter.definitionKey });
  if (filter.definitionId !== undefined) query.andWhere({ definition_id: filter.definitionId });
  if (filter.version !== undefined) query.andWhere({ definition_version: filter.version });
  if (filter.businessKey !== undefined) query.andWhere({ business_key: filter.businessKey });
  return query.andWhere('started_at', '<=', filter.startedBefore);
}
