// SERVICELOOM_PROCESSES (src/cluster.ts): `npm start` as several processes sharing one port. On
// PostgreSQL: the processes all serve, work done through one is seen through the others, a process
// that dies is replaced, and SIGTERM stops them all. Everywhere: asking for several processes on
// the embedded database is refused at start with a message saying why.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, integrationDatabaseUrl, PASSWORD } from './helpers.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const databaseUrl = integrationDatabaseUrl();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Live child processes of `pid`, from /proc (no `ps` needed). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...: the command name may hold spaces, so read after its closing bracket.
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) === pid && state !== 'Z') children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children.sort((a, b) => a - b);
}

/** The server, with what it writes (its log lines on stdout, a refusal on stderr) kept apart. */
function spawnServer(env: NodeJS.ProcessEnv): {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'runtime-api/src/server.ts'], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', SERVICELOOM_TEST_CLOCK: '', REDIS_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** One request on a connection of its own: the cluster hands each new connection to a process in turn. */
function request(port: number, method: string, url: string, token?: string, body?: unknown): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: url,
        agent: false,
        headers: {
          connection: 'close',
          ...(payload ? { 'content-type': 'application/json' } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => {
          text += d.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.once('error', reject);
    req.end(payload);
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

it('refuses several processes on the embedded database, saying why', async () => {
  const server = spawnServer({ SERVICELOOM_PROCESSES: '2', DATABASE_URL: '', PORT: String(await freePort()) });
  expect(await server.exited).toBe(1);
  expect(server.stderr()).toContain('SERVICELOOM_PROCESSES above 1 needs DATABASE_URL');
});

describe.skipIf(!databaseUrl)('several server processes on PostgreSQL (skipped without DATABASE_URL)', () => {
  let server: ReturnType<typeof spawnServer> | undefined;
  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('serves from every process, replaces one that dies, and stops them all on SIGTERM', async () => {
    const port = await freePort();
    server = spawnServer({
      SERVICELOOM_PROCESSES: '2',
      DATABASE_URL: databaseUrl,
      SERVICELOOM_DEMO_PASSWORD: PASSWORD,
      PORT: String(port),
      LOG_LEVEL: 'info',
    });
    const primary = server.child.pid as number;
    // The primary says so once every process listens.
    await until('every process to listen', () => (server?.stdout().includes('with 2 processes') ? true : undefined));
    const workers = childrenOf(primary);
    expect(workers).toHaveLength(2);

    // Work started through one connection is seen and finished through others: one database.
    const login = await request(port, 'POST', '/api/v1/auth/login', undefined, { tenant: 'demo', username: 'admin', password: PASSWORD });
    expect(login.status).toBe(200);
    const token: string = login.body.token;
    const key = `cluster-${randomUUID().slice(0, 8)}`;
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="http://serviceloom.dev/test">
  <bpmn:process id="${key}" isExecutable="true">
    <bpmn:startEvent id="s"/><bpmn:userTask id="t"/><bpmn:endEvent id="e"/>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t"/><bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="e"/>
  </bpmn:process>
</bpmn:definitions>`;
    expect((await request(port, 'POST', '/api/v1/definitions', token, { bpmnXml: xml })).status).toBe(201);
    const started = await Promise.all(
      Array.from({ length: 8 }, () => request(port, 'POST', '/api/v1/process-instances', token, { definitionKey: key })),
    );
    expect(started.map((r) => r.status)).toEqual(started.map(() => 201));
    for (const instance of started) {
      const tasks = await request(port, 'GET', `/api/v1/tasks?processInstanceId=${instance.body.id}`, token);
      expect(tasks.body).toHaveLength(1);
      expect((await request(port, 'POST', `/api/v1/tasks/${tasks.body[0].id}/complete`, token, {})).status).toBe(200);
      expect((await request(port, 'GET', `/api/v1/process-instances/${instance.body.id}`, token)).body.status).toBe('completed');
    }

    // A process that dies is replaced, and the server answers meanwhile.
    process.kill(workers[0] as number, 'SIGKILL');
    const replaced = await until('a replacement process', () => {
      const found = childrenOf(primary);
      return found.length === 2 && !found.includes(workers[0] as number) ? found : undefined;
    });
    expect(replaced).toContain(workers[1]);
    for (let i = 0; i < 4; i++) expect((await request(port, 'GET', '/health')).status).toBe(200);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(childrenOf(primary)).toEqual([]);
    for (const pid of replaced) expect(() => process.kill(pid, 0)).toThrow();
  }, 120_000);
});
