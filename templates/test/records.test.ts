// itsm-problem, itsm-change, itsm-release and itsm-knowledge along each documented path.
import { describe, expect, test } from 'vitest';
import { Ticket } from './driver.ts';

describe('itsm-problem', () => {
  const start = () => Ticket.start('itsm-problem', { ticket: { number: 'PRB0000001', type: 'problem' } });

  test('assess, root cause analysis (known error, change raised), fix, resolve, close', async () => {
    const t = await start();
    t.act('assess').act('start-rca').act('known-error', { cause: 'leak', workaround: 'restart' });
    expect(t.current).toBe('root_cause_analysis');
    t.act('raise-change', { title: 'patch', changeType: 'normal' }).act('start-fix').act('known-error', { cause: 'c', workaround: 'w' });
    expect(t.current).toBe('fix_in_progress');
    t.act('resolve', { closeCode: 'fix_applied', resolutionNotes: 'patched' }).act('close');
    expect(t.states()).toEqual(['new', 'assess', 'root_cause_analysis', 'fix_in_progress', 'resolved', 'closed']);
    expect(t.status).toBe('completed');
  });

  test('resolved early (duplicate) from new', async () => {
    const t = await start();
    t.act('resolve', { closeCode: 'duplicate', resolutionNotes: 'see PRB0000002' }).act('close');
    expect(t.states()).toEqual(['new', 'resolved', 'closed']);
  });
});

describe('itsm-change', () => {
  const start = (changeType: string) => Ticket.start('itsm-change', { ticket: { number: 'CHG0000001', type: 'change', changeType } });
  const finish = (t: Ticket) => t.act('implement').act('review', { closeCode: 'successful', notes: 'ok' }).act('close');

  test('normal: assess, authorise (CAB), schedule, implement, review, close', async () => {
    const t = await start('normal');
    t.act('schedule', { plannedStart: '2026-03-10T20:00:00Z', plannedEnd: '2026-03-10T22:00:00Z' });
    t.act('submit').act('request-authorization').act('approved');
    finish(t);
    expect(t.states()).toEqual(['new', 'assess', 'authorize', 'scheduled', 'implement', 'review', 'closed']);
    expect(t.status).toBe('completed');
  });

  test('normal, rejected: back to new, then resubmitted', async () => {
    const t = await start('normal');
    t.act('submit').act('request-authorization').act('rejected');
    expect(t.current).toBe('new');
    t.act('submit').act('request-authorization').act('approved');
    finish(t);
    expect(t.states()).toEqual(['new', 'assess', 'authorize', 'new', 'assess', 'authorize', 'scheduled', 'implement', 'review', 'closed']);
  });

  test('standard (pre-approved): straight to scheduled', async () => {
    const t = await start('standard');
    t.act('submit');
    finish(t);
    expect(t.states()).toEqual(['new', 'scheduled', 'implement', 'review', 'closed']);
  });

  test('emergency: authorised by ECAB without assessment', async () => {
    const t = await start('emergency');
    t.act('submit').act('approved');
    finish(t);
    expect(t.states()).toEqual(['new', 'authorize', 'scheduled', 'implement', 'review', 'closed']);
  });

  test('cancel before implementation', async () => {
    const t = await start('normal');
    t.act('submit').act('request-authorization').act('cancel', { reason: 'obsolete' });
    expect(t.states()).toEqual(['new', 'assess', 'authorize', 'cancelled']);
    expect(t.status).toBe('completed');
  });

  test('schedule moves the dates in any state before implement, without changing the state', async () => {
    const t = await start('standard');
    t.act('submit').act('schedule', { plannedStart: '2026-03-11T20:00:00Z' }).act('schedule', { plannedStart: '2026-03-12T20:00:00Z' });
    expect(t.current).toBe('scheduled');
    t.act('implement');
    expect(t.actions()).toEqual(['review']);
  });
});

describe('itsm-release', () => {
  const start = () => Ticket.start('itsm-release', { ticket: { number: 'RLS0000001', type: 'release' } });

  test('planning, build, test, deploy (the delivery job answers 2xx), review, close', async () => {
    const t = await start();
    t.act('build').act('test').act('deploy');
    expect(t.jobs('deploy')).toHaveLength(1);
    t.completeJob('deploy', { status: 200 });
    t.act('close');
    expect(t.states()).toEqual(['planning', 'build', 'test', 'deploy', 'review', 'closed']);
    expect(t.status).toBe('completed');
  });

  test('deployed by hand: review while the delivery job waits cancels the job', async () => {
    const t = await start();
    t.act('build').act('test').act('deploy').act('review');
    expect(t.jobs()).toHaveLength(0);
    expect(t.current).toBe('review');
  });

  test('cancelled during build', async () => {
    const t = await start();
    t.act('build').act('cancel', { reason: 'scope dropped' });
    expect(t.states()).toEqual(['planning', 'build', 'cancelled']);
  });
});

describe('itsm-knowledge', () => {
  const start = () => Ticket.start('itsm-knowledge', { article: { id: 'KB1' } });

  test('draft, review, rejected back to draft, review, published, retired', async () => {
    const t = await start();
    t.act('submit').act('reject', { comment: 'add steps' }).act('submit').act('approve').act('retire');
    expect(t.states()).toEqual(['draft', 'review', 'draft', 'review', 'published', 'retired']);
    expect(t.status).toBe('completed');
  });
});
