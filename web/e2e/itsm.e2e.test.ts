// The ITSM pages in a real browser against the real server, with the demo tenant's own seeded
// templates and catalog (nothing stubbed). A request: right after signing in, the requester finds
// the catalog on the portal and asks for software; their manager approves it on /approvals; an
// agent, whose inbox is already open, sees it arrive without reloading, takes it, attaches a file
// and resolves it; the requester downloads the file and confirms. An incident: raised from the
// portal, seen live in the inbox, claimed, started, put on hold and resumed, resolved with a work
// note the requester never sees; the requester confirms it from "my requests".
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { PortalPage, row, TicketPage } from './pages/itsm.ts';
import { LoginPage } from './pages/login.ts';
import { type Browser, openBrowser, screenshot } from './support/browser.ts';
import { apiClient, DEMO_PASSWORD, type RunningServer, startServer } from './support/server.ts';

let server: RunningServer;
let agent: Browser;
let requester: Browser;
let api: Awaited<ReturnType<typeof apiClient>>;

beforeAll(async () => {
  server = await startServer();
  api = await apiClient(server.baseUrl);
  // Nothing is deployed or stubbed here: the demo tenant's own seeded templates and catalog run.
  [agent, requester] = await Promise.all([openBrowser(), openBrowser()]);
  // The size of a common office laptop screen: the pages must be usable there.
  await agent.page.setViewportSize({ width: 1366, height: 768 });
  await requester.page.setViewportSize({ width: 1366, height: 768 });
  await new LoginPage(agent.page).signIn(server.baseUrl, 'agent1', DEMO_PASSWORD);
  await new LoginPage(requester.page).signIn(server.baseUrl, 'requester', DEMO_PASSWORD);
});

/** Signs the browser's user out through the header and another in. */
async function switchUser(browser: Browser, username: string): Promise<void> {
  await browser.page.getByTestId('logout').click();
  await browser.page.waitForURL('**/login');
  await new LoginPage(browser.page).signIn(server.baseUrl, username, DEMO_PASSWORD);
}

/** The agent's inbox, open on the unassigned queue, marked so that a reload would show. */
async function watchUnassigned(page: Browser['page']): Promise<void> {
  await page.goto(`${server.baseUrl}/tasks`);
  await page.getByTestId('inbox').waitFor();
  await page.getByTestId('task-list').waitFor();
  await page.getByTestId('inbox-tab-unassigned').click();
  await page.evaluate(() => {
    (window as unknown as { inboxMark: boolean }).inboxMark = true;
  });
}
const notReloaded = (page: Browser['page']) => page.evaluate(() => (window as unknown as { inboxMark?: boolean }).inboxMark);

describe('a request from the catalog: approval, fulfilment, confirmation', () => {
  let number: string;

  test('right after signing in, the requester finds the seeded catalog and requests software', async () => {
    await watchUnassigned(agent.page);
    const { page } = requester;
    // The requester's landing page after sign-in is the portal: the tenant's catalog is there at once.
    await page.goto(`${server.baseUrl}/portal`);
    const catalog = page.getByTestId('portal-catalog');
    await catalog.getByTestId('portal-item-software-install').waitFor();
    for (const key of ['password-reset', 'access-request', 'new-laptop'])
      expect(await catalog.getByTestId(`portal-item-${key}`).count()).toBe(1);
    await screenshot(page, 'itsm-portal');

    // Search and categories narrow the catalog.
    await page.getByTestId('portal-search').fill('laptop');
    await expect.poll(() => catalog.getByTestId('portal-item-software-install').count()).toBe(0);
    expect(await catalog.getByTestId('portal-item-new-laptop').count()).toBe(1);
    await page.getByTestId('portal-search').fill('');
    await page.getByTestId('portal-categories').getByText('Software', { exact: true }).click();
    await expect.poll(() => catalog.getByTestId('portal-item-new-laptop').count()).toBe(0);

    await catalog.getByTestId('portal-item-software-install').click();
    await page.locator('#root_software').fill('Inkscape');
    await page.locator('#root_version').fill('1.4');
    await page.locator('#root_reason').fill('Drawing the network diagrams');
    await page.getByTestId('portal-submit').click();
    const created = page.getByTestId('portal-created');
    await created.waitFor();
    number = (await created.getAttribute('data-number')) as string;
    expect(number).toMatch(/^REQ\d{7}$/);
    await screenshot(page, 'itsm-portal-request-created');
    await page.keyboard.press('Escape');
    await page.locator('.ant-modal').waitFor({ state: 'hidden' });
    const ticket = await api<{ state: string; catalogItem: string; fields: Record<string, unknown> }>('GET', `/api/v1/tickets/${number}`);
    expect(ticket).toMatchObject({ state: 'approval', catalogItem: 'software-install', fields: { software: 'Inkscape', version: '1.4' } });
  });

  test("the requester's manager approves it on the approvals page", async () => {
    await switchUser(requester, 'manager');
    const { page } = requester;
    await page.goto(`${server.baseUrl}/approvals`);
    const list = page.getByTestId('approvals');
    const item = list.locator('[data-testid^="approval-"]').filter({ hasText: number });
    await item.waitFor();
    await screenshot(page, 'itsm-approvals');
    await item.getByTestId('approval-approve').click();
    await page.getByTestId('approval-comment').fill('Fine, it is free software');
    await page.getByTestId('approval-confirm').click();
    await expect.poll(() => item.count()).toBe(0);
    await expect.poll(async () => (await api<{ state: string }>('GET', `/api/v1/tickets/${number}`)).state).toBe('in_progress');
  });

  test('the agent, whose inbox stayed open, sees it arrive, takes it and fulfils it', async () => {
    const { page } = agent;
    await row(page, 'inbox', number).waitFor();
    expect(await notReloaded(page)).toBe(true);
    await row(page, 'inbox', number).getByTestId('ticket-claim').click();
    await expect.poll(() => row(page, 'inbox', number).count()).toBe(0);
    await page.getByTestId('inbox-tab-mine').click();
    await row(page, 'inbox', number).getByTestId('ticket-open').click();
    await page.waitForURL(`**/tickets/${number}`);
    const ticket = new TicketPage(page);
    expect(await ticket.state()).toBe('in_progress');
    await page.getByTestId('ticket-timeline').getByText('Fine, it is free software').waitFor();
    // The agent puts the installation log on the ticket.
    await page.getByTestId('ticket-attachment-input').setInputFiles({
      name: 'install-log.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Inkscape 1.4 installed on PC-042'),
    });
    await page.locator('[data-testid="ticket-attachment"][data-filename="install-log.txt"]').waitFor();
    await ticket.act('resolve', { choices: { closeCode: 'Fulfilled' }, texts: { resolutionNotes: 'Inkscape 1.4 installed.' } });
    await expect.poll(() => ticket.state()).toBe('resolved');
    await screenshot(page, 'itsm-request-ticket');
  });

  test('the requester confirms it on the ticket page', async () => {
    await switchUser(requester, 'requester');
    const { page } = requester;
    await page.goto(`${server.baseUrl}/tickets/${number}`);
    const ticket = new TicketPage(page);
    await expect.poll(() => ticket.state()).toBe('resolved');
    await page.getByTestId('ticket-timeline').getByText('Inkscape 1.4 installed.').waitFor();
    // The agent's file is on the requester's ticket page, and downloads.
    const file = page.locator('[data-testid="ticket-attachment"][data-filename="install-log.txt"]');
    const downloading = page.waitForEvent('download');
    await file.getByTestId('ticket-attachment-download').click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('install-log.txt');
    const { readFile } = await import('node:fs/promises');
    expect(await readFile((await download.path()) as string, 'utf8')).toBe('Inkscape 1.4 installed on PC-042');
    await screenshot(page, 'itsm-ticket-requester');
    await ticket.act('close');
    await expect.poll(() => ticket.state()).toBe('closed');
    const states = (await api<Array<{ kind: string; data: { to?: string } }>>('GET', `/api/v1/tickets/${number}/timeline`))
      .filter((e) => e.kind === 'state')
      .map((e) => e.data.to);
    expect(states).toEqual(['approval', 'in_progress', 'resolved', 'closed']);
  });
});

afterEach(async ({ task }) => {
  if (task.result?.state !== 'fail') return;
  const name = task.name.slice(0, 30).replace(/\W+/g, '-');
  if (agent) await screenshot(agent.page, `failed-itsm-agent-${name}`);
  if (requester) await screenshot(requester.page, `failed-itsm-requester-${name}`);
});

afterAll(async () => {
  await agent?.close();
  await requester?.close();
  await server?.stop();
});

describe('an incident from the portal to its closure', () => {
  let number: string;
  const WORK_NOTE = 'Fuser unit replaced; requester not to be told the cost';

  test('the agent watches the inbox while the requester reports an incident from the portal', async () => {
    await watchUnassigned(agent.page);
    await requester.page.goto(`${server.baseUrl}/portal`);
    await requester.page.getByTestId('portal-catalog').waitFor();
    number = await new PortalPage(requester.page).reportIncident({
      title: 'The printer on floor 3 prints blank pages',
      description: 'Since this morning every page comes out blank.',
      urgency: 'I can work, but with difficulty',
      category: 'Hardware',
    });
    expect(number).toMatch(/^INC\d{7}$/);
    await screenshot(requester.page, 'itsm-portal-created');

    const ticket = await api<{ state: string; urgency: number; impact: number; category: string; requester: { username: string } }>(
      'GET',
      `/api/v1/tickets/${number}`,
    );
    expect(ticket).toMatchObject({ state: 'new', urgency: 2, impact: 3, category: 'hardware', requester: { username: 'requester' } });

    // The agent's inbox shows it without a reload.
    await row(agent.page, 'inbox', number).waitFor();
    expect(await notReloaded(agent.page)).toBe(true);
    expect(await row(agent.page, 'inbox', number).getByTestId('ticket-state').getAttribute('data-state')).toBe('new');
    await screenshot(agent.page, 'itsm-inbox');

    // Claiming it moves it from the unassigned queue to the agent's own.
    await row(agent.page, 'inbox', number).getByTestId('ticket-claim').click();
    await expect.poll(() => row(agent.page, 'inbox', number).count()).toBe(0);
    await agent.page.getByTestId('inbox-tab-mine').click();
    await row(agent.page, 'inbox', number).waitFor();
    expect((await api<{ assignee: { username: string } }>('GET', `/api/v1/tickets/${number}`)).assignee.username).toBe('agent1');
  });

  test('the agent starts it, puts it on hold, resumes it, writes a work note and resolves it', async () => {
    const { page } = agent;
    await row(page, 'inbox', number).getByTestId('ticket-open').click();
    await page.waitForURL(`**/tickets/${number}`);
    expect(await page.getByTestId('ticket-number').textContent()).toBe(number);
    const ticket = new TicketPage(page);
    expect(await ticket.state()).toBe('new');

    await ticket.act('start');
    await expect.poll(() => ticket.state()).toBe('in_progress');
    expect(await page.getByTestId('ticket-assignee').textContent()).toBe('Agent One');

    await ticket.act('hold', { choices: { reason: 'Awaiting the caller' }, texts: { note: 'Asked which tray is used' } });
    await expect.poll(() => ticket.state()).toBe('on_hold');
    await ticket.act('resume');
    await expect.poll(() => ticket.state()).toBe('in_progress');

    await ticket.comment(WORK_NOTE, true);
    await ticket.act('resolve', { choices: { closeCode: 'Solved' }, texts: { resolutionNotes: 'Replaced the fuser unit.' } });
    await expect.poll(() => ticket.state()).toBe('resolved');
    await page.getByTestId('ticket-timeline').getByText('Replaced the fuser unit.').waitFor();
    await page.getByTestId('ticket-diagram').locator('.sl-current').first().waitFor();
    await screenshot(page, 'itsm-ticket');

    const states = (await api<Array<{ kind: string; data: { to?: string } }>>('GET', `/api/v1/tickets/${number}/timeline`))
      .filter((e) => e.kind === 'state')
      .map((e) => e.data.to);
    expect(states).toEqual(['in_progress', 'on_hold', 'in_progress', 'resolved']);
  });

  test('the requester sees it resolved in my requests, without the work note, and confirms it', async () => {
    const { page } = requester;
    await page.goto(`${server.baseUrl}/tickets/${number}`);
    await expect.poll(() => new TicketPage(page).state()).toBe('resolved');
    await page.getByTestId('ticket-timeline').getByText('Replaced the fuser unit.').waitFor();
    expect(await page.getByTestId('ticket-timeline').getByText(WORK_NOTE).count()).toBe(0);
    expect(await page.getByTestId('ticket-comment-internal').count()).toBe(0);

    await page.goto(`${server.baseUrl}/portal/requests`);
    const mine = row(page, 'my-requests', number);
    await mine.waitFor();
    expect(await mine.getByTestId('ticket-state').getAttribute('data-state')).toBe('resolved');
    await screenshot(page, 'itsm-my-requests');
    await mine.getByTestId('request-confirm').click();
    await page.getByTestId('ticket-action-submit').click();
    await expect.poll(() => mine.getByTestId('ticket-state').getAttribute('data-state')).toBe('closed');
    expect((await api<{ state: string; closedAt: string | null }>('GET', `/api/v1/tickets/${number}`)).state).toBe('closed');
  });
});
