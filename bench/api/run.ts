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
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
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
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
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

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startServer(env: NodeJS.ProcessEnv, base: string): Promise<ChildProcess> {
  const profile = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values.profile)}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'runtime-api/src/server.ts'], {
    cwd: root,
    env: { ...process.env, ...env },
    // The server's warnings and errors (LOG_LEVEL=warn) show among the bench's lines.
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    const ok = await fetch(`${base}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return child;
    await sleep(100);
  }
  throw new Error('the server did not become healthy');
}

/** Latencies of one kind of request, in ms. */
class Timings {
  readonly ms: number[] = [];
  add(ms: number) {
    this.ms.push(ms);
  }
  quantile(q: number): number {
    const sorted = [...this.ms].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  }
}

const fmt = (x: number, digits = 3) => Number(x.toPrecision(digits)).toLocaleString('en-US');
/** For the last line: no thousands separators, so that scripts can read the numbers. */
const plain = (x: number, digits = 3) => String(Number(x.toPrecision(digits)));

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
  const server = await startServer(env, base);
  try {
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: 'demo', username: 'admin', password: PASSWORD }),
    });
    if (!login.ok) {
      throw new Error(
        `login failed (${login.status}): the database was seeded with another password; set SERVICELOOM_DEMO_PASSWORD to it, or use an empty database`,
      );
    }
    const token = ((await login.json()) as { token: string }).token;
    const headers: http.OutgoingHttpHeaders = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    const commands = { start: new Timings(), complete: new Timings() };
    const queries = new Timings();
    // node:http with keep-alive rather than fetch: the client shares the machine's two cores with
    // the server and PostgreSQL, and fetch cost it about three times the CPU per request here.
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const call = async (method: string, url: string, body: unknown, timings: Timings, expected: number) => {
      const t0 = performance.now();
      const payload = body !== undefined ? JSON.stringify(body) : undefined;
      const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            path: url,
            method,
            agent,
            headers: payload ? { ...headers, 'content-length': Buffer.byteLength(payload) } : headers,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
      timings.add(performance.now() - t0);
      const json = JSON.parse(text);
      if (status !== expected) throw new Error(`${method} ${url}: ${status} ${text}`);
      return json;
    };
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
    agent.destroy();
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
