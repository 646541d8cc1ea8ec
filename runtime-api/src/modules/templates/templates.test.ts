// The tenant's copies of the templates: listed with upgrade offers, compared, reset.
import { PROCESS_TEMPLATES, processTemplate } from '@serviceloom/templates';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Call, startServer, type TestServer, tokenFor } from '../../../test/helpers.ts';

let s: TestServer;
let owner: Call;
let agent: Call;
beforeAll(async () => {
  s = await startServer();
  owner = as(s.app, await tokenFor(s.app, 'owner'));
  agent = as(s.app, await tokenFor(s.app, 'agent1'));
});
afterAll(() => s.close());

const incident = processTemplate('itsm-incident')?.bpmn as string;
const row = (list: Array<{ key: string }>, key: string) => list.find((t) => t.key === key);

describe('/itsm/templates', () => {
  it('lists every template with the seeded version 1, not customised, no upgrade', async () => {
    const res = await owner('GET', '/api/v1/itsm/templates');
    expect(res.status).toBe(200);
    expect(res.body.map((t: { key: string }) => t.key)).toEqual(PROCESS_TEMPLATES.map((t) => t.key));
    for (const t of res.body) {
      expect(t).toMatchObject({ templateVersion: 1, deployedVersion: 1, basedOn: 1, customised: false, upgradeAvailable: false });
    }
    expect(row(res.body, 'itsm-incident')).toMatchObject({ name: { en: 'Incident', 'zh-CN': '事件' } });
  });

  it('refuses callers who may not deploy', async () => {
    expect((await agent('GET', '/api/v1/itsm/templates')).status).toBe(403);
    expect((await agent('POST', '/api/v1/itsm/templates/itsm-incident/reset')).status).toBe(403);
    expect((await agent('GET', '/api/v1/itsm/templates/itsm-incident/diff')).status).toBe(403);
  });

  it('a customised copy shows its differences by element; reset deploys the template as a new version', async () => {
    const edited = incident
      .replace('sl:dueDate="PT30M"', 'sl:dueDate="PT15M"')
      .replace('<bpmn:endEvent id="majorAlready" name="Already running" />', '<bpmn:endEvent id="majorAlready" name="Nothing to do" />');
    expect(edited).not.toBe(incident);
    const deployed = await owner('POST', '/api/v1/definitions', { bpmnXml: edited });
    expect(deployed.body).toMatchObject({ key: 'itsm-incident', version: 2 });

    expect(row((await owner('GET', '/api/v1/itsm/templates')).body, 'itsm-incident')).toMatchObject({
      deployedVersion: 2,
      basedOn: 1,
      customised: true,
      upgradeAvailable: false,
    });
    const diff = await owner('GET', '/api/v1/itsm/templates/itsm-incident/diff');
    expect(diff.status).toBe(200);
    expect(diff.body).toMatchObject({ key: 'itsm-incident', templateVersion: 1, deployedVersion: 2, added: [], removed: [] });
    expect(diff.body.changed.map((e: { id: string }) => e.id).sort()).toEqual(['major-comms', 'majorAlready']);

    const reset = await owner('POST', '/api/v1/itsm/templates/itsm-incident/reset');
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({ key: 'itsm-incident', version: 3, created: true });
    expect(row((await owner('GET', '/api/v1/itsm/templates')).body, 'itsm-incident')).toMatchObject({
      deployedVersion: 3,
      customised: false,
    });
    expect((await owner('GET', '/api/v1/itsm/templates/itsm-incident/diff')).body).toMatchObject({ added: [], removed: [], changed: [] });
    // Resetting an unchanged copy deploys nothing new.
    expect((await owner('POST', '/api/v1/itsm/templates/itsm-incident/reset')).body).toEqual({
      key: 'itsm-incident',
      version: 3,
      created: false,
    });
  });

  it('offers an upgrade when the copy came from an older template release', async () => {
    const older = processTemplate('itsm-problem')?.bpmn.replace('exporterVersion="1"', 'exporterVersion="0"') as string;
    // Release 0 does not exist: a copy whose exporterVersion is not a release counts as the tenant's own.
    await owner('POST', '/api/v1/definitions', { bpmnXml: older });
    expect(row((await owner('GET', '/api/v1/itsm/templates')).body, 'itsm-problem')).toMatchObject({
      basedOn: null,
      upgradeAvailable: false,
    });
  });

  it('answers 404 with a code for a key that is no template', async () => {
    const res = await owner('POST', '/api/v1/itsm/templates/nope/reset');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('TEMPLATE_NOT_FOUND');
    expect((await owner('GET', '/api/v1/itsm/templates/nope/diff')).body.code).toBe('TEMPLATE_NOT_FOUND');
  });
});
