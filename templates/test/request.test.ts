// itsm-request: approval, rejection, automatic and group fulfilment, then the incident's life.
import { describe, expect, test } from 'vitest';
import { DAY, resolution, Ticket } from './driver.ts';

const start = (vars: Record<string, unknown>) =>
  Ticket.start('itsm-request', { ticket: { number: 'REQ0000001', type: 'request', catalogItem: 'software-install' }, ...vars });

describe('itsm-request', () => {
  test('approved, worked by the group, held, resolved, closed by the requester', async () => {
    const t = await start({ needsApproval: true, fulfilment: 'group' });
    expect(t.current).toBe('approval');
    t.act('approved').act('hold', { reason: 'awaiting_caller' }).act('resume').act('resolve', resolution(t.now, 'fulfilled')).act('close');
    expect(t.states()).toEqual(['new', 'approval', 'in_progress', 'on_hold', 'in_progress', 'resolved', 'closed']);
    expect(t.status).toBe('completed');
  });

  test('rejected ends it rejected', async () => {
    const t = await start({ needsApproval: true, fulfilment: 'group' });
    t.act('rejected');
    expect(t.states()).toEqual(['new', 'approval', 'rejected']);
    expect(t.status).toBe('completed');
  });

  test('without approval steps it is in progress at once', async () => {
    const t = await start({ needsApproval: false, fulfilment: 'group' });
    expect(t.states()).toEqual(['new', 'in_progress']);
  });

  test('a request the module did not say needs no approval waits for approval (fails closed)', async () => {
    const t = await start({ fulfilment: 'group' });
    expect(t.current).toBe('approval');
  });

  test('fulfilled automatically: the itsm.fulfil job resolves it, and it closes by itself', async () => {
    const t = await start({ needsApproval: false, fulfilment: 'auto' });
    expect(t.current).toBe('in_progress');
    expect(t.jobs('autoFulfil')).toHaveLength(1);
    t.completeJob('autoFulfil', resolution(t.now, 'fulfilled'));
    expect(t.current).toBe('resolved');
    t.advance(3 * DAY);
    expect(t.states()).toEqual(['new', 'in_progress', 'resolved', 'closed']);
    expect(t.status).toBe('completed');
  });

  test('automatic fulfilment that cannot be done (BPMN error FULFIL_FAILED) goes to the group', async () => {
    const t = await start({ needsApproval: false, fulfilment: 'auto' });
    t.throwError('autoFulfil', 'FULFIL_FAILED');
    expect(t.current).toBe('in_progress');
    expect(t.actions()).toEqual(['cancel', 'hold', 'resolve']);
    t.act('resolve', resolution(t.now, 'fulfilled')).act('reopen', { comment: 'not yet' });
    expect(t.current).toBe('in_progress');
    t.act('resolve', resolution(t.now, 'fulfilled')).act('close');
    expect(t.states()).toEqual(['new', 'in_progress', 'resolved', 'in_progress', 'resolved', 'closed']);
  });

  test('cancel while waiting for approval, or while in progress', async () => {
    const a = await start({ needsApproval: true });
    a.act('cancel', { reason: 'no longer needed' });
    expect(a.states()).toEqual(['new', 'approval', 'cancelled']);
    const b = await start({ needsApproval: false, fulfilment: 'group' });
    b.act('hold').act('cancel', { reason: 'no longer needed' });
    expect(b.states()).toEqual(['new', 'in_progress', 'on_hold', 'cancelled']);
    expect(b.status).toBe('completed');
  });
});
