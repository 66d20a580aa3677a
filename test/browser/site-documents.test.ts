import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from '../../local/demo-files.ts';
import { DemoScenario, demoInstitutions } from '../../local/demo-scenario.ts';
import { seedDemoData } from '../../local/seed.ts';
import { startLocalStack, type LocalStack } from '../../local/stack.ts';
import { launchChromium, newPage, screenshotFailures, signIn, SHOTS } from '../support/browser.ts';

/**
 * A site's representation with a file, in a real browser (Art.23(3)): the
 * site's member uploads a PDF from the representation form through the
 * presigned POST, the form waits for the validator, the member ticks the
 * validated file and submits; an admin downloads it from the case list. The
 * accreditation and the opening of the case go through the API.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const WAIT = { timeout: 30_000 };

describe('site documents in a browser', () => {
  let stack: LocalStack;
  let demo: DemoScenario;
  let browser: Browser;
  let siteId = '';
  let revocationId = '';
  const contexts: BrowserContext[] = [];
  const { pilot } = demoInstitutions();
  const admin2 = { sub: 'demo-admin-2', email: 'admin2@org.example', name: '钱管理', groups: ['admin' as const], label: 'Second administrator' };

  const page = () => newPage(browser, contexts, { acceptDownloads: true });

  beforeAll(async () => {
    execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'web', 'build.ts')], { cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' }, stdio: 'pipe' });
    // Odd tens, away from the other browser tests' bases + 20 per worker.
    const portBase = Number(process.env.TEST_PORT_BASE ?? 5200) + 1670 + Number(process.env.VITEST_POOL_ID ?? 0) * 20;
    stack = await startLocalStack({ portBase, dataDir: `.local/browser-site-documents-${portBase}` });
    await seedDemoData(stack);
    demo = new DemoScenario(stack);
    // A second admin decides the case (the opener may not).
    stack.issuer.addUser(admin2);
    await demo.api.expect(200, 'demo-admin', 'PUT', `/v1/admin/staff/${admin2.sub}`, { name: admin2.name, email: admin2.email, role: 'admin', active: true });
    ({ siteId } = await demo.accredit(pilot));
    ({ revocationId } = await demo.api.expect<{ revocationId: string }>(202, 'demo-admin', 'POST', `/v1/admin/sites/${siteId}/revocations`, {
      cause: 'misconduct',
      reason: '考试期间组织替考，造成不良社会影响。',
    }));
    await stack.settle();
    browser = await launchChromium();
  }, 240_000);

  screenshotFailures('site-documents', contexts);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.stop();
  });

  it('the member uploads a PDF from the representation form, attaches it once validated, and admins download it from the case list and the decision page (Art.23(3))', async () => {
    const member = await page();
    await member.goto(`${stack.baseUrl}/sites/${siteId}/exit`);
    await signIn(member, pilot.user.sub);
    const form = member.getByRole('form', { name: '陈述申辩' });
    await form.waitFor(WAIT);
    await form.getByText('尚未上传文件。').waitFor(WAIT);
    await form.locator('input[type="file"]').setInputFiles({ name: '整改说明.pdf', mimeType: 'application/pdf', buffer: makePdf('Rectification statement', pilot.creditCode) });
    await form.getByRole('button', { name: '上传' }).click();
    // Once posted, the file is listed with its check (the upload row gives way to it).
    await form.locator('.site-file-list li').waitFor(WAIT);
    // The validator runs on the upload event; the form looks again until the file is checked.
    await stack.settle();
    const box = form.locator('input[name="evidenceIds"]');
    await expect.poll(() => box.isEnabled(), { timeout: 30_000, interval: 200 }).toBe(true);
    await box.check();
    await form.locator('textarea').fill('我校已对相关人员严肃处理，并整改考务流程，说明见附件。');
    await member.screenshot({ path: join(SHOTS, 'site-documents-01-attached.png'), fullPage: true });
    await form.getByRole('button', { name: '提交陈述申辩' }).click();
    await member.getByRole('status').filter({ hasText: '陈述申辩已提交' }).waitFor(WAIT);

    const cases = await demo.api.expect<{ revocations: Array<{ revocationId: string; representation: { evidenceIds: string[] } | null }> }>(200, 'demo-admin', 'GET', `/v1/sites/${siteId}/cases`);
    const answered = cases.revocations.find((r) => r.revocationId === revocationId)!;
    expect(answered.representation?.evidenceIds).toHaveLength(1);
    await stack.settle();

    const admin = await page();
    await admin.goto(`${stack.baseUrl}/sites/${siteId}/exit`);
    await signIn(admin, 'demo-admin');
    const file = admin.getByRole('button', { name: '附件 1' });
    await file.first().waitFor(WAIT);
    await admin.getByText('待决定').first().waitFor(WAIT);
    const [download] = await Promise.all([admin.waitForEvent('download', WAIT), file.first().click()]);
    expect(download.suggestedFilename()).toBe('整改说明.pdf');
    await admin.screenshot({ path: join(SHOTS, 'site-documents-02-admin.png'), fullPage: true });

    // The admin who decides reads the representation with its file on the decision page, in the case's section
    // (the page's file table lists it too, once its own request answers: a page-wide locator would find two).
    const decisionId = demo.api.latestDecisionLink(admin2.email);
    expect(decisionId).toBeDefined();
    const decider = await page();
    await decider.goto(`${stack.baseUrl}/decisions/${decisionId}`);
    await signIn(decider, admin2.sub);
    await decider.getByText('说明见附件').first().waitFor(WAIT);
    const [again] = await Promise.all([decider.waitForEvent('download', WAIT), decider.getByRole('region', { name: '考核站点案件' }).getByRole('button', { name: '下载 整改说明.pdf' }).click()]);
    expect(again.suggestedFilename()).toBe('整改说明.pdf');
    await decider.screenshot({ path: join(SHOTS, 'site-documents-03-decision.png'), fullPage: true });
  }, 180_000);
});
