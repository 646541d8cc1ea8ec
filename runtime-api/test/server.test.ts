// The same API through a real listening socket, with fetch.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PASSWORD, startServer, type TestServer } from './helpers.ts';

let s: TestServer;
let base: string;
beforeAll(async () => {
  s = await startServer();
  await s.app.listen({ port: 0, host: '127.0.0.1' });
  const address = s.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${address.port}`;
});
afterAll(() => s.close());

async function api(method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: await res.json() };
}

// A two-task process (the demo seed now holds the ITSM templates, driven by ticket actions).
const TRIAGE = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:sl="http://serviceloom.dev/schema/bpmn" id="d" targetNamespace="t">
  <bpmn:process id="triage-resolve" isExecutable="true">
    <bpmn:startEvent id="reported"/>
    <bpmn:sequenceFlow id="f1" sourceRef="reported" targetRef="triage"/>
    <bpmn:userTask id="triage" sl:candidateGroups="service-desk"/>
    <bpmn:sequenceFlow id="f2" sourceRef="triage" targetRef="resolve"/>
    <bpmn:userTask id="resolve" sl:candidateGroups="service-desk"/>
    <bpmn:sequenceFlow id="f3" sourceRef="resolve" targetRef="resolved"/>
    <bpmn:endEvent id="resolved"/>
  </bpmn:process>
</bpmn:definitions>`;

it('signs in, starts a process and works it to the end over HTTP', async () => {
  expect(await api('GET', '/health')).toEqual({ status: 200, body: { status: 'ok' } });
  const owner = (await api('POST', '/api/v1/auth/login', undefined, { tenant: 'demo', username: 'owner', password: PASSWORD })).body.token;
  expect((await api('POST', '/api/v1/definitions', owner, { bpmnXml: TRIAGE })).status).toBe(201);
  const login = await api('POST', '/api/v1/auth/login', undefined, { tenant: 'demo', username: 'agent1', password: PASSWORD });
  expect(login.status).toBe(200);
  const requester = (await api('POST', '/api/v1/auth/login', undefined, { tenant: 'demo', username: 'requester', password: PASSWORD })).body
    .token;
  const agent = login.body.token;

  const started = await api('POST', '/api/v1/process-instances', requester, {
    definitionKey: 'triage-resolve',
    variables: { summary: 'VPN down' },
  });
  expect(started.status).toBe(201);
  for (const step of ['triage', 'resolve']) {
    const [task] = (await api('GET', `/api/v1/tasks?processInstanceId=${started.body.id}`, agent)).body;
    expect(task.elementId).toBe(step);
    expect((await api('POST', `/api/v1/tasks/${task.id}/claim`, agent)).status).toBe(200);
    // An empty JSON body on an action route is fine.
    const res = await fetch(`${base}/api/v1/tasks/${task.id}/complete`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent}`, 'content-type': 'application/json' },
    });
    expect(res.status).toBe(200);
  }
  const done = await api('GET', `/api/v1/process-instances/${started.body.id}`, requester);
  expect(done.body).toMatchObject({ status: 'completed', variables: { summary: 'VPN down' } });
});

it('answers 413 over HTTP for a body past the limit', async () => {
  const res = await api('POST', '/api/v1/auth/login', undefined, { tenant: 'demo', username: 'x'.repeat(2 * 1024 * 1024), password: 'y' });
  expect(res.status).toBe(413);
  expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
});
