// Page objects for the ITSM pages, by the data-testids docs/design.md lists: the portal, my
// requests, the agent's inbox and a ticket.
import type { Locator, Page } from 'playwright-core';

export class PortalPage {
  constructor(private readonly page: Page) {}

  /** Reports an incident through the portal's form; returns the new ticket's number. */
  async reportIncident(input: { title: string; description: string; urgency: string; category: string }): Promise<string> {
    await this.page.getByTestId('portal-new-incident').click();
    await this.page.getByTestId('portal-title').fill(input.title);
    await this.page.getByTestId('portal-description').fill(input.description);
    await this.page.getByTestId('portal-urgency').getByText(input.urgency, { exact: true }).click();
    await this.page.getByTestId('portal-category').click();
    await this.page.locator('.ant-select-dropdown').getByText(input.category, { exact: true }).click();
    await this.page.getByTestId('portal-submit').click();
    const created = this.page.getByTestId('portal-created');
    await created.waitFor();
    return (await created.getAttribute('data-number')) as string;
  }
}

export class TicketPage {
  constructor(private readonly page: Page) {}

  state(): Promise<string | null> {
    return this.page.getByTestId('ticket').getByTestId('ticket-state').first().getAttribute('data-state');
  }

  /** Performs an action through its button and dialog; `choices` click a labelled option, `texts` fill inputs. */
  async act(action: string, input: { choices?: Record<string, string>; texts?: Record<string, string> } = {}): Promise<void> {
    await this.page.getByTestId(`ticket-action-${action}`).click();
    for (const [field, label] of Object.entries(input.choices ?? {}))
      await this.page.getByTestId(`ticket-action-field-${field}`).getByText(label, { exact: true }).click();
    for (const [field, text] of Object.entries(input.texts ?? {})) await this.page.getByTestId(`ticket-action-field-${field}`).fill(text);
    await this.page.getByTestId('ticket-action-submit').click();
    await this.page.locator('.ant-modal').waitFor({ state: 'hidden' });
  }

  async comment(body: string, internal = false): Promise<void> {
    await this.page.getByTestId('ticket-comment').fill(body);
    if (internal) await this.page.getByTestId('ticket-comment-internal').click();
    await this.page.getByTestId('ticket-comment-submit').click();
    await this.page.getByTestId('ticket-timeline').getByText(body).waitFor();
  }
}

export const row = (page: Page, list: string, number: string): Locator => page.getByTestId(list).getByTestId(`ticket-row-${number}`);
