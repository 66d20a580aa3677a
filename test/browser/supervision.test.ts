import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { SHOTS, launchChromium, newPage, screenshotFailures, signIn } from '../support/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoScenario, demoInstitutions } from '../../local/demo-scenario.ts';
import { seedDemoData } from '../../local/seed.ts';
import { startLocalStack, type LocalStack } from '../../local/stack.ts';

/**
 * Assessment and rectification in a real browser (Art.21): a reviewer
 * follows the e-mailed assessment link, signs in and scores the site's
 * report against the rubric; the site's member reads the outcome and
 * submits its rectification report. The accreditation, the campaign and
 * the site's evaluation report go through the API.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const WAIT = { timeout: 30_000 };
const until = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 30_000, interval: 200 });

describe('assessment and rectification in a browser', () => {
  let stack: LocalStack;
  let demo: DemoScenario;
  let browser: Browser;
  let siteId = '';
  const contexts: BrowserContext[] = [];
  const { pilot } = demoInstitutions();
  const REVIEWERS = [
    { sub: 'demo-reviewer', email: 'reviewer1@org.example' },
    { sub: 'demo-reviewer-2', email: 'reviewer2@org.example' },
  ];

  beforeAll(async () => {
    execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'web', 'build.ts')], { cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' }, stdio: 'pipe' });
    const portBase = Number(process.env.TEST_PORT_BASE ?? 5200) + 1150 + Number(process.env.VITEST_POOL_ID ?? 0) * 20;
    stack = await startLocalStack({ portBase, dataDir: `.local/browser-supervision-${portBase}` });
    await seedDemoData(stack);
    demo = new DemoScenario(stack);
    siteId = (await demo.accredit(pilot)).siteId;
    const campaign = await demo.api.expect<{ campaignId: string }>(202, 'demo-admin', 'POST', '/v1/admin/campaigns', {
      title: '2027 春季检查评估',
      deadline: new Date(stack.clock.now() + 8 * 86_400_000).toISOString(),
      selection: { kind: 'sites', siteIds: [siteId] },
    });
    await stack.advance('PT1M');
    await demo.api.expect(200, pilot.user.sub, 'PUT', `/v1/sites/${siteId}/evaluations/${campaign.campaignId}/report`, {
      venueAndEquipment: '两间考场共 80 台考生机，设备运行正常。',
      examOrganisation: '本期组织考试 2 场，考务人员均经培训。',
      violations: '无',
      incidents: '无',
      workPlan: '待定，下一阶段再议。',
    });
    await stack.advance('P8D');
    await stack.settle();
    browser = await launchChromium();
  }, 300_000);

  screenshotFailures('supervision', contexts);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.stop();
  });

  it('a reviewer assesses from the e-mailed link against the rubric; the site reads the outcome and submits its rectification report (Art.21)', async () => {
    const reviewer = REVIEWERS.find((r) => demo.api.mailTo(r.email).some((m) => /综合能力评估/.test(m.subject)))!;
    expect(reviewer).toBeDefined();
    const decisionId = demo.api.latestDecisionLink(reviewer.email);
    const page = await newPage(browser, contexts);
    await page.goto(`${stack.baseUrl}/decisions/${decisionId}`);
    await page.getByRole('heading', { name: '请先登录' }).waitFor(WAIT);
    await signIn(page, reviewer.sub);
    await page.getByText('待定，下一阶段再议。').first().waitFor(WAIT);
    // The rubric as inputs: full marks but the work plan (a critical criterion) at 0 fails the site.
    for (const input of await page.locator('input[name^="score-"]').all()) await input.fill((await input.getAttribute('max')) ?? '0');
    await page.locator('input[name="score-work-plan"]').fill('0');
    await page.getByText('合计 90 / 100').waitFor(WAIT);
    await page.locator('input[name="outcome"][value="rectify"]').check();
    await page.locator('#reason').fill('下一阶段工作计划缺失，限期整改。');
    await page.screenshot({ path: join(SHOTS, 'supervision-01-assessing.png'), fullPage: true });
    await page.getByRole('button', { name: '提交决定' }).click();
    await page.locator('.badge-decided').first().waitFor(WAIT);
    await stack.settle();

    const member = await newPage(browser, contexts);
    await member.goto(stack.baseUrl);
    await signIn(member, pilot.user.sub);
    await member.getByRole('link', { name: '我的站点' }).first().click();
    await member.getByRole('link', { name: '检查评估与整改' }).first().click();
    await member.waitForURL(new RegExp(`/sites/${siteId}/supervision$`), WAIT);
    await member.getByText('限期整改（第二十一条）').first().waitFor(WAIT);
    await member.getByText('下一阶段工作计划缺失，限期整改。').first().waitFor(WAIT);
    await member.locator('#rectification-text').fill('已制定下一阶段工作计划：每季度组织一次考试，年底前完成设备更新。');
    await member.getByRole('button', { name: '提交整改报告' }).click();
    await member.getByRole('status').filter({ hasText: '整改报告已提交' }).waitFor(WAIT);
    await member.getByText('复评中').first().waitFor(WAIT);
    await member.screenshot({ path: join(SHOTS, 'supervision-02-rectification-submitted.png'), fullPage: true });

    const record = await demo.api.expect<{ openRectification: { status: string; report?: { text: string } } }>(200, pilot.user.sub, 'GET', `/v1/sites/${siteId}/supervision`);
    expect(record.openRectification).toMatchObject({ status: 'under-review', report: { text: expect.stringContaining('每季度组织一次考试') } });
    await stack.settle();
    expect(REVIEWERS.some((r) => demo.api.mailTo(r.email).some((m) => /整改复评/.test(m.subject)))).toBe(true);
  }, 180_000);
});
