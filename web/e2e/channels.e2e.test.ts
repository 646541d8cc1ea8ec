// Notification channels in a real browser: a private address is refused next to its field until
// the tenant's allow-list admits it; the saved channel shows its secret as set (never its value);
// "send a test" reaches a receiver, signed; the Deliveries tab lists and filters by status.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { LoginPage } from './pages/login.ts';
import { type Browser, openBrowser, screenshot } from './support/browser.ts';
import { apiClient, DEMO_PASSWORD, type RunningServer, startServer } from './support/server.ts';

let server: RunningServer;
let browser: Browser;
let api: Awaited<ReturnType<typeof apiClient>>;
let receiver: http.Server;
const got: Array<{ raw: string; signature: string | undefined }> = [];

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ raw: Buffer.concat(chunks).toString('utf8'), signature: req.headers['x-serviceloom-signature'] as string | undefined });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  server = await startServer();
  browser = await openBrowser();
  api = await apiClient(server.baseUrl);
});

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail' && browser)
    await screenshot(browser.page, `failed-channels-${task.name.slice(0, 40).replace(/\W+/g, '-')}`);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('channels', () => {
  test('the tenant admin adds a signed webhook, is refused a private address until allowed, and sends a test', async () => {
    const { page } = browser;
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    await api('PATCH', '/api/v1/tenant', { settings: { egressAllowHosts: [] } });
    await new LoginPage(page).signIn(server.baseUrl, 'admin', DEMO_PASSWORD);
    await page.goto(`${server.baseUrl}/admin?tab=channels`);
    await page.getByTestId('admin-channels').waitFor();

    await page.getByTestId('channel-new').click();
    await page.getByTestId('channel-id').fill('ops-hook');
    await page.getByTestId('channel-kind').click();
    await page.locator('.ant-select-item-option').filter({ hasText: 'Webhook' }).click();
    await page.getByTestId('channel-url').fill(url);
    await page.getByTestId('channel-secret').fill('e2e-hook-secret');
    await page.getByTestId('channel-save').click();
    // Refused by the egress guard, next to the URL field.
    await page.getByTestId('channel-error').waitFor();
    expect(await page.locator('.ant-form-item-explain-error').first().textContent()).toContain('allow-list');

    await api('PATCH', '/api/v1/tenant', { settings: { egressAllowHosts: ['127.0.0.1'] } });
    await page.getByTestId('channel-save').click();
    await page.getByTestId('channel-ops-hook').waitFor();
    const table = (await page.getByTestId('channel-table').textContent()) ?? '';
    expect(table).toContain('http://127.0.0.1');
    expect(table).not.toContain('e2e-hook-secret');
    await screenshot(page, 'admin-channels');

    await page.getByTestId('channel-ops-hook').click();
    await page.getByTestId('channel-test').click();
    await page.locator('.ant-message-success').waitFor();
    expect(got).toHaveLength(1);
    expect(got[0]?.signature).toBe(
      `sha256=${createHmac('sha256', 'e2e-hook-secret')
        .update(got[0]?.raw ?? '')
        .digest('hex')}`,
    );
    expect(JSON.parse(got[0]?.raw ?? '{}')).toMatchObject({ event: 'channel.test', ticket: null });
  });

  test('the Deliveries tab lists deliveries and filters them by status', async () => {
    const { page } = browser;
    await page.goto(`${server.baseUrl}/admin?tab=deliveries`);
    await page.getByTestId('admin-deliveries').waitFor();
    await page.getByTestId('delivery-table').waitFor();
    await page.getByTestId('delivery-status-filter').click();
    await page.locator('.ant-select-item-option').filter({ hasText: 'Blocked' }).click();
    await page.getByTestId('delivery-table').locator('.ant-empty').waitFor();
    await screenshot(page, 'admin-deliveries');
  });
});
