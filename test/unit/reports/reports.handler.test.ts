import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionItem } from '../../../functions/adapters/stores/decisions.ts';
import { addEvaluation, addSanctionMark, createCampaign } from '../../../functions/adapters/stores/evaluations.ts';
import { writePilotColleges } from '../../../functions/adapters/stores/register.ts';
import { appendSiteAudit, siteItem, type SiteRecord } from '../../../functions/adapters/stores/sites.ts';
import { putStaffUnlessMember } from '../../../functions/adapters/stores/staff.ts';
import { claimReportRefresh } from '../../../functions/adapters/stores/reports.ts';
import { getItem, putItem, putNew, shardedKey } from '../../../functions/adapters/stores/table.ts';
import { handler as exportReport } from '../../../functions/handlers/export-report.handler.ts';
import { handler as getReports } from '../../../functions/handlers/get-reports.handler.ts';
import { installTimeSource } from '../../../functions/shared/clock.ts';
import type { HttpEvent } from '../../../functions/shared/http.ts';
import type { Reports } from '../../../functions/use-cases/reports/reports.ts';
import { useTestTable } from '../../support/table.ts';
import { httpEvent, invoke, lambdaContext, setRegistryEnv } from '../registry/helpers/http.ts';

/**
 * The reports and exports handlers on DynamoDB Local: figures from seeded
 * records (sites, pilot colleges, applications with their decisions, an
 * overdue task, a campaign, sanction marks), admins only, exports in both
 * formats and languages, read back as a spreadsheet program would.
 */
setRegistryEnv();
const NOW = '2026-12-01T04:00:00.000Z';
installTimeSource({ now: () => Date.parse(NOW) });

const DAY = 86_400_000;
const ago = (d: number) => new Date(Date.parse(NOW) - d * DAY).toISOString();

const GZ = { creditCode: '12440100455861238H', name: '广州南方商贸职业技术学院', provinceCode: '440000', cityCode: '440100' };
const SZ = { creditCode: '12440300MB2C49681X', name: '深圳湾区职业技术学院', provinceCode: '440000', cityCode: '440300' };
const XM = { creditCode: '12350200MB01397659', name: '厦门海湾职业技术学院', provinceCode: '350000', cityCode: '350200' };

const site = (id: string, inst: typeof GZ, status: SiteRecord['status'], inactivitySince: string): SiteRecord => ({
  siteId: id,
  certificateNumber: `CBEC-${inst.provinceCode}-2025-${id}`,
  status,
  version: 1,
  institutionId: inst.creditCode,
  institutionName: inst.name,
  provinceCode: inst.provinceCode,
  cityCode: inst.cityCode,
  applicationId: `APP-${id}`,
  activatedAt: inactivitySince,
  accreditedRooms: [{ name: 'A101', seats: 40, seatingArrangement: 'every-seat', capacity: 40 }],
  lastExamAt: null,
  inactivitySince,
  // Art.23(1): 730 days after the last exam; its warnings 90 and 30 days before.
  nextMilestoneAt: new Date(Date.parse(inactivitySince) + 640 * DAY).toISOString(),
  nextMilestoneKind: 'warn-90',
  createdAt: inactivitySince,
  updatedAt: inactivitySince,
});

/** An application's status item as the status index lists it (the reports read only the index). */
const application = (id: string, status: string, since: string) => ({
  pk: `APP#${id}`,
  sk: 'APP',
  type: 'application',
  id,
  status,
  provinceCode: '440000',
  gsi2pk: shardedKey(`APPSTATUS#${status}`, id),
  gsi2sk: `${since}#${id}`,
});

const decision = (id: string, applicationId: string, kind: 'material-review' | 'site-visit' | 'final-decision', createdAt: string, daysTaken: number | undefined, assigneeSub = 'rev-1') => {
  const deadline = new Date(Date.parse(createdAt) + 10 * DAY).toISOString();
  return decisionItem({
    decisionId: id,
    kind,
    applicationId,
    institutionId: GZ.creditCode,
    institutionName: GZ.name,
    assigneeSub,
    status: daysTaken === undefined ? 'pending' : 'decided',
    createdAt,
    deadline,
    deadlineMs: Date.parse(deadline),
    stepKey: `exec#${id}`,
    ...(daysTaken === undefined ? {} : { decidedAt: new Date(Date.parse(createdAt) + daysTaken * DAY).toISOString(), outcome: 'approve', decidedBy: assigneeSub }),
  });
};

const admin = (extra: Partial<Parameters<typeof httpEvent>[0]> = {}) => httpEvent({ sub: 'admin-1', groups: ['admin'], ...extra });

/** An export request as API Gateway hands it over: the route key is the route's pattern. */
function exportEvent(pattern: string, query: Record<string, string> = {}, pathParameters: Record<string, string> = {}, groups = ['admin']): HttpEvent {
  const path = Object.entries(pathParameters).reduce((p, [k, v]) => p.replace(`{${k}}`, v), pattern);
  const event = httpEvent({ sub: 'admin-1', groups, path, query, pathParameters });
  return { ...event, routeKey: `GET ${pattern}` } as HttpEvent;
}

async function fileOf(event: HttpEvent): Promise<{ statusCode: number; headers: Record<string, string>; body: string; bytes: Buffer }> {
  const res = (await exportReport(event, lambdaContext)) as { statusCode: number; headers: Record<string, string>; body: string; isBase64Encoded?: boolean };
  return { ...res, bytes: res.isBase64Encoded ? Buffer.from(res.body, 'base64') : Buffer.from(res.body, 'utf8') };
}

useTestTable({ clear: 'once' });

beforeAll(async () => {
  // Sites: GZ active and near its two-year limit (inactive for 680 days), SZ suspended, XM active and fresh.
  await putNew(siteItem(site('GZ1', GZ, 'ACTIVE', ago(680))));
  await putNew(siteItem(site('SZ1', SZ, 'SUSPENDED', ago(100))));
  await putNew(siteItem(site('XM1', XM, 'ACTIVE', ago(20))));
  await appendSiteAudit('GZ1', { key: { at: ago(680), key: 'seed-activate' }, event: { actor: { kind: 'system', id: 'accreditation' }, action: 'site-activated', to: 'ACTIVE', article: 'Art.5' } });
  // Pilot colleges: Guangzhou and Xiamen have a site; Shenzhen's is suspended, so Shenzhen is uncovered (Art.8).
  const seed = (entry: typeof GZ) => ({ entry: { ...entry, active: true }, audit: { key: { at: ago(800), key: `seed-${entry.creditCode}` }, event: { actor: { kind: 'system' as const, id: 'seed' }, action: 'pilot-college-added' } } });
  const written = await writePilotColleges([seed(GZ), seed(SZ), seed(XM)]);
  expect(written.ok).toBe(true);
  // Applications and their review decisions.
  await putItem(application('A1', 'APPROVED', ago(5)));
  await putItem(application('A2', 'UNDER_REVIEW', ago(2)));
  await putItem(application('A3', 'DRAFT', ago(40)));
  await putItem(decision('D1', 'A1', 'material-review', ago(40), 3));
  await putItem(decision('D2', 'A1', 'site-visit', ago(35), 12));
  await putItem(decision('D3', 'A1', 'final-decision', ago(20), 2));
  await putItem(decision('D4', 'A2', 'material-review', ago(12), undefined));
  await putStaffUnlessMember({ sub: 'rev-1', name: '王审核', email: 'wang@org.example.cn', role: 'reviewer', active: true, updatedAt: ago(900), updatedBy: 'seed' });
  // A campaign with three sites: one submitted and assessed, one missed, one notified.
  await createCampaign(
    { campaignId: 'C1', title: '2026 年度评估', selection: { kind: 'sites', siteIds: ['GZ1', 'SZ1', 'XM1'] }, deadline: ago(-10), status: 'OPEN', siteCount: 3, notified: 3, submitted: 1, missed: 1, createdAt: ago(20), createdBy: 'admin-1' },
    { key: { at: ago(20), key: 'seed-campaign' }, event: { actor: { kind: 'user', id: 'admin-1', role: 'admin' }, action: 'campaign-opened' } },
  );
  const evaluation = (siteId: string, inst: typeof GZ, status: 'NOTIFIED' | 'SUBMITTED' | 'MISSED', extra: Record<string, unknown> = {}) =>
    addEvaluation({ campaignId: 'C1', siteId, institutionId: inst.creditCode, institutionName: inst.name, provinceCode: inst.provinceCode, cityCode: inst.cityCode, deadline: ago(-10), status, notifiedAt: ago(19), version: 1, createdAt: ago(20), ...extra });
  await evaluation('GZ1', GZ, 'SUBMITTED', { submittedAt: ago(3), outcome: 'pass' });
  await evaluation('SZ1', SZ, 'MISSED', { missedAt: ago(1) });
  await evaluation('XM1', XM, 'NOTIFIED');
  await addSanctionMark({ siteId: 'SZ1', kind: 'warning', at: ago(60), article: 'Art.21', reason: '未按时提交评估报告' });
  await addSanctionMark({ siteId: 'SZ1', kind: 'suspension', at: ago(30), article: 'Art.21', reason: '整改期间暂停' });
});

afterAll(() => {
  installTimeSource(undefined);
});

describe('get-reports handler', () => {
  it('refuses a reviewer (admins only)', async () => {
    const res = await invoke(getReports, httpEvent({ sub: 'rev-1', groups: ['reviewer'], path: '/v1/admin/reports' }));
    expect(res.statusCode).toBe(403);
  });

  it('maps Art.8 coverage by city and names the pilot colleges of the uncovered one', async () => {
    const { statusCode, body } = await invoke<Reports>(getReports, admin({ path: '/v1/admin/reports' }));
    expect(statusCode).toBe(200);
    expect(body.coverage).toMatchObject({ article: 'Art.8', citiesWithPilotColleges: 3, coveredCities: 2 });
    expect(body.coverage.cities.find((c) => c.cityCode === '440300')).toEqual({ provinceCode: '440000', cityCode: '440300', pilotColleges: 1, activeSites: 0, covered: false });
    expect(body.coverage.uncoveredCities).toEqual([{ provinceCode: '440000', cityCode: '440300', pilotColleges: [{ creditCode: SZ.creditCode, name: SZ.name }] }]);
  });

  it('reports applications by month and status, review times per stage against the deadline, overdue tasks by reviewer', async () => {
    const { body } = await invoke<Reports>(getReports, admin({ path: '/v1/admin/reports' }));
    const november = body.pipeline.byMonth.find((m) => m.month === '2026-11');
    expect(body.pipeline.byMonth).toHaveLength(12);
    expect(body.pipeline.byMonth.at(-1)?.month).toBe('2026-12');
    expect(november?.counts).toEqual({ APPROVED: 1, UNDER_REVIEW: 1 });
    expect(body.pipeline.byMonth.find((m) => m.month === '2026-10')?.counts).toEqual({ DRAFT: 1 });
    const stage = (s: string) => body.pipeline.latency.find((l) => l.stage === s);
    expect(stage('material-review')).toMatchObject({ deadlineDays: 10, decided: 1, withinDeadline: 1, medianDays: 3 });
    expect(stage('site-visit')).toMatchObject({ deadlineDays: 30, decided: 1, withinDeadline: 1, medianDays: 12 });
    expect(stage('final-decision')).toMatchObject({ deadlineDays: 10, decided: 1, medianDays: 2 });
    expect(body.pipeline).toMatchObject({ overdueTotal: 1, overdueByReviewer: [{ reviewer: '王审核', count: 1 }], applicationsRead: 2 });
  });

  it('reports sites by province and status, the site near its two-year limit (Art.23(1)) and sanction marks by month', async () => {
    const { body } = await invoke<Reports>(getReports, admin({ path: '/v1/admin/reports' }));
    expect(body.siteHealth.byProvince).toEqual([
      { provinceCode: '350000', counts: { ACTIVE: 1 } },
      { provinceCode: '440000', counts: { ACTIVE: 1, SUSPENDED: 1 } },
    ]);
    expect(body.siteHealth.approaching).toEqual([
      expect.objectContaining({ siteId: 'GZ1', certificateNumber: 'CBEC-440000-2025-GZ1', daysLeft: 50, limitAt: new Date(Date.parse(ago(680)) + 730 * DAY).toISOString() }),
    ]);
    const months = Object.fromEntries(body.siteHealth.marksByMonth.map((m) => [m.month, m]));
    expect(months['2026-10']).toMatchObject({ warning: 1, suspension: 0 });
    expect(months['2026-11']).toMatchObject({ warning: 0, suspension: 1 });
  });

  it("reports each campaign's progress from its evaluations (Art.19–20)", async () => {
    const { body } = await invoke<Reports>(getReports, admin({ path: '/v1/admin/reports' }));
    expect(body.campaigns).toEqual([
      { campaignId: 'C1', title: '2026 年度评估', status: 'OPEN', deadline: ago(-10), siteCount: 3, notified: 3, submitted: 1, overdue: 1, decided: 1, outcomes: { pass: 1 } },
    ]);
  });
});

describe('export-report handler', () => {
  it('exports the register as CSV with a byte-order mark and Chinese headers, ACTIVE sites only', async () => {
    const res = await fileOf(exportEvent('/v1/admin/exports/register'));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="register-2026-12-01.csv"');
    expect([...res.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = res.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('证书编号,院校名称,省份,地级市代码,批准时间,考场数,机位数,同时可考人数');
    expect(lines.slice(1).map((l) => l.split(',')[0]).sort()).toEqual(['CBEC-350000-2025-XM1', 'CBEC-440000-2025-GZ1']);
  });

  it('exports the coverage report as an Excel workbook that reads back with its Chinese header and the uncovered city', async () => {
    const res = await fileOf(exportEvent('/v1/admin/exports/coverage', { format: 'xlsx' }));
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.bytes as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('省份');
    expect(sheet.getRow(1).getCell(6).value).toBe('未覆盖城市的试点院校');
    const shenzhen = sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(2).value === '440300');
    expect(shenzhen?.getCell(5).value).toBe('否');
    expect(shenzhen?.getCell(6).value).toBe(SZ.name);
  });

  it("exports a campaign's results with English headers on request", async () => {
    const res = await fileOf(exportEvent('/v1/admin/exports/campaigns/{campaignId}', { lang: 'en' }, { campaignId: 'C1' }));
    const lines = res.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('Institution,Province,City code (GB/T 2260),Status,Deadline,Notified at,Submitted at,Missed at,Outcome');
    expect(lines).toHaveLength(4);
    expect(lines.find((l) => l.startsWith(SZ.name))).toContain('Missed the deadline');
  });

  it("exports a site's audit trail", async () => {
    const res = await fileOf(exportEvent('/v1/admin/exports/sites/{siteId}/audit', {}, { siteId: 'GZ1' }));
    expect(res.body).toContain('site-activated,系统,,ACTIVE,Art.5');
  });

  it('answers 404 for an unknown campaign and an unknown application, 400 for an unknown format, 403 for a reviewer', async () => {
    expect((await fileOf(exportEvent('/v1/admin/exports/campaigns/{campaignId}', {}, { campaignId: 'nope' }))).statusCode).toBe(404);
    expect((await fileOf(exportEvent('/v1/admin/exports/applications/{applicationId}/audit', {}, { applicationId: 'nope' }))).statusCode).toBe(404);
    const bad = await fileOf(exportEvent('/v1/admin/exports/register', { format: 'pdf' }));
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await fileOf(exportEvent('/v1/admin/exports/register', {}, {}, ['reviewer']))).statusCode).toBe(403);
  });
});

describe('the reports snapshot (at most a minute old)', () => {
  let offset = 0;
  const path = '/v1/admin/reports';
  const reportsAt = async (query: Record<string, string> = {}) => (await invoke<Reports>(getReports, admin({ path, query }))).body;
  const time = (ms: number) => new Date(Date.parse(NOW) + ms).toISOString();

  beforeAll(() => {
    // Past every snapshot the tests above left, on a clock this block moves.
    offset = 10 * 60_000;
    installTimeSource({ now: () => Date.parse(NOW) + offset });
  });
  afterAll(() => {
    installTimeSource({ now: () => Date.parse(NOW) });
  });

  it('serves the snapshot for a minute, computes now with refresh=true, and recomputes once the snapshot is older', async () => {
    const first = await reportsAt();
    expect(first.generatedAt).toBe(time(offset));
    expect(first.coverage.coveredCities).toBe(2);
    // Shenzhen gets an ACTIVE site: Art.8 coverage goes to 3 of 3, but not before the snapshot is refreshed.
    await putNew(siteItem(site('SZ2', SZ, 'ACTIVE', ago(1))));
    offset += 30_000;
    const cached = await reportsAt();
    expect(cached.generatedAt).toBe(first.generatedAt);
    expect(cached.coverage.coveredCities).toBe(2);
    const refreshed = await reportsAt({ refresh: 'true' });
    expect(refreshed.generatedAt).toBe(time(offset));
    expect(refreshed.coverage.coveredCities).toBe(3);
    // The refreshed one is now the snapshot; a minute later it is recomputed.
    offset += 59_000;
    expect((await reportsAt()).generatedAt).toBe(refreshed.generatedAt);
    offset += 1_000;
    expect((await reportsAt()).generatedAt).toBe(time(offset));
  });

  it('answers from the stale snapshot while another caller holds the refresh lease, and recomputes when the lease has lapsed', async () => {
    const before = await reportsAt({ refresh: 'true' });
    offset += 61_000;
    // Another instance is recomputing (its lease: 30 s).
    expect(await claimReportRefresh(time(offset), time(offset + 30_000))).toBe(true);
    expect((await reportsAt()).generatedAt).toBe(before.generatedAt);
    offset += 31_000;
    expect((await reportsAt()).generatedAt).toBe(time(offset));
  });

  it('never serves a snapshot of an older shape, and refuses an unknown refresh value with 400', async () => {
    const current = await reportsAt({ refresh: 'true' });
    const stored = await getItem({ pk: 'REPORTS#admin', sk: 'SNAPSHOT' });
    await putItem({ ...stored, shape: 0 });
    offset += 1_000;
    expect((await reportsAt()).generatedAt).not.toBe(current.generatedAt);
    const bad = await invoke(getReports, admin({ path, query: { refresh: 'yes' } }));
    expect(bad.statusCode).toBe(400);
  });
});
