// One user's 20 parallel 10 MiB uploads must not starve another tenant on the embedded database
// (PGlite has one connection): that tenant's task list stays answered in under a second (p95)
// throughout, over real HTTP on a listening server. Once with the default limits (3 uploads in
// flight per user: the rest answered 429 at once, their bodies unread), once with every upload
// allowed in flight, where only the chunked writes keep the connection shared.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type AttachmentLimits, loadConfig } from '../src/platform/config.ts';
import { addUser, as, PASSWORD, startServer, type TestServer, tokenFor } from './helpers.ts';

const MiB = 1024 * 1024;
const UPLOADS = 20;
const BOUNDARY = 'sl-load-test';
const HEAD = Buffer.from(
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\nContent-Type: text/plain\r\n\r\n`,
);
const TAIL = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);

let s: TestServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

/** Status of one upload; a connection the server closed before the client sent it all counts as its (early) refusal. */
function upload(port: number, token: string, file: Buffer): Promise<number | 'closed'> {
  return new Promise((resolve) => {
    const request = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/api/v1/attachments',
      agent: false,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        'content-length': HEAD.length + file.length + TAIL.length,
      },
    });
    let status: number | undefined;
    request.on('response', (res) => {
      status = res.statusCode;
      res.resume();
      res.on('end', () => resolve(status ?? 0));
    });
    request.on('error', () => {
      if (status === undefined) resolve('closed');
    });
    request.write(HEAD);
    request.write(file);
    request.end(TAIL);
  });
}

const p95 = (ms: number[]) => [...ms].sort((a, b) => a - b)[Math.ceil(ms.length * 0.95) - 1] as number;

async function attack(
  limits: AttachmentLimits,
  file: Buffer,
): Promise<{ statuses: Array<number | 'closed'>; latencies: number[]; failures: string[] }> {
  s = await startServer({ attachments: limits });
  await s.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (s.app.server.address() as net.AddressInfo).port;
  const uploader = await addUser(s.app, `uploader-${randomUUID().slice(0, 6)}`, ['requester']);
  const other = `calm${randomUUID().slice(0, 6)}`;
  const created = await as(s.app, s.tokens.admin)('POST', '/api/v1/tenants', {
    id: other,
    name: other,
    admin: { username: 'calm-admin', password: PASSWORD },
  });
  expect(created.status).toBe(201);
  const otherToken = await tokenFor(s.app, 'calm-admin', other);

  let done = false;
  const latencies: number[] = [];
  const failures: string[] = [];
  const reader = (async () => {
    while (!done || latencies.length < 20) {
      const started = performance.now();
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/tasks`, { headers: { authorization: `Bearer ${otherToken}` } });
        await res.arrayBuffer();
        if (res.status !== 200) failures.push(`status ${res.status}`);
      } catch (e) {
        failures.push(String(e));
      }
      latencies.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  const statuses = await Promise.all(Array.from({ length: UPLOADS }, () => upload(port, uploader, file)));
  done = true;
  await reader;
  return { statuses, latencies, failures };
}

describe('20 parallel uploads by one user', () => {
  it('with the default limits: 3 stored, the rest refused at once with 429; another tenant’s task list stays under 1 s (p95)', async () => {
    const { statuses, latencies, failures } = await attack(loadConfig({}).attachments, Buffer.alloc(10 * MiB, 97));
    expect(failures).toEqual([]);
    expect(p95(latencies), `latencies: ${latencies.map(Math.round).join(', ')}`).toBeLessThan(1000);
    // 3 in flight at most: the rest refused before their bodies were read (an answer, or the close
    // after it if the client was still sending); an upload that came after one had finished may pass.
    const stored = statuses.filter((x) => x === 201).length;
    expect(stored).toBeGreaterThanOrEqual(3);
    expect(stored, `statuses: ${statuses.join(', ')}`).toBeLessThan(UPLOADS / 2);
    expect(statuses.filter((x) => x !== 201).every((x) => x === 429 || x === 'closed')).toBe(true);
    expect(statuses.filter((x) => x === 429).length).toBeGreaterThan(0);
  }, 600_000);

  // 1 MiB each here: every upload is in flight at once all the same, and the test stays short.
  it('with all 20 allowed in flight: all stored in short chunked writes; another tenant’s task list stays under 1 s (p95)', async () => {
    const limits = { ...loadConfig({}).attachments, userConcurrency: UPLOADS, tenantConcurrency: UPLOADS };
    const { statuses, latencies, failures } = await attack(limits, Buffer.alloc(1 * MiB, 97));
    expect(failures).toEqual([]);
    expect(statuses).toEqual(Array(UPLOADS).fill(201));
    expect(p95(latencies), `latencies: ${latencies.map(Math.round).join(', ')}`).toBeLessThan(1000);
  }, 600_000);
});
