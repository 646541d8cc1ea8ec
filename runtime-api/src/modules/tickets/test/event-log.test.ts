// The replay plan of the incident event log: which actions a history of rows becomes.
import { describe, expect, it } from 'vitest';
import { consistent, planOf, readEventLog } from './event-log.ts';

const HEADER =
  'number,incident_state,reassignment_count,reopen_count,caller_id,opened_by,opened_at,sys_updated_by,sys_updated_at,category,subcategory,impact,urgency,assignment_group,resolved_at,closed_at';
const row = (state: string, at: string, by: string, group: string, counts = '0,0', resolved = '?', closed = '?') =>
  `INC0000001,${state},${counts},Caller 7,Opened by  3,01-03-2016 09:00,Updated by ${by},${at},Category 1,?,2 - Medium,3 - Low,${group},${resolved},${closed}`;

describe('the replay plan of an incident', () => {
  it('turns each row’s state change into the flow’s action, by the row’s updater at its time', () => {
    const csv = [
      HEADER,
      row('New', '01-03-2016 09:05', '1', 'Group 1'),
      row('Active', '01-03-2016 10:00', '2', 'Group 2', '1,0'),
      row('Awaiting User Info', '01-03-2016 11:00', '2', 'Group 2', '1,0'),
      row('Awaiting Vendor', '01-03-2016 12:00', '2', 'Group 2', '1,0'),
      row('Resolved', '02-03-2016 08:00', '2', 'Group 2', '1,0', '02-03-2016 08:00'),
      row('Active', '02-03-2016 09:00', '4', 'Group 2', '1,1'),
      row('Resolved', '02-03-2016 10:00', '2', 'Group 2', '1,1', '02-03-2016 10:00'),
      row('Closed', '07-03-2016 11:00', '908', 'Group 2', '1,1', '02-03-2016 10:00', '07-03-2016 11:00'),
    ].join('\n');
    const plan = planOf(readEventLog(csv).get('INC0000001') ?? []);
    expect(plan.create).toEqual({
      actor: 'opened-by-3',
      body: expect.objectContaining({ requester: 'caller-7', assignmentGroup: 'group-1', impact: 2, urgency: 3, category: 'Category 1' }),
    });
    expect(plan.steps.map((s) => `${new Date(s.at).toISOString().slice(5, 16)} ${s.actor} ${s.action} ${JSON.stringify(s.body)}`)).toEqual([
      '03-01T10:00 updated-by-2 assign {"assignmentGroup":"group-2"}',
      '03-01T10:00 updated-by-2 start {}',
      '03-01T11:00 updated-by-2 hold {"reason":"awaiting_caller"}',
      '03-01T12:00 updated-by-2 resume {}',
      '03-01T12:00 updated-by-2 hold {"reason":"awaiting_vendor"}',
      `03-02T08:00 updated-by-2 resolve {"closeCode":"solved","resolutionNotes":"resolved as the log's INC0000001 (line 6)"}`,
      `03-02T09:00 updated-by-4 reopen {"comment":"reopened as the log's line 7"}`,
      `03-02T10:00 updated-by-2 resolve {"closeCode":"solved","resolutionNotes":"resolved as the log's INC0000001 (line 8)"}`,
      '03-07T11:00 updated-by-908 close {}',
    ]);
    expect(plan.expected).toEqual({
      state: 'closed',
      holdReason: null,
      resolvedAt: Date.UTC(2016, 2, 2, 10),
      closedAt: Date.UTC(2016, 2, 7, 11),
      reopenCount: 1,
      reassignmentCount: 1,
    });
    expect(plan.quirks).toEqual([]);
    expect(Object.values(consistent).every((agrees) => agrees(plan))).toBe(true);
  });

  it('names what the log says of itself that the flow cannot follow', () => {
    const csv = [
      HEADER,
      row('New', '01-03-2016 08:00', '1', 'Group 1'),
      row('New', '01-03-2016 09:30', '1', '?', '1,0'),
      row('Resolved', '01-03-2016 10:00', '2', '?', '1,0', '01-03-2016 10:30'),
      row('Resolved', '01-03-2016 10:30', '2', '?', '1,0', '01-03-2016 10:30'),
      row('Closed', '06-03-2016 11:00', '908', '?', '1,0', '01-03-2016 10:30', '06-03-2016 11:00'),
    ].join('\n');
    const plan = planOf(readEventLog(csv).get('INC0000001') ?? []);
    expect(plan.steps.map((s) => s.action)).toEqual(['resolve', 'close']);
    expect(plan.steps[0]?.at).toBe(Date.UTC(2016, 2, 1, 10));
    expect(plan.quirks).toEqual([
      'rows before opened_at (2016-03-01 09:00): taken at opened_at',
      'line 3: the group is cleared (Group 1 -> ?), which no action does; the ticket keeps Group 1',
      'resolved_at 2016-03-01 10:30 is a later save while resolved, not the resolution at 2016-03-01 10:00',
      'reassignment_count 1 (first row 0) against 0 visible moves between groups and 1 clearings: replay counts 0',
    ]);
    expect(consistent.resolvedAt(plan)).toBe(false);
    expect(consistent.reassignmentCount(plan)).toBe(false);
    expect(consistent.closedAt(plan)).toBe(true);
  });
});
