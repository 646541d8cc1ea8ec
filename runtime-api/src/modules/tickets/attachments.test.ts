// Files on a ticket over HTTP: uploaded with the forms' `POST /attachments`, put on a ticket by
// their uploader, listed and downloaded by whoever sees the ticket (agents, its requester) and by
// nobody else: never another requester, never another tenant.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, type Call, deploy, login, startServer, type TestServer } from '../../../test/helpers.ts';
import { ticketFlow } from '../../../test/itsm/ticket-flow.ts';

let s: TestServer;
let admin: Call;
let agent: Call;
let requester: Call;
let other: Call;
let otherTenant: Call;
let number: string;

async function upload(token: string, name: string, text: string) {
  const boundary = `----sl${randomUUID()}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/plain\r\n\r\n`;
  const res = await s.app.inject({
    method: 'POST',
    url: '/api/v1/attachments',
    payload: Buffer.concat([Buffer.from(head), Buffer.from(text), Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${token}` },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; filename: string };
}

const download = (token: string, url: string) => s.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  s = await startServer();
  admin = as(s.app, s.tokens.admin);
  agent = as(s.app, s.tokens.agent1);
  requester = as(s.app, s.tokens.requester);
  other = as(s.app, await addUser(s.app, 'requester2', ['requester']));
  await deploy(admin, ticketFlow('itsm-incident'));
  const created = await admin('POST', '/api/v1/tenants', {
    id: 'globex',
    name: 'Globex',
    admin: { username: 'boss', password: 'long-enough-password' },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  otherTenant = as(s.app, await login(s.app, 'boss', 'long-enough-password', 'globex'));
  number = (await requester('POST', '/api/v1/tickets', { type: 'incident', title: 'The printer jams' })).body.number;
  // A server and a second tenant, each seeded with the templates: slow on a busy machine.
}, 240_000);
afterAll(() => s?.close());

describe('files on a ticket', () => {
  let fromRequester: { id: string; filename: string };

  it('the requester puts their upload on their ticket; the agent lists and downloads it', async () => {
    fromRequester = await upload(s.tokens.requester, 'error.txt', 'Paper jam in tray 2');
    const added = await requester('POST', `/api/v1/tickets/${number}/attachments`, { attachmentId: fromRequester.id });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body).toMatchObject({ id: fromRequester.id, filename: 'error.txt', contentType: 'text/plain', size: 19 });

    const listed = await agent('GET', `/api/v1/tickets/${number}/attachments`);
    expect(listed.status).toBe(200);
    expect(listed.body.map((a: { filename: string }) => a.filename)).toEqual(['error.txt']);
    const file = await download(s.tokens.agent1, `/api/v1/tickets/${number}/attachments/${fromRequester.id}`);
    expect(file.statusCode).toBe(200);
    expect(file.body).toBe('Paper jam in tray 2');
    expect(file.headers['content-disposition']).toContain('error.txt');

    const timeline = (await agent('GET', `/api/v1/tickets/${number}/timeline`)).body;
    expect(timeline.find((e: { kind: string }) => e.kind === 'attachment')).toMatchObject({
      actor: { username: 'requester' },
      data: { id: fromRequester.id, filename: 'error.txt' },
    });
  });

  it("the agent's file is the requester's to download too; twice is a conflict", async () => {
    const log = await upload(s.tokens.agent1, 'driver.log', 'reinstalled the driver');
    expect((await agent('POST', `/api/v1/tickets/${number}/attachments`, { attachmentId: log.id })).status).toBe(201);
    expect((await agent('POST', `/api/v1/tickets/${number}/attachments`, { attachmentId: log.id })).status).toBe(409);
    const listed = (await requester('GET', `/api/v1/tickets/${number}/attachments`)).body;
    expect(listed.map((a: { filename: string }) => a.filename)).toEqual(['error.txt', 'driver.log']);
    expect((await download(s.tokens.requester, `/api/v1/tickets/${number}/attachments/${log.id}`)).body).toBe('reinstalled the driver');
  });

  it('another requester sees neither the files nor the ticket, and cannot put files on it', async () => {
    const token = await login(s.app, 'requester2');
    expect((await other('GET', `/api/v1/tickets/${number}/attachments`)).status).toBe(404);
    expect((await download(token, `/api/v1/tickets/${number}/attachments/${fromRequester.id}`)).statusCode).toBe(404);
    const own = await upload(token, 'mine.txt', 'mine');
    expect((await other('POST', `/api/v1/tickets/${number}/attachments`, { attachmentId: own.id })).status).toBe(404);
    // Their own ticket does not lend them a file of another's.
    const theirs = (await other('POST', '/api/v1/tickets', { type: 'incident', title: 'Mine' })).body.number;
    const stolen = await other('POST', `/api/v1/tickets/${theirs}/attachments`, { attachmentId: fromRequester.id });
    expect(stolen.status).toBe(404);
    expect((await download(token, `/api/v1/tickets/${theirs}/attachments/${fromRequester.id}`)).statusCode).toBe(404);
  });

  it('an agent cannot put a file of someone else on a ticket', async () => {
    // Not even one already on the ticket: the uploader links their own files.
    expect((await agent('POST', `/api/v1/tickets/${number}/attachments`, { attachmentId: fromRequester.id })).status).toBe(404);
    const elses = await upload(s.tokens.requester, 'other.txt', 'not yet attached');
    expect((await agent('POST', `/api/v1/tickets/${number}/attachments`, { attachmentId: elses.id })).status).toBe(404);
  });

  it("another tenant's admin finds neither the ticket nor the file", async () => {
    expect((await otherTenant('GET', `/api/v1/tickets/${number}/attachments`)).status).toBe(404);
    const token = await login(s.app, 'boss', 'long-enough-password', 'globex');
    expect((await download(token, `/api/v1/tickets/${number}/attachments/${fromRequester.id}`)).statusCode).toBe(404);
    expect((await otherTenant('POST', `/api/v1/tickets/${number}/attachments`, { attachmentId: fromRequester.id })).status).toBe(404);
  });
});
