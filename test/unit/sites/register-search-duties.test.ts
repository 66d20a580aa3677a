import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putItem, putNew, transition, writeTally } from '../../../functions/adapters/stores/table.ts';
import { SITE_LIFECYCLE } from '../../../functions/domain/site-lifecycle.ts';
import { siteItem, siteAuditOp, siteStatusIndex, type SiteRecord } from '../../../functions/adapters/stores/sites.ts';
import { writePilotColleges } from '../../../functions/adapters/stores/register.ts';
import { runTransaction } from '../../../functions/adapters/stores/table.ts';
import { installTimeSource } from '../../../functions/shared/clock.ts';
import type { Caller } from '../../../functions/shared/identity.ts';
import { listSites } from '../../../functions/use-cases/sites/read-sites.ts';
import { listRegister, publicCoverage } from '../../../functions/use-cases/sites/public-register.ts';
import { getSiteTimeline } from '../../../functions/use-cases/sites/site-timeline.ts';
import { listTrainings, listWorkSummaries, recordTraining, submitWorkSummary } from '../../../functions/use-cases/sites/duties.ts';
import { useTestTable } from '../../support/table.ts';
import { setRegistryEnv } from '../registry/helpers/http.ts';

/**
 * The public register, the staff search, the site timeline and the duties on
 * record (Art.8, Art.15–16, Art.23(1)) against DynamoDB Local: the stores'
 * real conditions, keys and indexes, no fakes.
 */
setRegistryEnv();

const NOW = Date.parse('2026-12-01T04:00:00.000Z');
installTimeSource({ now: () => NOW });

const GZ = { creditCode: '12440100455861238H', name: '广州南方商贸职业技术学院', provinceCode: '440000', cityCode: '440100' };
const SZ = { creditCode: '12440300MB2C12345X', name: '深圳湾区职业技术学院', provinceCode: '440000', cityCode: '440300' };
const XM = { creditCode: '12350200MB01397659', name: '厦门海湾职业技术学院', provinceCode: '350000', cityCode: '350200' };
const FZ = { creditCode: '12350100MB0F00001A', name: '福州闽江商贸学院', provinceCode: '350000', cityCode: '350100' };

function site(id: string, inst: typeof GZ, status: SiteRecord['status'], overrides: Partial<SiteRecord> = {}): SiteRecord {
  return {
    siteId: id,
    certificateNumber: `CBEC-${inst.provinceCode}-2026-${id}`,
    status,
    version: 1,
    institutionId: inst.creditCode,
    institutionName: inst.name,
    provinceCode: inst.provinceCode,
    cityCode: inst.cityCode,
    applicationId: `APP-${id}`,
    activatedAt: '2026-01-10T00:00:00.000Z',
    accreditedRooms: [
      { name: 'A101', seats: 40, seatingArrangement: 'every-seat', capacity: 40 },
      { name: 'A102', seats: 90, seatingArrangement: 'alternate-seat', capacity: 45 },
    ],
    lastExamAt: null,
    inactivitySince: '2026-01-10T00:00:00.000Z',
    nextMilestoneAt: '2027-10-12T00:00:00.000Z',
    createdAt: '2026-01-10T00:00:00.000Z',
    updatedAt: '2026-01-10T00:00:00.000Z',
    ...overrides,
  };
}

let requests = 0;
const caller = (sub: string, groups: Caller['groups'], name?: string): Caller => ({ sub, groups, requestId: `req-${sub}-${++requests}`, ...(name ? { name } : {}) });
const admin = () => caller('admin-1', ['admin'], '王管理');
const reviewer = () => caller('reviewer-1', ['reviewer'], '李审核');
const gzManager = () => caller('gz-manager', ['applicant'], '陈站长');
const xmManager = () => caller('xm-manager', ['applicant'], '林站长');

// DynamoDB Local, seeded once below for every test of the file.
useTestTable({ clear: 'once' });

async function membership(sub: string, inst: typeof GZ) {
  await putItem({ pk: `USER#${sub}`, sk: 'MEMBERSHIP', type: 'membership', sub, creditCode: inst.creditCode, institutionName: inst.name, provinceCode: inst.provinceCode, cityCode: inst.cityCode, role: 'site-manager', email: `${sub}@example.cn`, name: sub, invitationId: `inv-${sub}`, createdAt: '2026-01-01T00:00:00.000Z' });
}

beforeAll(async () => {
  await putNew(siteItem(site('GZ1', GZ, 'ACTIVE', { nextMilestoneAt: '2026-12-20T00:00:00.000Z' })));
  await putNew(siteItem(site('SZ1', SZ, 'SUSPENDED')));
  await putNew(siteItem(site('XM1', XM, 'ACTIVE')));
  await putNew(siteItem(site('FZ1', FZ, 'REVOKED')));
  for (let i = 0; i < 7; i++) await putNew(siteItem(site(`GZX${i}`, { ...GZ, creditCode: `1244010045586${1000 + i}`, name: `广州第${i}商贸学院` }, 'ACTIVE')));
  await membership('gz-manager', GZ);
  await membership('xm-manager', XM);
  await putItem({ pk: 'STAFF#admin-1', sk: 'STAFF', type: 'staff', sub: 'admin-1', name: '王管理', email: 'admin@example.cn', role: 'admin', active: true, updatedAt: '2026-01-01T00:00:00.000Z', updatedBy: 'seed' });
  const audit = (n: number) => ({ key: { at: `2026-01-0${n}T00:00:00.000Z`, key: `seed-${n}` }, event: { actor: { kind: 'system' as const, id: 'seed' }, action: 'seed' } });
  await writePilotColleges([
    { entry: { ...GZ, active: true }, audit: audit(1) },
    { entry: { ...SZ, active: true }, audit: audit(2) },
    { entry: { ...XM, active: true }, audit: audit(3) },
    { entry: { ...FZ, active: true }, audit: audit(4) },
  ]);
  // The site's activation and a suspension, as the lifecycle writes them (audit items under the site).
  await runTransaction([
    siteAuditOp('GZ1', { key: { at: '2026-01-10T00:00:00.000Z', key: 'exec-1#ActivateSite' }, event: { actor: { kind: 'system', id: 'accreditation' }, action: 'activate', to: 'ACTIVE', article: 'Art.4' } }),
    siteAuditOp('GZ1', { key: { at: '2026-03-01T00:00:00.000Z', key: 'req-x' }, event: { actor: { kind: 'user', id: 'admin-1', role: 'admin' }, action: 'suspend', from: 'ACTIVE', to: 'SUSPENDED', article: 'Art.21', reason: '评估不合格' } }),
  ]);
});

afterAll(() => {
  installTimeSource(undefined);
});

describe('public register', () => {
  describe('listRegister', () => {
    it('lists only ACTIVE sites, ordered by province and city, with the seats and capacity of their accredited rooms', async () => {
      const page = await listRegister({ limit: 50 });

      const ids = page.items.map((s) => s.siteId);
      expect(ids).toContain('GZ1');
      expect(ids).toContain('XM1');
      expect(ids).not.toContain('SZ1');
      expect(ids).not.toContain('FZ1');
      expect(ids.indexOf('XM1')).toBeLessThan(ids.indexOf('GZ1'));
      expect(page.items.find((s) => s.siteId === 'GZ1')).toEqual({
        siteId: 'GZ1',
        certificateNumber: 'CBEC-440000-2026-GZ1',
        institutionName: GZ.name,
        provinceCode: '440000',
        cityCode: '440100',
        activatedAt: '2026-01-10T00:00:00.000Z',
        accreditedRooms: 2,
        accreditedSeats: 130,
        accreditedCapacity: 85,
      });
    });

    it('narrows to a province and to a city by the index key, and pages with a cursor', async () => {
      const fujian = await listRegister({ provinceCode: '350000' });
      expect(fujian.items.map((s) => s.siteId)).toEqual(['XM1']);

      const first = await listRegister({ provinceCode: '440000', cityCode: '440100', limit: 5 });
      expect(first.items).toHaveLength(5);
      expect(first.cursor).toBeDefined();
      const second = await listRegister({ provinceCode: '440000', cityCode: '440100', limit: 5, cursor: first.cursor });
      const all = [...first.items, ...second.items].map((s) => s.siteId);
      expect(new Set(all).size).toBe(8);
      expect(second.cursor).toBeUndefined();
    });

    it('refuses a city outside the province (VALIDATION_FAILED, both languages)', async () => {
      await expect(listRegister({ provinceCode: '350000', cityCode: '440100' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', zh: '所选城市不属于所选省份。', en: 'The city does not lie in the province.' });
    });
  });

  describe('publicCoverage', () => {
    it('lists every city with pilot colleges with its ACTIVE sites, counts only (Art.8)', async () => {
      const coverage = await publicCoverage();

      expect(coverage).toMatchObject({ article: 'Art.8', citiesWithPilotColleges: 4, coveredCities: 2 });
      expect(coverage.cities).toEqual([
        { provinceCode: '350000', cityCode: '350100', pilotColleges: 1, activeSites: 0, covered: false },
        { provinceCode: '350000', cityCode: '350200', pilotColleges: 1, activeSites: 1, covered: true },
        { provinceCode: '440000', cityCode: '440100', pilotColleges: 1, activeSites: 8, covered: true },
        { provinceCode: '440000', cityCode: '440300', pilotColleges: 1, activeSites: 0, covered: false },
      ]);
      expect(JSON.stringify(coverage)).not.toContain(GZ.creditCode);
    });
  });
});

describe('staff site search', () => {
  describe('listSites', () => {
    it('finds every status of a province for staff, and one status when asked', async () => {
      const guangdong = await listSites(reviewer(), { provinceCode: '440000', limit: 50 });
      expect(guangdong.items.map((s) => s.siteId)).toEqual(expect.arrayContaining(['GZ1', 'SZ1']));
      expect(guangdong.items.every((s) => s.provinceCode === '440000')).toBe(true);

      const suspended = await listSites(admin(), { provinceCode: '440000', status: 'SUSPENDED' });
      expect(suspended.items.map((s) => s.siteId)).toEqual(['SZ1']);

      const revoked = await listSites(admin(), { status: 'REVOKED' });
      expect(revoked.items.map((s) => s.siteId)).toEqual(['FZ1']);
    });

    it('matches part of the institution name', async () => {
      const page = await listSites(admin(), { name: '海湾' });
      expect(page.items.map((s) => s.siteId)).toEqual(['XM1']);
    });

    it('finds sites whose next inactivity milestone falls before a time (Art.23(1))', async () => {
      const page = await listSites(admin(), { milestoneBefore: '2027-01-01T00:00:00+08:00', status: 'ACTIVE' });
      expect(page.items.map((s) => s.siteId)).toEqual(['GZ1']);
    });

    it("gives a college only its own sites, whatever it asks for", async () => {
      const page = await listSites(xmManager(), { provinceCode: '440000' });
      expect(page.items).toEqual([]);
      const own = await listSites(xmManager(), {});
      expect(own.items.map((s) => s.siteId)).toEqual(['XM1']);
    });

    it('finds a site under its new status, still by region, once a status change has moved it with siteStatusIndex (Art.21 suspension)', async () => {
      await putNew(siteItem(site('XM2', { ...XM, creditCode: '12350200MB0139765X', name: '厦门第二商贸学院' }, 'ACTIVE')));
      const suspend = SITE_LIFECYCLE.transitions.filter((t) => t.from === 'ACTIVE' && t.to === 'SUSPENDED');
      await transition({
        key: { pk: 'SITE#XM2', sk: 'SITE' },
        rows: suspend,
        set: { gsi2pk: siteStatusIndex({ siteId: 'XM2', provinceCode: XM.provinceCode, cityCode: XM.cityCode }, 'SUSPENDED').gsi2pk },
        audit: { key: { at: '2026-11-01T00:00:00.000Z', key: 'req-suspend-xm2' }, event: { actor: { kind: 'user', id: 'admin-1', role: 'admin' }, reason: '评估不合格' } },
      });

      const suspended = await listSites(admin(), { provinceCode: '350000', cityCode: '350200', status: 'SUSPENDED' });
      expect(suspended.items.map((s) => s.siteId)).toEqual(['XM2']);
      const register = await listRegister({ provinceCode: '350000' });
      expect(register.items.map((s) => s.siteId)).toEqual(['XM1']);
    });

    it('refuses an applicant without a membership (NO_MEMBERSHIP)', async () => {
      await expect(listSites(caller('stranger', ['applicant']), {})).rejects.toMatchObject({ code: 'NO_MEMBERSHIP' });
    });
  });
});

describe('duties on record', () => {
  describe('recordTraining', () => {
    it("records the site's own and the organisation's training, read back by a reviewer newest first (Art.15)", async () => {
      const own = await recordTraining(gzManager(), 'GZ1', { traineeName: '张监考', traineeRole: 'invigilator', title: '监考业务与职业素养', trainedOn: '2026-11-20', organiser: 'site', hours: 4 });
      installTimeSource({ now: () => NOW + 60_000 });
      const org = await recordTraining(gzManager(), 'GZ1', { traineeName: '刘技术', title: '考务组织培训', trainedOn: '2026-11-28', organiser: 'organisation' });
      installTimeSource({ now: () => NOW });

      const list = await listTrainings(reviewer(), 'GZ1', {});
      expect(list.items.map((r) => r.trainingId)).toEqual([org.trainingId, own.trainingId]);
      expect(list.items[1]).toMatchObject({ traineeName: '张监考', traineeRole: 'invigilator', organiser: 'site', hours: 4, trainedOn: '2026-11-20' });
      expect((await listTrainings(gzManager(), 'GZ1', {})).items).toHaveLength(2);
    });

    it('writes a record and its audit item in one transaction: two items, one request', async () => {
      const before = writeTally();
      await recordTraining(gzManager(), 'GZ1', { traineeName: '王后勤', traineeRole: 'logistics', title: '考务后勤保障', trainedOn: '2026-11-30', organiser: 'site' });
      const after = writeTally();
      expect(after.items - before.items).toBe(2);
      expect(after.requests - before.requests).toBe(1);
    });

    it('refuses a training dated after today in China (TRAINING_DATE_IN_FUTURE, Art.15)', async () => {
      await expect(recordTraining(gzManager(), 'GZ1', { traineeName: '张三', title: '培训', trainedOn: '2026-12-02', organiser: 'site' })).rejects.toMatchObject({
        code: 'TRAINING_DATE_IN_FUTURE',
        article: 'Art.15',
      });
    });

    it('keeps another institution out: 404 for its member, as if the site did not exist', async () => {
      await expect(recordTraining(xmManager(), 'GZ1', { traineeName: '林一', title: '培训', trainedOn: '2026-11-01', organiser: 'site' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(listTrainings(xmManager(), 'GZ1', {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(listWorkSummaries(xmManager(), 'GZ1', {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it("lets staff read but never write a site's duties (FORBIDDEN)", async () => {
      await expect(recordTraining(admin(), 'GZ1', { traineeName: '王一', title: '培训', trainedOn: '2026-11-01', organiser: 'site' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    });

    it('refuses a REVOKED site (SITE_REVOKED, Art.23)', async () => {
      await membership('fz-manager', FZ);
      await expect(recordTraining(caller('fz-manager', ['applicant']), 'FZ1', { traineeName: '陈一', title: '培训', trainedOn: '2026-11-01', organiser: 'site' })).rejects.toMatchObject({
        code: 'SITE_REVOKED',
        article: 'Art.23',
      });
    });
  });

  describe('submitWorkSummary', () => {
    it('stores a summary for an ended period, read by an admin (Art.16)', async () => {
      const summary = await submitWorkSummary(gzManager(), 'GZ1', { periodStart: '2026-07-01', periodEnd: '2026-11-30', text: '本期组织考试两场，无违纪。' });

      const list = await listWorkSummaries(admin(), 'GZ1', {});
      expect(list.items).toEqual([{ summaryId: summary.summaryId, siteId: 'GZ1', periodStart: '2026-07-01', periodEnd: '2026-11-30', text: '本期组织考试两场，无违纪。', recordedAt: new Date(NOW).toISOString() }]);
    });

    it('refuses a period that ends before it starts, or has not ended (Art.16)', async () => {
      await expect(submitWorkSummary(gzManager(), 'GZ1', { periodStart: '2026-07-01', periodEnd: '2026-06-30', text: '内容内容内容内容内容' })).rejects.toMatchObject({ code: 'PERIOD_ENDS_BEFORE_START' });
      await expect(submitWorkSummary(gzManager(), 'GZ1', { periodStart: '2026-07-01', periodEnd: '2026-12-31', text: '内容内容内容内容内容' })).rejects.toMatchObject({ code: 'PERIOD_NOT_ENDED', article: 'Art.16' });
    });
  });
});

describe('site timeline', () => {
  describe('getSiteTimeline', () => {
    it('shows every change with its article, staff by role and name, the site by role only, nothing else of a person', async () => {
      const timeline = await getSiteTimeline(gzManager(), 'GZ1', {});

      expect(timeline.items[0]).toMatchObject({ action: 'activate', to: 'ACTIVE', article: 'Art.4', actor: { kind: 'system' } });
      expect(timeline.items[1]).toEqual({
        at: '2026-03-01T00:00:00.000Z',
        action: 'suspend',
        from: 'ACTIVE',
        to: 'SUSPENDED',
        article: 'Art.21',
        reason: '评估不合格',
        actor: { kind: 'user', role: 'admin', displayName: { zh: '王管理', en: '王管理' } },
      });
      const recorded = timeline.items.filter((e) => e.action === 'training-recorded');
      expect(recorded.length).toBeGreaterThanOrEqual(2);
      expect(recorded[0]).toMatchObject({ article: 'Art.15', actor: { kind: 'user', role: 'applicant', displayName: { zh: '考核站点人员', en: 'Site staff' } } });
      const text = JSON.stringify(timeline);
      for (const personal of ['陈站长', 'gz-manager', 'admin-1', '@example.cn', '张监考']) expect(text).not.toContain(personal);
    });

    it('pages oldest first with a cursor', async () => {
      const first = await getSiteTimeline(reviewer(), 'GZ1', { limit: 1 });
      expect(first.items).toHaveLength(1);
      const second = await getSiteTimeline(reviewer(), 'GZ1', { limit: 1, cursor: first.cursor });
      expect(second.items[0]!.at > first.items[0]!.at).toBe(true);
    });

    it("is 404 for another institution's member", async () => {
      await expect(getSiteTimeline(xmManager(), 'GZ1', {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });
});
