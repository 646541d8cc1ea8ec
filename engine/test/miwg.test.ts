// The BPMN MIWG reference models (testdata/bpmn-miwg, at the repository root): compile() either
// accepts a model or refuses it with a DefinitionError naming the elements at fault, never anything
// else; the accepted ones are started and driven through their waits, every command accepted
// without error.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile, type Definition, DefinitionError, execute, findMessageSubscription, openWaits, type Problem } from '../src/index.ts';
import { drive } from './drive.ts';
import { T0 } from './harness.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = path.join(repoRoot, 'testdata/bpmn-miwg');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bpmn'))
  .sort();
const xmlOf = (file: string) => readFileSync(path.join(dir, file), 'utf8');

/** Process ids declared in a document, in document order. */
function processIds(xml: string): string[] {
  return [...xml.matchAll(/<(?:[\w-]+:)?process\b[^>]*?\sid="([^"]+)"/g)].map((m) => m[1] as string);
}

type Outcome = { definition: Definition } | { problems: readonly Problem[] };

/** compile(), failing the test on anything thrown that is not a well-formed DefinitionError. */
async function tryCompile(xml: string, processId?: string): Promise<Outcome> {
  try {
    return { definition: await compile(xml, processId ? { processId } : {}) };
  } catch (e) {
    if (!(e instanceof DefinitionError)) throw new Error(`compile threw ${String(e)}`, { cause: e });
    expect(e.problems.length).toBeGreaterThan(0);
    for (const p of e.problems) {
      expect(p.message.trim()).not.toBe('');
      expect(typeof p.elementId).toBe('string');
      // Every problem in a model that parsed is about an element (or a process) of the document.
      expect(p.elementId, p.message).not.toBe('');
      expect(xml.includes(`id="${p.elementId}"`), `${p.elementId} is an id of the document`).toBe(true);
    }
    return { problems: e.problems };
  }
}

/**
 * One line per distinct problem: its message (ids of the document shortened to …) and how many
 * elements it names, so the summary shows what is refused without pages of generated ids.
 */
function summarize(xml: string, problems: readonly Problem[]): string[] {
  const counts = new Map<string, number>();
  for (const p of problems) {
    const message = p.message
      .replace(/(is not valid FEEL): .*/, '$1: …') // the FEEL parser's wording is not what this summary is about
      .replace(/"([^"\s]+)"/g, (m, id: string) => (xml.includes(`id="${id}"`) ? '"…"' : m));
    counts.set(message, (counts.get(message) ?? 0) + 1);
  }
  return [...counts].map(([m, n]) => (n > 1 ? `${m} (×${n})` : m)).sort();
}

const outcomes = new Map<string, Promise<Outcome>>();
/** compile() of a file (or of one process of it), once per test run. */
function outcomeOf(file: string, processId?: string): Promise<Outcome> {
  const key = `${file}#${processId ?? ''}`;
  let outcome = outcomes.get(key);
  if (!outcome) {
    outcome = tryCompile(xmlOf(file), processId);
    outcomes.set(key, outcome);
  }
  return outcome;
}

async function summaryOf(file: string, processId?: string): Promise<string | string[]> {
  const outcome = await outcomeOf(file, processId);
  return 'definition' in outcome ? `compiles: ${outcome.definition.processId}` : summarize(xmlOf(file), outcome.problems);
}

/** Every definition the suite compiles: whole documents and, for documents with several processes, each process. */
async function definitions(): Promise<Array<{ name: string; definition: Definition }>> {
  const out: Array<{ name: string; definition: Definition }> = [];
  for (const file of files) {
    const ids = processIds(xmlOf(file));
    for (const id of ids.length > 1 ? [undefined, ...ids] : [undefined]) {
      const outcome = await outcomeOf(file, id);
      if ('definition' in outcome) out.push({ name: id ? `${file}#${id}` : file, definition: outcome.definition });
    }
  }
  return out;
}

describe('BPMN MIWG reference models', () => {
  it('finds the 21 reference models', () => {
    expect(files).toHaveLength(21);
  });

  it.each(files)('%s compiles or is refused with problems that name its elements', async (file) => {
    const xml = xmlOf(file);
    await outcomeOf(file);
    const ids = processIds(xml);
    if (ids.length > 1) for (const id of ids) await outcomeOf(file, id);
  });

  it('accepts and refuses the documents it does, for these reasons', async () => {
    const summary: Record<string, string | string[]> = {};
    for (const file of files) summary[file] = await summaryOf(file);
    // Most reference models are descriptive, not executable: gateways without conditions, events
    // without a message or signal, tasks without an implementation. Documents with several pools
    // need a processId (see the next test); compensation, DMN and Java delegates are not supported.
    expect(summary).toEqual({
      'A.1.0.bpmn': 'compiles: WFP-6-',
      'A.2.0.bpmn': ['the flow leaves gateway "…" with no condition and is not its default flow (×3)'],
      'A.2.1.bpmn': ['condition language "http://www.w3.org/1999/XPath" is not supported; write the condition in FEEL (×5)'],
      'A.3.0.bpmn': ['the message event names no message', 'the subprocess has no none start event'],
      'A.4.0.bpmn': ['the document holds several processes and none is marked isExecutable="true"; mark the one to run (×2)'],
      'A.4.1.bpmn': ['the document holds several processes and none is marked isExecutable="true"; mark the one to run (×2)'],
      'B.1.0.bpmn': ['the document holds several processes and none is marked isExecutable="true"; mark the one to run (×4)'],
      'B.2.0.bpmn': ['the document holds several processes and none is marked isExecutable="true"; mark the one to run (×4)'],
      'C.1.0.bpmn': [
        'Java delegate activiti:delegateExpression="#{archiveService}" cannot run here: use a job type (sl:type) for a worker or connector',
      ],
      // XPath conditions (the document's default expressionLanguage) and a Java delegate, named as the cause.
      'C.1.1.bpmn': [
        'Java delegate activiti:delegateExpression="#{archiveService}" cannot run here: use a job type (sl:type) for a worker or connector',
        'the condition is not valid FEEL: … (×4)',
      ],
      'C.2.0.bpmn': ['the document holds several processes and none is marked isExecutable="true"; mark the one to run (×4)'],
      'C.3.0.bpmn': [
        'the condition is not valid FEEL: …',
        'the flow leaves gateway "…" with no condition and is not its default flow (×6)',
        'the subprocess has no none start event',
      ],
      'C.4.0.bpmn': ['the document holds several processes and none is marked isExecutable="true"; mark the one to run (×4)'],
      'C.5.0.bpmn': ['the document holds several processes and none is marked isExecutable="true"; mark the one to run (×2)'],
      'C.6.0.bpmn': [
        'a send task needs a message (messageRef) or sl:type for the job that sends it (×6)',
        'a service task needs sl:type: the job type or connector that does the work (×6)',
        'compensation events are not supported (×6)',
        'the message event names no message (×3)',
        'the start event of an event subprocess needs a timer, message, signal, error or escalation trigger',
        "the timer's date is empty (×2)",
      ],
      'C.7.0.bpmn': [
        'a business rule task needs sl:type: the job type or connector that does the work',
        'a service task needs sl:type: the job type or connector that does the work (×2)',
        'the flow leaves gateway "…" with no condition and is not its default flow (×2)',
        'the multi-instance activity has neither sl:collection nor loopCardinality',
      ],
      'C.8.0.bpmn': 'compiles: VacationRequestProcess',
      'C.8.1.bpmn': 'compiles: VacationRequestProcess',
      'C.9.0.bpmn': ['zeebe:calledDecision: DMN decisions cannot run here: use a job type (sl:type) for a worker that decides'],
      'C.9.1.bpmn': 'compiles: requestDocument_en',
      'C.9.2.bpmn': 'compiles: ManualCheck',
    });
  });

  it('compiles each process of the documents that hold several', async () => {
    const summary: Record<string, string | string[]> = {};
    for (const file of files) {
      const ids = processIds(xmlOf(file));
      if (ids.length > 1) for (const id of ids) summary[`${file}#${id}`] = await summaryOf(file, id);
    }
    expect(summary).toEqual({
      'A.4.0.bpmn#WFP-6-1': 'compiles: WFP-6-1',
      'A.4.0.bpmn#WFP-6-2': 'compiles: WFP-6-2',
      'A.4.1.bpmn#sid-34746A54-1D7D-46CA-B219-0C4CEAE51170': 'compiles: sid-34746A54-1D7D-46CA-B219-0C4CEAE51170',
      'A.4.1.bpmn#sid-54D696FD-DEDC-45F3-99DB-1404DA433FC4': 'compiles: sid-54D696FD-DEDC-45F3-99DB-1404DA433FC4',
      'B.1.0.bpmn#Process_ba16239e-181e-4b9f-bc5b-0bb2ee973450': 'compiles: Process_ba16239e-181e-4b9f-bc5b-0bb2ee973450',
      'B.1.0.bpmn#WFP-6-1': ['a service task needs sl:type: the job type or connector that does the work', "the timer's date is empty"],
      'B.1.0.bpmn#WFP-6-2': [
        'a service task needs sl:type: the job type or connector that does the work',
        'the flow leaves gateway "…" with no condition and is not its default flow (×4)',
        'the message event names no message',
        'the subprocess has no none start event',
      ],
      'B.1.0.bpmn#WFP-0-': 'compiles: WFP-0-',
      'B.2.0.bpmn#Process_ba16239e-181e-4b9f-bc5b-0bb2ee973450': [
        'a service task needs sl:type: the job type or connector that does the work',
        'the condition is missing',
        'the message event names no message',
        'the multi-instance activity has neither sl:collection nor loopCardinality',
      ],
      'B.2.0.bpmn#WFP-6-1': [
        'a send task needs a message (messageRef) or sl:type for the job that sends it',
        'a service task needs sl:type: the job type or connector that does the work',
        'standard loops are not supported; use multi-instance (sequential) instead',
        'the condition is missing (×2)',
        'the flow leaves gateway "…" with no condition and is not its default flow',
        'the multi-instance activity has neither sl:collection nor loopCardinality',
        'the signal event names no signal (×2)',
        'the subprocess has no none start event',
        "the timer's date is empty",
      ],
      'B.2.0.bpmn#WFP-6-2': [
        'a service task needs sl:type: the job type or connector that does the work (×2)',
        'an error end event needs an error with a code',
        'an escalation throw needs an escalation with a code (×2)',
        'the condition is missing',
        'the flow leaves gateway "…" with no condition and is not its default flow (×3)',
        'the message event names no message (×4)',
        'the multi-instance activity has neither sl:collection nor loopCardinality',
        'the receive task names no message (messageRef)',
        'the signal event names no signal (×5)',
        'the subprocess has no none start event',
        "the timer's date is empty (×3)",
      ],
      'B.2.0.bpmn#WFP-0-': 'compiles: WFP-0-',
      'C.1.0.bpmn#sid-5FBB6CB3-8A7C-42B5-9024-15BB2684EC57': [
        'the message event names no message (×3)',
        'the timer has no timeDuration, timeDate or timeCycle',
      ],
      'C.1.0.bpmn#bpmn-miwg-test-case-c.1.0': [
        'Java delegate activiti:delegateExpression="#{archiveService}" cannot run here: use a job type (sl:type) for a worker or connector',
      ],
      'C.2.0.bpmn#WFP-Page_1-1': ['the message event names no message'],
      'C.2.0.bpmn#WFP-Page_1-2': ['the message event names no message'],
      'C.2.0.bpmn#WFP-Page_1-3': [
        'an error end event needs an error with a code',
        'the flow leaves gateway "…" with no condition and is not its default flow (×6)',
      ],
      'C.2.0.bpmn#WFP-Page_1-4': ['the message event names no message'],
      'C.4.0.bpmn#_42cba3a9-a8ab-40b5-b9a4-2e8f32be364e': [
        'the flow leaves gateway "…" with no condition and is not its default flow (×2)',
        'the message event names no message (×3)',
      ],
      'C.4.0.bpmn#_f0035388-f829-470c-b82b-0b15c3da3399': ['a service task needs sl:type: the job type or connector that does the work'],
      'C.4.0.bpmn#_da743a6f-d9e5-4fcf-8a96-d2fd5cfb73d4': [
        'standard loops are not supported; use multi-instance (sequential) instead',
        'the flow leaves gateway "…" with no condition and is not its default flow (×2)',
      ],
      'C.4.0.bpmn#_3486bf55-0a7f-4ff1-be15-1555669f58ad': 'compiles: _3486bf55-0a7f-4ff1-be15-1555669f58ad',
      'C.5.0.bpmn#_3d1ef204-2d4c-4643-8fc5-c319cc032ec0': [
        'the flow leaves gateway "…" with no condition and is not its default flow (×10)',
        'the signal event names no signal (×2)',
      ],
      'C.5.0.bpmn#_774bc005-0917-43d5-ab70-0f9fe123fbd1': [
        'the flow leaves gateway "…" with no condition and is not its default flow (×2)',
      ],
    });
  });

  it('drives every compiled process from its start event without an error', async () => {
    const results: Record<string, string> = {};
    for (const { name, definition } of await definitions()) {
      // The none start event, else the first start event the process has (message, signal, timer).
      const start = definition.root.start ?? (definition.starts[0]?.eventId as string);
      const runs = [1, 2, 3, 4, 5].map((seed) => drive(definition, start, seed));
      for (const r of runs) expect(r.engineErrors, name).toEqual([]);
      // Random choices may leave an instance faulted (C.9.2 throws an error only its caller catches), but some run ends.
      const statuses = [...new Set(runs.map((r) => r.status))].sort().join(', ');
      results[name] =
        `${definition.root.start ? '' : `from ${start}: `}${runs.some((r) => r.status === 'completed') ? 'completes' : statuses}`;
    }
    expect(results).toEqual({
      'A.1.0.bpmn': 'completes',
      'A.4.0.bpmn#WFP-6-1': 'completes',
      'A.4.0.bpmn#WFP-6-2': 'completes',
      'A.4.1.bpmn#sid-34746A54-1D7D-46CA-B219-0C4CEAE51170': 'completes',
      'A.4.1.bpmn#sid-54D696FD-DEDC-45F3-99DB-1404DA433FC4': 'completes',
      'B.1.0.bpmn#Process_ba16239e-181e-4b9f-bc5b-0bb2ee973450': 'completes',
      'B.1.0.bpmn#WFP-0-': 'completes',
      'B.2.0.bpmn#WFP-0-': 'completes',
      'C.4.0.bpmn#_3486bf55-0a7f-4ff1-be15-1555669f58ad': 'from _94a62738-dc7a-49f6-81d8-f5642f7ae850: completes',
      'C.8.0.bpmn': 'completes',
      'C.8.1.bpmn': 'completes',
      'C.9.1.bpmn': 'completes',
      'C.9.2.bpmn': 'completes',
    });
  });

  it('C.9.0: Zeebe input mappings without "=" are static values', async () => {
    const outcome = await outcomeOf('C.9.0.bpmn');
    expect('problems' in outcome && outcome.problems.map((p) => p.elementId)).toEqual(['BusinessRuleTask_CheckApplicationAutomatically']);
    // The same document without its DMN task compiles, and the static inputs reach the job.
    const xml = xmlOf('C.9.0.bpmn').replace(/<zeebe:calledDecision [^>]*\/>/, '<zeebe:taskDefinition type="risk-check" />');
    const def = await compile(xml);
    const node = def.nodes.SendTask_SendPolicy;
    const inputs = Object.fromEntries(node?.inputs.map((m) => [m.target, m.source.evaluate({})]) ?? []);
    expect(inputs).toMatchObject({
      'from.email': 'demo@camunda.com',
      'template.id': 'd-0d0120b0c7f148ef8a1c262f2cf07092',
      apiKey: 'secrets.SENDGRID_DEMO',
    });
  });

  it('C.9.1: a receive task correlates by the key its message declares (zeebe:subscription)', async () => {
    const outcome = await outcomeOf('C.9.1.bpmn');
    if (!('definition' in outcome)) throw new Error('C.9.1 should compile');
    const def = outcome.definition;
    let { state } = execute(def, undefined, { type: 'start', instanceId: 'c91', variables: { documentReferenceId: 'doc-7' } }, T0);
    const job = openWaits(state, 'job')[0];
    state = execute(def, state, { type: 'completeJob', jobId: job?.id as string }, T0).state;
    expect(findMessageSubscription(state, 'MESSAGE_documentReceived', 'doc-7')?.trigger).toBe('ReceiveTask_WaitForDocument');
    expect(findMessageSubscription(state, 'MESSAGE_documentReceived')).toBeUndefined();
  });
});
