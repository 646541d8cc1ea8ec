// Two tenants with data of every kind, made through the API (and the database where no API
// makes that row): groups, users, identity providers, OIDC sign-ins in flight, tenant settings,
// definitions (with a message start event), instances waiting on tasks, jobs, timers, messages and
// signals, a fault, drafts, sessions, refresh tokens, the audit log and the outbox. Every name is
// prefixed with the tenant id, so a foreign row in a reply is easy to spot.
import { randomBytes, randomUUID } from 'node:crypto';
import { TENANT_ROLES } from '../src/platform/auth/roles.ts';
import { as, bpmn, type Call, deploy, PASSWORD, startInstance, type TestServer, tokenFor } from './helpers.ts';

export interface TenantData {
  tenant: string;
  /** The tenant's admin (role tenant-admin only). */
  admin: Call;
  adminToken: string;
  /** A user holding every tenant role. */
  allRolesToken: string;
  key: string;
  definitionId: string;
  instanceId: string;
  taskId: string;
  jobId: string;
  faultId: string;
  faultInstanceId: string;
  userId: string;
  groupId: string;
  providerId: string;
  /** A file uploaded for the task (forms). */
  attachmentId: string;
  /** An incident of the tenant's (tickets), and an approval of a request of its own catalog item. */
  ticketNumber: string;
  approvalId: string;
  slaPolicyId: string;
  calendarId: string;
  /** An in-app notification (the approver's request) and a notification rule of the tenant's. */
  notificationId: string;
  ruleId: string;
  /** A notification channel of the tenant's. */
  channelId: string;
  /** Ids that must never show in another tenant's replies. */
  secrets: string[];
}

const timer = (d: string) => `<bpmn:timerEventDefinition><bpmn:timeDuration>${d}</bpmn:timeDuration></bpmn:timerEventDefinition>`;
const flows = (pairs: Array<[string, string]>) =>
  pairs.map(([a, b], i) => `<bpmn:sequenceFlow id="f${i}" sourceRef="${a}" targetRef="${b}"/>`).join('\n');

function definitions(p: string): string[] {
  return [
    bpmn(
      `${p}-task`,
      `<bpmn:startEvent id="s"/>
       <bpmn:userTask id="t" name="${p} task" sl:candidateGroups="${p}-ops"/>
       <bpmn:boundaryEvent id="late" attachedToRef="t" cancelActivity="false">${timer('PT4H')}</bpmn:boundaryEvent>
       <bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/>
       ${flows([
         ['s', 't'],
         ['t', 'e'],
         ['late', 'e2'],
       ])}`,
    ),
    bpmn(
      `${p}-job`,
      `<bpmn:startEvent id="s"/><bpmn:serviceTask id="j" sl:type="${p}-work"/><bpmn:endEvent id="e"/>${flows([
        ['s', 'j'],
        ['j', 'e'],
      ])}`,
    ),
    bpmn(
      `${p}-fault`,
      `<bpmn:startEvent id="s"/><bpmn:serviceTask id="j" sl:type="${p}-fail"/><bpmn:endEvent id="e"/>${flows([
        ['s', 'j'],
        ['j', 'e'],
      ])}`,
    ),
    bpmn(
      `${p}-wait`,
      `<bpmn:startEvent id="s"/><bpmn:parallelGateway id="fork"/>
       <bpmn:intermediateCatchEvent id="m" sl:correlationKey="= &quot;k&quot;"><bpmn:messageEventDefinition messageRef="msg"/></bpmn:intermediateCatchEvent>
       <bpmn:intermediateCatchEvent id="g"><bpmn:signalEventDefinition signalRef="sig"/></bpmn:intermediateCatchEvent>
       <bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>
       ${flows([
         ['s', 'fork'],
         ['fork', 'm'],
         ['fork', 'g'],
         ['m', 'e1'],
         ['g', 'e2'],
       ])}`,
      `<bpmn:message id="msg" name="${p}-msg"/><bpmn:signal id="sig" name="${p}-sig"/>`,
    ),
    bpmn(
      `${p}-started`,
      `<bpmn:startEvent id="s"><bpmn:messageEventDefinition messageRef="start"/></bpmn:startEvent><bpmn:endEvent id="e"/>${flows([['s', 'e']])}`,
      `<bpmn:message id="start" name="${p}-start"/>`,
    ),
  ];
}

async function ok<T = any>(res: Promise<{ status: number; body: any }>, what: string): Promise<T> {
  const r = await res;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as T;
}

/** Creates tenant `tenant` (as the demo platform admin) and fills it. */
export async function createTenantWithData(s: TestServer, tenant: string): Promise<TenantData> {
  const platform = as(s.app, s.tokens.admin);
  await ok(
    platform('POST', '/api/v1/tenants', { id: tenant, name: `${tenant} Corp`, admin: { username: `${tenant}-admin`, password: PASSWORD } }),
    'tenant',
  );
  const adminToken = await tokenFor(s.app, `${tenant}-admin`, tenant);
  const admin = as(s.app, adminToken);
  const p = tenant;

  const group = await ok(admin('POST', '/api/v1/groups', { id: `${p}-ops`, name: `${p} operations` }), 'group');
  const user = await ok(
    admin('POST', '/api/v1/users', {
      username: `${p}-member`,
      password: PASSWORD,
      displayName: `${p} member`,
      roles: ['agent'],
      groups: [group.id],
    }),
    'user',
  );
  await ok(admin('POST', '/api/v1/users', { username: `${p}-all`, roles: [...TENANT_ROLES] }), 'all-roles user');
  const allRolesToken = await tokenFor(s.app, `${p}-all`, tenant);
  const all = as(s.app, allRolesToken);
  const provider = await ok(
    admin('POST', '/api/v1/identity-providers', {
      id: `${p}-corp`,
      name: `${p} SSO`,
      issuer: `https://${p}.idp.example.com`,
      clientId: `${p}-client`,
      clientSecret: `${p}-client-secret`,
    }),
    'identity provider',
  );
  await ok(admin('PATCH', '/api/v1/tenant', { settings: { egressAllowHosts: [`${p}.hooks.example.com`] } }), 'settings');
  await s.app.services.transactions.withTenant(tenant, (work) =>
    work.tx('oidc_logins').insert({
      state: randomBytes(16).toString('base64url'),
      tenant_id: tenant,
      provider_id: provider.id,
      code_verifier: randomUUID(),
      nonce: randomUUID(),
      created_at: work.at,
      expires_at: new Date(work.now + 600_000).toISOString(),
    }),
  );

  const deployed = [];
  for (const xml of definitions(p)) deployed.push(await deploy(all, xml));
  if (s.app.routeAccess.some((r) => r.method === 'PUT' && r.url === '/api/v1/definitions/:key/draft')) {
    await ok(all('PUT', `/api/v1/definitions/${p}-task/draft`, { bpmnXml: definitions(p)[0] }), 'draft');
  }
  const taskInstance = await startInstance(all, `${p}-task`);
  await startInstance(all, `${p}-job`);
  const faultInstance = await startInstance(all, `${p}-fault`);
  await startInstance(all, `${p}-wait`);
  const task = (await ok<any[]>(all('GET', `/api/v1/tasks?processInstanceId=${taskInstance.id}`), 'tasks'))[0];
  const [job] = await ok<any[]>(all('POST', '/api/v1/jobs/activate', { type: `${p}-work`, maxJobs: 1, lockDuration: 'PT1H' }), 'activate');
  const [failing] = await ok<any[]>(
    all('POST', '/api/v1/jobs/activate', { type: `${p}-fail`, maxJobs: 1, lockDuration: 'PT1H' }),
    'activate',
  );
  await ok(all('POST', `/api/v1/jobs/${failing.id}/fail`, { message: `${p} broke`, retries: 0 }), 'fail');
  const faulted = await ok(all('GET', `/api/v1/process-instances/${faultInstance.id}`), 'instance');
  // A form under the process key (published, with a draft on top) and a file uploaded for the task.
  const formSchema = { type: 'object', properties: { [`${p}_field`]: { type: 'string' } } };
  await ok(all('POST', '/api/v1/forms', { key: `${p}-task`, name: `${p} form`, schema: formSchema }), 'form');
  await ok(all('POST', `/api/v1/forms/${p}-task/publish`), 'publish form');
  await ok(all('PUT', `/api/v1/forms/${p}-task/draft`, { name: `${p} form draft`, schema: formSchema }), 'form draft');
  const boundary = `----${randomUUID()}`;
  const uploaded = await s.app.inject({
    method: 'POST',
    url: `/api/v1/attachments?taskId=${task.id}`,
    headers: { authorization: `Bearer ${allRolesToken}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${p}.txt"\r\nContent-Type: text/plain\r\n\r\n${p} file\r\n--${boundary}--\r\n`,
  });
  if (uploaded.statusCode !== 201) throw new Error(`attachment: ${uploaded.statusCode} ${uploaded.body}`);
  const attachment = uploaded.json() as { id: string };

  // ITSM: an incident; a catalog item (keyed like the rest) whose request asks the ops group.
  await ok(all('POST', '/api/v1/tickets', { type: 'incident', title: `${p} ticket` }), 'ticket');
  // Numbers count per tenant (both tenants have INC0000001): the one B names is A's alone.
  const ticketNumber = `INC${String(3_000_000 + Math.floor(Math.random() * 6_000_000))}`;
  const imported = await s.app.inject({
    method: 'POST',
    url: '/api/v1/tickets/import',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'text/csv' },
    payload: `number,incident_state,opened_at,short_description\n${ticketNumber},Active,01-12-2026 09:00,${p} imported\n`,
  });
  if (imported.statusCode !== 200 || imported.json().imported !== 1) throw new Error(`import: ${imported.statusCode} ${imported.body}`);
  await ok(
    admin('POST', '/api/v1/catalog', {
      key: `${p}-task`,
      name: { en: `${p} item` },
      category: 'isolation',
      approval: [{ kind: 'group', group: `${p}-ops` }],
    }),
    'catalog item',
  );
  await ok(all('POST', '/api/v1/tickets', { type: 'request', title: `${p} request`, catalogItem: `${p}-task` }), 'request');
  await s.app.outbox.dispatcher.drain();
  const approval = await s.app.services.transactions.read(tenant, (tx) => tx('approvals').first('id'));
  if (!approval) throw new Error('the request asked for no approval');
  const notification = await s.app.services.transactions.read(tenant, (tx) => tx('notifications').first('id'));
  if (!notification) throw new Error('the approval request notified nobody');
  await ok(
    admin('POST', '/api/v1/itsm/notification-rules', {
      id: `${p}-rule`,
      event: 'ticket.created',
      channel: 'in-app',
      recipients: ['assignee'],
    }),
    'notification rule',
  );

  await ok(all('POST', '/api/v1/itsm/calendars', { id: `${p}-cal`, timezone: 'UTC', week: { mon: [['09:00', '17:00']] } }), 'calendar');
  await ok(
    all('POST', '/api/v1/itsm/sla-policies', {
      id: `${p}-sla`,
      name: `${p} policy`,
      ticketType: 'incident',
      kind: 'resolution',
      condition: 'priority = 1',
      target: 'PT1H',
      calendar: `${p}-cal`,
    }),
    'SLA policy',
  );
  // A notification channel (a public address: saved without reaching it) and a delivery through it.
  await ok(
    admin('POST', '/api/v1/itsm/channels', {
      id: `${p}-hook`,
      kind: 'webhook',
      config: { url: `https://1.1.1.1/${p}-hook`, secret: `${p}-secret` },
    }),
    'channel',
  );
  await s.app.services.transactions.withTenant(tenant, (work) =>
    work.tx('itsm_deliveries').insert({
      tenant_id: tenant,
      id: randomUUID(),
      delivery_key: `${p}-delivery`,
      channel: `${p}-hook`,
      ticket: ticketNumber,
      event: 'ticket.created',
      status: 'sent',
      attempt: 1,
      created_at: work.at,
      updated_at: work.at,
    }),
  );

  return {
    tenant,
    admin,
    adminToken,
    allRolesToken,
    key: `${p}-task`,
    definitionId: deployed[0].id,
    instanceId: taskInstance.id,
    taskId: task.id,
    jobId: job.id,
    faultId: faulted.faults[0].id,
    faultInstanceId: faultInstance.id,
    userId: user.id,
    groupId: group.id,
    providerId: provider.id,
    attachmentId: attachment.id,
    ticketNumber,
    approvalId: approval.id,
    slaPolicyId: `${p}-sla`,
    calendarId: `${p}-cal`,
    notificationId: notification.id,
    ruleId: `${p}-rule`,
    channelId: `${p}-hook`,
    secrets: [attachment.id, p, ...deployed.map((d) => d.id), taskInstance.id, faultInstance.id, task.id, job.id, failing.id, user.id],
  };
}
