import { Browser, BrowserContext, Page, chromium } from 'playwright-core';

/** Debian's Chromium, installed by scripts/ensure-system-packages.sh, driven headless. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
}

/** A department signs in to the console with its dev token, as a person would on the login page. */
export async function signIn(browser: Browser, consoleUrl: string, department: string, o: { timezoneId?: string } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: o.timezoneId });
  const page = await context.newPage();
  await page.goto(`${consoleUrl}/`);
  await page.getByTestId('token').fill(`dev-${department}`);
  await page.getByTestId('sign-in').click();
  await page.getByTestId('signed-in-as').waitFor();
  return { context, page };
}
