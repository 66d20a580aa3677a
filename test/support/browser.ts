import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
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

/** Registers, for each test of the file, a screenshot of every open page when the test fails (`failed-<prefix>-<test>-<n>.png`). */
export function screenshotFailures(prefix: string, contexts: readonly BrowserContext[]): void {
  beforeEach((ctx) => {
    onTestFailed(async () => {
      for (const [i, page] of contexts.flatMap((c) => c.pages()).entries()) {
        await page.screenshot({ path: join(SHOTS, `failed-${prefix}-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}-${i}.png`), fullPage: true }).catch(() => undefined);
      }
    });
  });
}
