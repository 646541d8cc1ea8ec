// POST /definitions/import-check: a process owner sees what a model from Camunda 7 or 8, Flowable or
// Activiti would become here before deploying it; and a deployment names the warnings its model has.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Call, startServer, type TestServer } from './helpers.ts';

const corpus = (file: string) =>
  readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../testdata/bpmn-models', file), 'utf8');

let s: TestServer;
let owner: Call;
beforeAll(async () => {
  s = await startServer();
  owner = as(s.app, s.tokens.owner);
});
afterAll(() => s.close());

const check = (xml: string) => owner('POST', '/api/v1/definitions/import-check', { bpmnXml: xml });

describe('POST /definitions/import-check', () => {
  it('reports a Camunda 8 model: its job types mapped, its task headers ignored with the warning a deployment gives', async () => {
    const xml = corpus('zeebe-node/connector_test.bpmn');
    const res = await check(xml);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ runs: true, dialect: 'zeebe' });
    expect(res.body.mapped).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ attribute: expect.stringMatching(/^zeebe:taskDefinition/), to: expect.any(String) }),
      ]),
    );
    expect(res.body.ignored).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ what: 'zeebe:taskHeaders', reason: 'task headers are not passed to the job worker' }),
      ]),
    );
    expect(res.body.refused).toEqual([]);
    // Nothing was stored, and the deployment then names the same warnings.
    const deployed = await owner('POST', '/api/v1/definitions', { bpmnXml: xml });
    expect(deployed.status).toBe(201);
    expect(deployed.body.warnings).toEqual(res.body.warnings);
    expect(deployed.body.warnings.length).toBeGreaterThan(0);
  });

  it('reports a Camunda 7 model with listeners, naming each as ignored', async () => {
    const res = await check(corpus('process-engine-core/customized_signal_end_event_payload.bpmn'));
    expect(res.status).toBe(200);
    expect(res.body.dialect).toBe('camunda');
    expect(res.body.ignored.map((f: { what: string }) => f.what)).toContain('camunda:executionListener (class="" event="")');
  });

  it('a refused model is a 200 report with runs false, each refusal naming its element', async () => {
    const res = await check(corpus('process-engine-core/DemoNutztierRiss.bpmn'));
    expect(res.status).toBe(200);
    expect(res.body.runs).toBe(false);
    expect(res.body.refused).toContainEqual({
      element: 'Task_01xg9lr',
      what: '',
      reason: 'a service task needs sl:type: the job type or connector that does the work',
    });
  });

  it.each([
    ['plain text', 'this is not XML at all'],
    ['XML that is not BPMN', '<?xml version="1.0"?><html><body>hi</body></html>'],
    ['truncated XML', corpus('zeebe-node/connector_test.bpmn').slice(0, 400)],
  ])('answers 400 BPMN_UNREADABLE, never a 500, for %s', async (_, xml) => {
    const res = await check(xml);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('BPMN_UNREADABLE');
    expect(res.body.message).toMatch(/BPMN|XML|<[\w:]+>/);
    expect(res.body.details).toEqual(expect.any(Array));
  });

  it('refuses document type declarations and leaves agents out', async () => {
    const doctype = await check('<!DOCTYPE x [<!ENTITY a "b">]><definitions/>');
    expect(doctype.status).toBe(400);
    const agent = as(s.app, s.tokens.agent1);
    expect((await agent('POST', '/api/v1/definitions/import-check', { bpmnXml: corpus('vmes-flowable/start.bpmn') })).status).toBe(403);
  });
});
