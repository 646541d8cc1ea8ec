// The notification rules and templates API as the admin tabs use it.
import type {
  CreateNotificationRuleBody,
  LocalizedTemplate,
  PreviewTemplateBody,
  UpdateNotificationRuleBody,
} from '@serviceloom/contracts';
import { api } from '../../api.ts';

type EventName = CreateNotificationRuleBody['event'];

export const notificationsApi = {
  rules: () => api.call('notificationRules.list'),
  createRule: (body: CreateNotificationRuleBody) => api.call('notificationRules.create', { body }),
  updateRule: (id: string, body: UpdateNotificationRuleBody) => api.call('notificationRules.update', { params: { id }, body }),
  deleteRule: (id: string) => api.call('notificationRules.delete', { params: { id } }),
  templates: () => api.call('notificationTemplates.list'),
  putTemplate: (event: EventName, template: LocalizedTemplate) =>
    api.call('notificationTemplates.put', { params: { event }, body: { template } }),
  resetTemplate: (event: EventName) => api.call('notificationTemplates.reset', { params: { event } }),
  preview: (body: PreviewTemplateBody) => api.call('notificationTemplates.preview', { body }),
};

/** The rule events (the contract's NOTIFICATION_EVENTS; listed here so the page does not load the schemas). */
export const RULE_EVENTS = [
  'ticket.created',
  'ticket.assigned',
  'ticket.state_changed',
  'ticket.commented',
  'ticket.urged',
  'approval.requested',
  'sla.warning',
  'sla.breached',
  'major.declared',
] as const satisfies readonly EventName[];

export const RECIPIENT_ROLES = ['requester', 'assignee', 'assignmentGroup', 'groupManager', 'watchers', 'approver'];

/** A template's form fields (`en.subject`, …) as the API's object: a language with both filled in, or none. */
export function templateOf(values: Record<string, { subject?: string; body?: string } | undefined>): LocalizedTemplate | null {
  const out: LocalizedTemplate = {};
  for (const locale of ['en', 'zh-CN'] as const) {
    const t = values[locale];
    if (t?.subject?.trim() && t.body?.trim()) out[locale] = { subject: t.subject, body: t.body };
  }
  return Object.keys(out).length ? out : null;
}
