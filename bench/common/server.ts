// What the HTTP benches share: a free port, the real server in a process of its own, a keep-alive
// HTTP client that times each kind of request, and number formatting for the printed lines.
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts runtime-api/src/server.ts with `env` and waits until /health answers. */
export async function startServer(env: NodeJS.ProcessEnv, base: string, nodeArgs: string[] = []): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'runtime-api/src/server.ts'], {
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

export async function stopServer(server: ChildProcess): Promise<void> {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
}

/** Latencies of one kind of request, in ms. */
export class Timings {
  readonly ms: number[] = [];
  add(ms: number) {
    this.ms.push(ms);
  }
  quantile(q: number): number {
    const sorted = [...this.ms].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  }
}

export const fmt = (x: number, digits = 3) => Number(x.toPrecision(digits)).toLocaleString('en-US');
/** For the last line: no thousands separators, so that scripts can read the numbers. */
export const plain = (x: number, digits = 3) => String(Number(x.toPrecision(digits)));

export type Call = (method: string, url: string, body: unknown, timings: Timings, expected: number, contentType?: string) => Promise<any>;

/**
 * A client of `concurrency` keep-alive sockets. node:http rather than fetch: the client shares the
 * machine's two cores with the server and PostgreSQL, and fetch cost it about three times the CPU
 * per request here.
 */
export function client(port: number, token: string, concurrency: number): { call: Call; close(): void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const call: Call = async (method, url, body, timings, expected, contentType = 'application/json') => {
    const t0 = performance.now();
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const headers: http.OutgoingHttpHeaders = { authorization: `Bearer ${token}`, 'content-type': contentType };
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
    if (status !== expected) throw new Error(`${method} ${url}: ${status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return { call, close: () => agent.destroy() };
}

/** Signs in to the demo tenant. */
export async function signIn(base: string, username: string, password: string): Promise<string> {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: 'demo', username, password }),
  });
  if (!login.ok) {
    throw new Error(
      `login failed (${login.status}): the database was seeded with another password; set SERVICELOOM_DEMO_PASSWORD to it, or use an empty database`,
    );
  }
  return ((await login.json()) as { token: string }).token;
}
