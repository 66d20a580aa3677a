import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSite } from '../../functions/adapters/stores/sites.ts';
import { armInactivityTimer } from '../../functions/use-cases/site-operations/inactivity-timer.ts';
import { seedDemoData } from '../../local/seed.ts';
import { startLocalStack, type LocalStack } from '../../local/stack.ts';
import { launchChromium, newPage, screenshotFailures, SHOTS } from '../support/browser.ts';
import { seedSite } from '../support/site-operations.ts';

/**
 * Exam sessions in the portal, in a real browser (Debian's Chromium,
 * headless, playwright-core) against a private local stack: the demo
 * applicant's ACTIVE site schedules a session in an accredited room,
 * registers a candidate by the form and more by CSV (a refused row shown
 * with its reason), and, once the session has started on the virtual clock,
 * records it held with attendance and an incident (Art.13–14, Art.20); the
 * two-year timer starts again (Art.23(1)). No ID number is shown unmasked.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const WAIT = { timeout: 30_000 };
const SITE = '01JSESSIONBROWSER000000001';
const DAY = 86_400_000;
const IDS = ['11010519491231002X', '440106199003071231'];

const until = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 30_000, interval: 200 });
/** A virtual instant as the portal's datetime-local field takes it (Beijing time). */
const beijingLocal = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16);

describe('exam sessions in the portal', { timeout: 180_000 }, () => {
  let stack: LocalStack;
  let browser: Browser;
  let page: Page;
  const contexts: BrowserContext[] = [];
  let startsAt = 0;

  beforeAll(async () => {
    execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'web', 'build.ts')], { cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' }, stdio: 'pipe' });
    const portBase = Number(process.env.TEST_PORT_BASE ?? 5200) + 630 + Number(process.env.VITEST_POOL_ID ?? 0) * 20;
    stack = await startLocalStack({ portBase, dataDir: `.local/browser-sessions-${portBase}`, dailySchedules: false });
    await seedDemoData(stack);
    // The demo applicant's college as an ACTIVE site (accreditation itself is the other browser test's subject).
    await seedSite(SITE, '12440100455861238H', new Date(stack.clock.now()).toISOString());
    await armInactivityTimer(SITE);
    browser = await launchChromium();
    page = await newPage(browser, contexts, { viewportHeight: 900 });
  }, 180_000);

  // What the browser showed when a test failed.
  screenshotFailures('sessions', contexts);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.stop();
  });

  it('schedules a session in an accredited room from the site list', async () => {
    await page.goto(stack.baseUrl);
    await page.getByRole('button', { name: '登录' }).first().click();
    await page.waitForURL(/\/_local\/oidc\/authorize/, WAIT);
    await page.locator('button[name="sub"][value="demo-applicant"]').click();
    await page.getByRole('heading', { name: /您好/ }).waitFor(WAIT);
    await page.getByRole('link', { name: '我的站点' }).first().click();
    await page.getByRole('link', { name: '考试场次' }).first().click();
    await page.waitForURL(new RegExp(`/sites/${SITE}/sessions$`), WAIT);
    await page.getByText('尚未安排考试。').waitFor(WAIT);

    startsAt = Math.ceil((stack.clock.now() + 2 * DAY) / 60_000) * 60_000;
    const form = page.getByRole('form', { name: '安排考试' });
    await form.locator('input[name="title"]').fill('跨境电商多平台运营（初级）');
    await form.locator('input[name="start"]').fill(beijingLocal(startsAt));
    await form.locator('input[name="end"]').fill(beijingLocal(startsAt + 3 * 3_600_000));
    await form.locator('input[name="room"][value="机房A"]').check();
    // 41 is more than 机房A seats at once (Art.9(2)): the form itself will not send it.
    await form.locator('input[name="capacity"]').fill('41');
    await form.getByRole('button', { name: '安排考试' }).click();
    expect(await form.locator('input[name="capacity"]').evaluate((el) => (el as unknown as { validity: { rangeOverflow: boolean } }).validity.rangeOverflow)).toBe(true);
    await form.locator('input[name="capacity"]').fill('40');
    await form.getByRole('button', { name: '安排考试' }).click();
    await page.getByRole('link', { name: '跨境电商多平台运营（初级）' }).waitFor(WAIT);
    await page.screenshot({ path: join(SHOTS, 'sessions-01-scheduled.png'), fullPage: true });
  });

  it('registers a candidate by the form and more by CSV, showing the refused row; ID numbers only masked', async () => {
    await page.getByRole('link', { name: '跨境电商多平台运营（初级）' }).click();
    await page.waitForURL(/\/sessions\/[0-9A-Z]{26}$/, WAIT);
    const one = page.getByRole('form', { name: '报名考生' });
    await one.locator('input[name="name"]').fill('张三');
    await one.locator('input[name="idNumber"]').fill(IDS[0]!);
    await one.getByRole('button', { name: '报名' }).click();
    await page.locator('td code', { hasText: '110***********002X' }).waitFor(WAIT);

    const csv = page.getByRole('form', { name: '批量导入（CSV）' });
    await csv.locator('textarea[name="csv"]').fill(`name,idNumber,category\n李四,${IDS[1]},public\n王五,440106199003071235,student`);
    await csv.getByRole('button', { name: '导入' }).click();
    await page.locator('[data-row-error="ID_NUMBER_INVALID"]').waitFor(WAIT);
    await page.locator('td code', { hasText: '440***********1231' }).waitFor(WAIT);
    await until(() => page.locator('[data-registered]').innerText()).toContain('已报名 2 / 40 人');
    const html = await page.content();
    for (const id of IDS) expect(html).not.toContain(id);
    await page.screenshot({ path: join(SHOTS, 'sessions-02-candidates.png'), fullPage: true });
  });

  it('records the session as held once it has started, with attendance and an incident; the two-year timer starts again', async () => {
    await stack.advance(startsAt + 3_600_000 - stack.clock.now());
    // A full load drops the in-memory tokens: sign in again and come back to the page.
    const here = page.url();
    await page.reload();
    await page.getByRole('heading', { name: '请先登录' }).waitFor(WAIT);
    await page.getByRole('button', { name: '登录' }).first().click();
    await page.waitForURL(/\/_local\/oidc\/authorize/, WAIT);
    await page.locator('button[name="sub"][value="demo-applicant"]').click();
    await page.waitForURL(here, WAIT);
    const held = page.getByRole('form', { name: '记录考试已举行' });
    await held.waitFor(WAIT);
    // 李四 was absent.
    const rows = page.locator('tr[data-candidate]');
    await until(() => rows.count()).toBe(2);
    await rows.filter({ hasText: '李四' }).locator('input[name="present"]').uncheck();
    await held.locator('textarea[name="incidents"]').fill('机房A 网络中断 5 分钟');
    await held.getByRole('button', { name: '记录为已举行' }).click();
    await until(() => page.locator('[data-held]').innerText()).toContain('到考 1 人，缺考 1 人');
    await until(() => rows.filter({ hasText: '李四' }).innerText()).toContain('缺考');
    await page.screenshot({ path: join(SHOTS, 'sessions-03-held.png'), fullPage: true });
    const site = await getSite(SITE);
    // Held at the moment it was recorded (before its planned end): a new two-year period from then.
    expect(site?.lastExamAt).toBe(site?.inactivitySince);
    expect(Date.parse(site!.inactivitySince)).toBeGreaterThanOrEqual(startsAt);
    expect(Date.parse(site!.inactivitySince)).toBeLessThanOrEqual(startsAt + 3 * 3_600_000);
    expect(site?.nextMilestoneKind).toBe('warn-90');
  });
});
