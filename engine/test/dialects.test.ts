// Models written for Flowable, Activiti, Camunda 7 (also under Activiti's namespace) and Camunda 8
// run as their dialect means, or are refused by name; what is kept but not executed is a warning
// naming the element and the extension.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Camunda 7 and Flowable JUEL expressions are written ${...}
import { describe, expect, it } from 'vitest';
import { juelToFeel } from '../src/compile/juel.ts';
import { compileFeel } from '../src/feel/index.ts';
import { compile, DefinitionError } from '../src/index.ts';
import { cycleIntervalMs, firstSchedule, nextSchedule } from '../src/timer.ts';
import { Run, T0 } from './harness.ts';

const doc = (ns: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" ${ns} id="d" targetNamespace="http://example.com">
  <process id="p" isExecutable="true">
${body}
  </process>
</definitions>`;
const FLOWABLE = 'xmlns:flowable="http://flowable.org/bpmn"';
const LEGACY_CAMUNDA = 'xmlns:camunda="http://activiti.org/bpmn"';
const ACTIVITI = 'xmlns:activiti="http://activiti.org/bpmn"';
const ZEEBE = 'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';

async function problems(xml: string) {
  try {
    await compile(xml);
  } catch (e) {
    if (e instanceof DefinitionError) return e.problems.map((p) => `${p.elementId}: ${p.message}`);
    throw e;
  }
  throw new Error('the model compiled');
}

const userTaskModel = (ns: string, prefix: string) =>
  doc(
    ns,
    `<startEvent id="s"/>
     <sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
     <userTask id="t" ${prefix}:assignee="\${initiatorName}" ${prefix}:candidateGroups="managers,hr" ${prefix}:formKey="approve-leave"/>
     <sequenceFlow id="f2" sourceRef="t" targetRef="e"/>
     <endEvent id="e"/>`,
  );

describe('user task assignments in every dialect', () => {
  it.each([
    ['flowable', FLOWABLE, 'flowable'],
    ['activiti', ACTIVITI, 'activiti'],
    ['Camunda 7 written against the Activiti namespace', LEGACY_CAMUNDA, 'camunda'],
  ])('%s: assignee, candidate groups and form key reach the task', async (_, ns, prefix) => {
    const run = await Run.start(userTaskModel(ns, prefix), { initiatorName: 'kermit' });
    expect(run.last.find((e) => e.type === 'taskCreated')).toMatchObject({
      assignee: 'kermit',
      candidateGroups: ['managers', 'hr'],
      formKey: 'approve-leave',
    });
    expect(run.def.warnings).toEqual([]);
  });

  it('candidate users are refused by name rather than offering the task to everyone', async () => {
    const xml = doc(
      FLOWABLE,
      `<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
       <userTask id="t" flowable:candidateUsers="kermit,gonzo"/><sequenceFlow id="f2" sourceRef="t" targetRef="e"/><endEvent id="e"/>`,
    );
    expect(await problems(xml)).toEqual([
      't: candidate users ("kermit,gonzo") are not supported: offer the task to candidate groups or an assignee',
    ]);
  });
});

describe('extensions that do not run are warned about, naming the element', () => {
  it('Flowable task listeners, form properties and unknown attributes', async () => {
    const xml = doc(
      FLOWABLE,
      `<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
       <userTask id="t" flowable:category="hr">
         <extensionElements>
           <flowable:taskListener event="create" class="org.acme.Notify"/>
           <flowable:formProperty id="days" type="long"/>
         </extensionElements>
       </userTask>
       <sequenceFlow id="f2" sourceRef="t" targetRef="e"/><endEvent id="e"/>`,
    );
    const def = await compile(xml);
    expect(def.warnings.map((w) => `${w.elementId}: ${w.message}`)).toEqual([
      't: flowable:category="hr" is not read by this engine and is ignored',
      't: flowable:taskListener (class="org.acme.Notify" event="create") is ignored: listeners do not run here: what they do (set variables, notify, call code) will not happen',
      't: flowable:formProperty (type="long") is ignored: the form properties are not shown: give the task a form key of a ServiceLoom form',
    ]);
  });

  it('Zeebe task headers, properties and tenant-free call binding', async () => {
    const xml = doc(
      ZEEBE,
      `<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
       <serviceTask id="t">
         <extensionElements>
           <zeebe:taskDefinition type="mailer"/>
           <zeebe:taskHeaders><zeebe:header key="template" value="welcome"/></zeebe:taskHeaders>
           <zeebe:properties><zeebe:property name="owner" value="ops"/></zeebe:properties>
         </extensionElements>
       </serviceTask>
       <sequenceFlow id="f2" sourceRef="t" targetRef="e"/><endEvent id="e"/>`,
    );
    const def = await compile(xml);
    expect(def.warnings.map((w) => `${w.elementId}: ${w.message}`)).toEqual([
      't: zeebe:taskHeaders is ignored: task headers are not passed to the job worker',
      't: zeebe:properties is ignored: extension properties are kept as documentation only',
    ]);
  });

  it('a called tenant id is a warning; calling by version tag is refused', async () => {
    const call = (attrs: string) =>
      doc(
        'xmlns:camunda="http://camunda.org/schema/1.0/bpmn"',
        `<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="c"/>
         <callActivity id="c" calledElement="child" ${attrs}/><sequenceFlow id="f2" sourceRef="c" targetRef="e"/><endEvent id="e"/>`,
      );
    const def = await compile(call('camunda:calledElementTenantId="acme"'));
    expect(def.warnings.map((w) => w.message)).toEqual([
      'camunda:calledElementTenantId="acme" is ignored: tenant ids are ignored: a called process runs in the caller’s tenant',
    ]);
    expect(await problems(call('camunda:calledElementBinding="versionTag" camunda:calledElementVersionTag="v2"'))).toEqual([
      'c: camunda:calledElementBinding="versionTag": only the latest version or a version number can be called',
      'c: camunda:calledElementVersionTag="v2": calling a process by version tag is not supported; call the latest or a version number',
    ]);
  });
});

describe('behaviour that cannot run is refused with its cause', () => {
  it.each([
    ['flowable:type="mail"', 'x: flowable:type="mail": this task type cannot run here; use a job type (sl:type) for a worker or connector'],
    ['flowable:type="http"', 'x: flowable:type="http" task has no requestUrl field'],
    [
      'flowable:class="org.acme.Archive"',
      'x: Java delegate flowable:class="org.acme.Archive" cannot run here: use a job type (sl:type) for a worker or connector',
    ],
  ])('%s', async (attr, message) => {
    const xml = doc(
      FLOWABLE,
      `<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="x"/>
       <serviceTask id="x" ${attr}/><sequenceFlow id="f2" sourceRef="x" targetRef="e"/><endEvent id="e"/>`,
    );
    expect(await problems(xml)).toEqual([message]);
  });

  it('a Camunda 7 DMN business rule task, and an http-connector without a url, name their cause', async () => {
    const xml = doc(
      'xmlns:camunda="http://camunda.org/schema/1.0/bpmn"',
      `<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="r"/>
       <businessRuleTask id="r" camunda:decisionRef="approve"/><sequenceFlow id="f2" sourceRef="r" targetRef="h"/>
       <serviceTask id="h"><extensionElements><camunda:connector><camunda:connectorId>http-connector</camunda:connectorId></camunda:connector></extensionElements></serviceTask>
       <sequenceFlow id="f3" sourceRef="h" targetRef="e"/><endEvent id="e"/>`,
    );
    expect(await problems(xml)).toEqual([
      'r: camunda:decisionRef="approve": DMN decisions cannot run here: use a job type (sl:type) for a worker that decides',
      'h: camunda:connector http-connector has no url input',
    ]);
  });
});

describe('call activities keep their dialect’s variable passing', () => {
  const model = (ns: string, prefix: string, bindings: string) =>
    doc(
      ns,
      `<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="c"/>
       <callActivity id="c" calledElement="child"><extensionElements>${bindings.replaceAll('P:', `${prefix}:`)}</extensionElements></callActivity>
       <sequenceFlow id="f2" sourceRef="c" targetRef="e"/><endEvent id="e"/>`,
    );

  it.each([
    ['flowable', FLOWABLE, 'flowable'],
    ['Camunda 7', 'xmlns:camunda="http://camunda.org/schema/1.0/bpmn"', 'camunda'],
  ])('%s: the child gets only what `in` passes, the caller only what `out` returns', async (_, ns, prefix) => {
    const xml = model(
      ns,
      prefix,
      '<P:in source="amount" target="total"/><P:in sourceExpression="${amount * 2}" target="double"/><P:out source="verdict" target="approved"/>',
    );
    const run = await Run.start(xml, { amount: 5, secret: 'x' });
    const call = run.last.find((e) => e.type === 'callStarted');
    expect(call).toMatchObject({ variables: { total: 5, double: 10 } });
    expect(call && 'variables' in call ? Object.keys(call.variables) : []).toEqual(['total', 'double']);
    run.do({ type: 'childCompleted', callId: (call as { callId: string }).callId, variables: { verdict: true, noise: 1 } });
    expect(run.variables).toEqual({ amount: 5, secret: 'x', approved: true });
  });

  it('without any `in` the child gets nothing; with variables="all" it gets everything', async () => {
    const none = await Run.start(model(FLOWABLE, 'flowable', ''), { amount: 5 });
    expect(none.last.find((e) => e.type === 'callStarted')).toMatchObject({ variables: {} });
    const all = await Run.start(model(FLOWABLE, 'flowable', '<P:in variables="all"/><P:out variables="all"/>'), { amount: 5 });
    const call = all.last.find((e) => e.type === 'callStarted') as { callId: string; variables: object };
    expect(call.variables).toEqual({ amount: 5 });
    all.do({ type: 'childCompleted', callId: call.callId, variables: { verdict: 'ok' } });
    expect(all.variables).toEqual({ amount: 5, verdict: 'ok' });
  });
});

describe('common variants', () => {
  it('sequence flows without an id get a stable one and a warning', async () => {
    const xml = doc(FLOWABLE, `<startEvent id="s"/><sequenceFlow sourceRef="s" targetRef="e"/><endEvent id="e"/>`);
    const def = await compile(xml);
    expect(Object.keys(def.flows)).toEqual(['Flow_s_e']);
    expect(def.warnings.map((w) => `${w.elementId}: ${w.message}`)).toEqual([
      'Flow_s_e: a sequence flow from "s" to "e" has no id; it is called "Flow_s_e"',
    ]);
    const run = await Run.start(xml);
    expect(run.status).toBe('completed');
  });

  it('a Zeebe job type written as an expression is evaluated when the job is created', async () => {
    const xml = doc(
      ZEEBE,
      `<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
       <serviceTask id="t"><extensionElements><zeebe:taskDefinition type="=&quot;validate-&quot; + kind"/></extensionElements></serviceTask>
       <sequenceFlow id="f2" sourceRef="t" targetRef="e"/><endEvent id="e"/>`,
    );
    const run = await Run.start(xml, { kind: 'invoice' });
    expect(run.last.find((e) => e.type === 'jobCreated')).toMatchObject({ jobType: 'validate-invoice' });
    const faulty = await Run.start(xml, {});
    expect(faulty.last.find((e) => e.type === 'jobCreated')).toBeUndefined();
    expect(faulty.last.find((e) => e.type === 'faultRaised')).toMatchObject({ elementId: 't' });
  });
});

describe('cron timer cycles', () => {
  const cycleOf = async (ns: string, cron: string) => {
    const xml = doc(
      ns,
      `<startEvent id="s"><timerEventDefinition><timeCycle>${cron}</timeCycle></timerEventDefinition></startEvent>
       <sequenceFlow id="f1" sourceRef="s" targetRef="e"/><endEvent id="e"/>`,
    );
    const timer = (await compile(xml)).starts[0]?.timer;
    return timer && 'literal' in timer.value ? timer.value.literal : undefined;
  };

  it('Quartz (Camunda 7, Flowable) numbers days from Sunday = 1: "6#3" stays the third Friday', async () => {
    const cron = (await cycleOf(FLOWABLE, '0 0 12 ? * 6#3')) as string;
    // T0 is Monday 2026-01-05: the third Friday of January 2026 is the 16th, of February the 20th.
    const first = firstSchedule('cycle', cron, T0);
    expect(first.dueAt).toBe('2026-01-16T12:00:00.000Z');
    expect(nextSchedule(first, Date.parse(first.dueAt))?.dueAt).toBe('2026-02-20T12:00:00.000Z');
    // Camunda 7 weekdays, and a year field of "*" dropped.
    const weekdays = (await cycleOf('xmlns:camunda="http://camunda.org/schema/1.0/bpmn"', '0 0 9 ? * 2-6 *')) as string;
    const friday = firstSchedule('cycle', weekdays, Date.parse('2026-01-09T10:00:00Z'));
    expect(friday.dueAt).toBe('2026-01-12T09:00:00.000Z'); // Friday after nine: next Monday
  });

  it('Spring (Camunda 8) and Unix numbering is kept: "5#3" is the third Friday there', async () => {
    const cron = (await cycleOf(ZEEBE, '0 0 12 ? * 5#3')) as string;
    expect(firstSchedule('cycle', cron, T0).dueAt).toBe('2026-01-16T12:00:00.000Z');
    expect(firstSchedule('cycle', (await cycleOf(ZEEBE, '*/15 * * * *')) as string, T0).dueAt).toBe('2026-01-05T09:15:00.000Z');
  });

  it('a cycle that fell behind fires once for all it missed, and its interval is the shortest gap', async () => {
    const cron = (await cycleOf(ZEEBE, '0 0 9 * * ?')) as string;
    const first = firstSchedule('cycle', cron, T0);
    expect(first.dueAt).toBe('2026-01-06T09:00:00.000Z');
    expect(nextSchedule(first, Date.parse('2026-01-10T12:00:00Z'))?.dueAt).toBe('2026-01-11T09:00:00.000Z');
    expect(cycleIntervalMs(cron)).toBe(24 * 3600_000);
  });
});

describe('FEEL: Camunda’s is defined()', () => {
  // The examples of Camunda's documentation (Boolean functions, "is defined").
  it.each([
    ['is defined(x)', {}, false],
    ['is defined(x)', { x: null }, true],
    ['is defined(x)', { x: 1 }, true],
    ['is defined(x.y)', { x: {} }, false],
    ['is defined(x.y)', { x: { y: null } }, true],
    ['is defined(x.y)', {}, false],
    ['not(is defined(x)) and "is defined(x)" = "is defined(x)"', {}, true],
  ])('%s with %j is %s', (expression, context, expected) => {
    expect(compileFeel(expression).evaluate(context)).toBe(expected);
  });
});

describe('FEEL: string literals that span lines, as Camunda accepts them', () => {
  it('keeps the line breaks in the value', () => {
    expect(compileFeel('="Dear " + name + ",\n\nyour ticket is closed."').evaluate({ name: 'Ann' })).toBe(
      'Dear Ann,\n\nyour ticket is closed.',
    );
    expect(compileFeel('x\n+ 1').evaluate({ x: 1 })).toBe(2);
  });
});

describe('JUEL method calls on variables', () => {
  it.each([
    ['${items.size() > 0}', { items: [1] }, true],
    ['${items.size() > 0}', { items: [] }, false],
    ['${order.lines.isEmpty()}', { order: { lines: [] } }, true],
    ['${!name.isEmpty()}', { name: 'x' }, true],
    ['${tags.contains("vip")}', { tags: ['vip'] }, true],
    ['${name.contains("ab")}', { name: 'xaby' }, true],
    ['${status.equals("done")}', { status: 'open' }, false],
    ['${empty notes}', { notes: '' }, true],
    ['${not empty notes}', { notes: { a: 1 } }, true],
    ['${empty missing}', {}, true],
  ])('%s with %j is %s', (juel, context, expected) => {
    expect(compileFeel(juelToFeel(juel)).evaluate(context)).toBe(expected);
  });

  it('any other method call is refused at compile time, naming the call and the element', async () => {
    const xml = doc(
      'xmlns:camunda="http://camunda.org/schema/1.0/bpmn"',
      `<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="c"/>
       <intermediateCatchEvent id="c"><conditionalEventDefinition><condition>\${bean.isApproved(amount)}</condition></conditionalEventDefinition></intermediateCatchEvent>
       <sequenceFlow id="f2" sourceRef="c" targetRef="e"/><endEvent id="e"/>`,
    );
    expect(await problems(xml)).toEqual([
      'c: the condition: JUEL method call "bean.isApproved(...)" cannot run here: only size(), isEmpty(), contains() and equals() on variables are translated; rewrite the condition in FEEL',
    ]);
  });
});
