// Keeps each ticket's state in step with its process: when a step enters an element carrying
// `sl:state`, the ticket takes that state in the same transaction (the statements go out with the
// step's own writes), with a `state` entry in its timeline. Entering `resolved` stamps resolvedAt,
// and `closed` or `cancelled` closedAt, whoever caused the step: an action, a timer (auto-close)
// or an automated path of the flow.
import type { Statement } from '../../platform/db/batch.ts';
import type { Work } from '../../platform/db/transactions.ts';
import type { ModuleEvents } from '../../platform/outbox/module-events.ts';
import type { ObservedStep, StepObserver } from '../../process/port.ts';

const CLOSING = ['closed', 'cancelled'];

/**
 * The observer, and the module event it writes with each such step: `ticket.state_changed`
 * `{ number, states, to }` (the states entered, in order), for the modules that follow tickets.
 */
export const ticketStateSync = (moduleEvents: ModuleEvents): StepObserver => ({
  events(work: Work, step: ObservedStep) {
    if (!step.businessKey) return [];
    const to = step.states[step.states.length - 1] as string;
    return moduleEvents.pending(work, 'ticket.state_changed', { number: step.businessKey, states: step.states, to });
  },
  onStep(work: Work, step: ObservedStep): Statement[] {
    const to = step.states[step.states.length - 1] as string;
    const resolved = step.states.includes('resolved');
    const closing = step.states.some((s) => CLOSING.includes(s));
    const at = new Date(work.now).toISOString();
    // One statement: the ticket's state before (locked), the update, and the timeline entry.
    return [
      work.tx.raw(
        `WITH before AS (
           SELECT id, state FROM tickets WHERE tenant_id = ? AND process_instance_id = ? FOR UPDATE
         ), updated AS (
           UPDATE tickets t SET state = ?, updated_at = ?,
             resolved_at = CASE WHEN ? THEN coalesce(t.resolved_at, ?::timestamptz) ELSE t.resolved_at END,
             closed_at = CASE WHEN ? THEN coalesce(t.closed_at, ?::timestamptz) ELSE t.closed_at END
           FROM before b WHERE t.id = b.id AND b.state <> ?
           RETURNING t.id, b.state AS from_state
         )
         INSERT INTO ticket_timeline (tenant_id, ticket_id, at, kind, actor_id, actor_name, data)
         SELECT ?, u.id, ?, 'state', (SELECT id FROM users WHERE tenant_id = ? AND username = ?), ?::text,
                jsonb_build_object('from', u.from_state, 'to', ?::text)
         FROM updated u`,
        [
          step.tenantId,
          step.instanceId,
          to,
          at,
          resolved,
          at,
          closing,
          at,
          to,
          step.tenantId,
          at,
          step.tenantId,
          step.actor ?? null,
          step.actor ?? null,
          to,
        ],
      ),
    ];
  },
});
