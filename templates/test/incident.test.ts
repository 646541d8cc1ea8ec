// itsm-incident along each documented path: the states entered, in order, and how it ends.
import { describe, expect, test } from 'vitest';
import { DAY, MINUTE, resolution, Ticket } from './driver.ts';

const start = () => Ticket.start('itsm-incident', { ticket: { number: 'INC0000001', type: 'incident', priority: 3 } });

describe('itsm-incident', () => {
  test('new, start, hold, resume, resolve, close', async () => {
    const t = await start();
    t.act('start').act('hold', { reason: 'awaiting_caller', note: 'asked' }).act('resume').act('resolve', resolution(t.now)).act('close');
    expect(t.states()).toEqual(['new', 'in_progress', 'on_hold', 'in_progress', 'resolved', 'closed']);
    expect(t.status).toBe('completed');
  });

  test('resolved straight from new, and from on hold', async () => {
    const a = await start();
    a.act('resolve', resolution(a.now, 'duplicate')).act('close');
    expect(a.states()).toEqual(['new', 'resolved', 'closed']);
    const b = await start();
    b.act('start').act('hold', { reason: 'awaiting_vendor' }).act('resolve', resolution(b.now)).act('close');
    expect(b.states()).toEqual(['new', 'in_progress', 'on_hold', 'resolved', 'closed']);
  });

  test('reopen goes back to in progress (not new), and the ticket can be resolved again', async () => {
    const t = await start();
    t.act('resolve', resolution(t.now)).act('reopen', { comment: 'still broken' });
    expect(t.current).toBe('in_progress');
    expect(t.actions()).toContain('hold');
    t.act('resolve', resolution(t.now)).act('close');
    expect(t.states()).toEqual(['new', 'resolved', 'in_progress', 'resolved', 'closed']);
  });

  test('closes by itself at autoCloseAt unless reopened first', async () => {
    const t = await start();
    t.act('start').act('resolve', resolution(t.now));
    t.advance(3 * DAY - MINUTE);
    expect(t.current).toBe('resolved');
    t.advance(MINUTE);
    expect(t.states()).toEqual(['new', 'in_progress', 'resolved', 'closed']);
    expect(t.status).toBe('completed');

    const r = await start();
    r.act('resolve', resolution(r.now));
    r.advance(DAY).act('reopen', { comment: 'no' });
    r.advance(5 * DAY); // the first resolution's timer is gone with the reopen
    expect(r.current).toBe('in_progress');
    r.act('resolve', resolution(r.now));
    r.advance(3 * DAY);
    expect(r.states()).toEqual(['new', 'resolved', 'in_progress', 'resolved', 'closed']);
  });

  test('a resolution without autoCloseAt raises a fault on the auto-close timer; close and reopen still work', async () => {
    const t = await start();
    t.act('resolve', { closeCode: 'solved', resolutionNotes: 'x' });
    expect(Object.values(t.state.faults).map((f) => f.trigger)).toEqual(['autoClose']);
    expect(t.actions()).toEqual(['close', 'reopen']);
    t.act('close');
    expect(t.current).toBe('closed');
  });

  test('cancel from new, in progress or on hold ends it cancelled', async () => {
    for (const path of [[], ['start'], ['start', 'hold']]) {
      const t = await start();
      for (const a of path) t.act(a);
      t.act('cancel', { reason: 'raised by mistake' });
      expect(t.current).toBe('cancelled');
      expect(t.status).toBe('terminated'); // a terminate end: nothing of the ticket's work stays open
    }
  });

  describe('major incident', () => {
    test('updates every 30 minutes without blocking, then the review after the resolution', async () => {
      const t = await start();
      t.act('start').act('declare-major', { reason: 'whole site down' });
      expect(t.tasks('major-comms')).toHaveLength(1);
      t.advance(30 * MINUTE);
      expect(t.tasks('major-comms')).toHaveLength(2); // the first one still open does not hold the next
      t.completeTask('major-comms', { summary: 'working on it' });
      t.advance(30 * MINUTE);
      expect(t.tasks('major-comms')).toHaveLength(2);
      expect(t.current).toBe('in_progress'); // the procedure changes no state

      t.act('resolve', resolution(t.now));
      expect(t.current).toBe('resolved');
      t.act('major-resolved');
      expect(t.tasks('major-comms')).toHaveLength(0);
      t.advance(2 * 30 * MINUTE);
      expect(t.tasks('major-comms')).toHaveLength(0);
      expect(t.tasks('major-pir')).toHaveLength(1);
      t.act('close');
      expect(t.status).toBe('active'); // the review is still open after the ticket closed
      t.completeTask('major-pir', { rootCause: 'disk', improvements: 'alerting' });
      expect(t.status).toBe('completed');
      expect(t.states()).toEqual(['new', 'in_progress', 'resolved', 'closed']);
    });

    test('declaring again does not start a second procedure', async () => {
      const t = await start();
      t.act('declare-major', { reason: 'p1' }).act('declare-major', { reason: 'again' });
      expect(t.tasks('major-comms')).toHaveLength(1);
      t.advance(30 * MINUTE);
      expect(t.tasks('major-comms')).toHaveLength(2);
    });

    test('cancelling a major incident ends its updates too', async () => {
      const t = await start();
      t.act('declare-major', { reason: 'p1' }).act('cancel', { reason: 'false alarm' });
      expect(t.status).toBe('terminated');
      expect(t.tasks()).toHaveLength(0);
      expect(t.current).toBe('cancelled');
    });
  });
});
