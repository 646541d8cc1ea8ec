import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, bpmn, type Call, deploy, inTenant, line, startInstance, startServer, type TestServer, userTask } from './helpers.ts';

let s: TestServer;
let admin: Call;

const timer = (kind: string, value: string) =>
  `<bpmn:timerEventDefinition><bpmn:${kind}>${value}</bpmn:${kind}></bpmn:timerEventDefinition>`;

beforeAll(async () => {
  s = await startServer();
  admin = as(s.app, s.tokens.admin);
  await deploy(
    admin,
    line('cool-off', [`<bpmn:intermediateCatchEvent id="wait">${timer('timeDuration', 'PT1H')}</bpmn:intermediateCatchEvent>`]),
  );
  await deploy(
    admin,
    bpmn(
      'escalating',
      `<bpmn:startEvent id="start"/>
       ${userTask('answer', 'sl:candidateGroups="service-desk"')}
       <bpmn:boundaryEvent id="late" attachedToRef="answer">${timer('timeDuration', 'PT4H')}</bpmn:boundaryEvent>
       <bpmn:endEvent id="answered"/>
       ${userTask('escalate', 'sl:candidateGroups="network"')}
       <bpmn:endEvent id="escalated"/>
       <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="answer"/>
       <bpmn:sequenceFlow id="f2" sourceRef="answer" targetRef="answered"/>
       <bpmn:sequenceFlow id="f3" sourceRef="late" targetRef="escalate"/>
       <bpmn:sequenceFlow id="f4" sourceRef="escalate" targetRef="escalated"/>`,
    ),
  );
});
afterAll(() => s.close());

const instance = async (id: string) => (await admin('GET', `/api/v1/process-instances/${id}`)).body;

describe('the test clock', () => {
  it('fires a timer once the clock passes its due time, before the reply', async () => {
    const { id } = await startInstance(admin, 'cool-off');
    const before = (await admin('GET', '/api/v1/admin/clock')).body.now;
    await admin('POST', '/api/v1/admin/clock', { advanceBy: 'PT30M' });
    expect((await instance(id)).status).toBe('active');
    const res = await admin('POST', '/api/v1/admin/clock', { advanceBy: 'PT31M' });
    expect(res.status).toBe(200);
    expect(Date.parse(res.body.now) - Date.parse(before)).toBeGreaterThanOrEqual(61 * 60_000);
    expect((await instance(id)).status).toBe('completed');
  });

  it('fires a boundary timer that escalates an unanswered task, and not one whose task was done', async () => {
    const slow = await startInstance(admin, 'escalating');
    const fast = await startInstance(admin, 'escalating');
    const task = (await admin('GET', `/api/v1/tasks?processInstanceId=${fast.id}`)).body[0];
    await admin('POST', `/api/v1/tasks/${task.id}/complete`);
    await admin('POST', '/api/v1/admin/clock', { advanceBy: 'PT5H' });
    expect((await instance(slow.id)).activeElementIds).toEqual(['escalate']);
    expect((await instance(fast.id)).status).toBe('completed');
    const timers = await inTenant(s.app, 'demo', (tx) => tx('timers').where({ instance_id: fast.id }));
    expect(timers.map((t: { status: string }) => t.status)).toEqual(['cancelled']);
  });

  it('starts instances from a timer start event, every cycle', async () => {
    await deploy(
      admin,
      bpmn(
        'hourly-check',
        `<bpmn:startEvent id="tick">${timer('timeCycle', 'R2/PT1H')}</bpmn:startEvent>
         ${userTask('check')}
         <bpmn:endEvent id="end"/>
         <bpmn:sequenceFlow id="f1" sourceRef="tick" targetRef="check"/>
         <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="end"/>`,
      ),
    );
    const started = async () => (await admin('GET', '/api/v1/process-instances?definitionKey=hourly-check')).body.length;
    expect(await started()).toBe(0);
    await admin('POST', '/api/v1/admin/clock', { advanceBy: 'PT61M' });
    expect(await started()).toBe(1);
    await admin('POST', '/api/v1/admin/clock', { advanceBy: 'PT3H' });
    expect(await started()).toBe(2);
  });

  it('answers 400 for a duration it cannot read', async () => {
    const res = await admin('POST', '/api/v1/admin/clock', { advanceBy: 'two hours' });
    expect(res.status).toBe(400);
    expect(res.body.details[0].field).toBe('advanceBy');
  });
});

describe('without SERVICELOOM_TEST_CLOCK', () => {
  it('has no clock route', async () => {
    const real = await startServer({ testClock: false });
    try {
      const res = await as(real.app, real.tokens.admin)('POST', '/api/v1/admin/clock', { advanceBy: 'PT1H' });
      expect(res.status).toBe(404);
    } finally {
      await real.close();
    }
  });
});
