import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoScenario, demoInstitutions } from '../../local/demo-scenario.ts';
import { seedDemoData } from '../../local/seed.ts';
import { startLocalStack, type LocalStack } from '../../local/stack.ts';
import { launchChromium, newPage, screenshotFailures, signIn, SHOTS } from '../support/browser.ts';

/**
 * A site's withdrawal in a real browser (Art.22), as portal.test.ts drives
 * the portal: the site's member asks on the site's page; an admin follows
 * the e-mailed link, signs in and agrees; the member sees the site
 * withdrawn. The accreditation before it goes through the API.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const WAIT = { timeout: 30_000 };
const until = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 30_000, interval: 200 });

describe('withdrawal in a browser', () => {
  let stack: LocalStack;
  let demo: DemoScenario;
  let browser: Browser;
  let siteId = '';
  const contexts: BrowserContext[] = [];
  const { pilot } = demoInstitutions();

  beforeAll(async () => {
    execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'web', 'build.ts')], { cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' }, stdio: 'pipe' });
    // Odd tens above portal.test.ts's ports: never the same as its base + 20 per worker.
    const portBase = Number(process.env.TEST_PORT_BASE ?? 5200) + 410 + Number(process.env.VITEST_POOL_ID ?? 0) * 20;
    stack = await startLocalStack({ portBase, dataDir: `.local/browser-withdrawal-${portBase}` });
    await seedDemoData(stack);
    demo = new DemoScenario(stack);
    const id = await demo.apply(pilot);
    await demo.submit(pilot, id);
    await demo.decide('approve-for-visit', 'Materials complete and consistent with Art.9-11.');
    const visit = await demo.decide('approve', 'Rooms, PCs and cameras as declared.', { recommendation: 'approve', findings: [] });
    await demo.decide('approve', 'Review and site visit both passed (Art.4).', {}, visit.sub);
    const sites = await demo.api.expect<{ items: Array<{ siteId: string }> }>(200, pilot.user.sub, 'GET', '/v1/sites');
    siteId = sites.items[0]!.siteId;
    browser = await launchChromium();
  }, 240_000);

  screenshotFailures('withdrawal', contexts);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.stop();
  });

  it('the member asks to withdraw, an admin agrees from the e-mailed link, and the site shows WITHDRAWN (Art.22)', async () => {
    const member = await newPage(browser, contexts);
    await member.goto(stack.baseUrl);
    await signIn(member, pilot.user.sub);
    await member.getByRole('link', { name: '我的站点' }).first().click();
    await member.getByRole('link', { name: '退出与撤销' }).first().click();
    await member.waitForURL(new RegExp(`/sites/${siteId}/exit$`), WAIT);
    const form = member.getByRole('form', { name: '申请退出' });
    await form.locator('textarea').fill('学校专业调整，申请退出考核站点。');
    await form.getByRole('button', { name: '提交退出申请' }).click();
    await member.getByRole('status').filter({ hasText: '退出申请已提交' }).waitFor(WAIT);
    await member.getByText('待审批').first().waitFor(WAIT);
    await member.screenshot({ path: join(SHOTS, 'withdrawal-01-requested.png'), fullPage: true });

    await stack.settle();
    const decisionId = demo.api.latestDecisionLink('admin@org.example');
    expect(decisionId).toBeDefined();
    const admin = await newPage(browser, contexts);
    await admin.goto(`${stack.baseUrl}/decisions/${decisionId}`);
    await admin.getByRole('heading', { name: '请先登录' }).waitFor(WAIT);
    await signIn(admin, 'demo-admin');
    await admin.getByText('学校专业调整，申请退出考核站点。').first().waitFor(WAIT);
    await admin.locator('input[name="outcome"][value="agree"]').check();
    await admin.locator('#reason').fill('无在办考试，同意退出。');
    await admin.getByRole('button', { name: '提交决定' }).click();
    await admin.locator('.badge-decided').first().waitFor(WAIT);
    await admin.screenshot({ path: join(SHOTS, 'withdrawal-02-agreed.png'), fullPage: true });
    await stack.settle();

    // Tokens live in memory: move within the portal rather than reload.
    await member.getByRole('link', { name: '返回考核站点' }).click();
    await member.getByRole('link', { name: '退出与撤销' }).first().click();
    await until(() => member.getByText('已同意退出').count()).toBeGreaterThan(0);
    await until(() => member.getByText('WITHDRAWN').count()).toBeGreaterThan(0);
    // A withdrawn site offers no withdrawal form any more.
    expect(await member.getByRole('form', { name: '申请退出' }).count()).toBe(0);
    await member.screenshot({ path: join(SHOTS, 'withdrawal-03-withdrawn.png'), fullPage: true });
  }, 180_000);
});
