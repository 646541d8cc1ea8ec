// Business calendars in a real browser: the tenant admin sees the built-in `default`, creates a
// calendar with a holiday and a make-up Sunday, and the month view shows which dates are worked;
// the API agrees.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
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
    await screenshot(browser.page, `failed-calendars-${task.name.slice(0, 40).replace(/\W+/g, '-')}`);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('calendars', () => {
  test('the tenant admin creates a calendar with a holiday and a make-up day, and sees them in the month view', async () => {
    const { page } = browser;
    await new LoginPage(page).signIn(server.baseUrl, 'admin', DEMO_PASSWORD);
    await page.goto(`${server.baseUrl}/admin?tab=calendars`);
    await page.getByTestId('calendar-row-default').waitFor();
    expect(await page.getByTestId('calendar-row-default').textContent()).toContain('09:00–18:00');

    await page.getByTestId('calendar-new').click();
    await page.getByTestId('calendar-id').fill('cn');
    await page.getByTestId('calendar-name').fill('China');
    await page.getByTestId('calendar-timezone').click();
    await page.keyboard.type('Asia/Shang');
    await page.locator('.ant-select-item-option-active:visible').first().waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('calendar-holidays').click();
    await page.keyboard.type('2026-10-01 ');
    await page.getByTestId('calendar-workdays').click();
    await page.keyboard.type('2026-09-27 ');
    await screenshot(page, 'admin-calendar-drawer');
    await page.getByTestId('calendar-save').click();
    await page.getByTestId('calendar-row-cn').waitFor();

    const saved = await api<{ timezone: string; holidays: string[]; workdays: string[] }>('GET', '/api/v1/itsm/calendars/cn');
    expect(saved).toMatchObject({ timezone: 'Asia/Shanghai', holidays: ['2026-10-01'], workdays: ['2026-09-27'] });

    // Opened again, the month view starts at the first date named (September 2026).
    await page.getByTestId('calendar-edit-cn').click();
    const month = page.getByTestId('calendar-month');
    await month.locator('td[data-date="2026-09-27"].sl-cal-working').waitFor();
    await page.locator('.fc-next-button').click();
    await month.locator('td[data-date="2026-10-31"]').waitFor();
    expect(await month.locator('td[data-date="2026-10-01"]').getAttribute('class')).toContain('sl-cal-off');
    expect(await month.locator('td[data-date="2026-10-02"]').getAttribute('class')).toContain('sl-cal-working');
    expect(await month.locator('td[data-date="2026-10-03"]').getAttribute('class')).toContain('sl-cal-off');
    await screenshot(page, 'admin-calendar-month');
  });
});
