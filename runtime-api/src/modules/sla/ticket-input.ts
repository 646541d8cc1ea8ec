// What the SLA module knows of a ticket: the `sla.ticket` event the tickets module sends with
// every change (modules/tickets/sla-view.ts), and the FEEL context a policy's condition sees.
export interface TicketInput {
  ticketId: string;
  number: string;
  type: string;
  state: string;
  priority: number;
  impact: number;
  urgency: number;
  symptom: string | null;
  category: string | null;
  subcategory: string | null;
  catalogItem: string | null;
  serviceId: string | null;
  /** The service's class once a CMDB names one; null until then (class 3 to the conditions). */
  serviceClass: number | null;
  ciId: string | null;
  major: boolean;
  assigneeId: string | null;
  assignmentGroupId: string | null;
  openedAt: string;
  respondedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  fields: Record<string, unknown>;
}

/** The ticket as a condition reads it: `priority = 1`, `symptom = "slow" and service.serviceClass = 1`. */
export function feelContextOf(t: Partial<TicketInput> & Record<string, unknown>): Record<string, unknown> {
  const service = t.service as { id?: string; serviceClass?: number } | undefined;
  return {
    type: t.type ?? null,
    state: t.state ?? 'new',
    priority: t.priority ?? null,
    impact: t.impact ?? null,
    urgency: t.urgency ?? null,
    symptom: t.symptom ?? null,
    category: t.category ?? null,
    subcategory: t.subcategory ?? null,
    catalogItem: t.catalogItem ?? null,
    major: t.major ?? false,
    ci: t.ciId ?? null,
    fields: t.fields ?? {},
    service: {
      id: t.serviceId ?? service?.id ?? null,
      serviceClass: t.serviceClass ?? service?.serviceClass ?? 3,
    },
  };
}
