// Large BPMN documents compile on a worker thread (src/process/compile-off-thread.ts): what comes
// back must be the very definition compile() makes in this thread, FEEL included, and a document
// with problems must be refused with the same problems, each naming its element.
import { checkImport, compile, DefinitionError } from '@serviceloom/engine';
import { afterAll, expect, it } from 'vitest';
import { OFF_THREAD_BYTES, OffThreadCompiler } from '../src/process/compile-off-thread.ts';
import { bpmn } from './helpers.ts';

const failures: Error[] = [];
const compiler = new OffThreadCompiler((e) => failures.push(e));
afterAll(() => compiler.close());

const flow = (id: string, from: string, to: string) => `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"/>`;

/** start -> t1 -> ... -> tN -> end, each task writing `v<i>` from FEEL. */
function chain(key: string, tasks: number, broken?: number): string {
  const parts = ['<bpmn:startEvent id="start"/>'];
  let previous = 'start';
  for (let i = 1; i <= tasks; i++) {
    const source = i === broken ? '=a +' : `=a + ${i}`;
    parts.push(
      `<bpmn:task id="t${i}"><bpmn:extensionElements><sl:inputOutput><sl:output source="${source}" target="v${i}"/></sl:inputOutput></bpmn:extensionElements></bpmn:task>`,
      flow(`f${i}`, previous, `t${i}`),
    );
    previous = `t${i}`;
  }
  parts.push('<bpmn:endEvent id="end"/>', flow('f_end', previous, 'end'));
  return bpmn(key, parts.join(''));
}

it('a large document compiles off the thread to the definition compile() makes, its FEEL working and the whole frozen', async () => {
  const xml = chain('offthread', 800);
  expect(xml.length).toBeGreaterThanOrEqual(OFF_THREAD_BYTES);
  const [there, here] = await Promise.all([compiler.compile(xml), compile(xml)]);
  expect(JSON.stringify(there)).toBe(JSON.stringify(here));
  const output = there.nodes.t7?.outputs?.[0];
  expect(output?.target).toBe('v7');
  expect(output?.source.evaluate({ a: 35 })).toBe(42);
  expect(Object.isFrozen(there.nodes)).toBe(true);
  expect(Object.isFrozen(there.nodes.t7)).toBe(true);
  expect(failures).toEqual([]);
});

it('a large document with a problem is refused with DefinitionError naming the element', async () => {
  const refused = await compiler.compile(chain('offthread-broken', 800, 321)).catch((e) => e);
  expect(refused).toBeInstanceOf(DefinitionError);
  expect(refused.problems).toEqual([expect.objectContaining({ elementId: 't321', message: expect.stringContaining('FEEL') })]);
  expect(failures).toEqual([]);
});

it('several compiles at once each get their own answer', async () => {
  const keys = ['a', 'b', 'c'].map((k) => `offthread-${k}`);
  const definitions = await Promise.all(keys.map((k) => compiler.compile(chain(k, 700))));
  expect(definitions.map((d) => d.processId)).toEqual(keys);
});

it('compiles in this thread when the worker cannot start, said once', async () => {
  const told: Error[] = [];
  const broken = new OffThreadCompiler((e) => told.push(e), new URL('./no-such-worker.mjs', import.meta.url));
  try {
    const [first, second] = await Promise.all([broken.compile(chain('fallback-a', 700)), broken.compile(chain('fallback-b', 700))]);
    expect([first.processId, second.processId]).toEqual(['fallback-a', 'fallback-b']);
    expect((await broken.compile(chain('fallback-c', 700))).processId).toBe('fallback-c');
    expect(told).toHaveLength(1);
  } finally {
    await broken.close();
  }
});

it("a large document's importer report is made off the thread, the same as checkImport() makes here", async () => {
  const xml = chain('offthread-report', 800, 5);
  expect(xml.length).toBeGreaterThanOrEqual(OFF_THREAD_BYTES);
  const [there, here] = await Promise.all([compiler.checkImport(xml), checkImport(xml)]);
  expect(there).toEqual(here);
  expect(there.runs).toBe(false);
  expect(there.refused.some((r) => r.element === 't5')).toBe(true);
});
