// Public models from Camunda 8, Camunda 7, Flowable and Activiti tooling (testdata/bpmn-models,
// sources and licences in its LICENSES.md). Each file compiles with exactly the warnings its
// manifest records, or is refused with exactly the problems it records: a change in what the
// engine accepts, maps, warns about or refuses shows up here, file by file. Independently of the
// manifest, no model may compile while carrying a dialect extension that no warning names. Each
// model that compiles is also driven from its start event (tasks and jobs completed, timers fired,
// messages delivered; drive.ts) with five seeds, and the manifest records how its runs ended:
// "completes" when one of them reached the end.
//
// After a deliberate change, regenerate the manifest with
//   UPDATE_CORPUS_MANIFEST=1 npx vitest run engine/test/corpus.test.ts
// and review its diff: every changed line is a changed promise to a user.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile, type Definition, DefinitionError } from '../src/index.ts';
import { drive } from './drive.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../testdata/bpmn-models');
const manifestPath = path.join(root, 'manifest.json');
const update = process.env.UPDATE_CORPUS_MANIFEST === '1';

const files = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(path.join(root, d.name))
      .filter((f) => f.endsWith('.bpmn'))
      .map((f) => `${d.name}/${f}`),
  )
  .sort();

type Entry = { compiles: true; warnings: string[]; run: string } | { compiles: false; problems: string[] };

const manifest: Record<string, Entry> = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : {};
const line = (p: { elementId: string; message: string }) => `${p.elementId}: ${p.message}`;

async function outcome(xml: string): Promise<Entry> {
  try {
    const d = await compile(xml);
    return { compiles: true, warnings: d.warnings.map(line), run: runs(d) };
  } catch (e) {
    if (!(e instanceof DefinitionError)) throw e;
    return { compiles: false, problems: e.problems.map(line) };
  }
}

/** How five seeded runs from the model's start event ended; no command may be refused with an engine error. */
function runs(def: Definition): string {
  const start = def.root.start ?? def.starts[0]?.eventId;
  if (!start) return 'no start event';
  const results = [1, 2, 3, 4, 5].map((seed) => drive(def, start, seed));
  const errors = results.flatMap((r) => r.engineErrors);
  if (errors.length) return `engine errors: ${[...new Set(errors)].join('; ')}`;
  if (results.some((r) => r.status === 'completed')) return 'completes';
  return [...new Set(results.map((r) => r.status))].sort().join(', ');
}

/** Extension elements the engine reads (or that only wrap what it reads): no warning is owed for them. */
const READ = new Set([
  'taskDefinition',
  'ioMapping',
  'input',
  'output',
  'subscription',
  'loopCharacteristics',
  'calledElement',
  'assignmentDefinition',
  'formDefinition',
  'script',
  'userTask',
  'taskSchedule',
  'inputOutput',
  'inputParameter',
  'outputParameter',
  'in',
  'out',
  // children of elements that are warned about as a whole
  'header',
  'property',
  'listener',
  'formField',
  'value',
  'validation',
  'constraint',
  'field',
  'string',
  'expression',
  'entry',
  'list',
  'map',
]);

describe('public BPMN models (testdata/bpmn-models)', () => {
  it('holds at least 40 models, each with its source and licence, each in the manifest', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
    const licences = readFileSync(path.join(root, 'LICENSES.md'), 'utf8');
    for (const f of files) expect(licences, f).toContain(`\`${f}\``);
    if (!update) expect(Object.keys(manifest).sort()).toEqual(files);
  });

  it.each(files)('%s: compiles or is refused as its manifest says', async (file) => {
    const got = await outcome(readFileSync(path.join(root, file), 'utf8'));
    if (update) {
      manifest[file] = got;
      return;
    }
    expect(got).toEqual(manifest[file]);
    // A refusal names what is at fault: an element, or the markup the parser could not read.
    if (!got.compiles) for (const p of got.problems) expect(p, file).toMatch(/^[^:\s]+: |^: .*<[\w:]+>/);
  });

  it.each(files)('%s: compiles only if every dialect extension it carries is read or named in a warning', async (file) => {
    const xml = readFileSync(path.join(root, file), 'utf8');
    const got = await outcome(xml);
    if (!got.compiles) return;
    const text = got.warnings.join('\n');
    const tags = new Set([...xml.matchAll(/<(zeebe|camunda|flowable|activiti):([A-Za-z]+)/g)].map((m) => `${m[1]}:${m[2]}`));
    for (const tag of tags) {
      const local = tag.split(':')[1] as string;
      if (READ.has(local)) continue;
      expect(text, `${file} carries <${tag}>`).toContain(tag);
    }
  });

  if (update) {
    it('writes the manifest', () => {
      const sorted = Object.fromEntries(Object.entries(manifest).sort(([a], [b]) => a.localeCompare(b)));
      writeFileSync(manifestPath, `${JSON.stringify(sorted, null, 2)}\n`);
    });
  }
});
