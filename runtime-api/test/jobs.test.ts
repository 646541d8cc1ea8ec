import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, bpmn, type Call, deploy, startInstance, startServer, type TestServer } from './helpers.ts';

let s: TestServer;
let admin: Call;
let worker: Call;
let otherWorker: Call;

const charge = bpmn(
  'charge',
  `<bpmn:startEvent id="start"/>
   <bpmn:serviceTask id="pay" sl:type="payment" sl:retries="2"/>
   <bpmn:boundaryEvent id="declined" attachedToRef="pay"><bpmn:errorEventDefinition errorRef="e1"/></bpmn:boundaryEvent>
   <bpmn:endEvent id="paid"/>
   <bpmn:endEvent id="refused"/>
   <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="pay"/>
   <bpmn:sequenceFlow id="f2" sourceRef="pay" targetRef="paid"/>
   <bpmn:sequenceFlow id="f3" sourceRef="declined" targetRef="refused"/>`,
  '<bpmn:error id="e1" errorCode="DECLINED"/>',
);

beforeAll(async () => {
  s = await startServer();
  admin = as(s.app, s.tokens.admin);
  worker = as(s.app, await addUser(s.app, 'worker1', ['worker']));
  otherWorker = as(s.app, await addUser(s.app, 'worker2', ['worker']));
  await deploy(admin, charge);
});
afterAll(() => s.close());

async function activateOne(who: Call = worker, lockDuration: number | string = 60_000) {
  const res = await who('POST', '/api/v1/jobs/activate', { type: 'payment', maxJobs: 1, lockDuration });
  expect(res.status).toBe(200);
  return res.body[0];
}

describe('activating', () => {
  it('hands out a job with its variables once, locked to the caller until the lock expires', async () => {
    const { id } = await startInstance(admin, 'charge', { variables: { amount: 12 } });
    const job = await activateOne();
    expect(job).toMatchObject({
      id: expect.any(String),
      type: 'payment',
      processInstanceId: id,
      elementId: 'pay',
      variables: { amount: 12 },
      retries: 2,
    });
    expect(await activateOne(otherWorker)).toBeUndefined();
    const locked = await otherWorker('POST', `/api/v1/jobs/${job.id}/complete`, {});
    expect(locked.status).toBe(409);
    expect(locked.body.code).toBe('JOB_LOCKED');
    // The lock runs out with (test) time; then another worker may take the job.
    expect((await admin('POST', '/api/v1/admin/clock', { advanceBy: 'PT2M' })).status).toBe(200);
    const taken = await activateOne(otherWorker, 'PT5M');
    expect(taken.id).toBe(job.id);
    expect((await otherWorker('POST', `/api/v1/jobs/${job.id}/complete`, { variables: { receipt: 'r-1' } })).status).toBe(200);
    const instance = (await admin('GET', `/api/v1/process-instances/${id}`)).body;
    expect(instance).toMatchObject({ status: 'completed', variables: { amount: 12, receipt: 'r-1' } });
    const again = await worker('POST', `/api/v1/jobs/${job.id}/complete`, {});
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('JOB_NOT_ACTIVE');
  });

  it('answers 400 for bad activation requests and 404 for unknown jobs', async () => {
    for (const body of [
      { type: 'payment', maxJobs: 0, lockDuration: 1 },
      { type: 'payment', maxJobs: 1 },
      { type: 'payment', maxJobs: 1, lockDuration: 'soon' },
      { maxJobs: '1' },
    ]) {
      const res = await worker('POST', '/api/v1/jobs/activate', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.details.length).toBeGreaterThan(0);
    }
    for (const [action, body] of [
      ['complete', {}],
      ['fail', { message: 'x', retries: 0 }],
      ['throw-error', { errorCode: 'X' }],
    ] as const) {
      expect((await worker('POST', `/api/v1/jobs/nope/${action}`, body)).status).toBe(404);
    }
    expect((await worker('POST', '/api/v1/jobs/nope/fail', { message: 'x', retries: -1 })).status).toBe(400);
  });
});

describe('failing', () => {
  it('offers a failed job again while retries are left, then raises a fault that an operator retries', async () => {
    const { id } = await startInstance(admin, 'charge', { variables: { amount: 30 } });
    const job = await activateOne();
    const retry = await worker('POST', `/api/v1/jobs/${job.id}/fail`, { message: 'gateway timeout', retries: 1 });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ status: 'activatable', retries: 1 });
    const second = await activateOne();
    expect(second.id).toBe(job.id);
    expect((await worker('POST', `/api/v1/jobs/${job.id}/fail`, { message: 'gateway down', retries: 0 })).body.status).toBe('failed');

    const faulted = (await admin('GET', `/api/v1/process-instances/${id}`)).body;
    expect(faulted.status).toBe('active');
    expect(faulted.faults).toEqual([
      { id: expect.any(String), elementId: 'pay', jobId: job.id, message: expect.stringContaining('gateway down') },
    ]);
    expect(await activateOne()).toBeUndefined();
    expect((await worker('POST', `/api/v1/jobs/${job.id}/fail`, { message: 'again', retries: 0 })).status).toBe(409);

    const retried = await admin('POST', `/api/v1/process-instances/${id}/faults/${faulted.faults[0].id}/retry`, { retries: 2 });
    expect(retried.status).toBe(200);
    expect(retried.body.faults).toEqual([]);
    expect((await admin('POST', `/api/v1/process-instances/${id}/faults/${faulted.faults[0].id}/retry`)).status).toBe(404);
    const third = await activateOne();
    expect(third).toMatchObject({ id: job.id, retries: 2 });
    expect((await worker('POST', `/api/v1/jobs/${job.id}/complete`)).status).toBe(200);
    expect((await admin('GET', `/api/v1/process-instances/${id}`)).body.status).toBe('completed');
  });

  it('holds a failed job back for its retry backoff', async () => {
    await startInstance(admin, 'charge');
    const job = await activateOne();
    const res = await worker('POST', `/api/v1/jobs/${job.id}/fail`, { message: 'busy', retries: 1, retryBackoff: 'PT10M' });
    expect(res.body).toMatchObject({ status: 'locked', retries: 1 });
    expect(await activateOne()).toBeUndefined();
    await admin('POST', '/api/v1/admin/clock', { advanceBy: 'PT11M' });
    expect((await activateOne()).id).toBe(job.id);
    await worker('POST', `/api/v1/jobs/${job.id}/complete`);
  });

  it('routes a thrown error to the boundary event that catches its code', async () => {
    const { id } = await startInstance(admin, 'charge');
    const job = await activateOne();
    const res = await worker('POST', `/api/v1/jobs/${job.id}/throw-error`, { errorCode: 'DECLINED', message: 'card declined' });
    expect(res.status).toBe(200);
    const history = (await admin('GET', `/api/v1/process-instances/${id}/history`)).body;
    expect(history.map((h: { elementId: string; event: string }) => `${h.elementId}:${h.event}`)).toContain('refused:completed');
    expect((await admin('GET', `/api/v1/process-instances/${id}`)).body.status).toBe('completed');
  });

  it('turns an error nothing catches into a fault', async () => {
    const { id } = await startInstance(admin, 'charge');
    const job = await activateOne();
    await worker('POST', `/api/v1/jobs/${job.id}/throw-error`, { errorCode: 'UNKNOWN' });
    const instance = (await admin('GET', `/api/v1/process-instances/${id}`)).body;
    expect(instance.faults).toHaveLength(1);
    expect(instance.faults[0].message).toContain('UNKNOWN');
  });

  it('needs the worker role', async () => {
    expect((await as(s.app, s.tokens.agent1)('POST', '/api/v1/jobs/x/complete', {})).status).toBe(403);
    expect((await as(s.app, undefined)('POST', '/api/v1/jobs/activate', {})).status).toBe(401);
  });
});
