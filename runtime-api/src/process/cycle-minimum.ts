// The shortest timer cycle a tenant may deploy. A cycle of a second starts 86,400 instances a day
// (or a boundary timer fires as often), which is never what a process owner meant; the tenant
// setting `timerCycleMinimum` (an ISO 8601 duration, default PT1M) lowers or raises the floor.
// Zero and negative intervals the engine refuses itself (engine/src/timer.ts parseCycle).
import { cycleIntervalMs, type Definition, parseCycle } from '@serviceloom/engine';
import type { TenantSettings } from '../platform/db/rows.ts';
import type { Work } from '../platform/db/transactions.ts';
import { badRequest } from '../platform/errors.ts';

export const DEFAULT_CYCLE_MINIMUM = 'PT1M';

/** The tenant's minimum cycle interval, as written and in milliseconds. */
export async function cycleMinimum(work: Work, tenantId: string): Promise<{ text: string; ms: number }> {
  const row: { settings: TenantSettings | null } | undefined = await work.tx('tenants').where({ id: tenantId }).first('settings');
  const text = row?.settings?.timerCycleMinimum ?? DEFAULT_CYCLE_MINIMUM;
  return { text, ms: cycleIntervalMs(text) };
}

/** Refuses (400 BPMN_INVALID) a definition whose literal timer cycles repeat more often than the tenant allows. */
export async function refuseShortCycles(work: Work, tenantId: string, definition: Definition): Promise<void> {
  const cycles = Object.values(definition.nodes).flatMap((node) => {
    const timer = node.event?.timer;
    return timer?.kind === 'cycle' && 'literal' in timer.value ? [{ elementId: node.id, text: timer.value.literal }] : [];
  });
  if (cycles.length === 0) return;
  const minimum = await cycleMinimum(work, tenantId);
  const short = cycles.filter((c) => cycleIntervalMs(parseCycle(c.text).every) < minimum.ms);
  if (short.length === 0) return;
  const problems = short.map((c) => ({
    elementId: c.elementId,
    message: `the timer cycle "${c.text}" of "${c.elementId}" repeats more often than the tenant's minimum interval ${minimum.text}`,
  }));
  throw badRequest('BPMN_INVALID', problems.map((p) => p.message).join('; '), problems);
}
