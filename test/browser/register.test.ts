import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoScenario, demoInstitutions } from '../../local/demo-scenario.ts';
import { seedDemoData } from '../../local/seed.ts';
import { startLocalStack, type LocalStack } from '../../local/stack.ts';
import { launchChromium, newPage, screenshotFailures, signIn, SHOTS } from '../support/browser.ts';

/**
 * The public register and the site pages in a real browser (as in
 * `portal.test.ts`: Debian's Chromium, headless, playwright-core) against a
 * private local stack with one accredited site: a visitor reads the register
 * and the Art.8 coverage without signing in, in Chinese and English; an
 * admin searches the sites and opens one with its timeline; the college
 * records a staff training on its site page.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const WAIT = { timeout: 30_000 };

const until = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 30_000, interval: 200 });
const textOf = (l: Locator) => l.allInnerTexts().then((all) => all.join(' '));

describe('public register and site pages in a browser', () => {
  let stack: LocalStack;
  let browser: Browser;
  let siteId = '';
  let certificate = '';
  const contexts: BrowserContext[] = [];
  const { pilot } = demoInstitutions();

  beforeAll(async () => {
    execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'web', 'build.ts')], { cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' }, stdio: 'pipe' });
    const portBase = Number(process.env.TEST_PORT_BASE ?? 5200) + 470 + Number(process.env.VITEST_POOL_ID ?? 0) * 20;
    stack = await startLocalStack({ portBase, dataDir: `.local/browser-register-${portBase}` });
    await seedDemoData(stack);
    // One accredited site, through the API as the users would (the portal test covers these pages).
    const demo = new DemoScenario(stack);
    const id = await demo.apply(pilot);
    await demo.submit(pilot, id);
    await demo.decide('approve-for-visit', 'Materials complete (Art.3).');
    const visit = await demo.decide('approve', 'Venue as declared (Art.9-11).', { recommendation: 'approve', findings: [] });
    await demo.decide('approve', 'Review and site visit passed (Art.4).', {}, visit.sub);
    const mine = await demo.api.expect<{ items: Array<{ siteId: string; certificateNumber: string }> }>(200, pilot.user.sub, 'GET', '/v1/sites');
    siteId = mine.items[0]!.siteId;
    certificate = mine.items[0]!.certificateNumber;
    browser = await launchChromium();
  }, 240_000);

  screenshotFailures('register', contexts);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.stop();
  });

  it('shows a visitor who has not signed in the register with the site, its capacity and the Art.8 coverage, in Chinese and English', async () => {
    const page = await newPage(browser, contexts);
    const apiCalls: Array<{ url: string; auth: boolean }> = [];
    page.on('request', (r) => {
      if (r.url().includes('/v1/')) apiCalls.push({ url: r.url(), auth: 'authorization' in r.headers() });
    });
    await page.goto(`${stack.baseUrl}/register`);

    await page.getByRole('heading', { name: '考核站点名录' }).waitFor(WAIT);
    expect(await page.getByRole('heading', { name: '请先登录' }).count()).toBe(0);
    const row = page.locator(`table.register tr[data-certificate="${certificate}"]`);
    await until(() => textOf(row)).toContain(pilot.name);
    expect(await textOf(row)).toContain('广东省');
    const coverage = page.locator('table.coverage tr[data-city="350200"]');
    await until(() => textOf(coverage)).toContain('未覆盖');
    expect(await textOf(page.locator('table.coverage tr[data-city="440100"]'))).toContain('已覆盖');
    expect(apiCalls.length).toBeGreaterThan(0);
    expect(apiCalls.every((c) => !c.auth)).toBe(true);
    await page.screenshot({ path: join(SHOTS, '20-public-register.png'), fullPage: true });

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Public register of exam sites' }).waitFor(WAIT);
    expect(await textOf(row)).toContain('Guangdong');
    expect(await textOf(page.locator('#coverage-title'))).toBe('Coverage of prefecture-level cities (Art.8)');
  });

  it('narrows the register to a province', async () => {
    const page = await newPage(browser, contexts);
    await page.goto(`${stack.baseUrl}/register`);
    await page.locator(`tr[data-certificate="${certificate}"]`).waitFor(WAIT);
    await page.getByLabel('省份').selectOption('350000');
    await until(() => textOf(page.locator('main'))).toContain('暂无认证考核站点。');
  });

  it('lets an admin search sites by province and status and open one with its timeline', async () => {
    const page = await newPage(browser, contexts);
    await page.goto(stack.baseUrl);
    await signIn(page, 'demo-admin');
    // The unfiltered list (asked for when the page opens) answers only after
    // the filtered one: the page must show the later search, not the later answer.
    let filteredAnswered!: () => void;
    const filtered = new Promise<void>((done) => (filteredAnswered = done));
    await page.route(/\/v1\/sites\?/, async (route) => {
      const answer = await route.fetch();
      if (new URL(route.request().url()).searchParams.has('status')) {
        await route.fulfill({ response: answer });
        filteredAnswered();
      } else {
        await filtered;
        await route.fulfill({ response: answer });
      }
    });
    const unfilteredAnswered = page.waitForResponse((r) => /\/v1\/sites\?/.test(r.url()) && !new URL(r.url()).searchParams.has('status'), WAIT);
    await page.getByRole('link', { name: '考核站点', exact: true }).first().click();
    await page.getByRole('search').waitFor(WAIT);
    await page.locator('select[name="province"]').selectOption('440000');
    await page.locator('select[name="status"]').selectOption('SUSPENDED');
    await page.getByRole('button', { name: '查询' }).click();
    await until(() => textOf(page.locator('main'))).toContain('没有符合条件的考核站点。');
    await unfilteredAnswered;
    await page.evaluate('new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)))');
    expect(await textOf(page.locator('main'))).toContain('没有符合条件的考核站点。');
    expect(await page.getByRole('link', { name: certificate }).count()).toBe(0);
    await page.unroute(/\/v1\/sites\?/);
    await page.locator('select[name="status"]').selectOption('ACTIVE');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByRole('link', { name: certificate }).click();
    await page.waitForURL((url) => url.pathname === `/sites/${siteId}`, WAIT);
    await page.getByRole('heading', { name: pilot.name }).waitFor(WAIT);
    await until(() => textOf(page.locator('.site-timeline'))).toContain('已认证');
    await page.screenshot({ path: join(SHOTS, '21-site-page-admin.png'), fullPage: true });
    // Staff read the duties; only the site's members get the forms.
    expect(await page.getByRole('button', { name: '保存培训记录' }).count()).toBe(0);
  });

  it("lets the college record a staff training on its site page (Art.15), shown in its list and on the timeline", async () => {
    const page = await newPage(browser, contexts);
    await page.goto(stack.baseUrl);
    await signIn(page, pilot.user.sub);
    // In-app navigation: the token lives in memory, a full page load would sign out.
    await page.getByRole('link', { name: '我的站点' }).click();
    await page.getByRole('link', { name: certificate }).click();
    await page.waitForURL((url) => url.pathname === `/sites/${siteId}`, WAIT);
    await page.getByRole('button', { name: '保存培训记录' }).waitFor(WAIT);
    await page.locator('input[name="traineeName"]').fill('张监考');
    await page.locator('select[name="traineeRole"]').selectOption('invigilator');
    await page.locator('input[name="title"]').fill('考务组织培训');
    await page.locator('input[name="trainedOn"]').fill(new Date(stack.clock.now() - 86_400_000).toISOString().slice(0, 10));
    await page.locator('select[name="organiser"]').selectOption('organisation');
    await page.getByRole('button', { name: '保存培训记录' }).click();
    await until(() => textOf(page.locator('table.trainings'))).toContain('张监考');
    expect(await textOf(page.locator('table.trainings'))).toContain('培训评价组织');
    await until(() => textOf(page.locator('.site-timeline'))).toContain('记录考务培训');
    expect(await textOf(page.locator('.site-timeline'))).toContain('Art.15');
  });
});
