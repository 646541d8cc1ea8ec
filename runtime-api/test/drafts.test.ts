// The designer's server side: drafts saved per key (process owners leave and come back), the
// instance counts on each version, and the web app served at `/` beside the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Call, deploy, line, startInstance, startServer, type TestServer, userTask } from './helpers.ts';

let s: TestServer;
let owner: Call;
let agent: Call;
beforeAll(async () => {
  s = await startServer();
  owner = as(s.app, s.tokens.owner);
  agent = as(s.app, s.tokens.agent1);
});
afterAll(() => s.close());

describe('drafts', () => {
  it('saves, replaces, lists, reads and deletes the draft of a key', async () => {
    expect((await owner('GET', '/api/v1/definitions/drafted/draft')).status).toBe(404);
    const saved = await owner('PUT', '/api/v1/definitions/drafted/draft', { bpmnXml: '<unfinished/>' });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ key: 'drafted', updatedBy: 'owner', updatedAt: expect.any(String) });
    await owner('PUT', '/api/v1/definitions/drafted/draft', { bpmnXml: '<still-unfinished/>' });
    const read = await owner('GET', '/api/v1/definitions/drafted/draft');
    expect(read.body.bpmnXml).toBe('<still-unfinished/>');
    const list = await owner('GET', '/api/v1/definition-drafts');
    expect(list.body).toEqual([expect.objectContaining({ key: 'drafted', updatedBy: 'owner' })]);
    expect(list.body[0].bpmnXml).toBeUndefined();
    expect((await owner('DELETE', '/api/v1/definitions/drafted/draft')).status).toBe(204);
    expect((await owner('GET', '/api/v1/definitions/drafted/draft')).status).toBe(404);
  });

  it('is for process owners and tenant admins only', async () => {
    expect((await agent('PUT', '/api/v1/definitions/x/draft', { bpmnXml: '<x/>' })).status).toBe(403);
    expect((await agent('GET', '/api/v1/definition-drafts')).status).toBe(403);
    expect((await as(s.app, undefined)('GET', '/api/v1/definitions/x/draft')).status).toBe(401);
  });
});

describe('versions', () => {
  it('count the instances running on each version and all of them', async () => {
    const xml = (name: string) => line('counted', [userTask('work')]).replace('isExecutable="true"', `isExecutable="true" name="${name}"`);
    await deploy(owner, xml('one'));
    await startInstance(owner, 'counted');
    await startInstance(owner, 'counted');
    await deploy(owner, xml('two'));
    const started = await startInstance(owner, 'counted');
    await owner('POST', `/api/v1/process-instances/${started.id}/cancel`);
    const versions = await owner('GET', '/api/v1/definitions/counted/versions');
    expect(versions.body.map((v: { version: number; instances: unknown }) => [v.version, v.instances])).toEqual([
      [1, { active: 2, total: 2 }],
      [2, { active: 0, total: 1 }],
    ]);
  });
});
