import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { SHOTS, launchChromium, newPage, screenshotFailures, signIn } from '../support/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedBulkSites, type BulkSite } from '../../local/bulk-sites.ts';
import { DemoScenario } from '../../local/demo-scenario.ts';
import { seedDemoData } from '../../local/seed.ts';
import { startLocalStack, type LocalStack } from '../../local/stack.ts';

/**
 * An evaluation campaign in a real browser (Art.19–20): an admin opens it
 * with the live count of the selection, a site's member writes the report
 * prefilled from the site's records and submits it, and the admin sees the
 * progress and reminds the others. Three sites are seeded straight into the
 * table (local/bulk-sites.ts); nothing before the campaign is the point here.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const WAIT = { timeout: 30_000 };
const until = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 30_000, interval: 200 });

describe('an evaluation campaign in a browser', () => {
  let stack: LocalStack;
  let demo: DemoScenario;
  let browser: Browser;
  let sites: BulkSite[];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'web', 'build.ts')], { cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' }, stdio: 'pipe' });
    const portBase = Number(process.env.TEST_PORT_BASE ?? 5200) + 1250 + Number(process.env.VITEST_POOL_ID ?? 0) * 20;
    stack = await startLocalStack({ portBase, dataDir: `.local/browser-campaign-${portBase}`, dailySchedules: false });
    await seedDemoData(stack);
    demo = new DemoScenario(stack);
    sites = await seedBulkSites(3, { prefix: 'BR', at: new Date(stack.clock.now()).toISOString() });
    stack.issuer.addUser({ sub: 'bulk-br000000', email: sites[0]!.email, name: '站长 BR000000', groups: ['applicant'], label: '站长 BR000000' });
    browser = await launchChromium();
  }, 240_000);

  screenshotFailures('campaign', contexts);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.stop();
  });

  it('the admin opens a campaign with the live count, the site submits its prefilled report, the admin sees the progress', async () => {
    const admin = await newPage(browser, contexts, { viewportHeight: 900 });
    await admin.goto(stack.baseUrl);
    await signIn(admin, 'demo-admin');
    await admin.getByRole('link', { name: '检查评估' }).first().click();
    await admin.waitForURL(/\/admin\/campaigns$/, WAIT);
    const form = admin.getByRole('form', { name: '发起检查评估' });
    await form.getByTestId('live-count').filter({ hasText: '将覆盖 3 个考核站点' }).waitFor(WAIT);
    // The count follows the selection: one province of the three sites' regions.
    await form.locator('input[name="provinceCode"]').fill(sites[0]!.provinceCode);
    await form.getByTestId('live-count').filter({ hasText: '将覆盖 1 个考核站点' }).waitFor(WAIT);
    await form.locator('input[name="provinceCode"]').fill('');
    await form.getByTestId('live-count').filter({ hasText: '将覆盖 3 个考核站点' }).waitFor(WAIT);
    await form.locator('input[name="title"]').fill('2027 春季检查评估');
    await admin.screenshot({ path: join(SHOTS, 'campaign-01-open.png'), fullPage: true });
    await form.getByRole('button', { name: '发起并通知站点' }).click();
    await admin.waitForURL(/\/admin\/campaigns\/[0-9A-Z]{26}$/, WAIT);
    await stack.settle();
    expect(demo.api.mailTo(sites[0]!.email).filter((m) => /检查评估通知/.test(m.subject))).toHaveLength(1);

    const member = await newPage(browser, contexts, { viewportHeight: 900 });
    await member.goto(`${stack.baseUrl}/sites/${sites[0]!.siteId}/evaluations`);
    await member.getByRole('heading', { name: '请先登录' }).waitFor(WAIT);
    await signIn(member, 'bulk-br000000');
    const report = member.getByRole('form', { name: /检查评估汇报/ });
    await report.getByTestId('prefill-summary').filter({ hasText: '组织考试 0 场' }).waitFor(WAIT);
    expect(await report.locator('textarea[name="violations"]').inputValue()).toBe('无');
    expect(await report.locator('textarea[name="examOrganisation"]').inputValue()).toContain('未组织考试');
    await report.locator('textarea[name="venueAndEquipment"]').fill('两间考场共 80 台考生机，监控设备运行正常。');
    await report.locator('textarea[name="workPlan"]').fill('下一阶段每季度组织一次考试，并更新监控设备。');
    await report.getByRole('button', { name: '提交汇报' }).click();
    await member.getByRole('status').filter({ hasText: '汇报已提交' }).waitFor(WAIT);
    await member.getByText('已提交').first().waitFor(WAIT);
    await member.screenshot({ path: join(SHOTS, 'campaign-02-report.png'), fullPage: true });

    // Tokens live in memory: move within the portal rather than reload.
    await admin.getByRole('link', { name: '返回检查评估列表' }).click();
    await admin.getByRole('link', { name: '2027 春季检查评估' }).click();
    const progress = admin.getByTestId('progress');
    await until(() => progress.locator('[data-counter="notified"]').textContent()).toMatch(/^3\b/);
    await until(() => progress.locator('[data-counter="submitted"]').textContent()).toMatch(/^1\b/);
    await admin.getByRole('button', { name: '催报所有未提交站点' }).click();
    await admin.getByRole('status').filter({ hasText: '第 1 轮催报已发出' }).waitFor(WAIT);
    await stack.settle();
    expect(demo.api.mailTo(sites[1]!.email).filter((m) => /即将截止/.test(m.subject))).toHaveLength(1);
    expect(demo.api.mailTo(sites[0]!.email).filter((m) => /即将截止/.test(m.subject))).toHaveLength(0);
    await admin.screenshot({ path: join(SHOTS, 'campaign-03-progress.png'), fullPage: true });
  }, 240_000);
});
