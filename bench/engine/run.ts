// Engine throughput: ServiceLoom vs bpmn-engine on the same two flows, in one process.
// Usage: npm run bench:engine [-- --seconds 2 --rounds 3]
// Each (flow, engine) pair is warmed up, then run for `seconds` of wall time per round, the two
// engines alternating (ours, theirs, ours, theirs, ...); the median round is reported.
import { parseArgs } from 'node:util';
import { compileTheirs, runTheirs } from './bpmn-engine.ts';
import { type FlowName, takesSplit } from './flows.ts';
import { compileOurs, type Probe, runOurs } from './serviceloom.ts';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '2' }, rounds: { type: 'string', default: '3' } },
});
const runMs = Number(values.seconds) * 1000;
const rounds = Number(values.rounds);

const ours = await compileOurs();
const theirs = await compileTheirs();

type RunOne = (n: number) => unknown;
const drivers: Record<FlowName, { ours: RunOne; theirs: RunOne }> = {
  automatic: { ours: (n) => runOurs(ours.automatic, n), theirs: (n) => runTheirs(theirs.automatic, n) },
  incident: { ours: (n) => runOurs(ours.incident, n), theirs: (n) => runTheirs(theirs.incident, n) },
};

/** Instances per second over `ms` of wall time, instances numbered from 0. */
async function measure(runOne: RunOne, ms: number): Promise<number> {
  let n = 0;
  const t0 = performance.now();
  let elapsed = 0;
  do {
    const pending = runOne(n++);
    if (pending instanceof Promise) await pending;
    elapsed = performance.now() - t0;
  } while (elapsed < ms);
  return n / (elapsed / 1000);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number) => Number(x.toPrecision(3));
const rate = (x: number) => `${round(x).toLocaleString('en-US')}/s`;
const newProbe = (): Probe => ({ jobs: 0, tasks: 0 });

/** Runs instance n once on each engine with probes: checks both took the same path, returns state sizes. */
async function probe(flow: FlowName, n: number): Promise<{ ours: Probe; theirs: Probe }> {
  const p = { ours: newProbe(), theirs: newProbe() };
  runOurs(ours[flow], n, p.ours);
  await runTheirs(theirs[flow], n, p.theirs);
  const expected = flow === 'automatic' ? { jobs: takesSplit(n) ? 2 : 0, tasks: 0 } : { jobs: 0, tasks: 3 };
  for (const [name, got] of Object.entries(p)) {
    if (got.jobs !== expected.jobs || got.tasks !== expected.tasks) {
      throw new Error(`${name} took the wrong path in ${flow} #${n}: ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
    }
  }
  return p;
}

async function bench(flow: FlowName, title: string): Promise<{ ours: number; theirs: number }> {
  await probe(flow, 0);
  const sizes = await probe(flow, 1);
  const { ours: oursOne, theirs: theirsOne } = drivers[flow];
  await measure(oursOne, runMs / 2);
  await measure(theirsOne, runMs / 2);
  const results = { ours: [] as number[], theirs: [] as number[] };
  for (let i = 0; i < rounds; i++) {
    results.ours.push(await measure(oursOne, runMs));
    results.theirs.push(await measure(theirsOne, runMs));
  }
  const med = { ours: median(results.ours), theirs: median(results.theirs) };
  const list = (xs: number[]) => xs.map((x) => round(x).toLocaleString('en-US')).join(', ');
  console.log(`\n${title}`);
  console.log(`  serviceloom  ${rate(med.ours).padStart(10)}   rounds: ${list(results.ours)}`);
  console.log(`  bpmn-engine  ${rate(med.theirs).padStart(10)}   rounds: ${list(results.theirs)}`);
  console.log(`  ratio        ${round(med.ours / med.theirs)}x`);
  const model = `(${sizes.theirs.modelSize} B of it the serialized model)`;
  if (sizes.ours.midSize !== undefined) {
    console.log(
      `  state JSON after the first user task is created: ours ${sizes.ours.midSize} B, bpmn-engine ${sizes.theirs.midSize} B ${model}`,
    );
  }
  console.log(
    `  state JSON of the completed instance:            ours ${sizes.ours.finalSize} B, bpmn-engine ${sizes.theirs.finalSize} B ${model}`,
  );
  return med;
}

console.log(`engine-bench: Node ${process.version}, ${rounds} rounds of ${runMs / 1000} s per engine and flow, median instances/s`);
const a = await bench('automatic', '(a) automatic: FEEL/JS script, XOR 90/10, parallel split into 2 service tasks, join');
await bench('incident', '(b) incident: 3 user tasks (triage, resolve, confirm), each completed by a command/signal');
console.log(`engine-bench: ours ${round(a.ours)}/s, bpmn-engine ${round(a.theirs)}/s, ratio ${round(a.ours / a.theirs)}x`);
