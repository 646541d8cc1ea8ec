// Large models: a model as large as the documented limits allow compiles and runs to its end in
// one step (nothing in compile or execute recurses once per element), and a model beyond them is
// refused with one problem that names the element and the limit.
import { describe, expect, it } from 'vitest';
import { compile, DefinitionError, MAX_FLOW_ELEMENTS, MAX_NESTING, type Problem, STEP_LIMIT } from '../src/index.ts';
import { bpmn, flow, Run } from './harness.ts';

/** start -> t1 -> ... -> tN -> end, all automatic. */
function chain(tasks: number, element = (id: string) => `<bpmn:task id="${id}"/>`): string {
  const parts = ['<bpmn:startEvent id="start"/>'];
  let previous = 'start';
  for (let i = 1; i <= tasks; i++) {
    parts.push(element(`t${i}`), flow(`f${i}`, previous, `t${i}`));
    previous = `t${i}`;
  }
  parts.push('<bpmn:endEvent id="end"/>', flow('f_end', previous, 'end'));
  return bpmn(parts.join('\n'));
}

/** Sub_1 holds Sub_2 ... holds Sub_depth; each runs start -> (the next subprocess) -> end. */
function nested(depth: number): string {
  let inner = '';
  for (let d = depth; d >= 1; d--) {
    const next = d === depth ? `e${d}` : `Sub_${d + 1}`;
    inner = `<bpmn:subProcess id="Sub_${d}"><bpmn:startEvent id="s${d}"/>${inner}<bpmn:endEvent id="e${d}"/>${flow(`a${d}`, `s${d}`, next)}${
      d === depth ? '' : flow(`b${d}`, next, `e${d}`)
    }</bpmn:subProcess>`;
  }
  return bpmn(`<bpmn:startEvent id="start"/>${inner}<bpmn:endEvent id="end"/>${flow('f0', 'start', 'Sub_1')}${flow('f1', 'Sub_1', 'end')}`);
}

async function problemsOf(xml: string): Promise<readonly Problem[]> {
  try {
    await compile(xml);
  } catch (e) {
    if (e instanceof DefinitionError) return e.problems;
    throw e;
  }
  throw new Error('compile() accepted the document');
}

describe('long chains of automatic elements', () => {
  it('a 5,000-task chain compiles and runs to the end in one step', async () => {
    const run = await Run.start(chain(5000));
    expect(run.status).toBe('completed');
    const tasks = run.completed().filter((id) => id.startsWith('t'));
    expect(tasks).toHaveLength(5000);
    expect(tasks[0]).toBe('t1');
    expect(tasks[4999]).toBe('t5000');
    expect(run.completed().at(-1)).toBe('end');
  });

  it('the longest chain the element limit allows runs past STEP_LIMIT elements in one step', async () => {
    // start, the tasks and end, and a flow between each: just within the limit.
    const tasks = Math.floor((MAX_FLOW_ELEMENTS - 3) / 2);
    const run = await Run.start(chain(tasks));
    expect(run.status).toBe('completed');
    expect(run.completed().filter((id) => id.startsWith('t'))).toHaveLength(tasks);
    // More than STEP_LIMIT starts in the one step: the limit grows with the model.
    expect(run.history.filter((h) => h.event === 'started').length).toBeGreaterThan(STEP_LIMIT);
  });

  it('a spinning loop in a large model is still stopped', async () => {
    // A loop with an exit that is never taken, beside a long chain that raises the step limit.
    const filler = Array.from({ length: 6000 }, (_, i) => `<bpmn:task id="idle${i}"/>`).join('');
    const xml = bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'spin')}
      <bpmn:exclusiveGateway id="spin" default="again"/>
      ${flow('again', 'spin', 'spin2')}
      <bpmn:task id="spin2"/>
      ${flow('back', 'spin2', 'spin')}
      ${flow('out', 'spin', 'end', 'false')}
      <bpmn:endEvent id="end"/>
      ${filler}`);
    await expect(Run.start(xml)).rejects.toMatchObject({ code: 'STEP_LIMIT' });
  });
});

describe('wide fan-outs', () => {
  it('cancelling 5,500 open branches closes every job and timer, each branch before the process', async () => {
    const BRANCHES = 5500;
    const timer = '<bpmn:timerEventDefinition><bpmn:timeDuration>P30D</bpmn:timeDuration></bpmn:timerEventDefinition>';
    const parts = ['<bpmn:startEvent id="start"/><bpmn:parallelGateway id="fork"/>', flow('f0', 'start', 'fork')];
    for (let i = 1; i <= BRANCHES; i++) {
      parts.push(
        `<bpmn:serviceTask id="j${i}" sl:type="work"/>`,
        `<bpmn:boundaryEvent id="b${i}" attachedToRef="j${i}">${timer}</bpmn:boundaryEvent>`,
        flow(`f${i}`, 'fork', `j${i}`),
      );
    }
    const run = await Run.start(bpmn(parts.join('')));
    expect(run.last.filter((e) => e.type === 'jobCreated')).toHaveLength(BRANCHES);
    expect(run.last.filter((e) => e.type === 'timerScheduled')).toHaveLength(BRANCHES);
    const before = run.history.length;
    run.do({ type: 'cancel' });
    expect(run.status).toBe('cancelled');
    expect(run.last.filter((e) => e.type === 'jobCancelled')).toHaveLength(BRANCHES);
    expect(run.last.filter((e) => e.type === 'timerCancelled')).toHaveLength(BRANCHES);
    const cancelled = run.history.slice(before).filter((h) => h.event === 'cancelled');
    expect(cancelled.map((h) => h.elementId)).toEqual([...Array.from({ length: BRANCHES }, (_, i) => `j${i + 1}`), 'p']);
  });
});

describe('limits refused at compile time', () => {
  it(`3,000 nested subprocesses are refused, naming the deepest and the limit of ${MAX_NESTING}`, async () => {
    const problems = await problemsOf(nested(3000));
    expect(problems).toEqual([
      {
        elementId: 'Sub_3000',
        message: `subProcess 'Sub_3000' is nested 3000 deep; at most ${MAX_NESTING} levels are supported`,
        severity: 'error',
      },
    ]);
  });

  it(`${MAX_NESTING} nested subprocesses are accepted and run; one more is refused`, async () => {
    const run = await Run.start(nested(MAX_NESTING));
    expect(run.status).toBe('completed');
    expect(run.completed().filter((id) => id.startsWith('Sub_'))).toHaveLength(MAX_NESTING);
    const problems = await problemsOf(nested(MAX_NESTING + 1));
    expect(problems.map((p) => p.elementId)).toEqual([`Sub_${MAX_NESTING + 1}`]);
  });

  it('a model over the element limit is refused, naming the process', async () => {
    // Counted across scopes: half the tasks inside a subprocess.
    const half = Math.ceil(MAX_FLOW_ELEMENTS / 2);
    const tasks = (prefix: string) => Array.from({ length: half }, (_, i) => `<bpmn:task id="${prefix}${i}"/>`).join('');
    const xml = bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'end')}
      <bpmn:endEvent id="end"/>
      ${tasks('a')}
      <bpmn:subProcess id="sub">${tasks('b')}</bpmn:subProcess>`);
    const problems = await problemsOf(xml);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.elementId).toBe('p');
    expect(problems[0]?.message).toMatch(/^process 'p' has 20,004 flow elements .*; at most 20,000 are supported$/);
  });
});
