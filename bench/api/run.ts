// API throughput: the real server (`runtime-api/src/server.ts`, a process of its own) driven over
// HTTP by `--concurrency` clients, each running instances of an incident-like flow (start,
// complete two user tasks, end), against a baseline measured in the same run on the same
// database: as many single-row insert+update transactions as the API ran commands, at the same
// concurrency, through `pg` (PostgreSQL) or the same knex-pglite path the server uses (PGlite).
//
// Usage: npm run bench:api [-- --instances 3000 --concurrency 16 --warmup 200 --processes 1 --profile <dir>]
// PostgreSQL when DATABASE_URL is set (the database should be empty, or seeded with
// SERVICELOOM_DEMO_PASSWORD), else PGlite in a temp dir. The last line, for scripts:
//   api-bench: <i> instances/s, <c> commands/s, baseline <b> tx/s, ratio <r>
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { client, fmt, freePort, plain, signIn, startServer, stopServer, Timings } from '../common/server.ts';
import { baseline } from './baseline.ts';
import { cpuSnapshot } from './cpu.ts';

const { values } = parseArgs({
  options: {
    instances: { type: 'string' },
    concurrency: { type: 'string', default: '16' },
    warmup: { type: 'string', default: '200' },
    /** Server processes (SERVICELOOM_PROCESSES; above 1 on PostgreSQL only). */
    processes: { type: 'string' },
    /** Writes a CPU profile of the server process into this directory (node --cpu-prof). */
    profile: { type: 'string' },
  },
});
const databaseUrl = process.env.DATABASE_URL || undefined;
const INSTANCES = Number(values.instances ?? (databaseUrl ? 3000 : 600));
const CONCURRENCY = Number(values.concurrency);
const WARMUP = Number(values.warmup);
const PROCESSES = values.processes ?? process.env.SERVICELOOM_PROCESSES ?? '1';
const PASSWORD = process.env.SERVICELOOM_DEMO_PASSWORD || 'bench-password';
const run = randomUUID().slice(0, 8);
const PROCESS = `bench-incident-${run}`;

if (!(CONCURRENCY >= 1 && INSTANCES >= CONCURRENCY)) throw new Error('need --concurrency >= 1 and --instances >= concurrency');

const FLOW = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:sl="http://serviceloom.dev/schema/bpmn"
  id="defs-bench" targetNamespace="http://serviceloom.dev/bench">
  <bpmn:process id="${PROCESS}" name="Bench incident" isExecutable="true">
    <bpmn:startEvent id="reported"/>
    <bpmn:userTask id="triage" name="Triage" sl:candidateGroups="service-desk" sl:dueDate="PT4H"/>
    <bpmn:userTask id="resolve" name="Resolve" sl:candidateGroups="service-desk" sl:dueDate="P1D"/>
    <bpmn:endEvent id="resolved"/>
    <bpmn:sequenceFlow id="f1" sourceRef="reported" targetRef="triage"/>
    <bpmn:sequenceFlow id="f2" sourceRef="triage" targetRef="resolve"/>
    <bpmn:sequenceFlow id="f3" sourceRef="resolve" targetRef="resolved"/>
  </bpmn:process>
</bpmn:definitions>`;

async function main() {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = databaseUrl ? undefined : await mkdtemp(path.join(tmpdir(), 'serviceloom-bench-'));
  const env: NodeJS.ProcessEnv = {
    PORT: String(port),
    HOST: '127.0.0.1',
    SERVICELOOM_DEMO_PASSWORD: PASSWORD,
    SERVICELOOM_TEST_CLOCK: '',
    SERVICELOOM_PROCESSES: PROCESSES,
    // Request logs off: at thousands of requests a second, pino's per-request lines cost more than a little.
    LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
    ...(dataDir ? { DATABASE_URL: '', SERVICELOOM_DATA_DIR: dataDir } : {}),
  };
  console.log(
    `api-bench: Node ${process.version}, ${cpus().length} CPUs, ${databaseUrl ? 'PostgreSQL' : 'PGlite'}, ` +
      `${INSTANCES} instances (after ${WARMUP} warm-up), concurrency ${CONCURRENCY}, ` +
      `${PROCESSES} server process${PROCESSES === '1' ? '' : 'es'}, ${process.env.REDIS_URL ? 'BullMQ' : 'embedded'} outbox`,
  );
  const profile = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values.profile)}`] : [];
  const server = await startServer(env, base, profile);
  try {
    const { call, close } = client(port, await signIn(base, 'admin', PASSWORD), CONCURRENCY);

    const commands = { start: new Timings(), complete: new Timings() };
    const queries = new Timings();
    const deployed = await call('POST', '/api/v1/definitions', { bpmnXml: FLOW }, new Timings(), 201);

    /** One instance, start to end: 3 commands (start, complete, complete) and 2 task queries. */
    const oneInstance = async (n: number) => {
      const started = await call(
        'POST',
        '/api/v1/process-instances',
        { definitionKey: deployed.key, businessKey: `B-${run}-${n}`, variables: { summary: `bench ${n}`, impact: n % 3 } },
        commands.start,
        201,
      );
      for (const step of ['triage', 'resolve']) {
        const tasks = await call('GET', `/api/v1/tasks?processInstanceId=${started.id}`, undefined, queries, 200);
        if (tasks.length !== 1 || tasks[0].elementId !== step)
          throw new Error(`instance ${started.id}: expected ${step}, got ${JSON.stringify(tasks)}`);
        await call('POST', `/api/v1/tasks/${tasks[0].id}/complete`, { variables: { [`${step}Note`]: 'ok' } }, commands.complete, 200);
      }
    };
    /** `count` instances by `concurrency` clients; seconds of wall time. */
    const drive = async (count: number, offset: number): Promise<number> => {
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < count) await oneInstance(offset + next++);
        }),
      );
      return (performance.now() - t0) / 1000;
    };

    if (WARMUP > 0) await drive(WARMUP, 0);
    for (const t of [commands.start, commands.complete, queries]) t.ms.length = 0;

    // The baseline first, on the same database, while the server idles.
    const tx = await baseline({ databaseUrl, concurrency: CONCURRENCY, transactions: INSTANCES * 3 });

    const cpuBefore = server.pid ? cpuSnapshot(server.pid) : undefined;
    const clientBefore = process.cpuUsage();
    const seconds = await drive(INSTANCES, WARMUP);
    const cpuAfter = server.pid ? cpuSnapshot(server.pid) : undefined;
    const clientCpu = process.cpuUsage(clientBefore);
    const check = await call(
      'GET',
      `/api/v1/process-instances?definitionKey=${deployed.key}&status=completed`,
      undefined,
      new Timings(),
      200,
    );
    if (check.length === 0) throw new Error('no instance completed');

    const instancesPerS = INSTANCES / seconds;
    const commandsPerS = (INSTANCES * 3) / seconds;
    const all = new Timings();
    for (const t of [commands.start, commands.complete]) for (const ms of t.ms) all.add(ms);
    const ratio = commandsPerS / tx.perSecond;
    console.log(
      `  API      ${INSTANCES} instances in ${fmt(seconds)} s: ${fmt(instancesPerS)} instances/s, ${fmt(commandsPerS)} commands/s`,
    );
    console.log(
      `           (${INSTANCES * 5} requests: 3 commands and 2 task queries per instance, ${fmt((INSTANCES * 5) / seconds)} requests/s)`,
    );
    console.log(`  latency  p50 / p99 per command: ${fmt(all.quantile(0.5))} / ${fmt(all.quantile(0.99))} ms`);
    console.log(
      `           start ${fmt(commands.start.quantile(0.5))} / ${fmt(commands.start.quantile(0.99))} ms, ` +
        `complete ${fmt(commands.complete.quantile(0.5))} / ${fmt(commands.complete.quantile(0.99))} ms, ` +
        `task query ${fmt(queries.quantile(0.5))} / ${fmt(queries.quantile(0.99))} ms`,
    );
    if (cpuBefore && cpuAfter) {
      const perInstance = (s: number) => `${fmt((1000 * s) / INSTANCES)} ms`;
      const postgres = cpuAfter.postgres - cpuBefore.postgres;
      console.log(
        `  CPU      per instance: server ${perInstance(cpuAfter.server - cpuBefore.server)}` +
          (databaseUrl && postgres > 0 ? `, PostgreSQL ${perInstance(postgres)} (its processes on this machine)` : '') +
          `, this client ${perInstance((clientCpu.user + clientCpu.system) / 1e6)}`,
      );
    }
    console.log(`  baseline ${tx.transactions} insert+update transactions in ${fmt(tx.seconds)} s: ${fmt(tx.perSecond)} tx/s (${tx.path})`);
    console.log(`  ratio    commands/s to baseline tx/s: ${fmt(ratio, 2)}`);
    console.log(
      `api-bench: ${plain(instancesPerS)} instances/s, ${plain(commandsPerS)} commands/s, baseline ${plain(tx.perSecond)} tx/s, ratio ${plain(ratio, 2)}`,
    );
    close();
  } finally {
    await stopServer(server);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
