// @vitest-environment happy-dom
// The palette and the replace menu offer only what the engine executes.
import { afterEach, describe, expect, test } from 'vitest';
import { FIXTURE } from '../test/fixture.ts';
import { openModel } from '../test/harness.tsx';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('palette', () => {
  test('drops data objects, data stores, pools and groups; adds the task kinds', async () => {
    const modeler = await openModel(FIXTURE);
    const ids = Object.keys(modeler.get('palette').getEntries());
    for (const gone of ['create.data-object', 'create.data-store', 'create.participant-expanded', 'create.group'])
      expect(ids).not.toContain(gone);
    for (const added of [
      'create.user-task',
      'create.service-task',
      'create.script-task',
      'create.call-activity',
      'create.parallel-gateway',
    ]) {
      expect(ids).toContain(added);
    }
    expect(ids.indexOf('create.user-task')).toBe(ids.indexOf('create.task') + 1);
  });
});

describe('replace menu', () => {
  const entries = (modeler: ReturnType<typeof Object>, id: string) => {
    const element = modeler.get('elementRegistry').get(id);
    const popup = modeler.get('popupMenu');
    const providers = popup._getProviders('bpmn-replace');
    return Object.keys(popup._getEntries(element, providers)).concat(Object.keys(popup._getHeaderEntries(element, providers)));
  };

  test('gateways: no complex gateway', async () => {
    const modeler = await openModel(FIXTURE);
    const ids = entries(modeler, 'gw');
    expect(ids).toContain('replace-with-parallel-gateway');
    expect(ids.some((id) => id.includes('complex'))).toBe(false);
  });

  test('tasks: no standard loop, no transaction or ad-hoc subprocess', async () => {
    const modeler = await openModel(FIXTURE);
    const ids = entries(modeler, 'ut');
    expect(ids).toContain('replace-with-service-task');
    expect(ids).toContain('toggle-parallel-mi');
    for (const id of ids) expect(id).not.toMatch(/toggle-loop|transaction|ad-hoc/);
  });

  test('events: no compensation, cancel or multiple events', async () => {
    const modeler = await openModel(FIXTURE);
    const ids = [...entries(modeler, 'end'), ...entries(modeler, 'timer')];
    expect(ids).toContain('replace-with-error-end');
    for (const id of ids) expect(id).not.toMatch(/compensation|cancel|multiple/);
  });
});
