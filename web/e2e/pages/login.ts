import type { Page } from 'playwright-core';

export class LoginPage {
  constructor(private readonly page: Page) {}

  async signIn(baseUrl: string, username: string, password: string, tenant = 'demo'): Promise<void> {
    await this.page.goto(`${baseUrl}/login`);
    await this.page.getByTestId('login-tenant').fill(tenant);
    await this.page.getByTestId('login-username').fill(username);
    await this.page.getByTestId('login-password').fill(password);
    await this.page.getByTestId('login-submit').click();
    await this.page.waitForURL((url) => !url.pathname.startsWith('/login'));
  }
}
