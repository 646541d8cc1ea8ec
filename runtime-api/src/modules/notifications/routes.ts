// The module's routes: anyone signed in reads and marks their own notifications; tenant admins
// manage the rules and the templates.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CreateNotificationRuleBody,
  IdParams,
  NoContent,
  Notification,
  NotificationEventParams,
  NotificationList,
  NotificationQuery,
  NotificationRule,
  NotificationRuleList,
  NotificationTemplate,
  NotificationTemplateList,
  PreviewTemplateBody,
  PreviewTemplateReply,
  PutNotificationTemplateBody,
  ReadAllReply,
  UpdateNotificationRuleBody,
} from '@serviceloom/contracts';
import { ACCESS } from '../../platform/auth/roles.ts';
import { errors } from '../../platform/schemas/common.ts';
import type { Inbox } from './inbox.ts';
import type { RuleService } from './rules.ts';

export interface NotificationRoutesOptions {
  inbox: Inbox;
  rules: RuleService;
}

const routes: FastifyPluginAsyncTypebox<NotificationRoutesOptions> = async (app, { inbox, rules }) => {
  const anyUser = { roles: ACCESS.anyUser };
  const admin = { roles: ACCESS.tenantAdmin };
  const tags = ['notifications'];

  app.get(
    '/api/v1/notifications',
    {
      config: anyUser,
      schema: {
        summary: 'Your in-app notifications, newest first (`unread=true`: only unread), with the unread count',
        tags,
        querystring: NotificationQuery,
        response: { 200: NotificationList, ...errors(400, 401) },
      },
    },
    async (request) => inbox.list(request.principal, request.query),
  );

  app.post(
    '/api/v1/notifications/:id/read',
    {
      config: anyUser,
      schema: {
        summary: 'Mark one of your notifications read (anyone else’s is 404)',
        tags,
        params: IdParams,
        response: { 200: Notification, ...errors(401, 404) },
      },
    },
    async (request) => inbox.read(request.principal, request.params.id),
  );

  app.post(
    '/api/v1/notifications/read-all',
    {
      config: anyUser,
      schema: { summary: 'Mark all your notifications read', tags, response: { 200: ReadAllReply, ...errors(401) } },
    },
    async (request) => inbox.readAll(request.principal),
  );

  app.get(
    '/api/v1/itsm/notification-rules',
    { config: admin, schema: { summary: 'The notification rules', tags, response: { 200: NotificationRuleList, ...errors(401, 403) } } },
    async (request) => rules.list(request.principal),
  );

  app.post(
    '/api/v1/itsm/notification-rules',
    {
      config: admin,
      schema: {
        summary: 'Add a notification rule: event, FEEL condition over the ticket, channel (or in-app), recipients, template',
        tags,
        body: CreateNotificationRuleBody,
        response: { 201: NotificationRule, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(await rules.create(request.principal, request.body)),
  );

  app.get(
    '/api/v1/itsm/notification-rules/:id',
    {
      config: admin,
      schema: { summary: 'One notification rule', tags, params: IdParams, response: { 200: NotificationRule, ...errors(401, 403, 404) } },
    },
    async (request) => rules.get(request.principal, request.params.id),
  );

  app.put(
    '/api/v1/itsm/notification-rules/:id',
    {
      config: admin,
      schema: {
        summary: 'Replace a notification rule',
        tags,
        params: IdParams,
        body: UpdateNotificationRuleBody,
        response: { 200: NotificationRule, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => rules.update(request.principal, request.params.id, request.body),
  );

  app.delete(
    '/api/v1/itsm/notification-rules/:id',
    {
      config: admin,
      schema: { summary: 'Delete a notification rule', tags, params: IdParams, response: { 204: NoContent, ...errors(401, 403, 404) } },
    },
    async (request, reply) => {
      await rules.remove(request.principal, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/itsm/notification-templates',
    {
      config: admin,
      schema: {
        summary: 'Each event’s message: the tenant’s own wording (null: the default) and the default',
        tags,
        response: { 200: NotificationTemplateList, ...errors(401, 403) },
      },
    },
    async (request) => rules.templates(request.principal),
  );

  app.put(
    '/api/v1/itsm/notification-templates/:event',
    {
      config: admin,
      schema: {
        summary: 'Set the tenant’s wording of an event’s message (used by built-in notifications and rules without a template)',
        tags,
        params: NotificationEventParams,
        body: PutNotificationTemplateBody,
        response: { 200: NotificationTemplate, ...errors(400, 401, 403) },
      },
    },
    async (request) => rules.putTemplate(request.principal, request.params.event, request.body.template),
  );

  app.delete(
    '/api/v1/itsm/notification-templates/:event',
    {
      config: admin,
      schema: {
        summary: 'Back to the default wording of an event’s message',
        tags,
        params: NotificationEventParams,
        response: { 200: NotificationTemplate, ...errors(400, 401, 403) },
      },
    },
    async (request) => rules.resetTemplate(request.principal, request.params.event),
  );

  app.post(
    '/api/v1/itsm/notification-templates/preview',
    {
      config: admin,
      schema: {
        summary: 'Render a template (or the event’s current wording) for a ticket (a sample one without `ticket`), in both languages',
        tags,
        body: PreviewTemplateBody,
        response: { 200: PreviewTemplateReply, ...errors(400, 401, 403) },
      },
    },
    async (request) => rules.preview(request.principal, request.body),
  );
};

export default routes;
