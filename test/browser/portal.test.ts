import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalApiClient } from '../../local/api-client.ts';
import { makePdf, makePng } from '../../local/demo-files.ts';
import { seedDemoData } from '../../local/seed.ts';
import { startLocalStack, type LocalStack } from '../../local/stack.ts';
import { launchChromium, newPage, screenshotFailures, signIn, SHOTS } from '../support/browser.ts';
import { makeValidForm } from '../unit/domain/fixtures/valid-form.ts';

/**
 * The portal in a real browser (Debian's Chromium, headless, driven by
 * playwright-core; no browser download) against a private local stack: an
 * applicant signs in on the local issuer's page, fills the form, uploads
 * files straight to S3 and submits; reviewers follow the links in their
 * outbox e-mails, sign in and decide; the applicant reads the result
 * (Art.4). Screenshots of each page go to test-results/screenshots/;
 * `UPDATE_SCREENSHOTS=1` also refreshes the README's in docs/screenshots/.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const README_SHOTS = join(ROOT, 'docs', 'screenshots');
const REVIEWERS = [
  { sub: 'demo-reviewer', email: 'reviewer1@org.example' },
  { sub: 'demo-reviewer-2', email: 'reviewer2@org.example' },
] as const;
const WAIT = { timeout: 30_000 };

/** A real 1280×960 JPEG, encoded by the browser itself (base64); run in the page, so written as a string. */
const JPEG_IN_BROWSER = `(async () => {
  const canvas = document.createElement('canvas');
  canvas.width = 1280;
  canvas.height = 960;
  const g = canvas.getContext('2d');
  g.fillStyle = '#9ab';
  g.fillRect(0, 0, 1280, 960);
  g.fillStyle = '#234';
  g.fillText('exam-affairs office', 100, 100);
  const blob = await new Promise((r) => canvas.toBlob(r, 'image/jpeg', 0.8));
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
})()`;

/** Retries a read of the page until the assertion holds (playwright-core has no web-first assertions). */
const until = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 30_000, interval: 200 });
const textOf = (l: Locator) => l.allInnerTexts().then((all) => all.join(' '));

describe('portal in a browser', () => {
  let stack: LocalStack;
  let api: LocalApiClient;
  let browser: Browser;
  let applicant: Page;
  let applicationId = '';
  const contexts: BrowserContext[] = [];
  const followed = new Set<string>();
  let visitor = '';

  const shot = async (page: Page, name: string, forReadme = false) => {
    const file = join(SHOTS, `${name}.png`);
    await page.screenshot({ path: file, fullPage: !forReadme });
    // The README's copies change only on request (UPDATE_SCREENSHOTS=1), so a test run leaves the work tree clean.
    if (forReadme && process.env.UPDATE_SCREENSHOTS) copyFileSync(file, join(README_SHOTS, `${name}.png`));
  };

  /** A fresh browser context (its own memory: nobody is signed in). */
  const openPage = async () => {
    const page = await newPage(browser, contexts, { acceptDownloads: true });
    if (process.env.DEBUG_PORTAL) page.on('console', (m) => console.log('[browser]', m.text()));
    if (process.env.DEBUG_PORTAL) page.on('requestfinished', (r) => console.log('[browser]', r.method(), r.url().slice(0, 120)));
    return page;
  };

  /** The reviewer holding a decision link not followed yet, with it. */
  const nextDecisionLink = async (exclude?: string) => {
    await stack.settle();
    for (const r of REVIEWERS) {
      if (r.sub === exclude) continue;
      const id = api.latestDecisionLink(r.email);
      if (id && !followed.has(id)) {
        followed.add(id);
        return { ...r, decisionId: id };
      }
    }
    throw new Error('no new decision link in a reviewer mailbox');
  };

  /** A reviewer opens the e-mailed link in a fresh browser, signs in and lands on the decision page. */
  const openDecision = async (link: { sub: string; decisionId: string }) => {
    const page = await openPage();
    await page.goto(`${stack.baseUrl}/decisions/${link.decisionId}`);
    await page.getByRole('heading', { name: '请先登录' }).waitFor(WAIT);
    await signIn(page, link.sub);
    expect(new URL(page.url()).pathname).toBe(`/decisions/${link.decisionId}`);
    await page.locator('.badge-pending').first().waitFor(WAIT);
    return page;
  };

  const decide = async (page: Page, outcome: string, reason: string) => {
    await page.locator(`input[name="outcome"][value="${outcome}"]`).check();
    await page.locator('#reason').fill(reason);
    await page.getByRole('button', { name: '提交决定' }).click();
    await page.locator('.badge-decided').first().waitFor(WAIT);
  };

  beforeAll(async () => {
    if (process.env.UPDATE_SCREENSHOTS) mkdirSync(README_SHOTS, { recursive: true });
    // A child process: Vite in production mode, away from vitest's own Vite.
    execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'web', 'build.ts')], { cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' }, stdio: 'pipe' });
    const portBase = Number(process.env.TEST_PORT_BASE ?? 5200) + 400 + Number(process.env.VITEST_POOL_ID ?? 0) * 20;
    stack = await startLocalStack({ portBase, dataDir: `.local/browser-${portBase}` });
    await seedDemoData(stack);
    api = new LocalApiClient(stack);
    browser = await launchChromium();
    applicant = await openPage();
  }, 120_000);

  // What the browser showed when a test failed: the first thing to look at in CI.
  screenshotFailures('', contexts);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.stop();
  });

  it('signs the applicant in through the issuer with PKCE and keeps no token in web storage', async () => {
    await applicant.goto(stack.baseUrl);
    await until(() => applicant.locator('html').getAttribute('lang')).toBe('zh-CN');
    await shot(applicant, '01-home-signed-out');
    await applicant.getByRole('button', { name: '登录' }).first().click();
    await applicant.waitForURL(/\/_local\/oidc\/authorize/, WAIT);
    const authorize = new URL(applicant.url());
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${stack.baseUrl}/callback`);
    await shot(applicant, '02-local-sign-in');
    await applicant.locator('button[name="sub"][value="demo-applicant"]').click();
    await applicant.getByRole('heading', { name: /您好/ }).waitFor(WAIT);
    await applicant.getByText('广州南方商贸职业技术学院').first().waitFor(WAIT);
    const stored = String(await applicant.evaluate('JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })'));
    expect(stored).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
    await shot(applicant, '03-home-applicant');
  });

  it('saves the draft form and shows the screening findings beside the fields they concern, citing the article, a policy finding marked with its reason (Art.9(2))', async () => {
    await applicant.getByRole('link', { name: '站点申请' }).click();
    await applicant.getByRole('button', { name: '新建申请' }).click();
    await applicant.waitForURL(/\/applications\/[0-9A-Z]{26}\/form$/, WAIT);
    applicationId = /\/applications\/([0-9A-Z]{26})\/form/.exec(applicant.url())![1]!;

    // The rest comes from a prepared file: one room, A101, whose seating is chosen below; its candidate PCs run
    // Windows 11, which the standard does not name (a policy finding); the majors are chosen by hand.
    const { institution, ...rest } = makeValidForm();
    rest.examRooms = [rest.examRooms[0]!];
    delete (rest.examRooms[0] as { seatingArrangement?: string }).seatingArrangement;
    rest.examRooms[0]!.candidatePc.os.name = 'windows-11';
    rest.majors.items = [];
    await applicant.locator('input[type="file"][accept*="json"]').setInputFiles({ name: 'form.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(rest)) });
    // The institution section by hand, as a site manager would.
    await applicant.locator('#f-institution-name').fill(institution.name);
    await applicant.locator('#f-institution-creditCode').fill(institution.creditCode);
    await applicant.locator('#f-institution-type').selectOption(institution.type);
    await applicant.locator('#f-institution-provinceCode').selectOption(institution.provinceCode);
    await applicant.locator('#f-institution-cityCode').fill(institution.cityCode);
    await applicant.locator('#f-institution-address').fill(institution.address);
    await applicant.locator('#f-institution-legalEntity').selectOption('true');
    await applicant.locator('#f-institution-schoolRunningLicence-held').selectOption('true');
    await applicant.locator('#f-institution-schoolRunningLicence-number').fill(institution.schoolRunningLicence.number!);
    await applicant.locator('#f-institution-schoolRunningLicence-issuedBy').fill(institution.schoolRunningLicence.issuedBy!);
    await shot(applicant, '04-form-institution', true);

    // Art.9(1): the related majors are chosen from the catalogue, by code.
    await applicant.getByRole('button', { name: /相关专业/ }).click();
    await applicant.getByRole('button', { name: '添加专业' }).click();
    const majorOptions = await applicant.locator('#f-majors-items-0-majorCode option').allTextContents();
    expect(majorOptions).toContain('530702 跨境电子商务');
    await applicant.locator('#f-majors-items-0-majorCode').selectOption('530702');
    await applicant.locator('#f-majors-items-0-annualEnrolment').fill('120');

    // Art.9(2): with alternate seating the 45 seats of A101 hold 22 candidates at once, fewer than 40.
    await applicant.getByRole('button', { name: /考场（机房）/ }).click();
    await applicant.locator('#f-examRooms-0-seatingArrangement').selectOption('alternate-seat');
    await applicant.getByRole('button', { name: '保存草稿' }).click();
    await applicant.locator('.precheck').waitFor(WAIT);
    const field = applicant.locator('.field', { has: applicant.locator('#f-examRooms-0-seats') });
    await until(() => textOf(field.locator('.finding'))).toContain('Art.9(2)');
    expect(await textOf(field.locator('.finding'))).toContain('同时只能容纳 22 人');
    expect(await applicant.locator('#f-examRooms-0-seats').getAttribute('aria-invalid')).toBe('true');
    // Windows 11: advisory, marked as the organisation's policy with its reason.
    const os = applicant.locator('.field', { has: applicant.locator('#f-examRooms-0-candidatePc-os-name') });
    expect(await textOf(os.locator('.finding .policy-tag'))).toBe('政策');
    expect(await textOf(os.locator('.finding .basis-policy'))).toContain('Windows 10 已于 2025-10-14 停止支持');
    await field.scrollIntoViewIfNeeded();
    await shot(applicant, '05-form-finding-inline', true);

    await applicant.locator('#f-examRooms-0-seats').fill('90');
    await applicant.locator('#f-examRooms-0-candidatePcCount').fill('90');
    await applicant.locator('#f-examRooms-0-candidatePc-os-name').selectOption('windows-10');
    await applicant.getByRole('button', { name: '保存草稿' }).click();
    await until(() => field.locator('.finding').count()).toBe(0);
    expect(await os.locator('.finding').count()).toBe(0);
    await until(() => textOf(applicant.locator('.precheck'))).toContain('表单符合第九至十一条的标准');
  });

  it('uploads the evidence of Art.3 straight to S3 with a progress bar per file, and shows each check result', async () => {
    await applicant.getByRole('link', { name: '2 支撑材料' }).click();
    await applicant.locator('[data-kind="application-form"]').waitFor(WAIT);
    // A real JPEG, encoded by the browser itself.
    const jpeg = Buffer.from(String(await applicant.evaluate(JPEG_IN_BROWSER)), 'base64');
    const pdf = (title: string) => ({ name: `${title}.pdf`, mimeType: 'application/pdf', buffer: makePdf(title, `browser-${title}`) });
    const uploads: Array<{ kind: string; tag?: string; file: { name: string; mimeType: string; buffer: Buffer } }> = [
      { kind: 'application-form', file: pdf('申请表') },
      { kind: 'manager-id-copy', file: pdf('负责人身份证复印件') },
      { kind: 'venue-photo', tag: 'exam-room', file: { name: 'room.png', mimeType: 'image/png', buffer: makePng(1280, 960, 'browser-room') } },
      { kind: 'venue-photo', tag: 'equipment', file: { name: 'equipment.png', mimeType: 'image/png', buffer: makePng(1280, 960, 'browser-equipment') } },
      { kind: 'venue-photo', tag: 'exam-office', file: { name: 'office.jpg', mimeType: 'image/jpeg', buffer: jpeg } },
      { kind: 'policies', tag: 'management', file: pdf('管理安全保密制度') },
      { kind: 'exam-experience', file: pdf('国家级考试组考经验') },
    ];
    for (const u of uploads) {
      if (process.env.DEBUG_PORTAL) console.log('[test] upload', u.kind, u.file.name);
      const card = applicant.locator(`[data-kind="${u.kind}"]`);
      await card.locator(`#upload-${u.kind}`).setInputFiles(u.file);
      if (u.tag) await card.locator('.upload-controls select').selectOption(u.tag);
      // Art.3: a document is uploaded only once the applicant confirms it carries the seal; photos ask nothing.
      const seal = card.locator('.seal-confirm input[type="checkbox"]');
      if (u.kind === 'venue-photo') expect(await seal.count()).toBe(0);
      else {
        expect(await card.getByRole('button', { name: '上传' }).isDisabled()).toBe(true);
        await seal.check();
      }
      await card.getByRole('button', { name: '上传' }).click();
      await until(() => card.locator('.progress-list li').last().getAttribute('class')).toBe('upload-done');
      expect(await card.locator('.progress-list progress').last().evaluate((el: unknown) => (el as { value: number }).value)).toBe(1);
      await stack.settle();
    }
    // One policies PDF covers management only: the checklist says what is still needed (Art.3(4)).
    await until(() => textOf(applicant.locator('[data-kind="policies"] .warn'))).toContain('安全制度');
    await applicant.locator('[data-kind="policies"] #upload-policies').setInputFiles(pdf('安全制度'));
    await applicant.locator('[data-kind="policies"] .upload-controls select').selectOption('safety');
    await applicant.locator('[data-kind="policies"] .seal-confirm input[type="checkbox"]').check();
    await applicant.locator('[data-kind="policies"]').getByRole('button', { name: '上传' }).click();
    await until(() => applicant.locator('[data-kind="policies"] .progress-list li').last().getAttribute('class')).toBe('upload-done');
    await stack.settle();
    await applicant.locator('[data-kind="policies"] #upload-policies').setInputFiles(pdf('保密制度'));
    await applicant.locator('[data-kind="policies"] .upload-controls select').selectOption('confidentiality');
    await applicant.locator('[data-kind="policies"] .seal-confirm input[type="checkbox"]').check();
    await applicant.locator('[data-kind="policies"]').getByRole('button', { name: '上传' }).click();
    await until(() => applicant.locator('[data-kind="policies"] .progress-list li').last().getAttribute('class')).toBe('upload-done');
    await stack.settle();

    await until(() => textOf(applicant.locator('.summary'))).toContain('材料齐全且均已通过校验');
    expect(await applicant.locator('tr[data-status="valid"]').count()).toBe(uploads.length + 2);
    await shot(applicant, '06-evidence-checklist', true);
  });

  it('submits, and screening moves the application on to material review (Art.4)', async () => {
    await applicant.getByRole('link', { name: '下一步：提交申请' }).click();
    await applicant.getByRole('checkbox').check();
    await applicant.getByRole('button', { name: '提交申请' }).click();
    await stack.settle();
    await until(() => textOf(applicant.locator('.result .badge'))).toBe('材料审核中');
    await shot(applicant, '07-status-under-review');
  });

  it('lets the reviewer decide from the e-mailed link after signing in, with a required reason', async () => {
    const review = await nextDecisionLink();
    const page = await openDecision(review);
    expect(await textOf(page.getByRole('heading', { level: 1 }))).toContain('材料审核');
    const [download] = await Promise.all([page.waitForEvent('download', WAIT), page.getByRole('button', { name: /下载 申请表\.pdf/ }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    expect(await page.getByRole('button', { name: '提交决定' }).isDisabled()).toBe(true);
    // The reviewer marks the form not stamped (Art.3), sees the reason, then takes the mark back.
    const marks = page.locator('fieldset.marks', { hasText: '申请表.pdf' });
    await marks.getByRole('checkbox', { name: '未加盖单位公章' }).check();
    await marks.getByRole('button', { name: /保存标注/ }).click();
    await until(() => textOf(page.locator('tr', { hasText: '申请表.pdf' }).first())).toContain('未加盖申请单位公章');
    await page.locator('fieldset.marks', { hasText: '申请表.pdf' }).getByRole('checkbox', { name: '未加盖单位公章' }).uncheck();
    await page.locator('fieldset.marks', { hasText: '申请表.pdf' }).getByRole('button', { name: /保存标注/ }).click();
    await until(() => page.locator('tr[data-status="invalid"]').count()).toBe(0);
    await shot(page, '08-decision-material-review', true);
    await decide(page, 'approve-for-visit', '材料齐全，与第九至十一条一致，安排实地考察。');
    expect(await textOf(page.locator('.status-decided'))).toContain('此事项已作出决定');
  });

  it('records the site visit with a photo uploaded by the visiting reviewer', async () => {
    const visit = await nextDecisionLink();
    const page = await openDecision(visit);
    expect(await textOf(page.getByRole('heading', { level: 1 }))).toContain('实地考察');
    await page.locator('#upload-site-visit-photo').setInputFiles({ name: 'visit.png', mimeType: 'image/png', buffer: makePng(1280, 960, 'browser-visit') });
    await page.getByRole('button', { name: '上传' }).click();
    await until(() => page.locator('.progress-list li').last().getAttribute('class')).toBe('upload-done');
    await stack.settle();
    await shot(page, '09-site-visit');
    await decide(page, 'approve', '考场、考生机与监控设备与申报一致，疏散通道经鉴定合格。');
    visitor = visit.sub;
  });

  it('sends the final decision to a reviewer other than the visitor, who approves', async () => {
    const final = await nextDecisionLink(visitor);
    expect(final.sub).not.toBe(visitor);
    const page = await openDecision(final);
    expect(await textOf(page.getByRole('heading', { level: 1 }))).toContain('最终决定');
    await page.getByRole('heading', { name: '实地考察报告' }).waitFor(WAIT);
    await decide(page, 'approve', '材料审核与实地考察均通过（第四条）。');
    // The same link again says plainly that it has been used.
    await page.goto(`${stack.baseUrl}/decisions/${final.decisionId}`);
    await signIn(page, final.sub);
    await until(() => textOf(page.locator('.status-decided'))).toContain('此事项已作出决定');
    expect(await page.getByRole('button', { name: '提交决定' }).count()).toBe(0);
    await shot(page, '10-decision-already-decided');
  });

  it('shows the applicant the result and the timeline, in Chinese and in English (Art.4)', async () => {
    await stack.settle();
    await applicant.getByRole('link', { name: '2 支撑材料' }).click();
    await applicant.getByRole('link', { name: '3 提交与进度' }).click();
    await until(() => textOf(applicant.locator('.result .badge'))).toBe('已批准');
    expect(await textOf(applicant.locator('.timeline'))).toContain('实地考察');
    await shot(applicant, '11-status-approved', true);
    await applicant.getByRole('button', { name: 'English' }).click();
    await until(() => applicant.locator('html').getAttribute('lang')).toBe('en');
    expect(await textOf(applicant.locator('.result .badge'))).toBe('Approved');
    await shot(applicant, '12-status-approved-en');
    await applicant.getByRole('button', { name: '中文' }).click();
  });

  it('shows the college its exam site with the certificate number, its accredited room with the candidates it seats at once (Art.9(2)) and the Art.23(1) date (Art.5)', async () => {
    await applicant.getByRole('link', { name: '我的站点' }).click();
    const row = applicant.locator('table tbody tr').first();
    await until(() => textOf(row.locator('code'))).toMatch(/^CBEC-\d{6}-\d{4}-[0-9A-Z]{6}$/);
    expect(await textOf(row.locator('.badge'))).toBe('已认证');
    expect(await textOf(row.locator('[data-room="A101"]'))).toBe('A101：90 个考位，隔位而坐，同时可考 45 人');
    await shot(applicant, '14-my-site', true);
  });

  it('shows the admin the dashboard with the new site', async () => {
    const page = await openPage();
    await page.goto(stack.baseUrl);
    await signIn(page, 'demo-admin');
    await page.getByRole('link', { name: '概览' }).first().click();
    await until(() => textOf(page.locator('.stat .big').first())).toBe('1');
    await shot(page, '13-admin-dashboard', true);
  });

  it("signs the applicant in again when the API refuses the expired token with the authorizer's 401, back on the same page", async () => {
    // Tokens live 1 h of virtual time; the portal still holds its token, the API (the authorizer) no longer accepts it.
    stack.clock.advance(2 * 3600_000);
    const refused: number[] = [];
    applicant.on('response', (r) => {
      if (r.url().includes('/v1/') && r.status() === 401) refused.push(r.status());
    });
    await applicant.getByRole('link', { name: '站点申请' }).click();
    await applicant.waitForURL(/\/_local\/oidc\/authorize/, WAIT);
    expect(refused.length).toBeGreaterThan(0);
    await applicant.locator('button[name="sub"][value="demo-applicant"]').click();
    await applicant.waitForURL((url) => url.pathname === '/applications', WAIT);
    await until(() => textOf(applicant.locator('table tbody'))).toContain(applicationId);
  });

  it('lets an admin invite a site manager, who follows the e-mailed link, signs up on the issuer page and accepts; the admin sees it accepted', async () => {
    const admin = await openPage();
    await admin.goto(stack.baseUrl);
    await signIn(admin, 'demo-admin');
    await admin.getByRole('link', { name: '邀请', exact: true }).first().click();
    await admin.getByRole('heading', { name: '已发出的邀请' }).waitFor(WAIT);
    await admin.getByLabel('统一社会信用代码').fill('12350200MB01397659');
    await admin.getByLabel('负责人姓名').fill('林海');
    await admin.getByLabel('电子邮箱').fill('lin.hai@xmhw.edu.cn');
    await admin.getByRole('button', { name: '发送邀请' }).click();
    // The register gives the institution's name; the new invitation heads the list, pending.
    await until(() => textOf(admin.locator('[data-sent]'))).toContain('厦门海湾职业技术学院');
    const row = admin.locator('table.invitations tbody tr').first();
    await until(() => row.getAttribute('data-state')).toBe('pending');
    expect(await textOf(row)).toContain('lin.hai@xmhw.edu.cn');
    expect(await textOf(row)).toContain('待接受');
    const code = api.latestInvitationCode('lin.hai@xmhw.edu.cn');
    expect(code).toBeDefined();
    const page = await openPage();
    await page.goto(`${stack.baseUrl}/invitations/accept#code=${code}`);
    await page.getByRole('heading', { name: '请先登录' }).waitFor(WAIT);
    await page.getByText('还没有账号').waitFor(WAIT);
    await page.getByRole('button', { name: '登录' }).first().click();
    await page.waitForURL(/\/_local\/oidc\/authorize/, WAIT);
    await page.getByLabel('姓名 / Name').fill('林海');
    await page.getByLabel('邮箱 / E-mail').fill('lin.hai@xmhw.edu.cn');
    await shot(page, '15-local-sign-up');
    await page.getByRole('button', { name: '注册并登录 / Sign up and sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/invitations/accept', WAIT);
    await page.getByRole('button', { name: '接受邀请' }).click();
    await until(() => textOf(page.getByRole('status'))).toContain('厦门海湾职业技术学院');
    await shot(page, '16-invitation-accepted');
    const user = stack.issuer.listUsers().find((u) => u.email === 'lin.hai@xmhw.edu.cn');
    expect(user?.groups).toEqual(['applicant']);
    const me = await api.expect<{ membership?: { creditCode: string } }>(200, user!.sub, 'GET', '/v1/me');
    expect(me.membership?.creditCode).toBe('12350200MB01397659');
    // Back on the list (the portal keeps its token in memory only, so the admin navigates rather than reloads).
    await admin.getByRole('link', { name: '人员', exact: true }).first().click();
    await admin.getByRole('link', { name: '邀请', exact: true }).first().click();
    await until(() => admin.locator('table.invitations tbody tr').first().getAttribute('data-state')).toBe('accepted');
    expect(await textOf(admin.locator('table.invitations tbody tr').first())).toContain('已接受');

    // An invitation left unaccepted for 14 days (virtual clock) shows expired; inviting again fills the form from it.
    await api.expect(201, 'demo-admin', 'POST', '/v1/admin/invitations', {
      creditCode: '91110000600037341L',
      email: 'boss@company.cn',
      name: '张经理',
      institutionName: '北京某商贸有限公司',
      provinceCode: '110000',
      cityCode: '110100',
    });
    await stack.advance('P15D');
    await admin.getByRole('link', { name: '人员', exact: true }).first().click();
    // The admin's token has expired meanwhile: the portal signs in again and comes back.
    await admin.waitForURL(/\/_local\/oidc\/authorize/, WAIT);
    await admin.locator('button[name="sub"][value="demo-admin"]').click();
    await admin.waitForURL((url) => url.pathname === '/admin/staff', WAIT);
    await admin.getByRole('link', { name: '邀请', exact: true }).first().click();
    const expired = admin.locator('table.invitations tbody tr', { hasText: 'boss@company.cn' });
    await until(() => expired.getAttribute('data-state')).toBe('expired');
    expect(await textOf(expired)).toContain('已过期');
    await expired.getByRole('button', { name: '重新邀请 张经理' }).click();
    expect(await admin.getByLabel('电子邮箱').inputValue()).toBe('boss@company.cn');
    expect(await admin.getByLabel('单位名称').inputValue()).toBe('北京某商贸有限公司');
    expect(await admin.getByLabel('地级市代码').inputValue()).toBe('110100');
    await admin.getByRole('button', { name: '发送邀请' }).click();
    await until(() => textOf(admin.locator('[data-sent]'))).toContain('北京某商贸有限公司');
    const newest = admin.locator('table.invitations tbody tr').first();
    await until(() => newest.getAttribute('data-state')).toBe('pending');
    expect(await textOf(newest)).toContain('boss@company.cn');
    expect(await admin.locator('table.invitations tbody tr[data-state="expired"]', { hasText: 'boss@company.cn' }).count()).toBe(1);
    await shot(admin, '17-admin-invitations');
  });
});
