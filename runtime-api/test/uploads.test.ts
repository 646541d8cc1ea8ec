// Uploads under pressure, over real HTTP (app.inject buffers whole bodies, which would hide what is
// tested here): a Content-Length over the limit answered before the body is sent, quotas per user
// and per tenant, uploads in flight per user and per tenant, and a slot freed by a client that
// gives up. Then the file's owner by id: a new user given a deleted user's name sees none of its files.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/platform/config.ts';
import { addUser, as, inTenant, PASSWORD, startServer, type TestServer } from './helpers.ts';

const KiB = 1024;
const LIMITS = {
  ...loadConfig({}).attachments,
  maxBytes: 64 * KiB,
  userQuotaBytes: 100 * KiB,
  tenantQuotaBytes: 200 * KiB,
  userConcurrency: 3,
  tenantConcurrency: 4,
};

/** Not a multiple of anything: several reads from the socket, a short last piece. */
const CHUNKY = 60 * KiB + 7;

let s: TestServer;
let port: number;

beforeAll(async () => {
  s = await startServer({ attachments: LIMITS });
  await s.app.listen({ port: 0, host: '127.0.0.1' });
  port = (s.app.server.address() as net.AddressInfo).port;
});
afterAll(async () => s?.close());

/** A new tenant (its own quotas and counters), with users who may upload. */
async function tenantWith(users: string[]): Promise<{ tenant: string; tokens: Record<string, string> }> {
  const tenant = `up${randomUUID().slice(0, 8)}`;
  const created = await as(s.app, s.tokens.admin)('POST', '/api/v1/tenants', {
    id: tenant,
    name: tenant,
    admin: { username: `${tenant}-admin`, password: PASSWORD },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const tokens: Record<string, string> = {};
  for (const u of users) tokens[u] = await addUser(s.app, u, ['requester'], [], tenant);
  return { tenant, tokens };
}

const BOUNDARY = 'sl-upload-test';
const partHead = (name = 'f.txt', type = 'text/plain') =>
  Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`);
const partTail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
const body = (data: Buffer) => Buffer.concat([partHead(), data, partTail]);

interface Answer {
  status: number;
  body: any;
}

/**
 * A POST over a real connection whose body the caller writes (and may never finish). Resolves with
 * the answer, whenever it comes; a server that answers and closes before the body is all sent is
 * not an error.
 */
function post(token: string, contentLength: number | undefined): { request: http.ClientRequest; answer: Promise<Answer> } {
  const headers: Record<string, string | number> = {
    authorization: `Bearer ${token}`,
    'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
  };
  if (contentLength !== undefined) headers['content-length'] = contentLength;
  const request = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/v1/attachments', headers, agent: false });
  const answer = new Promise<Answer>((resolve, reject) => {
    let answered = false;
    request.on('response', (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString();
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
      });
      res.on('error', reject);
    });
    request.on('error', (e) => {
      if (!answered) reject(e);
    });
  });
  return { request, answer };
}

async function upload(token: string, data: Buffer): Promise<Answer> {
  const payload = body(data);
  const { request, answer } = post(token, payload.length);
  request.end(payload);
  return answer;
}

const uploadingRows = (tenant: string) =>
  inTenant(s.app, tenant, (tx) => tx('attachments').where({ tenant_id: tenant, status: 'uploading' }).select('owner_id'));

async function until(what: string, ok: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('size limit', () => {
  it('refuses a Content-Length over the limit with 413 before any of the body is sent, and closes the connection', async () => {
    const { tokens } = await tenantWith(['big']);
    const socket = net.connect(port, '127.0.0.1');
    const reply = new Promise<string>((resolve, reject) => {
      let text = '';
      socket.on('data', (d) => {
        text += d.toString();
      });
      // The server closes the connection: the test never sends a byte of the 50 MB body.
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
      setTimeout(() => reject(new Error(`no answer without the body; got so far: ${text}`)), 10_000).unref();
    });
    socket.write(
      [
        'POST /api/v1/attachments HTTP/1.1',
        'Host: 127.0.0.1',
        `Authorization: Bearer ${tokens.big}`,
        `Content-Type: multipart/form-data; boundary=${BOUNDARY}`,
        `Content-Length: ${50 * 1000 * 1000}`,
        '',
        '',
      ].join('\r\n'),
    );
    const text = await reply;
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(text).toMatch(/connection: close/i);
    expect(text).toContain('"code":"PAYLOAD_TOO_LARGE"');
    expect(text).toContain(`files are limited to ${LIMITS.maxBytes} bytes`);
  });

  it('cuts a body that declares no length (chunked) at the limit', async () => {
    const { tokens } = await tenantWith(['chunked']);
    const { request, answer } = post(tokens.chunked, undefined);
    request.write(partHead());
    request.write(Buffer.alloc(LIMITS.maxBytes + 1, 97));
    request.end(partTail);
    const res = await answer;
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('quotas', () => {
  it('refuses an upload that would take a user past their quota, and one that would take the tenant past its own', async () => {
    const { tenant, tokens } = await tenantWith(['ann', 'bob', 'cat', 'dan']);
    expect((await upload(tokens.ann, Buffer.alloc(60 * KiB, 97))).status).toBe(201);
    const over = await upload(tokens.ann, Buffer.alloc(60 * KiB, 97));
    expect(over.status).toBe(413);
    expect(over.body.code).toBe('QUOTA_EXCEEDED');
    expect(over.body.message).toMatch(/^your files take \d+ of the 102400 bytes allowed/);
    // What still fits goes in: the refusal reserved nothing.
    expect((await upload(tokens.ann, Buffer.alloc(10 * KiB, 97))).status).toBe(201);

    // ~70 KiB (ann) + 60 (bob) + 60 (cat) fit the tenant's 200 KiB; dan's 60 more do not.
    expect((await upload(tokens.bob, Buffer.alloc(60 * KiB, 97))).status).toBe(201);
    expect((await upload(tokens.cat, Buffer.alloc(60 * KiB, 97))).status).toBe(201);
    const tenantOver = await upload(tokens.dan, Buffer.alloc(60 * KiB, 97));
    expect(tenantOver.status).toBe(413);
    expect(tenantOver.body.code).toBe('QUOTA_EXCEEDED');
    expect(tenantOver.body.message).toMatch(/^your tenant's files take \d+ of the 204800 bytes allowed/);
    expect(await uploadingRows(tenant)).toEqual([]);
  });

  it('counts stored sizes, not declared ones: a file is stored with its own size and hash', async () => {
    const { tokens } = await tenantWith(['eve']);
    const data = Buffer.alloc(CHUNKY, 98);
    const res = await upload(tokens.eve, data);
    expect(res.status).toBe(201);
    expect(res.body.size).toBe(data.length);
    const got = await fetch(`http://127.0.0.1:${port}/api/v1/attachments/${res.body.id}`, {
      headers: { authorization: `Bearer ${tokens.eve}` },
    });
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(data)).toBe(true);
  });
});
describe('uploads in flight', () => {
  it('allows a user 3 uploads at once and a tenant 4, answering 429 UPLOAD_CONCURRENCY beyond, and frees the slots as uploads end', async () => {
    const { tenant, tokens } = await tenantWith(['fay', 'gus', 'hal']);
    const small = body(Buffer.from('hello'));
    // Uploads that stop halfway: their slots stay taken until they end.
    const hanging = ['fay', 'fay', 'fay', 'gus'].map((u) => {
      const h = post(tokens[u] as string, small.length);
      h.request.write(small.subarray(0, 20));
      return h;
    });
    await until('4 uploads in progress', async () => (await uploadingRows(tenant)).length === 4);

    const userBusy = await upload(tokens.fay as string, Buffer.from('one more'));
    expect(userBusy.status).toBe(429);
    expect(userBusy.body).toMatchObject({ code: 'UPLOAD_CONCURRENCY', message: expect.stringMatching(/^you have 3 uploads in progress/) });
    const tenantBusy = await upload(tokens.hal as string, Buffer.from('one more'));
    expect(tenantBusy.status).toBe(429);
    expect(tenantBusy.body.message).toMatch(/^your tenant has 4 uploads in progress/);

    for (const h of hanging) h.request.end(small.subarray(20));
    for (const h of hanging) expect((await h.answer).status).toBe(201);
    expect((await upload(tokens.hal as string, Buffer.from('now there is room'))).status).toBe(201);
  });

  it('frees the slot and the reservation of a client that disconnects halfway', async () => {
    const { tenant, tokens } = await tenantWith(['ida']);
    const gone = [1, 2, 3].map(() => {
      const h = post(tokens.ida as string, 30 * KiB);
      h.answer.catch(() => {});
      h.request.write(partHead());
      h.request.write(Buffer.alloc(1000, 97));
      return h;
    });
    await until('3 uploads in progress', async () => (await uploadingRows(tenant)).length === 3);
    for (const h of gone) h.request.destroy();
    await until('the abandoned uploads removed', async () => (await uploadingRows(tenant)).length === 0);
    expect((await upload(tokens.ida as string, Buffer.from('fine'))).status).toBe(201);
  });
});

describe('ownership', () => {
  it('belongs to the user by id: a new user given a deleted user’s name cannot see its uploads', async () => {
    const { tenant, tokens } = await tenantWith(['kim']);
    const up = await upload(tokens.kim as string, Buffer.from('private notes'));
    expect(up.status).toBe(201);
    const read = (token: string, path = '') =>
      s.app.inject({ method: 'GET', url: `/api/v1/attachments/${up.body.id}${path}`, headers: { authorization: `Bearer ${token}` } });
    expect((await read(tokens.kim as string)).statusCode).toBe(200);

    const admin = as(s.app, await addUser(s.app, `${tenant}-boss`, ['tenant-admin'], [], tenant));
    const [old] = await inTenant(s.app, tenant, (tx) => tx('users').where({ tenant_id: tenant, username: 'kim' }).select('id'));
    expect((await admin('DELETE', `/api/v1/users/${old.id}`)).status).toBe(204);
    const newKim = await addUser(s.app, 'kim', ['requester'], [], tenant);

    const download = await read(newKim);
    expect(download.statusCode).toBe(404);
    expect(download.json().code).toBe('NOT_FOUND');
    expect((await read(newKim, '/info')).statusCode).toBe(404);
  });
});
