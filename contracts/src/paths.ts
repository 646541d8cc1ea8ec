// The core API's routes: each one's method and path template (`:name` marks a path parameter), and
// pathOf() to build a path from a route's name and parameters. This is the one place that spells
// out the API's paths; everything else (the client, the web app) builds them from here.
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export const API_PREFIX = '/api/v1';

export const ROUTES = {
  health: ['GET', '/health'],

  'auth.login': ['POST', '/api/v1/auth/login'],
  'auth.refresh': ['POST', '/api/v1/auth/refresh'],
  'auth.logout': ['POST', '/api/v1/auth/logout'],
  'auth.password': ['POST', '/api/v1/auth/password'],
  'auth.me': ['GET', '/api/v1/auth/me'],
  'auth.oidcLogin': ['GET', '/api/v1/auth/oidc/:tenant/:provider/login'],
  'auth.oidcCallback': ['GET', '/api/v1/auth/oidc/:tenant/:provider/callback'],
  'auth.oidcExchange': ['POST', '/api/v1/auth/oidc/exchange'],

  'identityProviders.create': ['POST', '/api/v1/identity-providers'],
  'identityProviders.list': ['GET', '/api/v1/identity-providers'],
  'identityProviders.get': ['GET', '/api/v1/identity-providers/:id'],
  'identityProviders.update': ['PATCH', '/api/v1/identity-providers/:id'],
  'identityProviders.delete': ['DELETE', '/api/v1/identity-providers/:id'],

  'tenants.create': ['POST', '/api/v1/tenants'],
  'tenants.list': ['GET', '/api/v1/tenants'],
  'tenants.get': ['GET', '/api/v1/tenants/:id'],
  'tenants.rename': ['PATCH', '/api/v1/tenants/:id'],
  'tenants.suspend': ['POST', '/api/v1/tenants/:id/suspend'],
  'tenants.resume': ['POST', '/api/v1/tenants/:id/resume'],
  'tenants.delete': ['DELETE', '/api/v1/tenants/:id'],
  'tenant.get': ['GET', '/api/v1/tenant'],
  'tenant.update': ['PATCH', '/api/v1/tenant'],
  'tenant.usage': ['GET', '/api/v1/tenant/usage'],

  'users.create': ['POST', '/api/v1/users'],
  'users.list': ['GET', '/api/v1/users'],
  'users.get': ['GET', '/api/v1/users/:id'],
  'users.update': ['PATCH', '/api/v1/users/:id'],
  'users.delete': ['DELETE', '/api/v1/users/:id'],

  'groups.create': ['POST', '/api/v1/groups'],
  'groups.list': ['GET', '/api/v1/groups'],
  'groups.get': ['GET', '/api/v1/groups/:id'],
  'groups.update': ['PATCH', '/api/v1/groups/:id'],
  'groups.delete': ['DELETE', '/api/v1/groups/:id'],
  'groups.addMember': ['PUT', '/api/v1/groups/:id/members/:userId'],
  'groups.removeMember': ['DELETE', '/api/v1/groups/:id/members/:userId'],

  'audit.list': ['GET', '/api/v1/audit'],

  'definitions.deploy': ['POST', '/api/v1/definitions'],
  'definitions.importCheck': ['POST', '/api/v1/definitions/import-check'],
  'definitions.list': ['GET', '/api/v1/definitions'],
  'definitions.versions': ['GET', '/api/v1/definitions/:key/versions'],
  'definitions.get': ['GET', '/api/v1/definitions/:id'],
  'definitions.suspend': ['POST', '/api/v1/definitions/:id/suspend'],
  'definitions.activate': ['POST', '/api/v1/definitions/:id/activate'],
  'definitions.suspendAll': ['POST', '/api/v1/definitions/:key/versions/suspend'],
  'definitions.activateAll': ['POST', '/api/v1/definitions/:key/versions/activate'],

  'drafts.list': ['GET', '/api/v1/definition-drafts'],
  'drafts.get': ['GET', '/api/v1/definitions/:key/draft'],
  'drafts.save': ['PUT', '/api/v1/definitions/:key/draft'],
  'drafts.delete': ['DELETE', '/api/v1/definitions/:key/draft'],

  'instances.start': ['POST', '/api/v1/process-instances'],
  'instances.list': ['GET', '/api/v1/process-instances'],
  'instances.get': ['GET', '/api/v1/process-instances/:id'],
  'instances.history': ['GET', '/api/v1/process-instances/:id/history'],
  'instances.cancel': ['POST', '/api/v1/process-instances/:id/cancel'],
  'instances.retryFault': ['POST', '/api/v1/process-instances/:id/faults/:faultId/retry'],
  'instances.cancelMatching': ['POST', '/api/v1/process-instances/cancel'],
  'instances.cancelBatch': ['GET', '/api/v1/process-instances/cancel-batches/:id'],

  'tasks.list': ['GET', '/api/v1/tasks'],
  'tasks.get': ['GET', '/api/v1/tasks/:id'],
  'tasks.claim': ['POST', '/api/v1/tasks/:id/claim'],
  'tasks.unclaim': ['POST', '/api/v1/tasks/:id/unclaim'],
  'tasks.complete': ['POST', '/api/v1/tasks/:id/complete'],
  'tasks.form': ['GET', '/api/v1/tasks/:id/form'],

  'forms.create': ['POST', '/api/v1/forms'],
  'forms.list': ['GET', '/api/v1/forms'],
  'forms.get': ['GET', '/api/v1/forms/:key'],
  'forms.saveDraft': ['PUT', '/api/v1/forms/:key/draft'],
  'forms.deleteDraft': ['DELETE', '/api/v1/forms/:key/draft'],
  'forms.publish': ['POST', '/api/v1/forms/:key/publish'],
  'forms.versions': ['GET', '/api/v1/forms/:key/versions'],
  'forms.version': ['GET', '/api/v1/forms/:key/versions/:version'],

  'attachments.upload': ['POST', '/api/v1/attachments'],
  'attachments.download': ['GET', '/api/v1/attachments/:id'],
  'attachments.info': ['GET', '/api/v1/attachments/:id/info'],

  'jobs.activate': ['POST', '/api/v1/jobs/activate'],
  'jobs.complete': ['POST', '/api/v1/jobs/:id/complete'],
  'jobs.fail': ['POST', '/api/v1/jobs/:id/fail'],
  'jobs.throwError': ['POST', '/api/v1/jobs/:id/throw-error'],

  'events.message': ['POST', '/api/v1/messages'],
  'events.signal': ['POST', '/api/v1/signals'],

  'tickets.create': ['POST', '/api/v1/tickets'],
  'tickets.list': ['GET', '/api/v1/tickets'],
  'tickets.get': ['GET', '/api/v1/tickets/:number'],
  'tickets.update': ['PATCH', '/api/v1/tickets/:number'],
  'tickets.comment': ['POST', '/api/v1/tickets/:number/comments'],
  'tickets.timeline': ['GET', '/api/v1/tickets/:number/timeline'],
  'tickets.act': ['POST', '/api/v1/tickets/:number/actions/:action'],
  'tickets.relate': ['POST', '/api/v1/tickets/:number/relations'],
  'tickets.unrelate': ['DELETE', '/api/v1/tickets/:number/relations/:kind/:other'],
  'tickets.watchers': ['GET', '/api/v1/tickets/:number/watchers'],
  'tickets.watch': ['POST', '/api/v1/tickets/:number/watchers/:userId'],
  'tickets.unwatch': ['DELETE', '/api/v1/tickets/:number/watchers/:userId'],
  'tickets.attachments': ['GET', '/api/v1/tickets/:number/attachments'],
  'tickets.attach': ['POST', '/api/v1/tickets/:number/attachments'],
  'tickets.attachment': ['GET', '/api/v1/tickets/:number/attachments/:id'],
  'tickets.import': ['POST', '/api/v1/tickets/import'],
  'tickets.stream': ['GET', '/api/v1/tickets/stream'],
  'itsm.settings': ['GET', '/api/v1/itsm/settings'],
  'itsm.updateSettings': ['PATCH', '/api/v1/itsm/settings'],
  'itsm.priorityMatrix': ['GET', '/api/v1/itsm/priority-matrix'],
  'itsm.setPriorityMatrix': ['PUT', '/api/v1/itsm/priority-matrix'],
  'itsmTemplates.list': ['GET', '/api/v1/itsm/templates'],
  'itsmTemplates.reset': ['POST', '/api/v1/itsm/templates/:key/reset'],
  'itsmTemplates.diff': ['GET', '/api/v1/itsm/templates/:key/diff'],

  'catalog.list': ['GET', '/api/v1/catalog'],
  'catalog.create': ['POST', '/api/v1/catalog'],
  'catalog.update': ['PUT', '/api/v1/catalog/:key'],
  'catalog.delete': ['DELETE', '/api/v1/catalog/:key'],
  'approvals.list': ['GET', '/api/v1/approvals'],
  'approvals.approve': ['POST', '/api/v1/approvals/:id/approve'],
  'approvals.reject': ['POST', '/api/v1/approvals/:id/reject'],

  'calendars.list': ['GET', '/api/v1/itsm/calendars'],
  'calendars.create': ['POST', '/api/v1/itsm/calendars'],
  'calendars.get': ['GET', '/api/v1/itsm/calendars/:id'],
  'calendars.update': ['PUT', '/api/v1/itsm/calendars/:id'],
  'calendars.delete': ['DELETE', '/api/v1/itsm/calendars/:id'],
  'slaPolicies.list': ['GET', '/api/v1/itsm/sla-policies'],
  'slaPolicies.create': ['POST', '/api/v1/itsm/sla-policies'],
  'slaPolicies.get': ['GET', '/api/v1/itsm/sla-policies/:id'],
  'slaPolicies.update': ['PUT', '/api/v1/itsm/sla-policies/:id'],
  'slaPolicies.delete': ['DELETE', '/api/v1/itsm/sla-policies/:id'],
  'slaPolicies.preview': ['POST', '/api/v1/itsm/sla-policies/preview'],
  'notifications.list': ['GET', '/api/v1/notifications'],
  'notifications.read': ['POST', '/api/v1/notifications/:id/read'],
  'notifications.readAll': ['POST', '/api/v1/notifications/read-all'],
  'notifications.stream': ['GET', '/api/v1/notifications/stream'],
  'notificationRules.list': ['GET', '/api/v1/itsm/notification-rules'],
  'notificationRules.create': ['POST', '/api/v1/itsm/notification-rules'],
  'notificationRules.get': ['GET', '/api/v1/itsm/notification-rules/:id'],
  'notificationRules.update': ['PUT', '/api/v1/itsm/notification-rules/:id'],
  'notificationRules.delete': ['DELETE', '/api/v1/itsm/notification-rules/:id'],
  'notificationTemplates.list': ['GET', '/api/v1/itsm/notification-templates'],
  'notificationTemplates.put': ['PUT', '/api/v1/itsm/notification-templates/:event'],
  'notificationTemplates.reset': ['DELETE', '/api/v1/itsm/notification-templates/:event'],
  'notificationTemplates.preview': ['POST', '/api/v1/itsm/notification-templates/preview'],
  'channels.list': ['GET', '/api/v1/itsm/channels'],
  'channels.create': ['POST', '/api/v1/itsm/channels'],
  'channels.get': ['GET', '/api/v1/itsm/channels/:id'],
  'channels.update': ['PUT', '/api/v1/itsm/channels/:id'],
  'channels.delete': ['DELETE', '/api/v1/itsm/channels/:id'],
  'channels.test': ['POST', '/api/v1/itsm/channels/:id/test'],
  'deliveries.list': ['GET', '/api/v1/itsm/deliveries'],
} as const satisfies Record<string, readonly [Method, string]>;

export type RouteName = keyof typeof ROUTES;
export type RoutePath<R extends RouteName> = (typeof ROUTES)[R][1];

/** The `:name` parameters of a path template. */
export type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

/** The values of a path template's parameters: numbers are accepted where the server takes a number in the path. */
export type PathParams<P extends string> = { [K in ParamNames<P>]: string | number };

/** The arguments pathOf() takes after the route name: the parameters, if the path has any. */
export type PathArgs<R extends RouteName> = [ParamNames<RoutePath<R>>] extends [never] ? [] : [params: PathParams<RoutePath<R>>];

/** The path of a route, its parameters filled in (encoded). */
export function pathOf<R extends RouteName>(route: R, ...[params]: PathArgs<R>): string {
  const template: string = ROUTES[route][1];
  return template.replace(/:(\w+)/g, (_, name: string) => {
    const value = (params as Record<string, string | number> | undefined)?.[name];
    if (value === undefined || value === '') throw new Error(`${route}: the path parameter ${name} is missing`);
    return encodeURIComponent(String(value));
  });
}

/** The method of a route. */
export const methodOf = (route: RouteName): Method => ROUTES[route][0];
