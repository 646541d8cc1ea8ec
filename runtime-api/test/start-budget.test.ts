// Each tenant's budget of starts through the API (SERVICELOOM_TENANT_START_BUDGET): beyond it,
// POST /process-instances, /messages and /signals answer 429 TENANT_BUDGET_EXCEEDED with
// Retry-After and create nothing; another tenant is unaffected; the budget refills with the clock.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { as, bpmn, type Call, deploy, inTenant, PASSWORD, startServer, type TestServer, tokenFor, userTask } from './helpers.ts';

const BUDGET = 5;

let s: TestServer;
let admin: Call;
let other: Call;

const process = (key: string) =>
  bpmn(key, `<bpmn:startEvent id="start"/>${userTask('work')}<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work"/>`);

/** Started by a message: what POST /messages would create. */
const messageStarted = (key: string, message: string) =>
  bpmn(
    key,
    `<bpmn:startEvent id="start"><bpmn:messageEventDefinition messageRef="m"/></bpmn:startEvent>${userTask('work')}
     <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work"/>`,
    `<bpmn:message id="m" name="${message}"/>`,
  );

const instances = (tenant: string, key: string) =>
  inTenant(s.app, tenant, async (tx) => Number((await tx('instances').where({ definition_key: key }).count({ n: '*' }))[0]?.n ?? 0));

beforeAll(async () => {
  s = await startServer({ tenantStartBudgetPerMinute: BUDGET });
  admin = as(s.app, s.tokens.admin);
  const created = await admin('POST', '/api/v1/tenants', {
    id: 'neighbour',
    name: 'Neighbour',
    admin: { username: 'nadmin', password: PASSWORD },
  });
  expect(created.status).toBe(201);
  other = as(s.app, await tokenFor(s.app, 'nadmin', 'neighbour'));
}, 120_000);
afterAll(() => s.close());

it('a tenant over its start budget gets 429 with Retry-After, nothing is created, another tenant goes on, and the next minute it starts again', async () => {
  await deploy(admin, process('budgeted'));
  await deploy(admin, messageStarted('by-message', 'budget-ping'));
  await deploy(other, process('budgeted'));

  for (let i = 0; i < BUDGET; i++)
    expect((await admin('POST', '/api/v1/process-instances', { definitionKey: 'budgeted' })).status).toBe(201);
  expect(await instances('demo', 'budgeted')).toBe(BUDGET);

  const refused = await s.app.inject({
    method: 'POST',
    url: '/api/v1/process-instances',
    headers: { authorization: `Bearer ${s.tokens.admin}` },
    payload: { definitionKey: 'budgeted' },
  });
  expect(refused.statusCode).toBe(429);
  const body = refused.json();
  expect(body.code).toBe('TENANT_BUDGET_EXCEEDED');
  expect(body.message).toContain(`budget of ${BUDGET} starts a minute`);
  const retryAfter = Number(refused.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(body.message).toContain(`try again in ${retryAfter} s`);
  expect(await instances('demo', 'budgeted')).toBe(BUDGET);

  // Messages and signals start instances too: refused alike, nothing started.
  const message = await admin('POST', '/api/v1/messages', { name: 'budget-ping' });
  expect(message.status).toBe(429);
  expect(message.body.code).toBe('TENANT_BUDGET_EXCEEDED');
  expect(await instances('demo', 'by-message')).toBe(0);
  expect((await admin('POST', '/api/v1/signals', { name: 'budget-signal' })).status).toBe(429);
  // A request the schema refuses is still a 400: the budget is spent only by valid starts.
  expect((await admin('POST', '/api/v1/process-instances', {})).status).toBe(400);

  // Another tenant has a budget of its own.
  for (let i = 0; i < BUDGET; i++)
    expect((await other('POST', '/api/v1/process-instances', { definitionKey: 'budgeted' })).status).toBe(201);
  expect(await instances('neighbour', 'budgeted')).toBe(BUDGET);

  // A minute later the budget is whole again.
  s.app.testClock?.advance(60_000);
  expect((await admin('POST', '/api/v1/messages', { name: 'budget-ping' })).body).toEqual({ correlated: 1 });
  expect(await instances('demo', 'by-message')).toBe(1);
  for (let i = 1; i < BUDGET; i++)
    expect((await admin('POST', '/api/v1/process-instances', { definitionKey: 'budgeted' })).status).toBe(201);
  expect((await admin('POST', '/api/v1/process-instances', { definitionKey: 'budgeted' })).status).toBe(429);
  expect(await instances('demo', 'budgeted')).toBe(2 * BUDGET - 1);
});
