import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { beforeEach, onTestFailed } from 'vitest';

/** Debian's Chromium (CI installs it with apt), or `CHROMIUM_PATH`. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where the browser tests write their screenshots (failures included). */
export const SHOTS = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

/** Launches headless Chromium as every browser test runs it (no sandbox, no background traffic). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Registers, for each test of the file, a screenshot of every open page when the test fails (`failed-<prefix>-<test>-<n>.png`; `failed-<test>-<n>.png` for an empty prefix). */
export function screenshotFailures(prefix: string, contexts: readonly BrowserContext[]): void {
  const start = prefix ? `failed-${prefix}-` : 'failed-';
  beforeEach((ctx) => {
    onTestFailed(async () => {
      for (const [i, page] of contexts.flatMap((c) => c.pages()).entries()) {
        await page.screenshot({ path: join(SHOTS, `${start}${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}-${i}.png`), fullPage: true }).catch(() => undefined);
      }
    });
  });
}

/**
 * A page in a new zh-CN context (1280×860, 20 s default timeout), kept in `contexts` for screenshots and closing; page errors logged.
 * `viewportHeight` changes the height (the width stays 1280); `acceptDownloads` goes to the context only when given.
 */
export async function newPage(
  browser: Browser,
  contexts: BrowserContext[],
  options: { acceptDownloads?: boolean; viewportHeight?: number } = {},
): Promise<Page> {
  const { viewportHeight = 860, acceptDownloads } = options;
  const context = await browser.newContext({ viewport: { width: 1280, height: viewportHeight }, locale: 'zh-CN', ...(acceptDownloads === undefined ? {} : { acceptDownloads }) });
  context.setDefaultTimeout(20_000);
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('[browser] page error', error));
  return page;
}

/** Signs in through the local OIDC issuer's login page as `sub`, back to the portal. */
export async function signIn(page: Page, sub: string): Promise<void> {
  const wait = { timeout: 30_000 };
  await page.getByRole('button', { name: '登录' }).first().click();
  await page.waitForURL(/\/_local\/oidc\/authorize/, wait);
  await page.locator(`button[name="sub"][value="${sub}"]`).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/_local') && !url.pathname.startsWith('/callback'), wait);
}
