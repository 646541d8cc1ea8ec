// Message, signal and timer start events of the latest version of every definition key, kept in
// `start_events` so that a message or signal finds the processes it starts by index. Timer start
// events get a `timers` row (no instance) and an outbox row due when the timer is.
import { randomUUID } from 'node:crypto';
import { type Definition, type ProcessStart, type Schedule, startTimerSchedule } from '@serviceloom/engine';
import type { DefinitionRow } from '../platform/db/rows.ts';
import type { Work } from '../platform/db/transactions.ts';
import { refuseShortCycles } from './cycle-minimum.ts';

export interface StartEventRow {
  tenant_id: string;
  definition_id: string;
  definition_key: string;
  element_id: string;
  kind: 'message' | 'signal' | 'timer';
  name: string | null;
}

export async function replaceStartEvents(work: Work, row: DefinitionRow, definition: Definition): Promise<void> {
  const { tx } = work;
  // Every deploy comes here: where a cycle shorter than the tenant allows is refused.
  await refuseShortCycles(work, row.tenant_id, definition);
  await tx('start_events').where({ tenant_id: row.tenant_id, definition_key: row.key }).delete();
  // Start timers of older versions stop; the new version's timers take over.
  await tx('timers')
    .where({ tenant_id: row.tenant_id, status: 'scheduled' })
    .whereNull('instance_id')
    .whereIn('definition_id', tx('definitions').select('id').where({ tenant_id: row.tenant_id, key: row.key }))
    .update({ status: 'cancelled' });
  const starts = definition.starts.filter(
    (s): s is ProcessStart & { kind: StartEventRow['kind'] } => s.kind === 'message' || s.kind === 'signal' || s.kind === 'timer',
  );
  if (starts.length === 0) return;
  await tx('start_events').insert(
    starts.map((s) => ({
      tenant_id: row.tenant_id,
      definition_id: row.id,
      definition_key: row.key,
      element_id: s.eventId,
      kind: s.kind,
      name: s.name ?? null,
    })),
  );
  for (const s of starts) {
    if (s.kind !== 'timer' || !s.timer) continue;
    // compile() checked that every timer start gives a valid schedule.
    await scheduleStartTimer(work, row.tenant_id, row.id, s.eventId, startTimerSchedule(s.timer, work.now));
  }
}

export async function scheduleStartTimer(
  work: Work,
  tenantId: string,
  definitionId: string,
  elementId: string,
  schedule: Schedule,
): Promise<void> {
  const id = randomUUID();
  await work.tx('timers').insert({
    id,
    tenant_id: tenantId,
    instance_id: null,
    definition_id: definitionId,
    element_id: elementId,
    due_at: schedule.dueAt,
    repeat: schedule.repeat ?? null,
    every: schedule.every ?? null,
    status: 'scheduled',
    created_at: work.at,
  });
  await work.enqueue([{ tenantId, kind: 'timer', payload: { timerId: id }, availableAt: Date.parse(schedule.dueAt) }]);
}

/** The start events of the latest versions that a message or signal of this name triggers (suspended versions skipped). */
export function startEventsFor(work: Work, tenantId: string, kind: 'message' | 'signal', name: string): Promise<StartEventRow[]> {
  return work
    .tx('start_events')
    .where({ tenant_id: tenantId, kind, name })
    .whereNotExists((q) =>
      q.select(1).from('definitions').whereRaw('definitions.id = start_events.definition_id').andWhere('suspended', true),
    )
    .orderBy('id');
}
