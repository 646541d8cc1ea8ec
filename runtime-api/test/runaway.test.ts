// Runaway protection: timer cycles too short to deploy, a cycle that fell behind firing once, the
// call depth limit, and each tenant's budget of follow-ups a minute, which holds a PT0S timer loop
// and a signal that starts its own process while another tenant's requests stay quick.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  bpmn,
  type Call,
  deploy,
  inTenant,
  line,
  PASSWORD,
  settle,
  startInstance,
  startServer,
  type TestServer,
  tokenFor,
  userTask,
} from './helpers.ts';

const BUDGET = 40;

let s: TestServer;
let admin: Call;
/** The tenant admin of `other`, a tenant that does nothing wrong. */
let bystander: Call;

const timer = (kind: string, value: string) =>
  `<bpmn:timerEventDefinition><bpmn:${kind}>${value}</bpmn:${kind}></bpmn:timerEventDefinition>`;
const cycleStart = (key: string, cycle: string) =>
  bpmn(
    key,
    `<bpmn:startEvent id="tick">${timer('timeCycle', cycle)}</bpmn:startEvent>
     ${userTask('check')}
     <bpmn:sequenceFlow id="f1" sourceRef="tick" targetRef="check"/>`,
  );
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  s = await startServer({ tenantBudgetPerMinute: BUDGET, pollIntervalMs: 100 });
  admin = as(s.app, s.tokens.admin);
  const created = await admin('POST', '/api/v1/tenants', {
    id: 'bystander',
    name: 'Bystander',
    admin: { username: 'boss', password: PASSWORD },
  });
  expect(created.status).toBe(201);
  bystander = as(s.app, await tokenFor(s.app, 'boss', 'bystander'));
}, 120_000);
afterAll(() => s.close());

/**
 * Latencies (ms) of the bystander's requests, one after another, until `held()` says the attack is
 * being held back by the budget, and for 2 s more (at most 60 s in all).
 */
async function bystanderLatencies(held: () => Promise<boolean>): Promise<number[]> {
  const out: number[] = [];
  const deadline = Date.now() + 60_000;
  let until = deadline;
  while (Date.now() < until) {
    const t0 = performance.now();
    const res = await bystander('GET', '/api/v1/definitions');
    expect(res.status).toBe(200);
    out.push(performance.now() - t0);
    if (until === deadline && (await held())) until = Math.min(deadline, Date.now() + 2000);
    await sleep(20);
  }
  return out;
}

/** Whether follow-ups of `kind` wait, postponed by the budget. */
const postponed = (kind: string) => async () =>
  (await inTenant(s.app, 'demo', (tx) =>
    tx('outbox').whereNull('dispatched_at').where({ kind }).andWhere('last_error', 'like', 'deferred:%').first('id'),
  )) !== undefined;

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? 0;

const count = (key: string) =>
  inTenant(s.app, 'demo', async (tx) => Number((await tx('instances').where({ definition_key: key }).count({ n: '*' }))[0]?.n ?? 0));

describe('timer cycles at deploy', () => {
  for (const [cycle, why] of [
    ['R/PT0S', "repeats every PT0S: a cycle's interval must be longer than zero"],
    ['R/PT-1S', "repeats every PT-1S: a cycle's interval must be longer than zero"],
    ['R/PT1S', "repeats more often than the tenant's minimum interval PT1M"],
    ['R/2000-01-01T00:00:00Z/PT30S', "repeats more often than the tenant's minimum interval PT1M"],
  ]) {
    it(`refuses ${cycle}, naming the element and why`, async () => {
      const res = await admin('POST', '/api/v1/definitions', { bpmnXml: cycleStart('too-fast', cycle as string) });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('BPMN_INVALID');
      expect(res.body.details).toEqual([{ elementId: 'tick', message: expect.stringContaining(why as string) }]);
      expect(res.body.message).toContain(why);
    });
  }

  it('also refuses a short cycle on a boundary timer', async () => {
    const res = await admin('POST', '/api/v1/definitions', {
      bpmnXml: bpmn(
        'nagging',
        `<bpmn:startEvent id="start"/>
         ${userTask('answer')}
         <bpmn:boundaryEvent id="nag" attachedToRef="answer" cancelActivity="false">${timer('timeCycle', 'R/PT10S')}</bpmn:boundaryEvent>
         <bpmn:endEvent id="nagged"/>
         <bpmn:endEvent id="done"/>
         <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="answer"/>
         <bpmn:sequenceFlow id="f2" sourceRef="answer" targetRef="done"/>
         <bpmn:sequenceFlow id="f3" sourceRef="nag" targetRef="nagged"/>`,
      ),
    });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ elementId: 'nag', message: expect.stringContaining('minimum interval PT1M') }]);
  });

  it('follows the tenant setting timerCycleMinimum, which must be a positive duration', async () => {
    expect((await admin('GET', '/api/v1/tenant')).body.settings.timerCycleMinimum).toBe('PT1M');
    const bad = await admin('PATCH', '/api/v1/tenant', { settings: { timerCycleMinimum: 'PT0S' } });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].field).toBe('settings.timerCycleMinimum');
    expect((await admin('PATCH', '/api/v1/tenant', { settings: { timerCycleMinimum: 'PT1S' } })).status).toBe(200);
    try {
      expect((await admin('POST', '/api/v1/definitions', { bpmnXml: cycleStart('every-second', 'R3/PT1S') })).status).toBe(201);
      // Zero stays refused, whatever the setting.
      expect((await admin('POST', '/api/v1/definitions', { bpmnXml: cycleStart('never-waits', 'R/PT0S') })).status).toBe(400);
    } finally {
      await admin('PATCH', '/api/v1/tenant', { settings: { timerCycleMinimum: 'PT1M' } });
    }
    expect((await admin('POST', '/api/v1/definitions', { bpmnXml: cycleStart('every-second-again', 'R3/PT1S') })).status).toBe(400);
  });
});

describe('a cycle whose start lies in the past', () => {
  it('fires once for all it missed, then every interval on its phase', async () => {
    await deploy(admin, cycleStart('long-overdue', 'R/2000-01-01T00:00:30Z/PT1H'));
    await settle(s.app);
    expect(await count('long-overdue')).toBe(1);
    const [next] = await inTenant(s.app, 'demo', (tx) =>
      tx('timers')
        .join('definitions', 'definitions.id', 'timers.definition_id')
        .where({ 'definitions.key': 'long-overdue', status: 'scheduled' }),
    );
    const now = Date.parse((await admin('GET', '/api/v1/admin/clock')).body.now);
    const due = new Date(next.due_at).getTime();
    // The next whole hour (and 30 s) of the cycle after now.
    expect(due).toBeGreaterThan(now);
    expect(due - now).toBeLessThanOrEqual(3_600_000);
    expect(new Date(due).toISOString()).toMatch(/:00:30\.000Z$/);
    await admin('POST', '/api/v1/admin/clock', { advanceBy: 'PT1H' });
    expect(await count('long-overdue')).toBe(2);
    await admin('POST', '/api/v1/admin/clock', { advanceBy: 'PT1H' });
    expect(await count('long-overdue')).toBe(3);
  });
});

describe('call depth', () => {
  it('a process calling itself stops at 16 nested instances, with a fault on the call activity that names the limit', async () => {
    await deploy(admin, line('ouroboros', ['<bpmn:callActivity id="callMyself" calledElement="ouroboros"/>']));
    const root = await startInstance(admin, 'ouroboros');
    await settle(s.app);
    expect(await count('ouroboros')).toBe(16);
    const faulted = (await admin('GET', `/api/v1/process-instances/${root.id}`)).body;
    expect(faulted.status).toBe('active');
    expect(faulted.faults).toEqual([
      expect.objectContaining({ elementId: 'callMyself', message: expect.stringMatching(/CALL_DEPTH_EXCEEDED.*limit of 16/) }),
    ]);
  });
});

describe("each tenant's budget of follow-ups a minute", () => {
  it('holds a PT0S timer loop, postponing its rows, while another tenant stays responsive', async () => {
    await deploy(
      admin,
      bpmn(
        'spin',
        `<bpmn:startEvent id="start"/>
         <bpmn:exclusiveGateway id="again"/>
         <bpmn:intermediateCatchEvent id="wait">${timer('timeDuration', 'PT0S')}</bpmn:intermediateCatchEvent>
         <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="again"/>
         <bpmn:sequenceFlow id="f2" sourceRef="again" targetRef="wait"/>
         <bpmn:sequenceFlow id="f3" sourceRef="wait" targetRef="again"/>`,
      ),
    );
    const before = await fired('spin');
    for (let i = 0; i < 5; i++) await startInstance(admin, 'spin');
    const latencies = await bystanderLatencies(postponed('timer'));
    expect(p95(latencies)).toBeLessThan(1000);
    // No more than the budget (the earlier tests spent some of it too) in the minute or so it ran.
    const spun = (await fired('spin')) - before;
    expect(spun).toBeLessThanOrEqual(BUDGET);
    // Every spinning instance still waits on its timer, postponed, not lost.
    const spinning = await inTenant(s.app, 'demo', (tx) =>
      tx('outbox')
        .join('instances', 'instances.id', 'outbox.instance_id')
        .where({ 'instances.definition_key': 'spin', 'outbox.kind': 'timer' })
        .whereNull('outbox.dispatched_at')
        .andWhere('outbox.last_error', 'like', 'deferred:%')
        .select('outbox.instance_id'),
    );
    expect(new Set(spinning.map((r: { instance_id: string }) => r.instance_id)).size).toBe(5);
    await expectPostponed();
  });

  it('holds a signal that starts its own process, while another tenant stays responsive', async () => {
    await deploy(
      admin,
      bpmn(
        'echo',
        `<bpmn:startEvent id="heard"><bpmn:signalEventDefinition signalRef="s1"/></bpmn:startEvent>
         <bpmn:endEvent id="shout"><bpmn:signalEventDefinition signalRef="s1"/></bpmn:endEvent>
         <bpmn:sequenceFlow id="f1" sourceRef="heard" targetRef="shout"/>`,
        '<bpmn:signal id="s1" name="echo"/>',
      ),
    );
    expect((await admin('POST', '/api/v1/signals', { name: 'echo' })).status).toBeLessThan(300);
    const latencies = await bystanderLatencies(postponed('signal'));
    expect(p95(latencies)).toBeLessThan(1000);
    // The budget is spent already: the echo waits, and is not lost.
    expect(await count('echo')).toBeLessThanOrEqual(BUDGET);
    expect(await postponed('signal')()).toBe(true);
    await expectPostponed();
  });

  it("never postpones a module's events: with the budget spent, a ticket's followers still hear of it at once", async () => {
    expect(await postponed('signal')()).toBe(true);
    const heard: string[] = [];
    s.app.services.moduleEvents.on('ticket.created', 'budget-test', async (_work, _tenant, data) => {
      heard.push(data.number as string);
    });
    const ticket = await admin('POST', '/api/v1/tickets', { type: 'incident', title: 'the printer is on fire' });
    expect(ticket.status).toBe(201);
    await s.app.outbox.dispatcher.drain();
    expect(heard).toEqual([ticket.body.number]);
  });
});

/** How often the instances of `key` went through a timer. */
function fired(key: string): Promise<number> {
  return inTenant(s.app, 'demo', async (tx) =>
    Number(
      (
        await tx('timers')
          .join('instances', 'instances.id', 'timers.instance_id')
          .where({ 'instances.definition_key': key, 'timers.status': 'fired' })
          .count({ n: '*' })
      )[0]?.n ?? 0,
    ),
  );
}

/** The process owner sees the budget spent and rows postponed; the bystander's budget is untouched. */
async function expectPostponed(): Promise<void> {
  const usage = (await as(s.app, s.tokens.owner)('GET', '/api/v1/tenant/usage')).body;
  expect(usage).toMatchObject({ perMinute: BUDGET });
  // A sliding minute: what was spent a few seconds ago has partly come back.
  expect(usage.used).toBeGreaterThan(BUDGET / 2);
  expect(usage.deferred).toBeGreaterThan(0);
  expect(usage.postponedNow).toBeGreaterThan(0);
  expect(usage.lastDeferredAt).toEqual(expect.any(String));
  const theirs = (await bystander('GET', '/api/v1/tenant/usage')).body;
  expect(theirs).toMatchObject({ deferred: 0, postponedNow: 0 });
}
