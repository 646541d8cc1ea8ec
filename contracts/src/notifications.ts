// Notifications: a person's in-app notifications (list, read, a live stream), and the tenant's
// notification rules and templates (what is told to whom, over which channel, in which words).
import { type Static, Type } from 'typebox';
import { Nullable } from './common.ts';

export const NOTIFICATION_EVENTS = [
  'ticket.created',
  'ticket.assigned',
  'ticket.state_changed',
  'ticket.commented',
  'ticket.urged',
  'approval.requested',
  'sla.warning',
  'sla.breached',
  'major.declared',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];
const EventName = Type.Union(
  [
    Type.Literal('ticket.created'),
    Type.Literal('ticket.assigned'),
    Type.Literal('ticket.state_changed'),
    Type.Literal('ticket.commented'),
    Type.Literal('ticket.urged'),
    Type.Literal('approval.requested'),
    Type.Literal('sla.warning'),
    Type.Literal('sla.breached'),
    Type.Literal('major.declared'),
  ],
  { description: NOTIFICATION_EVENTS.join(', ') },
);

export const Notification = Type.Object({
  id: Type.String(),
  event: Type.String({ description: 'what happened, e.g. sla.breached, ticket.urged, approval.reminder' }),
  ticket: Nullable(Type.String({ description: 'the ticket number' })),
  title: Type.String(),
  body: Type.String(),
  read: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type Notification = Static<typeof Notification>;

export const NotificationList = Type.Object({ items: Type.Array(Notification), unread: Type.Integer({ description: 'unread in all' }) });
export type NotificationList = Static<typeof NotificationList>;

export const NotificationQuery = Type.Object(
  {
    unread: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { description: 'true: only the unread ones' })),
    limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,2}$', description: 'at most 200 (default 50), newest first' })),
  },
  { additionalProperties: false },
);
export type NotificationQuery = Static<typeof NotificationQuery>;

export const ReadAllReply = Type.Object({ read: Type.Integer({ description: 'how many were marked read' }) });

export const NotificationStreamQuery = Type.Object(
  {
    access_token: Type.Optional(
      Type.String({ maxLength: 4096, description: 'the access token, for EventSource (instead of the Bearer header)' }),
    ),
  },
  { additionalProperties: false },
);

/** The stream itself: `text/event-stream`, `event: notification` with a Notification as data. */
export const NotificationEventStream = Type.Unsafe<string>({
  type: 'string',
  description: 'text/event-stream: `event: notification` with a notification `{ id, event, ticket, title, body, read, createdAt }` as data',
});

// -----------------------------------------------------------------------------------------------
// Rules and templates

export const MessageTemplate = Type.Object(
  { subject: Type.String({ minLength: 1, maxLength: 500 }), body: Type.String({ minLength: 1, maxLength: 10_000 }) },
  { additionalProperties: false },
);
export type MessageTemplate = Static<typeof MessageTemplate>;

export const LocalizedTemplate = Type.Object(
  { en: Type.Optional(MessageTemplate), 'zh-CN': Type.Optional(MessageTemplate) },
  {
    additionalProperties: false,
    description:
      'picked by each recipient’s locale (en when that one is missing); placeholders {{ticket.number}}, {{ticket.title}}, {{ticket.priority}}, {{ticket.state}}, {{actor}}, {{event}}, {{data.<name>}}',
  },
);
export type LocalizedTemplate = Static<typeof LocalizedTemplate>;

export const RECIPIENT_PATTERN =
  '^(requester|assignee|assignmentGroup|groupManager|watchers|approver|group:[A-Za-z0-9][A-Za-z0-9._-]{0,99}|user:.{1,200})$';
const Recipient = Type.String({
  pattern: RECIPIENT_PATTERN,
  description: 'requester, assignee, assignmentGroup, groupManager, watchers, approver (approval.requested), group:<id> or user:<username>',
});

const RuleFields = {
  event: EventName,
  condition: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 2000, description: 'FEEL over the ticket' }))),
  channel: Type.String({ minLength: 1, maxLength: 100, description: 'a channel id, or in-app' }),
  recipients: Type.Array(Recipient, { minItems: 1, maxItems: 50 }),
  template: Type.Optional(Nullable(LocalizedTemplate)),
};

const RuleId = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$', description: 'Letters, digits, _ . - (at most 100)' });

export const CreateNotificationRuleBody = Type.Object({ id: RuleId, ...RuleFields }, { additionalProperties: false });
export type CreateNotificationRuleBody = Static<typeof CreateNotificationRuleBody>;
export const UpdateNotificationRuleBody = Type.Object(RuleFields, { additionalProperties: false });
export type UpdateNotificationRuleBody = Static<typeof UpdateNotificationRuleBody>;

export const NotificationRule = Type.Object({
  id: Type.String(),
  event: Type.String(),
  condition: Nullable(Type.String()),
  channel: Type.String(),
  recipients: Type.Array(Type.String()),
  template: Nullable(LocalizedTemplate),
});
export type NotificationRule = Static<typeof NotificationRule>;
export const NotificationRuleList = Type.Array(NotificationRule);

const RenderedMessage = Type.Object({ subject: Type.String(), body: Type.String() });
const RenderedLocales = Type.Object({ en: RenderedMessage, 'zh-CN': RenderedMessage });

export const NotificationTemplate = Type.Object({
  event: Type.String(),
  template: Nullable(LocalizedTemplate),
  defaults: RenderedLocales,
});
export type NotificationTemplate = Static<typeof NotificationTemplate>;
export const NotificationTemplateList = Type.Array(NotificationTemplate);

export const NotificationEventParams = Type.Object({ event: EventName }, { additionalProperties: false });
export const PutNotificationTemplateBody = Type.Object({ template: LocalizedTemplate }, { additionalProperties: false });
export type PutNotificationTemplateBody = Static<typeof PutNotificationTemplateBody>;

export const PreviewTemplateBody = Type.Object(
  {
    event: EventName,
    ticket: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'a ticket number; a sample ticket without one' })),
    template: Type.Optional(Nullable(LocalizedTemplate)),
  },
  { additionalProperties: false },
);
export type PreviewTemplateBody = Static<typeof PreviewTemplateBody>;
export const PreviewTemplateReply = RenderedLocales;
export type PreviewTemplateReply = Static<typeof PreviewTemplateReply>;
