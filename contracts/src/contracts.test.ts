// Every schema of the contract compiles, a sample of each successful reply validates (and a wrong
// one does not), every route's path parameters are the ones its params schema names, and the
// client sends what the route table says and turns error replies into ApiError.
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { ApiError, createClient } from './client.ts';
import { type ParamNames, pathOf, ROUTES, type RouteName } from './paths.ts';
import { CONTRACT, type RouteSchemas } from './routes.ts';
import { Task } from './tasks.ts';

const at = '2026-01-02T03:04:05.000Z';
const task = {
  id: 't1',
  elementId: 'review',
  name: 'Review',
  processInstanceId: 'i1',
  assignee: null,
  candidateGroups: ['support'],
  formKey: null,
  dueAt: null,
  createdAt: at,
  status: 'open',
};
const instance = {
  id: 'i1',
  definitionKey: 'incident',
  version: 2,
  businessKey: null,
  status: 'active',
  variables: { priority: 1 },
  activeElementIds: ['review'],
  startedAt: at,
  endedAt: null,
  parentInstanceId: null,
  faults: [{ id: 'f1', elementId: 'notify', message: 'connection refused', jobId: null }],
};
const definition = { id: 'd1', key: 'incident', version: 2, name: null, deployedAt: at, deployedBy: 'owner', suspended: false };
const cancelBatch = {
  batchId: 'b1',
  matched: 3,
  cancelled: 0,
  status: 'running',
  filter: { definitionKey: 'incident' },
  createdAt: at,
  finishedAt: null,
};
const draft = { key: 'incident', updatedAt: at, updatedBy: null };
const labels = { en: 'Incident', 'zh-CN': '事件' };
const formDoc = { schema: { type: 'object' }, uiSchema: {} };
const form = { key: 'incident', name: 'Incident', labels, latestVersion: 1, draft: null, createdAt: at };
const formVersion = { key: 'incident', version: 1, name: 'Incident', labels, ...formDoc, publishedAt: at, publishedBy: null };
const session = {
  token: 'a',
  expiresIn: 900,
  refreshToken: 'r',
  refreshExpiresAt: at,
  user: { id: 'u1', username: 'agent1', displayName: null, roles: ['agent'], groups: [] },
};
const user = {
  id: 'u1',
  username: 'agent1',
  displayName: 'Agent One',
  roles: ['agent'],
  groups: ['support'],
  disabled: false,
  lockedUntil: null,
  identityProvider: null,
  managerId: 'u9',
  email: 'agent1@demo.example.com',
  locale: 'en',
  timezone: 'Europe/Berlin',
  createdAt: at,
  updatedAt: at,
};
const group = { id: 'support', name: 'Support', managerId: null, members: [{ id: 'u1', username: 'agent1' }], createdAt: at };
const tenant = { id: 'acme', name: 'Acme', status: 'active', createdAt: at, updatedAt: at };
const ownTenant = { ...tenant, settings: { egressAllowHosts: ['*.example.com', 'localhost:8080'], timerCycleMinimum: 'PT1M' } };
const provider = {
  id: 'corp',
  name: 'Corp',
  issuer: 'https://id.example.com',
  clientId: 'sl',
  hasClientSecret: true,
  scopes: 'openid profile',
  claims: { username: 'preferred_username' },
  roleMapping: { admins: ['tenant-admin'] },
  groupMapping: { helpdesk: 'support' },
  defaultRoles: ['requester'],
  autoCreateUsers: true,
  enabled: true,
  redirectUri: 'https://sl.example.com/cb',
  loginUrl: 'https://sl.example.com/login',
  createdAt: at,
  updatedAt: at,
};
const attachment = {
  id: 'a1',
  filename: 'x.pdf',
  contentType: 'application/pdf',
  size: 10,
  sha256: 'ab',
  uploadedBy: 'agent1',
  uploadedAt: at,
  taskId: 't1',
  instanceId: 'i1',
};
const job = { id: 'j1', type: 'notify', status: 'completed', retries: 3, processInstanceId: 'i1', elementId: 'notify' };

const ticketItem = {
  number: 'INC0000001',
  type: 'incident',
  state: 'new',
  title: 'Mail is down',
  description: '',
  priority: 3,
  impact: 2,
  urgency: 2,
  category: null,
  subcategory: null,
  symptom: null,
  ci: null,
  service: null,
  requester: { id: 'u2', username: 'requester', displayName: 'Rita Requester' },
  assignee: null,
  assignmentGroup: { id: 'service-desk', name: 'Service desk' },
  parent: null,
  major: false,
  openedAt: at,
  respondedAt: null,
  resolvedAt: null,
  closedAt: null,
  updatedAt: at,
  closeCode: null,
  resolutionNotes: null,
  holdReason: null,
  reassignmentCount: 0,
  reopenCount: 0,
  urgeCount: 0,
  csat: null,
  processInstanceId: 'i1',
  definitionVersion: 1,
  catalogItem: null,
};
const ticket = { ...ticketItem, children: [], fields: {}, sla: [], relations: [], knownErrors: [], actions: ['assign', 'start'] };

/** A sample of each route's successful reply (204 and 302 replies carry no body; a download is bytes). */
const catalogItem = {
  key: 'new-laptop',
  name: { en: 'New laptop', 'zh-CN': '新笔记本电脑' },
  category: 'hardware',
  description: { en: 'A laptop for work' },
  formKey: 'new-laptop',
  approval: [{ kind: 'manager' }, { kind: 'group', group: 'finance', when: 'cost > 10000' }],
  fulfilmentGroup: 'service-desk',
};
const slaPolicy = {
  id: 'resolution-p1',
  name: 'Resolution: P1',
  ticketType: 'incident',
  kind: 'resolution',
  condition: 'priority = 1',
  target: 'PT4H',
  calendar: null,
  pauseStates: ['on_hold'],
  warnAt: [50, 75],
  onBreach: [{ raisePriority: true }],
};
const channel = {
  id: 'ops-dingtalk',
  kind: 'dingtalk',
  config: { url: 'https://oapi.dingtalk.com/robot/***?access_token=***' },
  hasSecret: true,
  createdAt: at,
  updatedAt: at,
};
const approval = { id: 'a1', ticket: 'REQ0000001', title: 'A laptop', step: 1, state: 'requested', requestedAt: at, decidedAt: null };

const calendar = {
  id: 'default',
  name: 'Default',
  timezone: 'Asia/Shanghai',
  week: {
    mon: [
      ['09:00', '12:00'],
      ['13:00', '18:00'],
    ],
  },
  holidays: ['2026-10-01'],
  workdays: ['2026-09-27'],
  builtIn: false,
  updatedAt: at,
};
const notification = {
  id: 'n1',
  event: 'sla.breached',
  ticket: 'INC0000001',
  title: 'SLA breached: INC0000001',
  body: 'The resolution target was due.',
  read: false,
  createdAt: at,
};
const rule = {
  id: 'p1-to-managers',
  event: 'ticket.created',
  condition: 'priority = 1',
  channel: 'mail',
  recipients: ['groupManager', 'user:alice'],
  template: { en: { subject: 'P1: {{ticket.title}}', body: '{{ticket.number}}' } },
};
const rendered = { en: { subject: 'Hello', body: 'World' }, 'zh-CN': { subject: '你好', body: '世界' } };

const SAMPLES: Record<RouteName, unknown> = {
  health: { status: 'ok' },
  'auth.login': session,
  'auth.refresh': session,
  'auth.logout': { status: 'signed out' },
  'auth.password': { status: 'password changed' },
  'auth.me': {
    id: 'u1',
    tenant: 'demo',
    username: 'agent1',
    displayName: 'Agent One',
    roles: ['agent'],
    groups: [],
    managerId: 'u9',
    email: 'agent1@demo.example.com',
    locale: 'zh-CN',
    timezone: 'Asia/Shanghai',
  },
  'auth.oidcLogin': null,
  'auth.oidcCallback': session,
  'auth.oidcExchange': session,
  'identityProviders.create': provider,
  'identityProviders.list': [provider],
  'identityProviders.get': provider,
  'identityProviders.update': provider,
  'identityProviders.delete': null,
  'tenants.create': tenant,
  'tenants.list': [tenant],
  'tenants.get': tenant,
  'tenants.rename': tenant,
  'tenants.suspend': { ...tenant, status: 'suspended' },
  'tenants.resume': tenant,
  'tenants.delete': null,
  'tenant.get': ownTenant,
  'tenant.update': ownTenant,
  'tenant.usage': { perMinute: 600, used: 12, deferred: 0, lastDeferredAt: null, postponedNow: 0 },
  'users.create': user,
  'users.list': [user],
  'users.get': user,
  'users.update': user,
  'users.delete': null,
  'groups.create': group,
  'groups.list': [group],
  'groups.get': group,
  'groups.update': group,
  'groups.delete': null,
  'groups.addMember': group,
  'groups.removeMember': group,
  'audit.list': [
    {
      id: 'e1',
      at,
      actorId: 'u1',
      actor: 'admin',
      action: 'user.create',
      targetType: 'user',
      targetId: 'u2',
      before: null,
      after: { username: 'x' },
    },
  ],
  'definitions.deploy': {
    ...definition,
    warnings: [{ elementId: 't', message: 'camunda:taskListener is ignored: listeners do not run here' }],
  },
  'definitions.importCheck': {
    runs: true,
    dialect: 'camunda',
    processId: 'p',
    asWritten: [{ element: 's', type: 'startEvent' }],
    mapped: [{ element: 't', attribute: 'camunda:assignee="demo"', to: "the task's assignee (sl:assignee)" }],
    ignored: [{ element: 't', what: 'camunda:taskListener', reason: 'listeners do not run here' }],
    refused: [],
    warnings: [{ elementId: 't', message: 'camunda:taskListener is ignored: listeners do not run here' }],
  },
  'definitions.list': [definition],
  'definitions.versions': [{ ...definition, instances: { active: 1, total: 3 } }],
  'definitions.get': { ...definition, bpmnXml: '<definitions/>' },
  'definitions.suspend': { ...definition, suspended: true },
  'definitions.activate': definition,
  'definitions.suspendAll': [{ ...definition, suspended: true }],
  'definitions.activateAll': [definition],
  'drafts.list': [draft],
  'drafts.get': { ...draft, bpmnXml: '<definitions/>' },
  'drafts.save': draft,
  'drafts.delete': null,
  'instances.start': instance,
  'instances.list': [instance],
  'instances.get': instance,
  'instances.history': [{ elementId: 'start', elementType: 'startEvent', event: 'completed', at }],
  'instances.cancel': { ...instance, status: 'cancelled', endedAt: at },
  'instances.retryFault': { ...instance, faults: [] },
  'instances.cancelMatching': cancelBatch,
  'instances.cancelBatch': { ...cancelBatch, cancelled: 3, status: 'done', finishedAt: at },
  'tasks.list': [task],
  'tasks.get': task,
  'tasks.claim': { ...task, assignee: 'agent1' },
  'tasks.unclaim': task,
  'tasks.complete': { ...task, status: 'completed' },
  'tasks.form': { key: 'incident', version: 1, name: 'Incident', labels, ...formDoc, data: { title: 'Printer' } },
  'forms.create': form,
  'forms.list': [{ key: 'incident', name: 'Incident', labels, latestVersion: null, hasDraft: true, createdAt: at, updatedAt: at }],
  'forms.get': { ...form, draft: { name: 'Incident', labels: {}, ...formDoc, updatedAt: at, updatedBy: 'formadmin' } },
  'forms.saveDraft': form,
  'forms.deleteDraft': null,
  'forms.publish': { key: 'incident', version: 2 },
  'forms.versions': [{ key: 'incident', version: 1, name: 'Incident', labels, publishedAt: at, publishedBy: null }],
  'forms.version': formVersion,
  'attachments.upload': attachment,
  'attachments.download': 'bytes',
  'attachments.info': attachment,
  'jobs.activate': [{ id: 'j1', type: 'notify', processInstanceId: 'i1', elementId: 'notify', variables: {}, retries: 3 }],
  'jobs.complete': job,
  'jobs.fail': job,
  'jobs.throwError': job,
  'events.message': { correlated: 1 },
  'events.signal': { delivered: 2 },

  'tickets.create': ticket,
  'tickets.list': { items: [ticketItem], nextCursor: null },
  'tickets.get': ticket,
  'tickets.update': ticket,
  'tickets.comment': ticket,
  'tickets.timeline': [{ at, kind: 'state', actor: null, data: { from: 'new', to: 'in_progress' } }],
  'tickets.act': ticket,
  'tickets.relate': ticket,
  'tickets.unrelate': null,
  'tickets.watchers': [{ id: 'u1', username: 'agent1', displayName: 'Agent One' }],
  'tickets.watch': null,
  'tickets.unwatch': null,
  'tickets.attachments': [attachment],
  'tickets.attach': attachment,
  'tickets.attachment': 'bytes',
  'tickets.import': { imported: 890, updated: 0, rejected: [{ line: 7, message: '"opened_at" is required' }] },
  'tickets.stream': 'event: ticket\ndata: {"number":"INC0000001","kind":"updated"}\n\n',
  'itsm.settings': { 'itsm.autoCloseDays': 3, 'itsm.cdSecretSet': false },
  'itsm.updateSettings': { 'itsm.autoCloseDays': 5 },
  'itsm.priorityMatrix': { matrix: { '1': { '1': 1, '2': 2, '3': 3 }, '2': { '1': 2, '2': 3, '3': 4 }, '3': { '1': 3, '2': 4, '3': 5 } } },
  'itsm.setPriorityMatrix': {
    matrix: { '1': { '1': 1, '2': 1, '3': 2 }, '2': { '1': 2, '2': 3, '3': 4 }, '3': { '1': 3, '2': 4, '3': 5 } },
  },
  'itsmTemplates.list': [
    {
      key: 'itsm-incident',
      name: { en: 'Incident', 'zh-CN': '事件' },
      templateVersion: 2,
      deployedVersion: 3,
      basedOn: 1,
      customised: true,
      upgradeAvailable: true,
    },
  ],
  'itsmTemplates.reset': { key: 'itsm-incident', version: 4, created: true },
  'itsmTemplates.diff': {
    key: 'itsm-incident',
    templateVersion: 2,
    deployedVersion: 3,
    added: [{ id: 'extra', type: 'EndEvent', name: 'Extra' }],
    removed: [],
    changed: [{ id: 'major-comms', type: 'UserTask' }],
  },
  'catalog.list': [catalogItem],
  'catalog.create': catalogItem,
  'catalog.update': catalogItem,
  'catalog.delete': null,
  'calendars.list': [calendar],
  'calendars.create': calendar,
  'calendars.get': calendar,
  'calendars.update': calendar,
  'calendars.delete': null,
  'approvals.list': [approval, { ...approval, state: 'approved', decidedAt: at }],
  'approvals.approve': { ...approval, state: 'approved', decidedAt: at },
  'approvals.reject': { ...approval, state: 'rejected', decidedAt: at },
  'slaPolicies.list': [slaPolicy],
  'slaPolicies.create': slaPolicy,
  'slaPolicies.get': slaPolicy,
  'slaPolicies.update': slaPolicy,
  'slaPolicies.delete': null,
  'slaPolicies.preview': [
    { policy: 'resolution-p1', name: 'Resolution: P1', kind: 'resolution', target: 'PT4H', calendar: null, dueAt: at },
  ],
  'notifications.list': { items: [notification, { ...notification, id: 'n2', ticket: null, read: true }], unread: 1 },
  'notifications.read': { ...notification, read: true },
  'notifications.readAll': { read: 3 },
  'notifications.stream': `event: notification\ndata: ${JSON.stringify(notification)}\n\n`,
  'notificationRules.list': [rule],
  'notificationRules.create': rule,
  'notificationRules.get': rule,
  'notificationRules.update': { ...rule, condition: null, template: null },
  'notificationRules.delete': null,
  'notificationTemplates.list': [{ event: 'sla.breached', template: null, defaults: rendered }],
  'notificationTemplates.put': { event: 'sla.breached', template: { en: { subject: 's', body: 'b' } }, defaults: rendered },
  'notificationTemplates.reset': { event: 'sla.breached', template: null, defaults: rendered },
  'notificationTemplates.preview': rendered,
  'channels.list': { items: [channel] },
  'channels.create': channel,
  'channels.get': channel,
  'channels.update': channel,
  'channels.delete': null,
  'channels.test': { status: 'failed', error: 'HTTP 500' },
  'deliveries.list': {
    items: [
      {
        id: 'd1',
        deliveryKey: 'r1:INC0000001:ticket.created',
        channel: 'ops-dingtalk',
        ticket: 'INC0000001',
        event: 'ticket.created',
        status: 'retrying',
        attempt: 2,
        error: 'HTTP 500',
        nextAttemptAt: at,
        createdAt: at,
        updatedAt: at,
      },
    ],
  },
};

const routeNames = Object.keys(ROUTES) as RouteName[];

describe('the contract', () => {
  it('has the schemas of every route, and every schema compiles', () => {
    expect(Object.keys(CONTRACT).sort()).toEqual([...routeNames].sort());
    for (const [name, route] of Object.entries(CONTRACT) as Array<[string, RouteSchemas]>) {
      const schemas = [route.params, route.query, route.body, ...Object.values(route.reply)];
      for (const schema of schemas) if (schema) expect(() => Compile(schema), name).not.toThrow();
    }
  });

  it('accepts a sample of each successful reply', () => {
    for (const name of routeNames) {
      const [reply] = Object.values(CONTRACT[name].reply);
      const errors = [...Value.Errors(reply, SAMPLES[name])].map((e) => `${e.instancePath} ${e.message}`);
      expect(errors, name).toEqual([]);
    }
  });

  it('refuses replies that break it', () => {
    expect(Value.Check(Task, { ...task, status: 'done' })).toBe(false);
    expect(Value.Check(Task, { ...task, createdAt: 'yesterday' })).toBe(false);
    const { candidateGroups: _, ...withoutGroups } = task;
    expect(Value.Check(Task, withoutGroups)).toBe(false);
    expect(
      Value.Check(CONTRACT['tenant.get'].reply[200], {
        ...ownTenant,
        settings: { ...ownTenant.settings, egressAllowHosts: ['Not A Host'] },
      }),
    ).toBe(false);
  });

  it("names in each route's params schema exactly the parameters of its path", () => {
    for (const name of routeNames) {
      const inPath = [...ROUTES[name][1].matchAll(/:(\w+)/g)].map((m) => m[1]).sort();
      const params = (CONTRACT[name] as RouteSchemas).params as { properties?: object } | undefined;
      const declared = Object.keys(params?.properties ?? {}).sort();
      expect(declared, name).toEqual(inPath);
    }
  });
});

describe('pathOf', () => {
  it('fills in and encodes the path parameters', () => {
    expect(pathOf('tasks.list')).toBe('/api/v1/tasks');
    expect(pathOf('forms.version', { key: 'a b', version: 'latest' })).toBe('/api/v1/forms/a%20b/versions/latest');
    expect(pathOf('groups.addMember', { id: 'g/1', userId: 'u?1' })).toBe('/api/v1/groups/g%2F1/members/u%3F1');
  });

  it('refuses a missing parameter', () => {
    expect(() => pathOf('tasks.get', { id: '' })).toThrow(/id/);
  });

  it('types the parameters from the template', () => {
    const names: ParamNames<'/a/:x/b/:y'>[] = ['x', 'y'];
    expect(names).toHaveLength(2);
  });
});

describe('createClient', () => {
  const recorder = (status: number, reply: unknown, headers: Record<string, string> = {}) => {
    const seen: Array<{ url: string; init: RequestInit }> = [];
    const fetch = async (url: string | URL | Request, init?: RequestInit) => {
      seen.push({ url: String(url), init: init ?? {} });
      const body = typeof reply === 'string' ? reply : reply === undefined ? null : JSON.stringify(reply);
      return new Response(body, { status, headers });
    };
    return { seen, fetch: fetch as typeof globalThis.fetch };
  };

  it('sends the method, path, query, body and token of a route, and returns the reply', async () => {
    const { seen, fetch } = recorder(200, { ...task, status: 'completed' });
    const client = createClient({ fetch, token: () => 'tok', baseUrl: 'http://sl' });
    const done = await client.call('tasks.complete', { params: { id: 't 1' }, body: { variables: { ok: true } } });
    expect(done.status).toBe('completed');
    expect(seen[0]?.url).toBe('http://sl/api/v1/tasks/t%201/complete');
    expect(seen[0]?.init.method).toBe('POST');
    expect(seen[0]?.init.headers).toEqual({ 'content-type': 'application/json', authorization: 'Bearer tok' });
    expect(JSON.parse(String(seen[0]?.init.body))).toEqual({ variables: { ok: true } });

    await client.call('tasks.list', { query: { processInstanceId: 'i1', assignee: undefined } });
    expect(seen[1]?.url).toBe('http://sl/api/v1/tasks?processInstanceId=i1');
    expect(seen[1]?.init).toMatchObject({ method: 'GET', body: undefined, headers: { authorization: 'Bearer tok' } });
  });

  it('answers undefined for a reply without a body', async () => {
    const { fetch } = recorder(204, undefined);
    expect(await createClient({ fetch }).call('drafts.delete', { params: { key: 'incident' } })).toBeUndefined();
  });

  it('turns an error reply into an ApiError with its code, message and details, and tells onError', async () => {
    const { fetch } = recorder(422, {
      code: 'VALIDATION_FAILED',
      message: 'the process is invalid',
      details: [{ elementId: 'gw', message: 'no outgoing flow' }],
    });
    const told: string[] = [];
    const client = createClient({ fetch, onError: (e, route) => told.push(`${route} ${e.status}`) });
    const error = await client.call('definitions.deploy', { body: { bpmnXml: '<x/>' } }).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 422, code: 'VALIDATION_FAILED', details: [{ elementId: 'gw', message: 'no outgoing flow' }] });
    expect(error.message).toBe('the process is invalid: gw: no outgoing flow');
    expect(told).toEqual(['definitions.deploy 422']);
  });

  it('gives an error reply without a JSON body the code HTTP_ERROR', async () => {
    const { fetch } = recorder(502, '<html>bad gateway</html>');
    const error = await createClient({ fetch })
      .call('health')
      .catch((e) => e);
    expect(error).toMatchObject({ status: 502, code: 'HTTP_ERROR' });
  });

  it('uploads a file as multipart with the task id, and downloads one with its name', async () => {
    const up = recorder(201, attachment);
    const client = createClient({ fetch: up.fetch, token: 'tok' });
    expect((await client.upload(new Blob(['hi']), 'hi.txt', 't1')).id).toBe('a1');
    expect(up.seen[0]?.url).toBe('/api/v1/attachments?taskId=t1');
    expect((up.seen[0]?.init.body as FormData | undefined)?.get('file')).toBeInstanceOf(Blob);
    expect(up.seen[0]?.init.headers).toEqual({ authorization: 'Bearer tok' });

    const down = recorder(200, 'hi', { 'content-disposition': "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.txt" });
    const file = await createClient({ fetch: down.fetch }).download('a1');
    expect(down.seen[0]?.url).toBe('/api/v1/attachments/a1');
    expect(file.filename).toBe('résumé.txt');
    expect(await file.blob.text()).toBe('hi');
  });
});
