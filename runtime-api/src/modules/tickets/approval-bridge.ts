// The tickets' side of approvals (the catalog module decides them; it never reads tickets):
//
// - When a ticket enters `approval` (a request) or `authorize` (a change), `ticket.approval_needed
//   { number, instanceId, type, title, catalogItem, changeType, requesterId, fields }` tells the
//   approvals what they need of it. Written by a subscriber of the tickets' own
//   `ticket.state_changed`, after the step committed, and only if the ticket is still there.
// - Each `approval.changed { number, at, event, ... }` becomes an `approval` entry in the
//   ticket's timeline (requested, approved, rejected, escalated, reminded, skipped), with who
//   decided (`by`) as its actor.
import type { ModuleEvents } from '../../platform/outbox/module-events.ts';

const APPROVAL_STATES = ['approval', 'authorize'];

export function approvalBridge(moduleEvents: ModuleEvents): void {
  moduleEvents.on('ticket.state_changed', 'tickets.approval-needed', async (work, tenantId, data) => {
    const to = data.to as string;
    if (!APPROVAL_STATES.includes(to)) return;
    const row = await work
      .tx('tickets')
      .where({ tenant_id: tenantId, number: data.number as string })
      .first('number', 'state', 'type', 'title', 'catalog_item', 'change_type', 'requester_id', 'fields', 'process_instance_id');
    if (!row || row.state !== to || !row.process_instance_id) return;
    await moduleEvents.emit(work, 'ticket.approval_needed', {
      number: row.number,
      instanceId: row.process_instance_id,
      type: row.type,
      title: row.title,
      catalogItem: row.catalog_item,
      changeType: row.change_type,
      requesterId: row.requester_id,
      fields: row.fields ?? {},
    });
  });

  moduleEvents.on('approval.changed', 'tickets.timeline', async (work, tenantId, data) => {
    const { number, at, by, ...entry } = data as { number: string; at: string; by?: string } & Record<string, unknown>;
    const ticket = await work.tx('tickets').where({ tenant_id: tenantId, number }).first('id');
    if (!ticket) return;
    const actor = by ? await work.tx('users').where({ tenant_id: tenantId, username: by }).first('id') : undefined;
    await work.tx('ticket_timeline').insert({
      tenant_id: tenantId,
      ticket_id: ticket.id,
      at,
      kind: 'approval',
      actor_id: actor?.id ?? null,
      actor_name: by ?? null,
      data: JSON.stringify(entry),
    });
    await moduleEvents.emit(work, 'ticket.updated', { number, internal: false });
  });
}
