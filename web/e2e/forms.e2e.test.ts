// Forms in a real browser: build a form by dragging three fields from the palette, make one
// required and one conditional, publish it; then open a task bound to it (a BPMN with sl:formKey
// deployed and started through the API), submit invalid data and see the field errors, submit
// valid data and see the task completed through the API.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { FormBuilderPage, TaskFormPage } from './pages/forms.ts';
import { LoginPage } from './pages/login.ts';
import { type Browser, openBrowser, screenshot } from './support/browser.ts';
import { apiClient, DEMO_PASSWORD, type RunningServer, startServer } from './support/server.ts';

let server: RunningServer;
let browser: Browser;
let api: Awaited<ReturnType<typeof apiClient>>;

beforeAll(async () => {
  server = await startServer();
  browser = await openBrowser();
  api = await apiClient(server.baseUrl);
});

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail' && browser)
    await screenshot(browser.page, `failed-forms-${task.name.slice(0, 40).replace(/\W+/g, '-')}`);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const FORM = 'e2e-request';
const PROCESS = 'e2e-formed';
const bpmn = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:sl="http://serviceloom.dev/schema/bpmn" id="d" targetNamespace="http://serviceloom.dev/e2e">
  <bpmn:process id="${PROCESS}" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="fill" name="Fill in the request" sl:candidateGroups="service-desk" sl:formKey="${FORM}"/>
    <bpmn:endEvent id="end"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fill"/>
    <bpmn:sequenceFlow id="f2" sourceRef="fill" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>`;

describe('forms', () => {
  let taskId: string;
  let instanceId: string;

  test('builds a form by dragging three fields, one required and one conditional, and publishes it', async () => {
    const { page } = browser;
    await new LoginPage(page).signIn(server.baseUrl, 'formadmin', DEMO_PASSWORD);
    await page.goto(`${server.baseUrl}/forms`);
    await page.getByTestId('forms-new').click();
    await page.getByTestId('forms-new-key').fill(FORM);
    await page.getByTestId('forms-new-name').fill('E2E request');
    await page.getByTestId('forms-new-name-zh').fill('端到端请求');
    await page.getByTestId('forms-new-create').click();
    await page.waitForURL(`**/forms/${FORM}`);
    await page.getByTestId('form-builder-palette').waitFor();
    await page.getByTestId('form-builder-canvas').waitFor();

    const builder = new FormBuilderPage(page);
    const select = await builder.dragFromPalette('select');
    const text = await builder.dragFromPalette('shortText');
    const email = await builder.dragFromPalette('email');
    expect(await builder.fieldIds()).toEqual([select, text, email]);

    await builder.select(select);
    await builder.rename('category');
    await builder.label('en', 'Category');
    await builder.label('zh-CN', '类别');
    await builder.setRequired();

    await builder.select(text);
    await builder.rename('asset');
    await builder.label('en', 'Asset tag');
    await builder.showOnlyWhen('category', 'b');
    await builder.setRequired();

    await builder.select(email);
    await builder.rename('contact');
    await builder.label('en', 'Contact email');

    const schema = await builder.schema();
    expect(schema.required).toEqual(['category']);
    expect(Object.keys(schema.properties)).toEqual(['category', 'contact']);
    expect(schema.allOf).toEqual([
      {
        if: { properties: { category: { const: 'b' } }, required: ['category'] },
        // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then
        then: { properties: { asset: expect.any(Object) }, required: ['asset'] },
      },
    ]);
    // The preview renders the conditional field only when its condition holds.
    const preview = page.getByTestId('form-builder-preview');
    await expect.poll(() => preview.locator('#preview_category').count()).toBe(1);
    expect(await preview.locator('#preview_asset').count()).toBe(0);
    await preview.locator('#preview_category').selectOption({ label: 'Option B' });
    await expect.poll(() => preview.locator('#preview_asset').count()).toBe(1);

    await builder.publish();
    // Saving and publishing are two requests: on a busy machine they take more than expect.poll's default second.
    await expect.poll(() => builder.status().textContent(), { timeout: 15_000 }).toContain('Published version 1');
    await screenshot(page, 'forms-builder-published');
    const published = await api<{ version: number; schema: any }>('GET', `/api/v1/forms/${FORM}/versions/latest`);
    expect(published.version).toBe(1);
    expect(published.schema).toEqual(schema);
  });

  test('opens a task bound to the form: invalid data shows field errors, valid data completes it', async () => {
    const { page } = browser;
    await api('POST', '/api/v1/definitions', { bpmnXml: bpmn });
    instanceId = (await api<{ id: string }>('POST', '/api/v1/process-instances', { definitionKey: PROCESS })).id;
    [{ id: taskId }] = await api<Array<{ id: string }>>('GET', `/api/v1/tasks?processInstanceId=${instanceId}`);

    await new LoginPage(page).signIn(server.baseUrl, 'agent1', DEMO_PASSWORD);
    await page.goto(`${server.baseUrl}/tasks`);
    await page.getByTestId('task-list').waitFor();
    await page.locator(`[data-testid="task-row"][data-task-id="${taskId}"] [data-testid="task-open"]`).click();
    await page.waitForURL(`**/tasks/${taskId}`);
    await expect.poll(() => page.getByTestId('task-form-version').textContent()).toContain('version 1');

    const form = new TaskFormPage(page);
    await form.input('contact').fill('not-an-email');
    await form.complete();
    await expect.poll(() => form.errorsOf('category').textContent()).toContain('is required');
    await expect.poll(() => form.errorsOf('contact').textContent()).toContain('must be an email address');
    expect((await api<{ status: string }>('GET', `/api/v1/tasks/${taskId}`)).status).toBe('open');

    // Category B shows the asset field, which is then required.
    await form.choose('category', 'Option B');
    await form.input('asset').waitFor();
    await form.input('contact').fill('someone@example.com');
    await form.complete();
    await expect.poll(() => form.errorsOf('asset').textContent()).toContain('is required');
    expect((await api<{ status: string }>('GET', `/api/v1/tasks/${taskId}`)).status).toBe('open');

    await form.input('asset').fill('PC-1234');
    await form.complete();
    await page.getByTestId('task-completed').waitFor();
    await screenshot(page, 'forms-task-completed');

    const task = await api<{ status: string }>('GET', `/api/v1/tasks/${taskId}`);
    expect(task.status).toBe('completed');
    const instance = await api<{ status: string; variables: Record<string, unknown> }>('GET', `/api/v1/process-instances/${instanceId}`);
    expect(instance).toMatchObject({ status: 'completed', variables: { category: 'b', asset: 'PC-1234', contact: 'someone@example.com' } });
  });
});
