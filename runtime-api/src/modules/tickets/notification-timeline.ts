// The tickets' side of notification deliveries (the channels module sends them; it never reads
// tickets): each `notification.attempted { number, at, channel, status, attempt, error? }`
// becomes a `notification` entry in the ticket's timeline, without an actor (the system sent it).
import type { ModuleEvents } from '../../platform/outbox/module-events.ts';

export function notificationTimeline(moduleEvents: ModuleEvents): void {
  moduleEvents.on('notification.attempted', 'tickets.notification-timeline', async (work, tenantId, data) => {
    const { number, at, ...entry } = data as { number: string; at: string } & Record<string, unknown>;
    const ticket = await work.tx('tickets').where({ tenant_id: tenantId, number }).first('id');
    if (!ticket) return;
    await work.tx('ticket_timeline').insert({
      tenant_id: tenantId,
      ticket_id: ticket.id,
      at,
      kind: 'notification',
      actor_id: null,
      actor_name: null,
      data: JSON.stringify(entry),
    });
    await moduleEvents.emit(work, 'ticket.updated', { number, internal: false });
  });
}
