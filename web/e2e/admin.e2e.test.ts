// Administration in a real browser: the tenant admin creates a user with a manager, e-mail,
// language and time zone in the users tab, sees them in the list, and the API agrees; a manager
// from the list is stored by id. The tabs each open on their own panel.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { AdminUsersPage } from './pages/admin.ts';
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
    await screenshot(browser.page, `failed-admin-${task.name.slice(0, 40).replace(/\W+/g, '-')}`);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

interface User {
  id: string;
  username: string;
  managerId: string | null;
  email: string | null;
  locale: string | null;
  timezone: string | null;
}

describe('admin', () => {
  test('the tenant admin creates a user with a manager and sees it in the list', async () => {
    const { page } = browser;
    await new LoginPage(page).signIn(server.baseUrl, 'admin', DEMO_PASSWORD);
    const admin = new AdminUsersPage(page);
    await admin.open(server.baseUrl);
    // The seeded people are listed, with their managers.
    await admin.row('requester').waitFor();
    expect(await admin.row('requester').textContent()).toContain('manager');

    await admin.create({
      username: 'wang.fang',
      displayName: 'Wang Fang',
      email: 'wang.fang@example.com',
      password: 'a-long-password',
      manager: 'Team Manager',
      locale: 'English',
      timezone: 'Asia/Shang',
    });
    const row = admin.row('wang.fang');
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('wang.fang@example.com');
    expect(text).toContain('manager');
    expect(text).toContain('Asia/Shanghai');
    await screenshot(page, 'admin-users');

    const users = await api<User[]>('GET', '/api/v1/users');
    const manager = users.find((u) => u.username === 'manager');
    expect(users.find((u) => u.username === 'wang.fang')).toMatchObject({
      managerId: manager?.id,
      email: 'wang.fang@example.com',
      locale: 'en',
      timezone: 'Asia/Shanghai',
    });
  });

  test('each tab opens its panel', async () => {
    const { page } = browser;
    for (const tab of ['groups', 'roles', 'idps', 'tenant', 'audit']) {
      await page.getByTestId(`admin-${tab}-tab`).click();
      await page.getByTestId(`admin-${tab}`).waitFor();
    }
    // The audit log shows the user just created.
    await page.getByTestId('audit-table').getByText('user.create').first().waitFor();
    expect(await page.getByTestId('audit-table').textContent()).toContain('wang.fang');
    await page.getByTestId('admin-groups-tab').click();
    await page.getByTestId('group-row-service-desk').waitFor();
    await page.getByTestId('group-row-service-desk').getByText('Team Manager (manager)').waitFor();
    await screenshot(page, 'admin-groups');
  });

  test('the templates tab: a customised copy, compared with the template and reset to it', async () => {
    const { page } = browser;
    // The tenant changes its knowledge flow (a new version of its own copy).
    const [latest] = await api<Array<{ id: string; version: number }>>('GET', '/api/v1/definitions/itsm-knowledge/versions');
    const { bpmnXml } = await api<{ bpmnXml: string }>('GET', `/api/v1/definitions/${latest?.id}`);
    await api('POST', '/api/v1/definitions', { bpmnXml: bpmnXml.replace('name="Article drafted"', 'name="Article written"') });

    await page.getByTestId('admin-templates-tab').click();
    const row = page.getByTestId('template-itsm-knowledge');
    await row.waitFor();
    await row.getByText('Customised').waitFor();
    expect(await row.getByTestId('template-deployed').textContent()).toBe(`v${(latest?.version ?? 0) + 1}`);
    expect(await page.getByTestId('template-itsm-incident').getByText('As the template').count()).toBe(1);
    await screenshot(page, 'admin-templates');

    await row.getByTestId('template-compare').click();
    const diff = page.getByTestId('template-diff');
    await diff.getByTestId('template-diff-changed').getByText('Article written').waitFor();
    expect(await diff.getByTestId('template-diff-changed').textContent()).toContain('created');
    await screenshot(page, 'admin-templates-compare');
    await page.keyboard.press('Escape');
    await page.locator('.ant-modal').first().waitFor({ state: 'hidden' });

    await row.getByTestId('template-reset').click();
    await page.getByTestId('template-reset-confirm').click();
    await row.getByText('As the template').waitFor();
    expect(await row.getByTestId('template-deployed').textContent()).toBe(`v${(latest?.version ?? 0) + 2}`);

    // "Customise" opens the tenant's copy in the designer.
    await row.getByTestId('template-customise').click();
    await page.waitForURL('**/designer/itsm-knowledge');
  });
});
