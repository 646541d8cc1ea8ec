import type { Page } from 'playwright-core';

/** The admin page's users tab: the list and the create/edit drawer. */
export class AdminUsersPage {
  constructor(private readonly page: Page) {}

  async open(baseUrl: string): Promise<void> {
    await this.page.goto(`${baseUrl}/admin`);
    await this.page.getByTestId('admin-users').waitFor();
  }

  row(username: string) {
    return this.page.getByTestId(`user-row-${username}`);
  }

  /** Picks an option of an antd Select by typing part of its label. */
  private async choose(testId: string, typed: string): Promise<void> {
    await this.page.getByTestId(testId).click();
    await this.page.keyboard.type(typed);
    await this.page.locator('.ant-select-item-option-active:visible').first().waitFor();
    await this.page.keyboard.press('Enter');
    await this.page.keyboard.press('Escape');
  }

  async create(user: {
    username: string;
    displayName: string;
    email: string;
    password: string;
    manager: string;
    locale: string;
    timezone: string;
  }): Promise<void> {
    await this.page.getByTestId('user-new').click();
    await this.page.getByTestId('user-username').fill(user.username);
    await this.page.getByTestId('user-display-name').fill(user.displayName);
    await this.page.getByTestId('user-email').fill(user.email);
    await this.page.getByTestId('user-password').fill(user.password);
    await this.choose('user-manager', user.manager);
    await this.choose('user-locale', user.locale);
    await this.choose('user-timezone', user.timezone);
    await this.page.getByTestId('user-save').click();
  }
}
