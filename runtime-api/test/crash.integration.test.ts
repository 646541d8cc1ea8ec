// Crash safety: the real server process (`tsx runtime-api/src/server.ts`) runs a load of instances
// with user tasks, external jobs and timers while it is killed with SIGKILL at random moments and
// restarted on the same data. Afterwards every instance has completed, once, with each task
// created and completed once, each timer fired once and each job completed once as the engine saw
// it (its history, and a counter variable each job completion increments).
//
// On PostgreSQL (+ BullMQ) when DATABASE_URL (and REDIS_URL) are set, else on the embedded
// defaults: PGlite in a data dir of the test's own, and the embedded dispatcher.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { freePort, integrationDatabaseUrl, line, PASSWORD } from './helpers.ts';

const databaseUrl = integrationDatabaseUrl();
const redisUrl = process.env.REDIS_URL || undefined;
const run = randomUUID().slice(0, 8);
const PROCESS = `crash-${run}`;
const JOB_TYPE = `crash-work-${run}`;
const INSTANCES = databaseUrl ? 60 : 30;
const KILLS = 5;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const timer = (value: string) => `<bpmn:timerEventDefinition><bpmn:timeDuration>${value}</bpmn:timeDuration></bpmn:timerEventDefinition>`;
// review (user task) -> work (external job) -> wait (timer) -> approve (user task)
const xml = line(PROCESS, [
  '<bpmn:userTask id="review" name="review"/>',
  `<bpmn:serviceTask id="work" sl:type="${JOB_TYPE}"/>`,
  `<bpmn:intermediateCatchEvent id="wait">${timer('PT2S')}</bpmn:intermediateCatchEvent>`,
  '<bpmn:userTask id="approve" name="approve"/>',
]);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The server process, killed and restarted on the same data and port. */
class ServerProcess {
  child: ChildProcess | undefined;
  exited: Promise<void> = Promise.resolve();
  starts = 0;

  constructor(
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get base() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.starts++;
    const child = spawn(process.execPath, ['--import', 'tsx', 'runtime-api/src/server.ts'], {
      cwd: root,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} while starting`);
      const ok = await fetch(`${this.base}/health`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      if (Date.now() > deadline) throw new Error('the server did not become healthy in 60 s');
      await sleep(100);
    }
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    this.child?.kill(signal);
    await this.exited;
  }
}

let server: ServerProcess | undefined;
let dataDir: string | undefined;
afterAll(async () => {
  await server?.kill('SIGTERM');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  body: any;
}

/** One request; undefined when the server is down or died while answering. */
async function request(method: string, url: string, token: string | undefined, body?: unknown): Promise<Reply | undefined> {
  try {
    const res = await fetch(`${(server as ServerProcess).base}${url}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  } catch {
    return undefined;
  }
}

/** Retries through crashes until the server answers something other than a 5xx. */
async function call(method: string, url: string, token: string | undefined, body?: unknown): Promise<Reply> {
  for (let attempt = 0; ; attempt++) {
    const reply = await request(method, url, token, body);
    if (reply && reply.status < 500) return reply;
    if (attempt > 600) throw new Error(`${method} ${url}: no answer (${reply?.status} ${JSON.stringify(reply?.body)})`);
    await sleep(100);
  }
}

function expectStatus(reply: Reply, ...allowed: number[]): Reply {
  if (!allowed.includes(reply.status)) throw new Error(`unexpected ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply;
}

it(`survives SIGKILL ${KILLS} times under load: ${databaseUrl ? 'PostgreSQL' : 'embedded PGlite'}, ${redisUrl ? 'BullMQ' : 'embedded dispatch'}`, async () => {
  if (!databaseUrl) dataDir = await mkdtemp(path.join(tmpdir(), 'serviceloom-crash-'));
  // The same port after every restart, so that clients just retry.
  const port = await freePort();
  server = new ServerProcess(port, {
    HOST: '127.0.0.1',
    PORT: String(port),
    SERVICELOOM_DEMO_PASSWORD: PASSWORD,
    SERVICELOOM_POLL_MS: '200',
    SERVICELOOM_SWEEP_MS: '1000',
    SERVICELOOM_QUEUE_PREFIX: `slcrash-${run}`,
    SERVICELOOM_TEST_CLOCK: '',
    LOG_LEVEL: 'error',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATABASE_URL: '', SERVICELOOM_DATA_DIR: dataDir }),
    REDIS_URL: redisUrl ?? '',
  });
  await server.start();
  const login = expectStatus(
    await call('POST', '/api/v1/auth/login', undefined, { tenant: 'demo', username: 'admin', password: PASSWORD }),
    200,
  );
  const token: string = login.body.token;
  expectStatus(await call('POST', '/api/v1/definitions', token, { bpmnXml: xml }), 201, 200);

  const ids = new Map<string, string>(); // business key -> instance id
  const done = new Set<string>();
  let stopping = false;
  const killedWhen: string[] = [];

  // Starts each instance once: after a failed start, the business key tells whether it committed.
  // In waves, one per kill, so that every kill falls on work in flight.
  const perWave = Math.ceil(INSTANCES / (KILLS + 1));
  const starter = async () => {
    for (let i = 0; i < INSTANCES; i++) {
      if (i > 0 && i % perWave === 0) while (killedWhen.length < i / perWave) await sleep(20);
      const businessKey = `${run}-${i}`;
      for (;;) {
        const reply = await request('POST', '/api/v1/process-instances', token, {
          definitionKey: PROCESS,
          businessKey,
          variables: { jobCount: 0 },
        });
        if (reply?.status === 201) {
          ids.set(businessKey, reply.body.id);
          break;
        }
        if (reply && reply.status < 500) throw new Error(`start: ${reply.status} ${JSON.stringify(reply.body)}`);
        const found = expectStatus(await call('GET', `/api/v1/process-instances?businessKey=${businessKey}`, token), 200).body;
        if (found.length > 0) {
          ids.set(businessKey, found[0].id);
          break;
        }
        await sleep(100);
      }
      await sleep(20);
    }
  };

  // An agent: completes the open tasks of the instances started so far.
  const agent = async () => {
    while (!stopping) {
      const open = [...ids.values()].filter((id) => !done.has(id));
      for (const id of open) {
        const tasks = await request('GET', `/api/v1/tasks?processInstanceId=${id}&status=open`, token);
        for (const task of tasks?.status === 200 ? tasks.body : []) {
          // 409: completed already (maybe by this very request, before the server died).
          expectStatus(
            await call('POST', `/api/v1/tasks/${task.id}/complete`, token, { variables: { [`${task.elementId}By`]: 'crash-test' } }),
            200,
            409,
          );
        }
      }
      await sleep(50);
    }
  };

  // An external worker: activates jobs and completes each, retrying through crashes.
  const worker = async () => {
    while (!stopping) {
      const jobs = await request('POST', '/api/v1/jobs/activate', token, { type: JOB_TYPE, maxJobs: 8, lockDuration: 'PT10S' });
      for (const job of jobs?.status === 200 ? jobs.body : []) {
        // 409 JOB_NOT_ACTIVE: an earlier attempt of this completion committed.
        const variables = { jobCount: Number(job.variables.jobCount ?? 0) + 1 };
        expectStatus(await call('POST', `/api/v1/jobs/${job.id}/complete`, token, { variables }), 200, 409);
      }
      await sleep(jobs?.body?.length ? 0 : 100);
    }
  };

  const watcher = async () => {
    while (!stopping) {
      for (const id of [...ids.values()].filter((x) => !done.has(x))) {
        const reply = await request('GET', `/api/v1/process-instances/${id}`, token);
        if (reply?.status === 200 && reply.body.status !== 'active') done.add(id);
      }
      if (done.size === INSTANCES) stopping = true;
      await sleep(200);
    }
  };

  // Kills the server at random moments while the load runs, then restarts it.
  const killer = async () => {
    for (let k = 0; k < KILLS; k++) {
      await sleep(400 + Math.random() * 1600);
      killedWhen.push(`${ids.size} started/${done.size} done`);
      await (server as ServerProcess).kill('SIGKILL');
      await sleep(Math.random() * 1500);
      await (server as ServerProcess).start();
    }
  };

  const loops = Promise.all([agent(), agent(), worker(), worker(), watcher()]);
  const deadline = setTimeout(() => {
    stopping = true;
  }, 240_000);
  try {
    await Promise.all([starter(), killer()]);
    await loops;
  } finally {
    stopping = true;
    clearTimeout(deadline);
  }
  console.log(`crash test: killed at ${killedWhen.join(', ')}`);
  expect(server.starts).toBe(KILLS + 1);
  // The kills fell while the load ran, not after it.
  expect(killedWhen.filter((k) => Number(/(\d+) started\/(\d+) done/.exec(k)?.[2]) < INSTANCES)).toHaveLength(KILLS);
  expect(ids.size).toBe(INSTANCES);
  expect(done.size).toBe(INSTANCES);

  // One instance per business key: no start ran twice.
  const all = expectStatus(await call('GET', `/api/v1/process-instances?definitionKey=${PROCESS}`, token), 200).body;
  expect(all).toHaveLength(INSTANCES);

  for (const id of ids.values()) {
    const instance = expectStatus(await call('GET', `/api/v1/process-instances/${id}`, token), 200).body;
    expect(instance).toMatchObject({ status: 'completed', variables: { jobCount: 1, reviewBy: 'crash-test', approveBy: 'crash-test' } });
    const history: Array<{ elementId: string; event: string }> = expectStatus(
      await call('GET', `/api/v1/process-instances/${id}/history`, token),
      200,
    ).body;
    const count = (elementId: string, event: string) => history.filter((h) => h.elementId === elementId && h.event === event).length;
    for (const element of ['review', 'work', 'wait', 'approve', 'end']) {
      expect({ id, element, started: count(element, 'started'), completed: count(element, 'completed') }).toEqual({
        id,
        element,
        started: 1,
        completed: 1,
      });
    }
    const completed = expectStatus(await call('GET', `/api/v1/tasks?processInstanceId=${id}&status=completed`, token), 200).body;
    expect(completed.map((t: { elementId: string }) => t.elementId).sort()).toEqual(['approve', 'review']);
    for (const status of ['open', 'cancelled']) {
      const other = expectStatus(await call('GET', `/api/v1/tasks?processInstanceId=${id}&status=${status}`, token), 200, 400).body;
      if (Array.isArray(other)) expect(other).toEqual([]);
    }
  }
}, 300_000);
