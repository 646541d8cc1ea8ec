// The ITSM pages in a real browser, two people at once: a requester raises an incident from the
// portal; an agent, whose inbox is already open, sees it appear without reloading, claims it, starts it,
// puts it on hold and resumes it, writes a work note and resolves it; the requester, whose list
// follows live, sees it resolved, never sees the work note, and confirms (closes) it.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { ticketFlow } from '../../runtime-api/src/modules/tickets/test/flow.ts';
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
  // The demo tenant's incident flow, following templates/README.md's conventions.
  await api('POST', '/api/v1/definitions', { bpmnXml: ticketFlow('itsm-incident') });
  await api('POST', '/api/v1/definitions', { bpmnXml: ticketFlow('itsm-request') });
  [agent, requester] = await Promise.all([openBrowser(), openBrowser()]);
  // The size of a common office laptop screen: the pages must be usable there.
  await agent.page.setViewportSize({ width: 1366, height: 768 });
  await requester.page.setViewportSize({ width: 1366, height: 768 });
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
    await new LoginPage(agent.page).signIn(server.baseUrl, 'agent1', DEMO_PASSWORD);
    await agent.page.goto(`${server.baseUrl}/tasks`);
    await agent.page.getByTestId('inbox').waitFor();
    await agent.page.getByTestId('task-list').waitFor();
    await agent.page.getByTestId('inbox-tab-unassigned').click();
    // Marks this page load: a reload would drop the mark.
    await agent.page.evaluate(() => {
      (window as unknown as { inboxMark: boolean }).inboxMark = true;
    });

    await new LoginPage(requester.page).signIn(server.baseUrl, 'requester', DEMO_PASSWORD);
    await requester.page.goto(`${server.baseUrl}/portal`);
    await requester.page.getByTestId('portal-catalog').waitFor();
    await screenshot(requester.page, 'itsm-portal');
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
    expect(await agent.page.evaluate(() => (window as unknown as { inboxMark?: boolean }).inboxMark)).toBe(true);
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

describe('the catalog', () => {
  // The catalog's API is another part's work: the browser is served a catalog of two items here.
  const CATALOG = [
    { key: 'toner', name: 'Printer toner', category: 'Hardware', description: 'A new cartridge for your printer', formKey: 'toner' },
    { key: 'vpn', name: 'VPN access', category: 'Access', description: 'Work from home', formKey: null },
  ];

  test('searches and filters the catalog, and requests an item through its published form', async () => {
    await api('POST', '/api/v1/forms', {
      key: 'toner',
      name: 'Toner',
      schema: {
        type: 'object',
        properties: {
          cartridge: { type: 'string', title: 'Cartridge model' },
          quantity: { type: 'integer', title: 'How many', minimum: 1 },
        },
        required: ['cartridge'],
      },
    });
    await api('POST', '/api/v1/forms/toner/publish');
    const { page } = requester;
    await page.route('**/api/v1/catalog', (route) => route.fulfill({ json: CATALOG }));
    await page.goto(`${server.baseUrl}/portal`);
    const catalog = page.getByTestId('portal-catalog');
    await catalog.getByTestId('portal-item-toner').waitFor();
    expect(await catalog.getByTestId('portal-item-vpn').count()).toBe(1);

    await page.getByTestId('portal-search').fill('vpn');
    await expect.poll(() => catalog.getByTestId('portal-item-toner').count()).toBe(0);
    expect(await catalog.getByTestId('portal-item-vpn').count()).toBe(1);
    await page.getByTestId('portal-search').fill('');
    await page.getByTestId('portal-categories').getByText('Hardware', { exact: true }).click();
    await expect.poll(() => catalog.getByTestId('portal-item-vpn').count()).toBe(0);
    await screenshot(page, 'itsm-portal-catalog');

    await catalog.getByTestId('portal-item-toner').click();
    await page.locator('#root_cartridge').fill('HP 26A');
    await page.locator('#root_quantity').fill('2');
    await page.getByTestId('portal-submit').click();
    const created = page.getByTestId('portal-created');
    await created.waitFor();
    const number = (await created.getAttribute('data-number')) as string;
    expect(number).toMatch(/^REQ\d{7}$/);
    const ticket = await api<{ type: string; title: string; catalogItem: string; fields: Record<string, unknown> }>(
      'GET',
      `/api/v1/tickets/${number}`,
    );
    expect(ticket).toMatchObject({
      type: 'request',
      title: 'Printer toner',
      catalogItem: 'toner',
      fields: { cartridge: 'HP 26A', quantity: 2 },
    });
  });
});
