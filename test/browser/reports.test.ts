import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Locator } from 'playwright-core';
import { SHOTS, launchChromium, newPage, screenshotFailures, signIn } from '../support/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reports } from '../../functions/use-cases/reports/reports.ts';
import { DemoScenario, demoInstitutions } from '../../local/demo-scenario.ts';
import { seedDemoData } from '../../local/seed.ts';
import { startLocalStack, type LocalStack } from '../../local/stack.ts';

/**
 * The reports page and the coverage map in a real browser (Debian's
 * Chromium, headless, playwright-core) against a private local stack with
 * one accredited site (Guangzhou; Xiamen's pilot college has none, so
 * Xiamen is the uncovered city, Art.8) and one campaign: each view is
 * opened and a figure checked against the API; the map drills down to a
 * province by keyboard; the coverage export downloads as a workbook with
 * Chinese headers; the public register shows the same map. Screenshots go
 * to test-results/screenshots/; `UPDATE_SCREENSHOTS=1` also refreshes the
 * README's in docs/screenshots/.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const README_SHOTS = join(ROOT, 'docs', 'screenshots');
const WAIT = { timeout: 30_000 };
const DAY = 86_400_000;

const until = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 30_000, interval: 200 });
const textOf = (l: Locator) => l.allInnerTexts().then((all) => all.join(' '));

describe('reports and the coverage map in a browser', () => {
  let stack: LocalStack;
  let browser: Browser;
  let demo: DemoScenario;
  const contexts: BrowserContext[] = [];
  const { pilot } = demoInstitutions();

  /** A screenshot of an element (the README's copies change only on request, so a test run leaves the work tree clean). */
  const shot = async (target: Locator, name: string) => {
    const file = join(SHOTS, `${name}.png`);
    await target.screenshot({ path: file });
    if (process.env.UPDATE_SCREENSHOTS) copyFileSync(file, join(README_SHOTS, `${name}.png`));
  };

  const reports = () => demo.api.expect<Reports>(200, 'demo-admin', 'GET', '/v1/admin/reports');

  beforeAll(async () => {
    execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'web', 'build.ts')], { cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' }, stdio: 'pipe' });
    const portBase = Number(process.env.TEST_PORT_BASE ?? 5200) + 1310 + Number(process.env.VITEST_POOL_ID ?? 0) * 20;
    stack = await startLocalStack({ portBase, dataDir: `.local/browser-reports-${portBase}` });
    await seedDemoData(stack);
    // One accreditation with days between the decisions (virtual clock), so the review times are not all zero.
    demo = new DemoScenario(stack);
    const id = await demo.apply(pilot);
    await demo.submit(pilot, id);
    await stack.advance('P3D');
    await demo.decide('approve-for-visit', 'Materials complete (Art.3).');
    await stack.advance('P12D');
    const visit = await demo.decide('approve', 'Venue as declared (Art.9-11).', { recommendation: 'approve', findings: [] });
    await stack.advance('P2D');
    await demo.decide('approve', 'Review and site visit passed (Art.4).', {}, visit.sub);
    const mine = await demo.api.expect<{ items: Array<{ siteId: string }> }>(200, pilot.user.sub, 'GET', '/v1/sites');
    const siteId = mine.items[0]!.siteId;
    // A campaign for the site, notified (Art.19–20).
    const deadline = new Date(stack.clock.now() + 10 * DAY).toISOString();
    await demo.api.expect(202, 'demo-admin', 'POST', '/v1/admin/campaigns', { title: '2026 年度检查评估', deadline, selection: { kind: 'sites', siteIds: [siteId] } });
    for (let i = 0; i < 10 && (await reports()).campaigns[0]?.notified !== 1; i++) await stack.advance('PT1M');
    browser = await launchChromium();
  }, 300_000);

  screenshotFailures('reports', contexts);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.stop();
  });

  it('shows an admin the Art.8 map coloured by coverage with the uncovered city beside it, figures as the API gives them', async () => {
    const api = await reports();
    expect(api.coverage).toMatchObject({ citiesWithPilotColleges: 2, coveredCities: 1 });
    const page = await newPage(browser, contexts, { viewportHeight: 900, acceptDownloads: true });
    await page.goto(`${stack.baseUrl}/`);
    await signIn(page, 'demo-admin');
    await page.getByRole('link', { name: '统计报表' }).click();
    await page.waitForURL(/\/admin\/reports$/, WAIT);
    const map = page.locator('[data-figure="admin-coverage"]');
    await map.locator('.chart[data-ready="true"]').waitFor(WAIT);
    // The China map is drawn (provinces as SVG paths), Guangdong green (covered), Fujian red (not covered).
    expect(await map.locator('.chart svg path').count()).toBeGreaterThan(30);
    const fills = await map.locator('.chart svg path').evaluateAll((paths) => paths.map((p) => p.getAttribute('fill')));
    expect(fills).toContain('#2da44e');
    expect(fills).toContain('#cf222e');
    expect(await textOf(page.locator('[data-stat="covered-cities"] .big'))).toBe(`${api.coverage.coveredCities} / ${api.coverage.citiesWithPilotColleges}`);
    const uncovered = page.locator('.uncovered [data-city="350200"]');
    await until(() => textOf(uncovered)).toContain('厦门市');
    expect(await textOf(uncovered)).toContain('厦门海湾职业技术学院');
    await shot(page.locator('section.card').filter({ has: map }), 'reports-01-coverage-map');
    // The figures are a snapshot at most a minute old; the button asks for them computed now.
    expect(await textOf(page.locator('.report-age'))).toContain('每分钟更新');
    const refreshed = page.waitForResponse((r) => r.url().includes('/v1/admin/reports?refresh=true') && r.status() === 200, WAIT);
    await page.getByRole('button', { name: '立即刷新' }).click();
    await refreshed;
    await page.getByRole('button', { name: '立即刷新' }).waitFor(WAIT);
    expect(await textOf(page.locator('[data-stat="covered-cities"] .big'))).toBe(`${api.coverage.coveredCities} / ${api.coverage.citiesWithPilotColleges}`);
  });

  it('drills down to a province by keyboard through the table alternative, and back', async () => {
    const page = contexts[0]!.pages()[0]!;
    const map = page.locator('[data-figure="admin-coverage"]');
    await map.locator('summary').focus();
    await page.keyboard.press('Enter');
    // Fujian's map is held back: until it has loaded, the map shows its placeholder and no chart claims to be drawn
    // (a chart drawn with a map not yet registered is empty).
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let requested!: () => void;
    const asked = new Promise<void>((resolve) => (requested = resolve));
    await page.route('**/maps/350000.json', async (route) => {
      requested();
      await held;
      await route.continue();
    });
    // Every change of the page is watched: a chart marked drawn in Fujian's scope before its map has arrived is recorded.
    await page.evaluate(`(() => {
      window.drawnTooEarly = false;
      window.mapArrived = false;
      const check = () => {
        const drawn = document.querySelector('[data-figure="admin-coverage"] .chart[data-ready="true"]');
        if (!window.mapArrived && drawn && document.querySelector('.coverage-map[data-scope="350000"]')) window.drawnTooEarly = true;
      };
      new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true });
    })()`);
    await map.locator('tr[data-province="350000"] button').focus();
    await page.keyboard.press('Enter');
    await page.locator('.coverage-map[data-scope="350000"]').waitFor(WAIT);
    await asked;
    await map.locator('.chart.placeholder').waitFor(WAIT);
    expect(await page.evaluate('window.drawnTooEarly')).toBe(false);
    await page.evaluate('window.mapArrived = true');
    release();
    await map.locator('.chart[data-ready="true"]').waitFor(WAIT);
    await page.unroute('**/maps/350000.json');
    // Fujian's cities, Xiamen red among them.
    expect(await map.locator('.chart svg path').count()).toBeGreaterThanOrEqual(9);
    await until(() => textOf(map.locator('tr[data-city="350200"]'))).toContain('厦门市');
    expect(await textOf(map.locator('tr[data-city="350200"]'))).toContain('未覆盖');
    expect(await textOf(page.locator('.uncovered h3'))).toContain('(1)');
    await shot(page.locator('section.card').filter({ has: map }), 'reports-05-drill-down-fujian');
    await page.getByRole('button', { name: '← 返回全国' }).click();
    await page.locator('.coverage-map[data-scope="china"]').waitFor(WAIT);
  });

  it('charts the pipeline and the review times with the deadline, each with its data table', async () => {
    const api = await reports();
    const page = contexts[0]!.pages()[0]!;
    const review = api.pipeline.latency.find((l) => l.stage === 'material-review')!;
    const visit = api.pipeline.latency.find((l) => l.stage === 'site-visit')!;
    expect(review).toMatchObject({ decided: 1, withinDeadline: 1, medianDays: 3 });
    expect(visit).toMatchObject({ decided: 1, medianDays: 12 });
    const figure = page.locator('[data-figure="latency-material-review"]');
    await figure.locator('.chart[data-ready="true"]').waitFor(WAIT);
    expect(await textOf(figure.locator('figcaption'))).toContain(`中位 ${review.medianDays} 天`);
    expect(await textOf(figure.locator('figcaption'))).toContain(`期限 ${review.deadlineDays} 天`);
    // The table alternative has the same buckets as the API.
    await figure.locator('summary').click();
    const cells = await figure.locator('tbody td').allInnerTexts();
    expect(cells.map(Number)).toEqual(review.buckets.map((b) => b.count));
    const byMonth = page.locator('[data-figure="by-month"]');
    await byMonth.locator('.chart[data-ready="true"]').waitFor(WAIT);
    const approved = api.pipeline.byMonth.reduce((n, m) => n + (m.counts.APPROVED ?? 0), 0);
    expect(approved).toBe(1);
    expect(await byMonth.locator('.chart').getAttribute('aria-label')).toMatch(/共 \d+ 件申请/);
    await shot(page.locator('section.card').filter({ has: page.locator('#pipeline-section') }), 'reports-02-pipeline-review-times');
  });

  it("shows site health and each campaign's progress as the API counts them", async () => {
    const api = await reports();
    const page = contexts[0]!.pages()[0]!;
    const guangdong = api.siteHealth.byProvince.find((p) => p.provinceCode === '440000');
    expect(guangdong?.counts).toEqual({ ACTIVE: 1 });
    const health = page.locator('[data-figure="sites-by-province"]');
    await health.locator('.chart[data-ready="true"]').waitFor(WAIT);
    await health.locator('summary').click();
    expect(await health.locator('tr[data-province="440000"] td').first().innerText()).toBe('1');
    const campaign = api.campaigns[0]!;
    expect(campaign).toMatchObject({ title: '2026 年度检查评估', siteCount: 1, notified: 1 });
    const figure = page.locator('[data-figure="campaigns"]');
    await figure.locator('.chart[data-ready="true"]').waitFor(WAIT);
    await figure.locator('summary').click();
    const row = await figure.locator(`tr[data-campaign="${campaign.campaignId}"] td`).allInnerTexts();
    expect(row.slice(0, 5).map(Number)).toEqual([campaign.siteCount, campaign.notified, campaign.submitted, campaign.overdue, campaign.decided]);
    await shot(page.locator('section.card').filter({ has: page.locator('#health-section') }), 'reports-03-site-health');
  });

  it('downloads the coverage report as an Excel workbook with Chinese headers and the uncovered city', async () => {
    const page = contexts[0]!.pages()[0]!;
    const [download] = await Promise.all([page.waitForEvent('download', WAIT), page.locator('[data-export="coverage.xlsx"]').click()]);
    expect(download.suggestedFilename()).toMatch(/^coverage-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, '省份', '地级市代码', '试点院校数', '有效考核站点数', '已覆盖', '未覆盖城市的试点院校']);
    const xiamen = sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(2).value === '350200');
    expect(xiamen?.getCell(1).value).toBe('福建省');
    expect(xiamen?.getCell(6).value).toBe('厦门海湾职业技术学院');
  });

  it('reads the page in English: headings, the map summary and the chart labels', async () => {
    const page = contexts[0]!.pages()[0]!;
    await page.getByRole('button', { name: 'English' }).click();
    await until(() => textOf(page.locator('h1'))).toBe('Reports');
    expect(await textOf(page.locator('[data-figure="admin-coverage"] figcaption'))).toContain('1 of 2 prefecture-level cities with pilot colleges have an exam site');
    expect(await textOf(page.locator('[data-figure="latency-site-visit"] figcaption'))).toContain('median 12 days');
    await page.getByRole('button', { name: '中文' }).click();
  });

  it('shows a visitor the same map on the public register, from the public coverage (active sites only)', async () => {
    const coverage = await demo.api.expect<{ citiesWithPilotColleges: number; coveredCities: number }>(200, undefined, 'GET', '/v1/register/coverage');
    const page = await newPage(browser, contexts, { viewportHeight: 900, acceptDownloads: true });
    await page.goto(`${stack.baseUrl}/register`);
    const map = page.locator('[data-figure="register-coverage"]');
    await map.locator('.chart[data-ready="true"]').waitFor(WAIT);
    expect(await map.locator('.chart svg path').count()).toBeGreaterThan(30);
    expect(await textOf(map.locator('figcaption'))).toContain(`有试点院校的地级市 ${coverage.citiesWithPilotColleges} 个，已设考核站点 ${coverage.coveredCities} 个`);
    // No college is named on the public page (counts only).
    expect(await textOf(page.locator('.uncovered'))).not.toContain('厦门海湾职业技术学院');
    expect(await textOf(page.locator('.uncovered [data-city="350200"]'))).toContain('厦门市');
    await shot(page.locator('section.card').filter({ has: map }), 'reports-04-public-register-map');
  });
});
