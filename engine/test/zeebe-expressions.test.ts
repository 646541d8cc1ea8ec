// Camunda 8 models write many attributes as FEEL expressions (`=` prefix): retries, timers, the
// process a call activity calls and message names are evaluated when the element is reached, like
// job types. A result that cannot serve (not a name, not a whole number) raises a fault naming it.
import { describe, expect, it } from 'vitest';
import { compile, DefinitionError } from '../src/index.ts';
import { Run } from './harness.ts';

const doc = (body: string, roots = '') => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="x">
  ${roots}
  <process id="p" isExecutable="true">
    <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="x"/>
    ${body}
    <sequenceFlow id="f2" sourceRef="x" targetRef="e"/><endEvent id="e"/>
  </process>
</definitions>`;

const faults = (run: Run) => run.last.filter((e) => e.type === 'faultRaised').map((e) => (e as { message: string }).message);

describe('Zeebe = expressions', () => {
  const job = (retries: string) =>
    doc(
      `<serviceTask id="x"><extensionElements><zeebe:taskDefinition type="=kind" retries="${retries}"/></extensionElements></serviceTask>`,
    );

  it('retries: evaluated when the job is created', async () => {
    const run = await Run.start(job('=attempts + 1'), { kind: 'archive', attempts: 4 });
    expect(run.last.find((e) => e.type === 'jobCreated')).toMatchObject({ jobType: 'archive', retries: 5 });
  });

  it('retries that are not a whole number raise a fault naming the expression', async () => {
    const run = await Run.start(job('=attempts'), { kind: 'archive', attempts: 'many' });
    expect(faults(run)).toEqual(['the retries "=attempts" gave "many", not a whole number']);
    expect(run.last.some((e) => e.type === 'jobCreated')).toBe(false);
  });

  it('timer durations: evaluated when the timer is reached', async () => {
    const run = await Run.start(
      doc(
        '<intermediateCatchEvent id="x"><timerEventDefinition><timeDuration>=duration("PT" + string(hours) + "H")</timeDuration></timerEventDefinition></intermediateCatchEvent>',
      ),
      { hours: 2 },
    );
    const timer = run.last.find((e) => e.type === 'timerScheduled') as { dueAt: string };
    expect(Date.parse(timer.dueAt) - run.now).toBe(2 * 3600_000);
    run.advance(2 * 3600_000);
    expect(run.status).toBe('completed');
  });

  it('called element: the process id is evaluated when the call activity is reached', async () => {
    const run = await Run.start(
      doc(
        '<callActivity id="x"><extensionElements><zeebe:calledElement processId="=&quot;handle-&quot; + kind"/></extensionElements></callActivity>',
      ),
      { kind: 'refund' },
    );
    expect(run.last.find((e) => e.type === 'callStarted')).toMatchObject({ processId: 'handle-refund', elementId: 'x' });
  });

  it('a called element that gives no name raises a fault', async () => {
    const run = await Run.start(
      doc('<callActivity id="x"><extensionElements><zeebe:calledElement processId="=target"/></extensionElements></callActivity>'),
      {},
    );
    expect(faults(run)).toEqual(['the called process "=target" gave null, not a name']);
  });

  const messages =
    '<message id="m" name="=&quot;order-&quot; + region"><extensionElements><zeebe:subscription correlationKey="=orderId"/></extensionElements></message>';

  it('message names of catch events: evaluated when the subscription opens', async () => {
    const run = await Run.start(
      doc('<intermediateCatchEvent id="x"><messageEventDefinition messageRef="m"/></intermediateCatchEvent>', messages),
      {
        region: 'eu',
        orderId: 'o-1',
      },
    );
    expect(run.last.find((e) => e.type === 'messageSubscribed')).toMatchObject({ name: 'order-eu', correlationKey: 'o-1' });
    run.message('x', { paid: true });
    expect(run.status).toBe('completed');
  });

  it('message names of receive tasks and throw events', async () => {
    const receive = await Run.start(doc('<receiveTask id="x" messageRef="m"/>', messages), { region: 'us', orderId: 'o-2' });
    expect(receive.last.find((e) => e.type === 'messageSubscribed')).toMatchObject({ name: 'order-us' });
    const thrown = await Run.start(
      doc('<intermediateThrowEvent id="x"><messageEventDefinition messageRef="m"/></intermediateThrowEvent>', messages),
      {
        region: 'apac',
      },
    );
    expect(thrown.effects.find((e) => e.type === 'messageThrown')).toMatchObject({ name: 'order-apac' });
  });

  it('a process message start event keeps a literal name: it is registered when deployed', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="x">
  <message id="m" name="=kind"/>
  <process id="p" isExecutable="true"><startEvent id="s"><messageEventDefinition messageRef="m"/></startEvent>
    <sequenceFlow id="f1" sourceRef="s" targetRef="e"/><endEvent id="e"/></process>
</definitions>`;
    const error = await compile(xml).catch((e: DefinitionError) => e);
    expect(error).toBeInstanceOf(DefinitionError);
    expect((error as DefinitionError).problems.map((p) => `${p.elementId}: ${p.message}`)).toEqual([
      's: the message name of a process start event is an expression ("=kind"); name the message',
    ]);
  });
});
