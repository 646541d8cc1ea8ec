// The notifications bell in a real browser: an agent signed in sees the unread count rise live
// (EventSource) when a ticket is assigned to them, opens the list, reads the notification in
// their language, and marks everything read; the admin previews a template in the Templates tab.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { ticketFlow } from '../../runtime-api/test/itsm/ticket-flow.ts';
import { LoginPage } from './pages/login.ts';
import { type Browser, openBrowser, screenshot } from './support/browser.ts';
import { apiClient, DEMO_PASSWORD, type RunningServer, startServer } from './support/server.ts';

let server: RunningServer;
let browser: Browser;
let api: Awaited<ReturnType<typeof apiClient>>;

beforeAll(async () => {
  server = await startServer();
  api = await apiClient(server.baseUrl);
  await api('POST', '/api/v1/definitions', { bpmnXml: ticketFlow('itsm-incident') });
  browser = await openBrowser();
});

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail' && browser)
    await screenshot(browser.page, `failed-notifications-${task.name.slice(0, 30).replace(/\W+/g, '-')}`);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the notifications bell', () => {
  test('counts a new notification live, lists it, and marks it read', async () => {
    const { page } = browser;
    await new LoginPage(page).signIn(server.baseUrl, 'agent1', DEMO_PASSWORD);
    await page.goto(`${server.baseUrl}/tasks`);
    const bell = page.getByTestId('notifications-bell');
    await bell.waitFor();
    const before = Number(await bell.getAttribute('data-unread'));

    const ticket = await api<{ number: string }>('POST', '/api/v1/tickets', {
      type: 'incident',
      title: 'Projector flickers',
      assignee: 'agent1',
    });
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid="notifications-bell"]')?.getAttribute('data-unread')) === n,
      before + 1,
    );
    await bell.click();
    const panel = page.getByTestId('notifications-panel');
    await panel.waitFor();
    await expect.poll(async () => panel.textContent()).toContain('Projector flickers');
    expect(await panel.textContent()).toContain(ticket.number);
    await screenshot(page, 'notifications-bell');
    await page.getByTestId('notifications-read-all').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="notifications-bell"]')?.getAttribute('data-unread') === '0');
  });

  test('the admin previews an event’s template for a ticket', async () => {
    const { page } = browser;
    await page.getByTestId('logout').click();
    await page.waitForURL((url) => url.pathname.startsWith('/login'));
    await new LoginPage(page).signIn(server.baseUrl, 'admin', DEMO_PASSWORD);
    await page.goto(`${server.baseUrl}/admin?tab=notificationTemplates`);
    await page.getByTestId('admin-notification-templates').waitFor();
    await page.getByTestId('template-preview').click();
    const subject = page.getByTestId('template-preview-en-subject');
    await subject.waitFor();
    expect(await subject.textContent()).toBe('New ticket: Email is down');
    expect(await page.getByTestId('template-preview-zh-CN-subject').textContent()).toBe('新工单：Email is down');
  });
});
