import type { Page } from 'playwright-core';

/** The header's language switch (an antd Segmented control): picks a language by its code. */
export async function switchLanguage(page: Page, language: 'en' | 'zh-CN'): Promise<void> {
  await page.locator(`[data-testid="language-switch"] [data-language="${language}"]`).click();
}
