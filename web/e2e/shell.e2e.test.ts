// The app shell in a real browser, at a laptop's 1366x768: each demo user lands on their role's page
// and sees only the menu entries they may use; a page their role may not use names the roles by
// their display names; sign-out ends the server session; the language switch turns the shell, its
// dates and antd's own texts into Chinese; an invalid new process key says why nothing was created.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { LoginPage } from './pages/login.ts';
import { switchLanguage } from './pages/shell.ts';
import { type Browser, openBrowser, screenshot } from './support/browser.ts';
import { DEMO_PASSWORD, type RunningServer, startServer } from './support/server.ts';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await openBrowser();
  await browser.page.setViewportSize({ width: 1366, height: 768 });
});

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail' && browser)
    await screenshot(browser.page, `failed-shell-${task.name.slice(0, 40).replace(/\W+/g, '-')}`);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const menu = async () =>
  browser.page
    .locator('[data-testid^="nav-"]')
    .evaluateAll((links) => links.map((l) => (l.getAttribute('data-testid') ?? '').replace('nav-', '')));

async function signOut(): Promise<void> {
  await browser.page.getByTestId('logout').click();
  await browser.page.waitForURL('**/login');
}

describe('the app shell', () => {
  test.each([
    ['requester', '/portal', 'portal-catalog', ['portal', 'myRequests', 'approvals']],
    ['agent1', '/tasks', 'task-list', ['tasks', 'approvals']],
    ['owner', '/designer', 'designer-new', ['designer']],
    ['formadmin', '/forms', 'forms-new', ['forms']],
    ['admin', '/admin', 'admin-users', ['portal', 'myRequests', 'tasks', 'approvals', 'designer', 'forms', 'admin']],
  ])('%s lands on %s and sees only the pages their roles may use', async (user, landing, content, entries) => {
    const { page } = browser;
    await new LoginPage(page).signIn(server.baseUrl, user, DEMO_PASSWORD);
    await page.waitForURL(`**${landing}`);
    await page.getByTestId(content).waitFor();
    await expect.poll(menu).toEqual(entries);
    await screenshot(page, `shell-${user}-landing`);
    await signOut();
  });

  test('a page the role may not use names the roles by their display names', async () => {
    const { page } = browser;
    await new LoginPage(page).signIn(server.baseUrl, 'requester', DEMO_PASSWORD);
    await page.goto(`${server.baseUrl}/designer`);
    const refusal = page.getByTestId('refusal');
    await expect
      .poll(() => refusal.textContent())
      .toBe('This page is for the Process owner or Tenant administrator role. You are signed in as Requester.');
    expect(await page.getByTestId('designer-new').count()).toBe(0);
    await screenshot(page, 'shell-refusal');
    await switchLanguage(page, 'zh-CN');
    await expect.poll(() => refusal.textContent()).toBe('此页面供流程负责人或租户管理员使用。您当前的角色是请求人。');
    await switchLanguage(page, 'en');
    await signOut();
  });

  test('signing out ends the session on the server, not only in the browser', async () => {
    const { page } = browser;
    await new LoginPage(page).signIn(server.baseUrl, 'agent1', DEMO_PASSWORD);
    const token = await page.evaluate(() => JSON.parse(localStorage.getItem('serviceloom.session') ?? '{}').token as string);
    const me = () => fetch(`${server.baseUrl}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    expect(await me()).toBe(200);
    const logout = page.waitForRequest((r) => r.url().endsWith('/api/v1/auth/logout') && r.method() === 'POST');
    await signOut();
    await logout;
    expect(await page.evaluate(() => localStorage.getItem('serviceloom.session'))).toBeNull();
    await expect.poll(me, { timeout: 10_000 }).toBe(401);
    // Back behind the login: a signed-out browser cannot open a page.
    await page.goto(`${server.baseUrl}/tasks`);
    await page.waitForURL('**/login');
  });

  test('the language switch turns the menu, dates and antd texts into Chinese', async () => {
    const { page } = browser;
    await new LoginPage(page).signIn(server.baseUrl, 'admin', DEMO_PASSWORD);
    await page.goto(`${server.baseUrl}/designer`);
    await page.getByTestId('designer-new').waitFor();
    await switchLanguage(page, 'zh-CN');
    await expect.poll(() => page.getByTestId('nav-tasks').textContent()).toBe('工作台');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    // Deployed versions show their time in Chinese (Intl): 2026年…
    await expect.poll(() => page.locator('[data-testid^="version-"] td').nth(2).textContent()).toMatch(/\d{4}年/);
    await screenshot(page, 'shell-designer-list-zh-CN');
    await switchLanguage(page, 'en');
    await expect.poll(() => page.getByTestId('nav-tasks').textContent()).toBe('Inbox');
  });

  test('an invalid new process key says why, and creates nothing', async () => {
    const { page } = browser;
    await page.goto(`${server.baseUrl}/designer`);
    await page.getByTestId('designer-new').click();
    await page.getByTestId('designer-new-key').fill('2 fast');
    await page.getByTestId('designer-new-create').click();
    await expect.poll(() => page.locator('.ant-form-item-explain-error').textContent()).toContain('starts with a letter');
    expect(new URL(page.url()).pathname).toBe('/designer');
    await screenshot(page, 'shell-new-process-invalid');
    await page.getByTestId('designer-new-key').fill('fast-2');
    await page.getByTestId('designer-new-create').click();
    await page.waitForURL('**/designer/fast-2?**');
  });

  test('an invalid new form key says why, and creates nothing', async () => {
    const { page } = browser;
    await page.goto(`${server.baseUrl}/forms`);
    await page.getByTestId('forms-new').click();
    await page.getByTestId('forms-new-key').fill('-bad key');
    await page.getByTestId('forms-new-create').click();
    await expect.poll(() => page.locator('.ant-form-item-explain-error').textContent()).toContain('at most 100 characters');
    expect(new URL(page.url()).pathname).toBe('/forms');
  });
});
