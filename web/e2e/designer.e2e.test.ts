// The designer in a real browser: build a flow from the palette, configure it, watch the engine's
// problems come and go, simulate it to the end, deploy it, and run it on the server.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { toSchema } from '@serviceloom/form-builder/schema';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { DesignerPage } from './pages/designer.ts';
import { LoginPage } from './pages/login.ts';
import { switchLanguage } from './pages/shell.ts';
import { type Browser, openBrowser, screenshot } from './support/browser.ts';
import { apiClient, DEMO_PASSWORD, type RunningServer, startServer } from './support/server.ts';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await openBrowser();
  // A published form for the task the tests draw: one checkbox, `approved`, unticked unless ticked.
  const api = await apiClient(server.baseUrl);
  const form = toSchema({
    sections: [{ id: 'main', columns: 1, fields: [{ id: 'approved', type: 'checkbox', label: { en: 'Approved' }, default: false }] }],
  });
  await api('POST', '/api/v1/forms', { key: 'change-approval', name: 'Change approval', labels: { en: 'Change approval' }, ...form });
  await api('POST', '/api/v1/forms/change-approval/publish');
});

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail' && browser) await screenshot(browser.page, `failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}`);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const KEY = 'e2e-approval';

describe('designer', () => {
  const ids: Record<string, string> = {};

  test('signs in and creates a new process, laid out automatically', async () => {
    const { page } = browser;
    await new LoginPage(page).signIn(server.baseUrl, 'admin', DEMO_PASSWORD);
    await page.goto(`${server.baseUrl}/designer`);
    await page.getByTestId('designer-new').click();
    await page.getByTestId('designer-new-key').fill(KEY);
    await page.getByTestId('designer-new-name').fill('E2E approval');
    await page.getByTestId('designer-new-create').click();
    const designer = new DesignerPage(page);
    await designer.waitForCanvas('start');
    await designer.waitForCanvas('end');
    await expect.poll(() => designer.status().textContent()).toContain('laid out automatically');
  });

  test('drags a user task from the palette and connects it', async () => {
    const { page } = browser;
    const designer = new DesignerPage(page);
    const start = await designer.center('start');
    const end = await designer.center('end');
    await designer.remove('flow_start');
    ids.task = await designer.dragFromPalette('create.user-task', { x: start.x + 130, y: start.y + 150 });
    ids.gateway = await designer.dragFromPalette('create.exclusive-gateway', { x: start.x + 330, y: start.y + 150 });
    ids.rejected = await designer.dragFromPalette('create.end-event', { x: end.x + 200, y: end.y + 260 });
    ids.toTask = await designer.connect('start', ids.task);
    ids.toGateway = await designer.connect(ids.task, ids.gateway);
    ids.approve = await designer.connect(ids.gateway, 'end');
    ids.reject = await designer.connect(ids.gateway, ids.rejected);
    for (const id of Object.values(ids)) await expect.poll(() => designer.element(id).count()).toBe(1);
  });

  test('sets the candidate groups and the form key', async () => {
    const { page } = browser;

    const designer = new DesignerPage(page);
    await designer.select(ids.task as string);
    await designer.setField('name', 'Approve the change');
    await designer.setField('candidateGroups', 'network');
    // The form key is picked from the published forms.
    await designer.field('formKey').selectOption('change-approval');
    await expect.poll(() => designer.field('candidateGroups').inputValue()).toBe('network');
    await expect(page.getByTestId('group-network').isChecked()).resolves.toBe(true);
    await expect.poll(() => designer.field('formKey').inputValue()).toBe('change-approval');
  });

  test('a gateway flow without a condition is a named problem until a condition is set, and again after undo', async () => {
    const { page } = browser;
    const designer = new DesignerPage(page);
    const approveProblem = designer.problemFor(ids.approve as string);
    await expect.poll(() => approveProblem.textContent()).toContain(`leaves gateway "${ids.gateway}" with no condition`);
    await expect.poll(() => designer.problemFor(ids.reject as string).count()).toBe(1);
    await expect.poll(() => designer.hasMarker(ids.approve as string, 'sl-problem-error')).toBe(true);
    await expect(designer.button('designer-deploy').isDisabled()).resolves.toBe(true);
    await screenshot(page, 'designer-problems');

    // Clicking the problem selects the flow and focuses its condition field.
    await approveProblem.locator('button').click();
    await page.locator(`[data-testid="designer-properties"][data-element="${ids.approve}"]`).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-field'))).toBe('condition');
    await designer.field('condition').fill('= approved');
    await designer.field('condition').press('Enter');
    await expect.poll(() => approveProblem.count()).toBe(0);
    await expect.poll(() => designer.hasMarker(ids.approve as string, 'sl-problem-error')).toBe(false);

    await designer.button('designer-undo').click();
    await expect.poll(() => approveProblem.count()).toBe(1);
    await designer.button('designer-redo').click();
    await expect.poll(() => approveProblem.count()).toBe(0);

    await designer.select(ids.reject as string);
    await designer.setField('condition', '= not(approved)');
    await expect.poll(() => designer.problems().count()).toBe(0);
    await expect.poll(() => designer.button('designer-deploy').isDisabled()).toBe(false);
  });

  test('simulates to the end, choosing the gateway branch with the task variables', async () => {
    const { page } = browser;
    const designer = new DesignerPage(page);
    await designer.button('designer-simulate').click();
    await page.getByTestId('sim-start-variables').fill('{"requester": "ana"}');
    await page.getByTestId('sim-start').click();
    await page.getByTestId(`sim-wait-${ids.task}`).waitFor();
    await expect.poll(() => designer.hasMarker(ids.task as string, 'sl-sim-active')).toBe(true);
    await expect.poll(() => designer.hasMarker(ids.toTask as string, 'sl-sim-taken')).toBe(true);
    await screenshot(page, 'designer-simulation-waiting');
    // The task shows its form (rendered as in the task page), not a JSON box.
    await page.getByTestId(`sim-form-${ids.task}`).waitFor();
    expect(await page.getByTestId(`sim-vars-${ids.task}`).count()).toBe(0);
    expect(await page.getByTestId(`sim-form-${ids.task}`).getByText('Approved').count()).toBeGreaterThan(0);
    await page.getByTestId(`sim-complete-${ids.task}`).click();
    await expect.poll(() => page.getByTestId('sim-status').getAttribute('data-status')).toBe('completed');
    expect(await designer.hasMarker(ids.reject as string, 'sl-sim-taken')).toBe(true);
    expect(await designer.hasMarker(ids.approve as string, 'sl-sim-taken')).toBe(false);
    expect(await designer.hasMarker(ids.rejected as string, 'sl-sim-done')).toBe(true);
    const vars = JSON.parse((await page.getByTestId('sim-variables').textContent()) ?? '{}');
    expect(vars).toEqual({ requester: 'ana', approved: false });
    await expect.poll(() => page.locator(`[data-testid="sim-path"] li[data-element="${ids.reject}"]`).count()).toBe(1);
    await screenshot(page, 'designer-simulation-done');
    await designer.button('designer-simulate').click();
  });

  test('saves the draft and deploys it as version 1', async () => {
    const { page } = browser;
    const designer = new DesignerPage(page);
    await designer.button('designer-save').click();
    await expect.poll(() => designer.status().textContent()).toContain('Draft saved');
    await designer.button('designer-deploy').click();
    await expect.poll(() => designer.status().textContent()).toContain(`Deployed ${KEY} as version 1`);
    await screenshot(page, 'designer-deployed');
  });

  test('an instance started through the API creates the task with the configured group', async () => {
    const { page } = browser;
    const api = await apiClient(server.baseUrl);
    const instance = await api<{ id: string; status: string }>('POST', '/api/v1/process-instances', {
      definitionKey: KEY,
      variables: { requester: 'ana' },
    });
    expect(instance.status).toBe('active');
    const tasks = await api<Array<{ elementId: string; name: string; candidateGroups: string[]; formKey: string | null }>>(
      'GET',
      `/api/v1/tasks?processInstanceId=${instance.id}`,
    );
    expect(tasks).toEqual([expect.objectContaining({ elementId: ids.task, name: 'Approve the change', candidateGroups: ['network'] })]);
    expect(tasks[0]?.formKey).toBe('change-approval');

    await page.goto(`${server.baseUrl}/tasks`);
    const row = page.locator(`[data-testid="task-list"] [data-testid="task-row"][data-element="${ids.task}"]`);
    await row.waitFor();
    expect(await row.getByTestId('task-groups').textContent()).toBe('network');

    await page.goto(`${server.baseUrl}/designer`);
    const version = page.getByTestId(`version-${KEY}-1`);
    await version.waitFor();
    expect(await version.getByTestId('running-count').textContent()).toBe('1');
    await screenshot(page, 'designer-versions');
  });

  test('the draft is kept on the server, and a deployed version opens read-only with a replay', async () => {
    const { page } = browser;
    const api = await apiClient(server.baseUrl);
    const draft = await api<{ bpmnXml: string }>('GET', `/api/v1/definitions/${KEY}/draft`);
    expect(draft.bpmnXml).toContain('sl:candidateGroups="network"');
    const [instance] = await api<Array<{ id: string }>>('GET', `/api/v1/process-instances?definitionKey=${KEY}`);

    await page.goto(`${server.baseUrl}/designer/${KEY}?version=1`);
    const designer = new DesignerPage(page);
    await designer.waitForCanvas(ids.task as string);
    expect(await page.locator('.djs-palette').count()).toBe(0);
    await designer.button('designer-simulate').click();
    await page.getByTestId('replay-instances').selectOption(instance?.id as string);
    expect(await page.getByTestId('replay-instance-id').inputValue()).toBe(instance?.id);
    await page.getByTestId('replay-load').click();
    await page.getByTestId('replay-view').waitFor();
    await expect.poll(() => designer.hasMarker(ids.task as string, 'sl-sim-active')).toBe(true);
    await screenshot(page, 'designer-replay');
  });

  test('imports a Camunda Modeler file without layout, converts it, and exports it', async () => {
    const { page } = browser;
    const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/camunda7-order.bpmn');
    await page.goto(`${server.baseUrl}/designer`);
    await page.getByTestId('designer-import-file').setInputFiles(fixture);
    // The importer's report comes first: it runs, and says what the Camunda attributes become.
    const dialog = page.getByTestId('designer-import-dialog');
    await dialog.getByTestId('import-report').waitFor();
    expect(await dialog.getByTestId('import-runs').getAttribute('data-runs')).toBe('true');
    expect(await dialog.getByTestId('import-mapped').textContent()).toContain('camunda:candidateGroups="service-desk"');
    await dialog.getByTestId('designer-import-open').click();
    await page.waitForURL('**/designer/camunda-order');
    const designer = new DesignerPage(page);
    await designer.waitForCanvas('check');
    await expect.poll(() => designer.status().textContent()).toContain('Converted from camunda');
    expect((await designer.box('received')).x).toBeLessThan((await designer.box('done')).x);
    await designer.select('check');
    expect(await designer.field('candidateGroups').inputValue()).toBe('service-desk');
    expect(await designer.field('dueDate').inputValue()).toBe('P1D');
    await designer.select('ship');
    expect(await designer.field('type').inputValue()).toBe('shipping');
    await expect.poll(() => designer.problems().count()).toBe(0);
    await screenshot(page, 'designer-imported-camunda');

    const download = page.waitForEvent('download');
    await designer.button('designer-export').click();
    const file = await (await download).path();
    const exported = await readFile(file, 'utf8');
    expect((await download).suggestedFilename()).toBe('camunda-order.bpmn');
    expect(exported).toContain('sl:candidateGroups="service-desk"');
    expect(exported).not.toContain('camunda:');
    expect(exported).toContain('<bpmndi:BPMNShape');
  });

  test('switches the language to Chinese and back, keeping unsaved edits', async () => {
    const { page } = browser;
    const designer = new DesignerPage(page);
    await designer.select('check');
    await designer.setField('name', 'Check the order twice');
    await switchLanguage(page, 'zh-CN');
    await expect.poll(() => page.getByTestId('nav-designer').textContent()).toBe('流程设计器');
    await expect.poll(() => page.getByTestId('designer-deploy').textContent()).toBe('部署');
    await screenshot(page, 'designer-zh-CN');
    await switchLanguage(page, 'en');
    await expect.poll(() => page.getByTestId('nav-designer').textContent()).toBe('Process designer');
    expect(await designer.field('name').inputValue()).toBe('Check the order twice');
  });

  test("a Flowable file: the import report names the listener that will not run, the problems list keeps it, and so does the deployment's reply", async () => {
    const { page } = browser;
    const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/flowable-leave.bpmn');
    await page.goto(`${server.baseUrl}/designer`);
    await page.getByTestId('designer-import-file').setInputFiles(fixture);
    const dialog = page.getByTestId('designer-import-dialog');
    await dialog.getByTestId('import-report').waitFor();
    expect(await dialog.getByTestId('import-runs').textContent()).toContain('Flowable');
    expect(await dialog.getByTestId('import-ignored').textContent()).toContain('flowable:taskListener');
    expect(await dialog.getByTestId('import-mapped').textContent()).toContain('flowable:candidateGroups="service-desk"');
    await screenshot(page, 'designer-import-report');
    await dialog.getByTestId('designer-import-open').click();
    await page.waitForURL('**/designer/flowable-leave');
    const designer = new DesignerPage(page);
    await designer.waitForCanvas('approve');
    // The listener's warning is in the problems list (the live check and the report agree: listed once).
    const listener = page.locator('[data-testid="designer-problems"] [data-problem-element="approve"][data-severity="warning"]');
    await listener.first().waitFor();
    expect(await listener.first().textContent()).toContain('flowable:taskListener');
    await designer.button('designer-deploy').click();
    await expect.poll(() => designer.status().textContent()).toContain('Deployed flowable-leave as version 1');
    expect(await designer.status().textContent()).toContain('1 warning');
    expect(await listener.first().textContent()).toContain('flowable:taskListener');
  });
});
