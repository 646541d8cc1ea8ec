import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, bpmn, type Call, deploy, line, settle, startInstance, startServer, type TestServer } from './helpers.ts';

let s: TestServer;
let admin: Call;

const messages =
  '<bpmn:message id="m1" name="payment-received"/><bpmn:message id="m2" name="new-request"/><bpmn:message id="m3" name="ping"/>';
const signals = '<bpmn:signal id="s1" name="outage"/>';

beforeAll(async () => {
  s = await startServer();
  admin = as(s.app, s.tokens.admin);
  await deploy(
    admin,
    line(
      'order',
      [
        '<bpmn:intermediateCatchEvent id="awaitPayment" sl:correlationKey="= orderId"><bpmn:messageEventDefinition messageRef="m1"/></bpmn:intermediateCatchEvent>',
      ],
      messages,
    ),
  );
  await deploy(admin, line('keyless', ['<bpmn:receiveTask id="awaitPing" messageRef="m3"/>'], messages));
  await deploy(
    admin,
    bpmn(
      'by-message',
      `<bpmn:startEvent id="start"><bpmn:messageEventDefinition messageRef="m2"/></bpmn:startEvent>
       <bpmn:userTask id="handle"/>
       <bpmn:endEvent id="end"/>
       <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="handle"/>
       <bpmn:sequenceFlow id="f2" sourceRef="handle" targetRef="end"/>`,
      messages,
    ),
  );
  await deploy(
    admin,
    line(
      'outage-watch',
      ['<bpmn:intermediateCatchEvent id="awaitOutage"><bpmn:signalEventDefinition signalRef="s1"/></bpmn:intermediateCatchEvent>'],
      signals,
    ),
  );
  await deploy(
    admin,
    bpmn(
      'outage-response',
      `<bpmn:startEvent id="start"><bpmn:signalEventDefinition signalRef="s1"/></bpmn:startEvent>
       <bpmn:userTask id="respond"/>
       <bpmn:endEvent id="end"/>
       <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="respond"/>
       <bpmn:sequenceFlow id="f2" sourceRef="respond" targetRef="end"/>`,
      signals,
    ),
  );
  await deploy(
    admin,
    line(
      'announcer',
      ['<bpmn:intermediateThrowEvent id="raise"><bpmn:signalEventDefinition signalRef="s1"/></bpmn:intermediateThrowEvent>'],
      signals,
    ),
  );
});
afterAll(() => s.close());

const statusOf = async (id: string) => (await admin('GET', `/api/v1/process-instances/${id}`)).body;

describe('messages', () => {
  it('reaches the catch with the matching correlation key only, with its variables', async () => {
    const a = await startInstance(admin, 'order', { variables: { orderId: 'A-1' } });
    const b = await startInstance(admin, 'order', { variables: { orderId: 'B-2' } });
    const res = await admin('POST', '/api/v1/messages', { name: 'payment-received', correlationKey: 'B-2', variables: { paidAt: 'now' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ correlated: 1 });
    expect(await statusOf(b.id)).toMatchObject({ status: 'completed', variables: { orderId: 'B-2', paidAt: 'now' } });
    expect((await statusOf(a.id)).status).toBe('active');
    // Delivered once: the same message again finds nobody waiting.
    expect((await admin('POST', '/api/v1/messages', { name: 'payment-received', correlationKey: 'B-2' })).body).toEqual({ correlated: 0 });
  });

  it('without a key reaches only catches without one, the oldest first', async () => {
    const keyed = await startInstance(admin, 'order', { variables: { orderId: 'K-1' } });
    expect((await admin('POST', '/api/v1/messages', { name: 'payment-received' })).body.correlated).toBe(0);
    const first = await startInstance(admin, 'keyless');
    const second = await startInstance(admin, 'keyless');
    expect((await admin('POST', '/api/v1/messages', { name: 'ping' })).body.correlated).toBe(1);
    expect((await statusOf(first.id)).status).toBe('completed');
    expect((await statusOf(second.id)).status).toBe('active');
    expect((await statusOf(keyed.id)).status).toBe('active');
  });

  it('starts a process with that message start event', async () => {
    const res = await admin('POST', '/api/v1/messages', { name: 'new-request', variables: { subject: 'laptop' } });
    expect(res.body.correlated).toBe(1);
    const started = (await admin('GET', '/api/v1/process-instances?definitionKey=by-message')).body;
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ status: 'active', variables: { subject: 'laptop' }, activeElementIds: ['handle'] });
  });

  it('answers 400 for a message without a name or with a numeric key', async () => {
    expect((await admin('POST', '/api/v1/messages', {})).body.details[0].field).toBe('name');
    expect((await admin('POST', '/api/v1/messages', { name: 'x', correlationKey: 5 })).body.details[0].field).toBe('correlationKey');
    expect((await as(s.app, s.tokens.requester)('POST', '/api/v1/messages', { name: 'x' })).status).toBe(403);
  });
});

describe('signals', () => {
  it('reaches every waiting catch and starts every process with that signal start', async () => {
    const a = await startInstance(admin, 'outage-watch');
    const b = await startInstance(admin, 'outage-watch');
    const res = await admin('POST', '/api/v1/signals', { name: 'outage', variables: { region: 'eu' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ delivered: 3 });
    expect(await statusOf(a.id)).toMatchObject({ status: 'completed', variables: { region: 'eu' } });
    expect((await statusOf(b.id)).status).toBe('completed');
    expect((await admin('GET', '/api/v1/process-instances?definitionKey=outage-response')).body).toHaveLength(1);
  });

  it('delivers a signal thrown by an instance, through the outbox', async () => {
    const watcher = await startInstance(admin, 'outage-watch');
    const announcer = await startInstance(admin, 'announcer');
    expect(announcer.status).toBe('completed');
    await settle(s.app);
    expect((await statusOf(watcher.id)).status).toBe('completed');
    expect((await admin('GET', '/api/v1/process-instances?definitionKey=outage-response')).body).toHaveLength(2);
  });

  it('answers 400 for a signal without a name', async () => {
    expect((await admin('POST', '/api/v1/signals', { variables: {} })).status).toBe(400);
  });
});
