import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, bpmn, type Call, line, startServer, type TestServer, userTask } from './helpers.ts';

let s: TestServer;
let owner: Call;
beforeAll(async () => {
  s = await startServer();
  owner = as(s.app, s.tokens.owner);
});
afterAll(() => s.close());

const simple = (name = 'Simple') =>
  line('simple', [userTask('work', 'sl:candidateGroups="service-desk"')]).replace(
    'isExecutable="true"',
    `isExecutable="true" name="${name}"`,
  );

describe('deploying', () => {
  it('deploys version 1, then version 2 of the same key, and returns the existing version for identical XML', async () => {
    const v1 = await owner('POST', '/api/v1/definitions', { bpmnXml: simple('One') });
    expect(v1.status).toBe(201);
    expect(v1.body).toMatchObject({ id: expect.any(String), key: 'simple', version: 1, name: 'One' });
    const again = await owner('POST', '/api/v1/definitions', { bpmnXml: simple('One') });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ id: v1.body.id, version: 1 });
    const v2 = await owner('POST', '/api/v1/definitions', { bpmnXml: simple('Two') });
    expect(v2.body).toMatchObject({ key: 'simple', version: 2, name: 'Two' });
  });

  it('lists the latest version of each key, every version of a key, and one version with its XML', async () => {
    const list = await owner('GET', '/api/v1/definitions');
    expect(list.status).toBe(200);
    const keys = list.body.map((d: { key: string }) => d.key);
    expect(keys).toEqual(expect.arrayContaining(['simple', 'itsm-incident']));
    expect(list.body.find((d: { key: string }) => d.key === 'simple').version).toBe(2);

    const versions = await owner('GET', '/api/v1/definitions/simple/versions');
    expect(versions.body.map((d: { version: number }) => d.version)).toEqual([1, 2]);

    const one = await owner('GET', `/api/v1/definitions/${versions.body[0].id}`);
    expect(one.status).toBe(200);
    expect(one.body.bpmnXml).toContain('name="One"');
  });

  it('lets agents read but not deploy', async () => {
    const agent = as(s.app, s.tokens.agent1);
    expect((await agent('GET', '/api/v1/definitions')).status).toBe(200);
    expect((await agent('POST', '/api/v1/definitions', { bpmnXml: simple() })).status).toBe(403);
  });

  it('answers 404 for unknown ids and keys', async () => {
    expect((await owner('GET', '/api/v1/definitions/no-such-id')).body.code).toBe('NOT_FOUND');
    expect((await owner('GET', '/api/v1/definitions/no-such-key/versions')).status).toBe(404);
  });
});

describe('refusing bad BPMN', () => {
  it('answers 400 BPMN_INVALID with the element at fault', async () => {
    const broken = bpmn(
      'broken',
      '<bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="gw"/><bpmn:sequenceFlow id="f" sourceRef="start" targetRef="gw"/>',
    );
    const res = await owner('POST', '/api/v1/definitions', { bpmnXml: broken });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('BPMN_INVALID');
    expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ elementId: 'gw', message: expect.any(String) })]));
  });

  it.each([
    ['plain text', 'this is not XML at all'],
    ['JSON', '{"bpmn": true}'],
    ['XML that is not BPMN', '<?xml version="1.0"?><html><body>hi</body></html>'],
    ['truncated XML', simple().slice(0, 300)],
  ])('answers 400 BPMN_INVALID for %s', async (_, xml) => {
    const res = await owner('POST', '/api/v1/definitions', { bpmnXml: xml });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('BPMN_INVALID');
    expect(res.body.details).toEqual(expect.any(Array));
  });

  it('refuses entity expansion (billion laughs) without expanding anything', async () => {
    const laughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process id="p" name="&lol3;"/></bpmn:definitions>`;
    const res = await owner('POST', '/api/v1/definitions', { bpmnXml: laughs });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('BPMN_INVALID');
  });

  it('answers 413 for XML over 2 MB, and for bodies over the route limit', async () => {
    const padding = `<!-- ${'x'.repeat(2 * 1024 * 1024)} -->`;
    const big = await owner('POST', '/api/v1/definitions', { bpmnXml: simple().replace('<bpmn:process', `${padding}<bpmn:process`) });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('PAYLOAD_TOO_LARGE');
    const huge = await owner('POST', '/api/v1/definitions', { bpmnXml: 'x'.repeat(5 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers 400 naming the field for missing, mistyped or unknown fields', async () => {
    const missing = await owner('POST', '/api/v1/definitions', {});
    expect(missing.status).toBe(400);
    expect(missing.body.details[0]).toMatchObject({ field: 'bpmnXml', in: 'body' });
    const mistyped = await owner('POST', '/api/v1/definitions', { bpmnXml: 42 });
    expect(mistyped.body.details[0].field).toBe('bpmnXml');
    const unknown = await owner('POST', '/api/v1/definitions', { bpmnXml: simple(), extra: 1 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details[0].field).toBe('extra');
    const noBody = await owner('POST', '/api/v1/definitions');
    expect(noBody.status).toBe(400);
  });
});
