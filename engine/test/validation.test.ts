// compile()'s validation: each rule refuses (or warns about) a model with a problem that names the
// element at fault and says what is wrong, and never crashes or hangs on what it cannot read.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Camunda 7 JUEL expressions are written ${...}
import { describe, expect, it } from 'vitest';
import { juelToFeel } from '../src/compile/juel.ts';
import { compile, type Definition, DefinitionError, type Problem } from '../src/index.ts';
import { bpmn, flow } from './harness.ts';

/** The problems compile() refuses the document with; fails when it is accepted or anything else is thrown. */
async function problemsOf(xml: string): Promise<readonly Problem[]> {
  try {
    await compile(xml);
  } catch (e) {
    if (e instanceof DefinitionError) return e.problems;
    throw e;
  }
  throw new Error('compile() accepted the document');
}

/** Asserts one problem names `elementId` and its message matches `what`. */
async function expectRefused(xml: string, elementId: string, what: RegExp): Promise<readonly Problem[]> {
  const problems = await problemsOf(xml);
  const matching = problems.filter((p) => p.elementId === elementId && what.test(p.message));
  expect(matching, `no problem on "${elementId}" matching ${what}; got ${JSON.stringify(problems)}`).toHaveLength(1);
  expect(matching[0]?.severity ?? 'error').toBe('error');
  return problems;
}

/** A process around `body`: start -> body's element `x` -> end. */
function around(body: string, id = 'x'): string {
  return bpmn(`
    <bpmn:startEvent id="start"/>
    ${flow('f1', 'start', id)}
    ${body}
    ${flow('f2', id, 'end')}
    <bpmn:endEvent id="end"/>`);
}

const timer = (kind: 'timeDuration' | 'timeDate' | 'timeCycle', value: string) =>
  `<bpmn:timerEventDefinition><bpmn:${kind}>${value}</bpmn:${kind}></bpmn:timerEventDefinition>`;

const io = (inner: string) => `<bpmn:extensionElements><sl:inputOutput>${inner}</sl:inputOutput></bpmn:extensionElements>`;

describe('unsupported elements are named, not crashed on', () => {
  it.each([
    ['complex gateway', '<bpmn:complexGateway id="x"/>', /complex gateways are not supported/],
    ['transaction', '<bpmn:transaction id="x"><bpmn:startEvent id="ts"/></bpmn:transaction>', /transaction subprocesses are not supported/],
    [
      'ad-hoc subprocess',
      '<bpmn:adHocSubProcess id="x"><bpmn:task id="adhocTask"/></bpmn:adHocSubProcess>',
      /ad-hoc subprocesses are not supported/,
    ],
    [
      'compensation throw event',
      '<bpmn:intermediateThrowEvent id="x"><bpmn:compensateEventDefinition/></bpmn:intermediateThrowEvent>',
      /compensation events are not supported/,
    ],
    ['cancel end event', '<bpmn:endEvent id="x"><bpmn:cancelEventDefinition/></bpmn:endEvent>', /cancel events are not supported/],
    [
      'standard loop',
      '<bpmn:task id="x"><bpmn:standardLoopCharacteristics/></bpmn:task>',
      /standard loops are not supported; use multi-instance/,
    ],
  ])('%s', async (_what, element, message) => {
    await expectRefused(around(element), 'x', message);
  });

  it('compensation boundary events', async () => {
    const xml = around(`
      <bpmn:task id="x"/>
      <bpmn:boundaryEvent id="undo" attachedToRef="x"><bpmn:compensateEventDefinition/></bpmn:boundaryEvent>`);
    await expectRefused(xml, 'undo', /compensation events are not supported/);
  });

  it('cancel boundary events', async () => {
    const xml = around(`
      <bpmn:subProcess id="x"><bpmn:startEvent id="s1"/>${flow('g1', 's1', 'e1')}<bpmn:endEvent id="e1"/></bpmn:subProcess>
      <bpmn:boundaryEvent id="cancelled" attachedToRef="x"><bpmn:cancelEventDefinition/></bpmn:boundaryEvent>`);
    await expectRefused(xml, 'cancelled', /cancel events are not supported/);
  });
});

describe('FEEL that is missing or does not parse', () => {
  const gateway = (condition: string) =>
    bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'gw')}
      <bpmn:exclusiveGateway id="gw" default="other"/>
      ${flow('yes', 'gw', 'end', condition)}
      ${flow('other', 'gw', 'end')}
      <bpmn:endEvent id="end"/>`);

  it('a condition that is empty', async () => {
    await expectRefused(gateway('  '), 'yes', /the condition is missing/);
  });

  it('a condition that does not parse', async () => {
    await expectRefused(gateway('amount > 3 3'), 'yes', /the condition is not valid FEEL/);
  });

  it('a script that is missing', async () => {
    await expectRefused(around('<bpmn:scriptTask id="x" scriptFormat="feel" sl:resultVariable="r"/>'), 'x', /the script is missing/);
  });

  it('a script that does not parse', async () => {
    const xml = around(
      '<bpmn:scriptTask id="x" scriptFormat="feel" sl:resultVariable="r"><bpmn:script>price * (</bpmn:script></bpmn:scriptTask>',
    );
    await expectRefused(xml, 'x', /the script is not valid FEEL/);
  });

  it('an input mapping that does not parse', async () => {
    const xml = around(`<bpmn:userTask id="x">${io('<sl:input source="=a +* b" target="limit"/>')}</bpmn:userTask>`);
    await expectRefused(xml, 'x', /the input mapping for "limit" is not valid FEEL/);
  });

  it('an output mapping that is empty', async () => {
    const xml = around(`<bpmn:userTask id="x">${io('<sl:output source="=" target="result"/>')}</bpmn:userTask>`);
    await expectRefused(xml, 'x', /the output mapping for "result" is missing/);
  });

  it('a mapping with no target', async () => {
    const xml = around(`<bpmn:userTask id="x">${io('<sl:input source="=1"/>')}</bpmn:userTask>`);
    await expectRefused(xml, 'x', /an input mapping has no target variable/);
  });

  const catchTimer = (definition: string) => around(`<bpmn:intermediateCatchEvent id="x">${definition}</bpmn:intermediateCatchEvent>`);

  it('a timer duration that is not ISO 8601', async () => {
    await expectRefused(
      catchTimer(timer('timeDuration', '2 hours')),
      'x',
      /the timer's duration is invalid: "2 hours" is not an ISO 8601 duration/,
    );
  });

  it('a timer date that is not ISO 8601', async () => {
    await expectRefused(catchTimer(timer('timeDate', 'tomorrow at nine')), 'x', /the timer's date is invalid/);
  });

  it('a timer cycle that is not an ISO 8601 repeating interval', async () => {
    await expectRefused(catchTimer(timer('timeCycle', 'every hour')), 'x', /the timer's cycle is invalid: .*repeating interval/);
  });

  it('a timer cycle that repeats zero times', async () => {
    await expectRefused(catchTimer(timer('timeCycle', 'R0/PT1H')), 'x', /repeats zero times/);
  });

  it('a cron timer cycle that cannot run (a year field, an hour past 23)', async () => {
    await expectRefused(
      catchTimer(timer('timeCycle', '0 0 9 * * ? 2030')),
      'x',
      /the year field \("2030"\) of a cron cycle is not supported/,
    );
    await expectRefused(
      catchTimer(timer('timeCycle', '0 0 25 * * ?')),
      'x',
      /"0 0 25 \* \* \?" is not a cron expression this engine can run/,
    );
  });

  it('a timer expression that does not parse', async () => {
    await expectRefused(catchTimer(timer('timeDuration', '=durationOf(')), 'x', /the timer's duration is not valid FEEL/);
  });

  it('a timer with no value', async () => {
    await expectRefused(catchTimer('<bpmn:timerEventDefinition/>'), 'x', /the timer has no timeDuration, timeDate or timeCycle/);
  });

  it('a multi-instance collection that does not parse', async () => {
    const xml = around(
      '<bpmn:userTask id="x"><bpmn:multiInstanceLoopCharacteristics sl:collection="=items[" sl:elementVariable="item"/></bpmn:userTask>',
    );
    await expectRefused(xml, 'x', /the multi-instance collection is not valid FEEL/);
  });

  it('a multi-instance activity with neither collection nor cardinality', async () => {
    const xml = around('<bpmn:userTask id="x"><bpmn:multiInstanceLoopCharacteristics/></bpmn:userTask>');
    await expectRefused(xml, 'x', /neither sl:collection nor loopCardinality/);
  });
});

describe('gateways', () => {
  it.each(['exclusiveGateway', 'inclusiveGateway'])(
    'an %s with several outgoing flows without conditions names each such flow',
    async (type) => {
      const xml = bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'gw')}
      <bpmn:${type} id="gw"/>
      ${flow('a', 'gw', 'end')}
      ${flow('b', 'gw', 'end')}
      ${flow('c', 'gw', 'end', 'x > 1')}
      <bpmn:endEvent id="end"/>`);
      const problems = await problemsOf(xml);
      expect(problems.map((p) => [p.elementId, p.message])).toEqual([
        ['a', 'the flow leaves gateway "gw" with no condition and is not its default flow'],
        ['b', 'the flow leaves gateway "gw" with no condition and is not its default flow'],
      ]);
    },
  );

  it('a flow whose condition does not parse is reported once, for its condition', async () => {
    const xml = bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'gw')}
      <bpmn:exclusiveGateway id="gw"/>
      ${flow('a', 'gw', 'end', 'x >')}
      ${flow('b', 'gw', 'end', 'x <= 1')}
      <bpmn:endEvent id="end"/>`);
    const problems = await problemsOf(xml);
    expect(problems.map((p) => p.elementId)).toEqual(['a']);
    expect(problems[0]?.message).toMatch(/^the condition is not valid FEEL/);
  });

  it('a default flow that does not leave the gateway', async () => {
    const xml = bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'gw')}
      <bpmn:exclusiveGateway id="gw" default="f1"/>
      ${flow('a', 'gw', 'end', 'x > 1')}
      ${flow('b', 'gw', 'end', 'x <= 1')}
      <bpmn:endEvent id="end"/>`);
    await expectRefused(xml, 'gw', /the default flow "f1" does not leave this element/);
  });
});

describe('sequence flows', () => {
  it('a flow to nowhere (targetRef names no element)', async () => {
    const xml = bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'missing')}`);
    await expectRefused(xml, 'f1', /the sequence flow leads nowhere/);
  });

  it('a flow from nowhere (sourceRef names no element)', async () => {
    const xml = bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'end')}
      ${flow('f0', 'ghost', 'end')}
      <bpmn:endEvent id="end"/>`);
    await expectRefused(xml, 'f0', /no source element/);
  });

  it('a flow crossing a subprocess boundary', async () => {
    const xml = bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'sub')}
      <bpmn:subProcess id="sub">
        <bpmn:startEvent id="s1"/>
        ${flow('g1', 's1', 'inner')}
        <bpmn:task id="inner"/>
        ${flow('g2', 'inner', 'e1')}
        <bpmn:endEvent id="e1"/>
      </bpmn:subProcess>
      ${flow('f2', 'sub', 'end')}
      ${flow('jump', 'start', 'inner')}
      <bpmn:endEvent id="end"/>`);
    await expectRefused(xml, 'jump', /crosses a subprocess boundary \(from "start" to "inner"\)/);
  });

  it('a flow into a start event', async () => {
    const xml = bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'end')}
      ${flow('back', 'end', 'start')}
      <bpmn:endEvent id="end"/>`);
    const problems = await expectRefused(xml, 'back', /cannot lead into a start event/);
    expect(problems.some((p) => p.elementId === 'back' && /cannot leave an end event/.test(p.message))).toBe(true);
  });

  it('two elements with one id', async () => {
    const xml = around('<bpmn:task id="x"/><bpmn:task id="x"/>');
    await expectRefused(xml, 'x', /id is used by more than one element/);
  });

  it('an element the BPMN schema does not know', async () => {
    const xml = around('<bpmn:task id="x"/><bpmn:bogusTask id="b"/>');
    await expectRefused(xml, '', /unreadable content: .*<bpmn:bogusTask.* \(unknown type <bpmn:BogusTask>\)/);
  });
});

describe('boundary events', () => {
  it('attached to a gateway', async () => {
    const xml = bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'gw')}
      <bpmn:parallelGateway id="gw"/>
      ${flow('f2', 'gw', 'end')}
      <bpmn:boundaryEvent id="late" attachedToRef="gw">${timer('timeDuration', 'PT1H')}</bpmn:boundaryEvent>
      ${flow('f3', 'late', 'end')}
      <bpmn:endEvent id="end"/>`);
    await expectRefused(xml, 'late', /cannot be attached to a parallelGateway; only to activities/);
  });

  it('attached to an event', async () => {
    const xml = bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'wait')}
      <bpmn:intermediateCatchEvent id="wait">${timer('timeDuration', 'PT1H')}</bpmn:intermediateCatchEvent>
      ${flow('f2', 'wait', 'end')}
      <bpmn:boundaryEvent id="late" attachedToRef="wait">${timer('timeDuration', 'PT2H')}</bpmn:boundaryEvent>
      ${flow('f3', 'late', 'end')}
      <bpmn:endEvent id="end"/>`);
    await expectRefused(xml, 'late', /cannot be attached to a intermediateCatchEvent; only to activities/);
  });

  it('attached to nothing in the process', async () => {
    const xml = around(
      `<bpmn:task id="x"/><bpmn:boundaryEvent id="late" attachedToRef="elsewhere">${timer('timeDuration', 'PT1H')}</bpmn:boundaryEvent>`,
    );
    const problems = await problemsOf(xml);
    expect(problems.some((p) => p.elementId === 'late')).toBe(true);
  });

  it('a non-interrupting error boundary event', async () => {
    const xml = around(`
      <bpmn:userTask id="x"/>
      <bpmn:boundaryEvent id="oops" attachedToRef="x" cancelActivity="false"><bpmn:errorEventDefinition/></bpmn:boundaryEvent>`);
    await expectRefused(xml, 'oops', /an error boundary event always interrupts/);
  });
});

describe('tasks and call activities', () => {
  it('a call activity without calledElement', async () => {
    await expectRefused(around('<bpmn:callActivity id="x"/>'), 'x', /names no process to call \(calledElement\)/);
  });

  it('a service task without sl:type', async () => {
    await expectRefused(around('<bpmn:serviceTask id="x"/>'), 'x', /a service task needs sl:type/);
  });

  it('a business rule task without sl:type', async () => {
    await expectRefused(around('<bpmn:businessRuleTask id="x"/>'), 'x', /a business rule task needs sl:type/);
  });

  it('job retries that are not a whole number', async () => {
    await expectRefused(around('<bpmn:serviceTask id="x" sl:type="mail" sl:retries="many"/>'), 'x', /retries "many" is not a whole number/);
  });

  it('a receive task without a message', async () => {
    await expectRefused(around('<bpmn:receiveTask id="x"/>'), 'x', /names no message \(messageRef\)/);
  });

  it('a script in JavaScript', async () => {
    const xml = around('<bpmn:scriptTask id="x" scriptFormat="javascript"><bpmn:script>1 + 1</bpmn:script></bpmn:scriptTask>');
    await expectRefused(xml, 'x', /script format "javascript" is not supported; scripts are FEEL expressions/);
  });

  it('a Camunda 7 Java delegate, pointing at sl:type', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="start"/>
    ${flow('f1', 'start', 'x')}
    <bpmn:serviceTask id="x" camunda:class="com.acme.SendMail"/>
    ${flow('f2', 'x', 'end')}
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>`;
    const problems = await expectRefused(
      xml,
      'x',
      /Java delegate camunda:class="com.acme.SendMail" cannot run here: use a job type \(sl:type\)/,
    );
    expect(problems).toHaveLength(1); // the cause, not also the vaguer 'needs sl:type'
  });
});

describe('loops that never wait', () => {
  it('a loop of script tasks and gateways with no way out is an error', async () => {
    const xml = bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'merge')}
      <bpmn:exclusiveGateway id="merge"/>
      ${flow('f2', 'merge', 'count')}
      <bpmn:scriptTask id="count" scriptFormat="feel" sl:resultVariable="n"><bpmn:script>n + 1</bpmn:script></bpmn:scriptTask>
      ${flow('f3', 'count', 'merge')}`);
    const problems = await expectRefused(
      xml,
      'count',
      /the loop through count, merge has no wait state and no way out: it would spin forever/,
    );
    expect(problems).toHaveLength(1);
  });

  it('a loop with a conditional exit compiles with a warning', async () => {
    const xml = bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'merge')}
      <bpmn:exclusiveGateway id="merge"/>
      ${flow('f2', 'merge', 'count')}
      <bpmn:scriptTask id="count" scriptFormat="feel" sl:resultVariable="n"><bpmn:script>n + 1</bpmn:script></bpmn:scriptTask>
      ${flow('f3', 'count', 'check')}
      <bpmn:exclusiveGateway id="check" default="again"/>
      ${flow('done', 'check', 'end', 'n >= 10')}
      ${flow('again', 'check', 'merge')}
      <bpmn:endEvent id="end"/>`);
    const def: Definition = await compile(xml);
    expect(def.warnings).toEqual([
      {
        elementId: 'check',
        message: "the loop through check, count, merge has no wait state; it can spin until the engine's step limit stops it",
        severity: 'warning',
      },
    ]);
  });

  it('a loop through a user task is fine', async () => {
    const xml = bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'merge')}
      <bpmn:exclusiveGateway id="merge"/>
      ${flow('f2', 'merge', 'review')}
      <bpmn:userTask id="review"/>
      ${flow('f3', 'review', 'merge')}`);
    expect((await compile(xml)).warnings).toEqual([]);
  });
});

describe('several problems', () => {
  it('are all reported at once, each naming its element', async () => {
    const xml = bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'send')}
      <bpmn:serviceTask id="send"/>
      ${flow('f2', 'send', 'calc')}
      <bpmn:scriptTask id="calc" scriptFormat="feel" sl:resultVariable="r"><bpmn:script>(</bpmn:script></bpmn:scriptTask>
      ${flow('f3', 'calc', 'call')}
      <bpmn:callActivity id="call"/>
      ${flow('f4', 'call', 'wait')}
      <bpmn:intermediateCatchEvent id="wait">${timer('timeDuration', 'soon')}</bpmn:intermediateCatchEvent>
      ${flow('f5', 'wait', 'gone')}
      <bpmn:complexGateway id="cg"/>`);
    const problems = await problemsOf(xml);
    expect(problems.map((p) => p.elementId).sort()).toEqual(['calc', 'call', 'cg', 'f5', 'send', 'wait']);
    for (const p of problems) expect(p.severity).toBe('error');
    const error = await compile(xml).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DefinitionError);
    expect((error as DefinitionError).code).toBe('BPMN_INVALID');
    expect((error as DefinitionError).message).toMatch(/^The BPMN model has 6 problems: /);
  });
});

describe('documents that are not BPMN', () => {
  const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="p" isExecutable="true" name="&lol9;">
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="t" name="&lol9;&lol9;&lol9;"/>
  </bpmn:process>
</bpmn:definitions>`;

  it.each([
    ['an empty string', ''],
    ['only whitespace', ' \n\t '],
    ['malformed XML', '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process id="p">'],
    ['text that is not XML', 'start -> review -> end'],
    ['XML that is not BPMN', '<?xml version="1.0"?><html><body><p>hello</p></body></html>'],
    ['a BPMN document without a process', bpmn('').replace(/<bpmn:process[\s\S]*<\/bpmn:process>/, '')],
    ['a process without elements', bpmn('')],
    ['an XML entity expansion ("billion laughs")', billionLaughs],
  ])('%s is refused with a DefinitionError', async (_what, xml) => {
    const started = Date.now();
    const problems = await problemsOf(xml);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) expect(p.message).not.toBe('');
  });

  it('something that is not a string is refused with a DefinitionError', async () => {
    await expect(compile(undefined as unknown as string)).rejects.toBeInstanceOf(DefinitionError);
    await expect(compile(42 as unknown as string)).rejects.toBeInstanceOf(DefinitionError);
  });

  it('a process id that is not in the document', async () => {
    const xml = around('<bpmn:task id="x"/>');
    await expect(compile(xml, { processId: 'other' })).rejects.toMatchObject({ problems: [{ elementId: 'other' }] });
  });
});

describe('JUEL conditions (Camunda 7) are translated to FEEL', () => {
  it.each([
    ["${a > 1 && b == 'x'}", 'a > 1 and b = "x"', [{ a: 2, b: 'x' }, true], [{ a: 1, b: 'x' }, false], [{ a: 2, b: 'y' }, false]],
    ['${!approved}', 'not(approved)', [{ approved: false }, true], [{ approved: true }, false]],
    ['${x eq 5 or y ne 3}', 'x = 5 or y != 3', [{ x: 5, y: 3 }, true], [{ x: 4, y: 4 }, true], [{ x: 4, y: 3 }, false]],
    ['${!(a || b)}', 'not((a or b))', [{ a: false, b: false }, true], [{ a: true, b: false }, false]],
    ['${order.total ge 100}', 'order.total >= 100', [{ order: { total: 100 } }, true], [{ order: { total: 99 } }, false]],
  ] as Array<[string, string, ...Array<[Record<string, unknown>, boolean]>]>)('%s becomes %s', async (juel, feel, ...cases) => {
    expect(juelToFeel(juel)).toBe(feel);
    // And a gateway with the JUEL condition routes by it.
    const xml = bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'gw')}
      <bpmn:exclusiveGateway id="gw" default="no"/>
      ${flow('yes', 'gw', 'end', juel)}
      ${flow('no', 'gw', 'end')}
      <bpmn:endEvent id="end"/>`);
    const def = await compile(xml);
    const condition = def.flows.yes?.condition;
    for (const [variables, expected] of cases) expect(condition?.evaluate(variables), JSON.stringify(variables)).toBe(expected);
  });

  it.each([
    ['${bean.isApproved(amount)}', /JUEL method call "bean.isApproved\(...\)" cannot run here/],
    ['${x.length() > 0}', /JUEL method call "x.length\(...\)" cannot run here/],
    ['${fn:upper(x)}', /cannot translate/],
    ['${execution.getVariable("x")}', /JUEL "execution" has no FEEL translation/],
    ['${a ? b : c}', /cannot translate " \? b : c" from JUEL to FEEL/],
  ])('%s is refused with the reason', async (juel, reason) => {
    expect(() => juelToFeel(juel)).toThrow(reason);
    const xml = bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'gw')}
      <bpmn:exclusiveGateway id="gw" default="no"/>
      ${flow('yes', 'gw', 'end', juel)}
      ${flow('no', 'gw', 'end')}
      <bpmn:endEvent id="end"/>`);
    await expectRefused(xml, 'yes', reason);
  });
});

describe('timer start events', () => {
  it('refuses a timer start whose expression reads variables, since none exist before the instance', async () => {
    const xml = bpmn(`
      <bpmn:startEvent id="nightly">${timer('timeDate', '=deadline')}</bpmn:startEvent>
      ${flow('f1', 'nightly', 'end')}
      <bpmn:endEvent id="end"/>`);
    await expectRefused(xml, 'nightly', /timer start cannot be scheduled/);
  });

  it('accepts a timer start computed from constants', async () => {
    const xml = bpmn(`
      <bpmn:startEvent id="hourly">${timer('timeCycle', '="R/" + string(duration("PT1H"))')}</bpmn:startEvent>
      ${flow('f1', 'hourly', 'end')}
      <bpmn:endEvent id="end"/>`);
    const def = await compile(xml);
    expect(def.starts.map((s) => s.kind)).toEqual(['timer']);
  });
});
