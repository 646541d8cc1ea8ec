// The module's rows and their API shapes.
import type { LocalizedTemplate, Notification, NotificationRule } from '@serviceloom/contracts';

export interface NotificationRow {
  tenant_id: string;
  id: string;
  user_id: string;
  event: string;
  ticket: string | null;
  title: string;
  body: string;
  read: boolean;
  created_at: Date | string;
}

export const notificationOf = (r: NotificationRow): Notification => ({
  id: r.id,
  event: r.event,
  ticket: r.ticket,
  title: r.title,
  body: r.body,
  read: r.read,
  createdAt: new Date(r.created_at).toISOString(),
});

export interface RuleRow {
  tenant_id: string;
  id: string;
  event: string;
  condition: string | null;
  channel: string;
  recipients: string[];
  template: LocalizedTemplate | null;
}

export const ruleOf = (r: RuleRow): NotificationRule => ({
  id: r.id,
  event: r.event,
  condition: r.condition,
  channel: r.channel,
  recipients: r.recipients,
  template: r.template,
});

/** The channel id (or kind) that delivers a rule in-app instead of through the channels module. */
export const IN_APP = 'in-app';
