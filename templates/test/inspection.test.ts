// itsm-inspection: started by its daily timer; each failed item raises an incident (job itsm.create-incident).
import { startTimerSchedule } from '@serviceloom/engine';
import { describe, expect, test } from 'vitest';
import { definitionOf, T0, Ticket } from './driver.ts';

describe('itsm-inspection', () => {
  test('a daily timer start', async () => {
    const def = await definitionOf('itsm-inspection');
    const timer = def.starts.find((s) => s.kind === 'timer');
    expect(timer?.eventId).toBe('daily');
    const first = startTimerSchedule(timer?.timer as Parameters<typeof startTimerSchedule>[0], T0);
    expect(first.every).toBe('P1D');
    expect(first.dueAt.endsWith('T01:00:00.000Z')).toBe(true);
  });

  test('all passed: the checklist ends it, no incident', async () => {
    const t = await Ticket.start('itsm-inspection', {}, 'daily');
    expect(t.tasks('checklist')).toHaveLength(1);
    t.completeTask('checklist', { items: [{ check: 'Backups', result: 'ok' }] });
    expect(t.jobs()).toHaveLength(0);
    expect(t.status).toBe('completed');
  });

  test('each failed item raises one incident, with the item', async () => {
    const t = await Ticket.start('itsm-inspection', {}, 'daily');
    t.completeTask('checklist', {
      items: [
        { check: 'Backups', ci: 'db-1', result: 'failed', note: 'last night failed' },
        { check: 'Disk', ci: 'app-1', result: 'ok' },
        { check: 'Certificates', ci: 'web-1', result: 'failed' },
      ],
    });
    const jobs = t.jobs('raiseIncidents');
    expect(jobs.map((j) => j.jobType)).toEqual(['itsm.create-incident', 'itsm.create-incident']);
    const cis = jobs.map((j) => (t.state.elements[j.owner]?.vars?.failedItem as { ci: string } | undefined)?.ci);
    expect(cis.sort()).toEqual(['db-1', 'web-1']);
    for (let i = 0; i < 2; i++) t.completeJob('raiseIncidents', { incident: `INC000000${i + 1}` });
    expect(t.status).toBe('completed');
  });
});
