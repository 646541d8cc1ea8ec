import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Call, deploy, line, settle, startInstance, startServer, type TestServer, userTask } from './helpers.ts';

let s: TestServer;
let admin: Call;

beforeAll(async () => {
  s = await startServer();
  admin = as(s.app, s.tokens.admin);
  await deploy(admin, line('child', [userTask('childWork')]));
  await deploy(admin, line('parent', ['<bpmn:callActivity id="callChild" calledElement="child"/>', userTask('afterwards')]));
  await deploy(admin, line('orphan-parent', ['<bpmn:callActivity id="callMissing" calledElement="not-yet-deployed"/>']));
  await deploy(admin, line('pinned-parent', ['<bpmn:callActivity id="callPinned" calledElement="child" sl:calledVersion="1"/>']));
});
afterAll(() => s.close());

const get = async (id: string) => (await admin('GET', `/api/v1/process-instances/${id}`)).body;
const childrenOf = async (id: string) => (await admin('GET', `/api/v1/process-instances?parentInstanceId=${id}`)).body;

describe('call activities', () => {
  it('start a child with the caller variables and resume the caller with the child results', async () => {
    const parent = await startInstance(admin, 'parent', { businessKey: 'INC-7', variables: { ticket: 7 } });
    await settle(s.app);
    const [child] = await childrenOf(parent.id);
    expect(child).toMatchObject({
      definitionKey: 'child',
      status: 'active',
      businessKey: 'INC-7',
      variables: { ticket: 7 },
      parentInstanceId: parent.id,
    });
    expect((await get(parent.id)).activeElementIds).toEqual(['callChild']);

    const task = (await admin('GET', `/api/v1/tasks?processInstanceId=${child.id}`)).body[0];
    await admin('POST', `/api/v1/tasks/${task.id}/complete`, { variables: { solution: 'rebooted' } });
    expect((await get(child.id)).status).toBe('completed');
    await settle(s.app);
    const resumed = await get(parent.id);
    expect(resumed).toMatchObject({ status: 'active', activeElementIds: ['afterwards'], variables: { ticket: 7, solution: 'rebooted' } });
  });

  it('call the pinned version when sl:calledVersion is set', async () => {
    await deploy(admin, line('child', [userTask('childWork'), userTask('moreChildWork')]));
    const parent = await startInstance(admin, 'pinned-parent');
    await settle(s.app);
    expect((await childrenOf(parent.id))[0].version).toBe(1);
    const latest = await startInstance(admin, 'parent');
    await settle(s.app);
    expect((await childrenOf(latest.id))[0].version).toBe(2);
  });

  it('raise a fault when the called process does not exist, which a retry clears once it is deployed', async () => {
    const parent = await startInstance(admin, 'orphan-parent');
    await settle(s.app);
    const faulted = await get(parent.id);
    expect(faulted.faults).toHaveLength(1);
    expect(faulted.faults[0]).toMatchObject({ elementId: 'callMissing', message: expect.stringContaining('CALLED_ELEMENT_NOT_FOUND') });

    await deploy(admin, line('not-yet-deployed', ['<bpmn:manualTask id="noop"/>']));
    await admin('POST', `/api/v1/process-instances/${parent.id}/faults/${faulted.faults[0].id}/retry`);
    await settle(s.app);
    expect(await get(parent.id)).toMatchObject({ status: 'completed', faults: [] });
  });

  it('cancel the child when the caller is cancelled', async () => {
    const parent = await startInstance(admin, 'parent');
    await settle(s.app);
    const [child] = await childrenOf(parent.id);
    await admin('POST', `/api/v1/process-instances/${parent.id}/cancel`);
    await settle(s.app);
    expect((await get(child.id)).status).toBe('cancelled');
  });
});
