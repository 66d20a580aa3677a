import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { shardedKey, type Item } from '../../../functions/adapters/stores/table.ts';
import { keys, storedEvidence } from '../../../test/support/table-keys.ts';
import { CURRENT_STANDARD_VERSION } from '../../../functions/domain/screening/index.ts';
import { installTimeSource } from '../../../functions/shared/clock.ts';
import { handler as createApplication } from '../../../functions/handlers/create-application.handler.ts';
import { handler as getApplication } from '../../../functions/handlers/get-application.handler.ts';
import { handler as getApplicationAudit } from '../../../functions/handlers/get-application-audit.handler.ts';
import { handler as getDashboard } from '../../../functions/handlers/get-dashboard.handler.ts';
import { handler as listApplications } from '../../../functions/handlers/list-applications.handler.ts';
import { handler as saveForm } from '../../../functions/handlers/save-application-form.handler.ts';
import { APPLICANT_CREDIT_CODE, makeValidForm, validEvidence } from '../domain/fixtures/valid-form.ts';
import { httpEvent, invoke, setRegistryEnv } from '../registry/helpers/http.ts';
import { useTestTable } from '../../support/table.ts';
import { formOf } from '../../../functions/adapters/stores/applications.ts';

setRegistryEnv();
const table = useTestTable();

const T0 = Date.parse('2025-03-03T08:00:00.000Z');
let clockMs = T0;

const A = { creditCode: APPLICANT_CREDIT_CODE, name: '广州南方商贸职业技术学院', provinceCode: '440000', cityCode: '440100' };
const B = { creditCode: '12350200MB01397659', name: '厦门海湾职业技术学院', provinceCode: '350000', cityCode: '350200' };
const NON_PILOT = { creditCode: '91110000600037341L', name: '北京某商贸有限公司', provinceCode: '110000', cityCode: '110100' };


async function member(sub: string, inst: typeof A): Promise<void> {
  await table.put({ ...keys.membership(sub), sub, creditCode: inst.creditCode, institutionName: inst.name, provinceCode: inst.provinceCode, cityCode: inst.cityCode, role: 'site-manager', email: `${sub}@example.cn`, name: sub, invitationId: `inv-${sub}`, createdAt: '2025-01-01T00:00:00.000Z' });
}

async function pilot(inst: typeof A, active = true): Promise<void> {
  await table.put({ ...keys.pilot(inst.creditCode), ...inst, active, gsi3pk: 'PILOTS', gsi3sk: `${inst.provinceCode}#${inst.cityCode}#${inst.creditCode}` });
}

const applicant = (sub: string, extra: Partial<Parameters<typeof httpEvent>[0]> = {}) => httpEvent({ sub, groups: ['applicant'], name: `${sub}-name`, ...extra });
const reviewer = (extra: Partial<Parameters<typeof httpEvent>[0]> = {}) => httpEvent({ sub: 'reviewer-1', groups: ['reviewer'], ...extra });
const admin = (extra: Partial<Parameters<typeof httpEvent>[0]> = {}) => httpEvent({ sub: 'admin-1', groups: ['admin'], ...extra });

interface AppView {
  id: string;
  status: string;
  version: number;
  standardVersion: string;
  creditCode: string;
  form: Record<string, unknown>;
}

async function create(sub: string, headers: Record<string, string> = {}) {
  return invoke<AppView & { code?: string; details?: { applicationId: string } }>(createApplication, applicant(sub, { method: 'POST', path: '/v1/applications', headers }));
}

async function setStatus(id: string, status: string): Promise<void> {
  const item = await table.get(`APP#${id}`, 'APP') as Item;
  await table.put({ ...item, status, gsi2pk: shardedKey(`APPSTATUS#${status}`, id) });
}

beforeEach(async () => {
  clockMs = T0;
  installTimeSource({ now: () => clockMs });
  await member('user-a', A);
  await member('user-b', B);
  await pilot(A);
  await pilot(B);
});

afterAll(() => installTimeSource(undefined));


describe('applications API', () => {
  describe('POST /v1/applications', () => {
    it('opens a DRAFT for the institution of the membership, recording the current standard version and an audit event', async () => {
      const res = await create('user-a');
      expect(res.statusCode).toBe(201);
      expect(res.body).toMatchObject({ status: 'DRAFT', version: 1, creditCode: A.creditCode, standardVersion: CURRENT_STANDARD_VERSION });
      expect(res.body.form).toMatchObject({ institution: { creditCode: A.creditCode, name: A.name, cityCode: '440100' } });
      expect(await table.get(`APP#${res.body.id}`, 'APP')).toMatchObject({ gsi1pk: `INST#${A.creditCode}`, gsi2pk: expect.stringMatching(/^APPSTATUS#DRAFT#\d$/) });
      expect(await table.get(`APP#${res.body.id}`, 'APP')).not.toHaveProperty('form');
      expect(formOf((await table.get(`APP#${res.body.id}`, 'APP#FORM'))!)).toMatchObject({ institution: { creditCode: A.creditCode } });
      const audit = (await table.withPk(`APP#${res.body.id}`)).filter((i) => String(i.sk).startsWith('AUDIT#'));
      expect(audit).toMatchObject([{ action: 'application-created', to: 'DRAFT', actor: { kind: 'user', id: 'user-a' } }]);
    });

    it('refuses a user without a membership with 403 NO_MEMBERSHIP', async () => {
      const res = await create('stranger');
      expect(res.statusCode).toBe(403);
      expect(res.body.code).toBe('NO_MEMBERSHIP');
    });

    it('refuses a second open application of the same institution with 409 APPLICATION_ALREADY_OPEN', async () => {
      const first = await create('user-a');
      await member('user-a2', A);
      const second = await create('user-a2');
      expect(second.statusCode).toBe(409);
      expect(second.body.code).toBe('APPLICATION_ALREADY_OPEN');
      expect(second.body.details?.applicationId).toBe(first.body.id);
      expect((await table.withPk('APP#')).filter((i) => i.sk === 'APP')).toHaveLength(1);
    });

    it('refuses an institution that already runs an ACTIVE or SUSPENDED site with 409 SITE_ALREADY_ACCREDITED (Art.5), but not after revocation', async () => {
      const site = async (status: string, siteId: string) =>
        await table.put({ ...keys.site(siteId), siteId, status, version: 0, certificateNumber: `CBEC-440000-2025-${siteId}`, institutionId: A.creditCode, institutionName: A.name, provinceCode: A.provinceCode, cityCode: A.cityCode, applicationId: `app-${siteId}`, activatedAt: '2025-01-01T00:00:00.000Z', lastExamAt: null, inactivitySince: '2025-01-01T00:00:00.000Z', nextMilestoneAt: '2026-10-01T00:00:00.000Z', createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z', gsi1pk: `INST#${A.creditCode}`, gsi1sk: `SITE#2025-01-0${siteId.length}T00:00:00.000Z` });
      await site('SUSPENDED', 'S1');
      const refused = await create('user-a');
      expect(refused.statusCode).toBe(409);
      expect(refused.body).toMatchObject({ code: 'SITE_ALREADY_ACCREDITED', article: 'Art.5' });
      expect((await table.withPk('APP#')).filter((i) => i.sk === 'APP')).toHaveLength(0);
      await site('REVOKED', 'S1');
      expect((await create('user-a')).statusCode).toBe(201);
    });

    it('lets a rejected college apply again with a new application', async () => {
      const first = await create('user-a');
      await setStatus(first.body.id, 'REJECTED');
      clockMs += 1000;
      const second = await create('user-a');
      expect(second.statusCode).toBe(201);
      expect(second.body.id).not.toBe(first.body.id);
      expect((await table.get(`INST#${A.creditCode}`, 'OPENAPP'))?.applicationId).toBe(second.body.id);
    });

    it('replays the first response to a repeated POST with the same Idempotency-Key', async () => {
      const headers = { 'idempotency-key': 'create-app-0001' };
      const first = await create('user-a', headers);
      const again = await create('user-a', headers);
      expect(again.statusCode).toBe(201);
      expect(again.body.id).toBe(first.body.id);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect((await table.withPk('APP#')).filter((i) => i.sk === 'APP')).toHaveLength(1);
    });

    it('does not replay another user’s response for the same key', async () => {
      const headers = { 'idempotency-key': 'create-app-0002' };
      await create('user-a', headers);
      const other = await create('user-b', headers);
      expect(other.statusCode).toBe(201);
      expect(other.body.creditCode).toBe(B.creditCode);
    });
  });

  describe('PUT /v1/applications/{applicationId}/form', () => {
    const put = (sub: string, id: string, body: unknown, headers: Record<string, string> = {}) =>
      invoke<{ code?: string; application: AppView; precheck: { binding: boolean; complete: boolean; eligible: boolean; outcome?: string; missing: Array<{ path: string }>; findings: Array<{ code: string; article: string; path: string }> } }>(
        saveForm,
        applicant(sub, { method: 'PUT', pathParameters: { applicationId: id }, body, headers }),
      );

    it('saves a partial draft, bumps the version and returns a non-binding pre-check listing what is missing', async () => {
      const app = await create('user-a');
      const res = await put('user-a', app.body.id, { version: 1, form: { institution: { name: A.name, address: '' }, majors: { items: [] } } });
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"2"');
      expect(res.body.application.version).toBe(2);
      expect(res.body.application.form).toEqual({ institution: { name: A.name }, majors: { items: [] } });
      expect(res.body.precheck).toMatchObject({ binding: false, complete: false, eligible: true });
      expect(res.body.precheck.missing.map((m) => m.path)).toContain('staff');
    });

    it('accepts the version from If-Match', async () => {
      const app = await create('user-a');
      const res = await put('user-a', app.body.id, { form: {} }, { 'if-match': '"1"' });
      expect(res.statusCode).toBe(200);
      expect(res.body.application.version).toBe(2);
    });

    it('refuses a stale version with 409 VERSION_CONFLICT and keeps the stored form', async () => {
      const app = await create('user-a');
      await put('user-a', app.body.id, { version: 1, form: { institution: { address: '第一次' } } });
      const stale = await put('user-a', app.body.id, { version: 1, form: { institution: { address: '第二次' } } });
      expect(stale.statusCode).toBe(409);
      expect(stale.body.code).toBe('VERSION_CONFLICT');
      expect((formOf((await table.get(`APP#${app.body.id}`, 'APP#FORM'))!) as { institution: { address: string } }).institution.address).toBe('第一次');
    });

    it('refuses to edit a SUBMITTED application with 409 INVALID_TRANSITION (Art.4)', async () => {
      const app = await create('user-a');
      await setStatus(app.body.id, 'SUBMITTED');
      const res = await put('user-a', app.body.id, { version: 1, form: {} });
      expect(res.statusCode).toBe(409);
      expect(res.body.code).toBe('INVALID_TRANSITION');
      expect((await table.get(`APP#${app.body.id}`, 'APP'))?.version).toBe(1);
    });

    it('lets the applicant correct a RETURNED application (Art.4)', async () => {
      const app = await create('user-a');
      await setStatus(app.body.id, 'RETURNED');
      const res = await put('user-a', app.body.id, { version: 1, form: {} });
      expect(res.statusCode).toBe(200);
    });

    it('refuses a malformed field with 400 and stores nothing', async () => {
      const app = await create('user-a');
      const res = await put('user-a', app.body.id, { version: 1, form: { examRooms: [{ seats: 'forty' }] } });
      expect(res.statusCode).toBe(400);
      expect((await table.get(`APP#${app.body.id}`, 'APP'))?.version).toBe(1);
    });

    it('answers 404 to an applicant of another institution', async () => {
      const app = await create('user-a');
      const res = await put('user-b', app.body.id, { version: 1, form: {} });
      expect(res.statusCode).toBe(404);
    });

    it('screens a complete form against the register: a pilot college with all evidence passes (Art.3(2), Art.9-11)', async () => {
      const app = await create('user-a');
      validEvidence.forEach((e) => table.put(storedEvidence(app.body.id, e.kind, e.evidenceId, { creditCode: A.creditCode, status: e.status, tags: e.tags, reasonCodes: e.reasonCodes ?? [] })));
      const res = await put('user-a', app.body.id, { version: 1, form: makeValidForm() });
      expect(res.body.precheck).toMatchObject({ complete: true, eligible: true, outcome: 'pass', missing: [] });
      expect(res.body.application.status).toBe('DRAFT');
    });

    it('shows the refusal a non-pilot institution will get at screening, without refusing the draft (Art.3(2))', async () => {
      await member('user-np', NON_PILOT);
      const app = await create('user-np');
      expect(app.statusCode).toBe(201);
      const form = makeValidForm();
      form.institution = { ...form.institution, name: NON_PILOT.name, creditCode: NON_PILOT.creditCode, provinceCode: '110000', cityCode: '110100' };
      const res = await put('user-np', app.body.id, { version: 1, form });
      expect(res.statusCode).toBe(200);
      expect(res.body.precheck).toMatchObject({ binding: false, complete: true, eligible: false, outcome: 'refuse' });
      expect(res.body.precheck.findings).toContainEqual(expect.objectContaining({ code: 'NOT_A_PILOT_COLLEGE', article: 'Art.3(2)', path: 'institution.creditCode' }));
    });

    it('flags an inactive register entry even on an incomplete draft (Art.3(2))', async () => {
      await pilot(A, false);
      const app = await create('user-a');
      const res = await put('user-a', app.body.id, { version: 1, form: {} });
      expect(res.body.precheck.eligible).toBe(false);
      expect(res.body.precheck.findings.map((f) => f.code)).toEqual(['PILOT_COLLEGE_INACTIVE']);
    });
  });

  describe('GET /v1/applications', () => {
    it("lists only the caller's institution: an applicant of B cannot list A's application", async () => {
      const a = await create('user-a');
      await create('user-b');
      const forA = await invoke<{ items: AppView[] }>(listApplications, applicant('user-a'));
      const forB = await invoke<{ items: AppView[] }>(listApplications, applicant('user-b'));
      expect(forA.body.items.map((i) => i.id)).toEqual([a.body.id]);
      expect(forB.body.items.map((i) => i.id)).not.toContain(a.body.id);
      expect(forB.body.items).toHaveLength(1);
      expect(forA.body.items[0]).not.toHaveProperty('form');
    });

    it('ignores a status filter an applicant sends: they still see only their institution', async () => {
      await create('user-a');
      const res = await invoke<{ items: AppView[] }>(listApplications, applicant('user-b', { query: { status: 'DRAFT' } }));
      expect(res.body.items.every((i) => i.creditCode === B.creditCode)).toBe(true);
    });

    it('lists by status for reviewers, page by page', async () => {
      const a = await create('user-a');
      clockMs += 1000;
      const b = await create('user-b');
      await setStatus(a.body.id, 'UNDER_REVIEW');
      const page1 = await invoke<{ items: AppView[]; cursor?: string }>(listApplications, reviewer({ query: { status: 'DRAFT', limit: '1' } }));
      expect(page1.body.items.map((i) => i.id)).toEqual([b.body.id]);
      const review = await invoke<{ items: AppView[] }>(listApplications, reviewer({ query: { status: 'UNDER_REVIEW' } }));
      expect(review.body.items.map((i) => i.id)).toEqual([a.body.id]);
      expect(table.sent(ScanCommand)).toHaveLength(0);
    });

    it('asks reviewers for a status (400) rather than scanning', async () => {
      const res = await invoke(listApplications, reviewer());
      expect(res.statusCode).toBe(400);
    });
  });

  describe('GET /v1/applications/{applicationId}', () => {
    it('answers 404 to an applicant of another institution, as if it did not exist', async () => {
      const a = await create('user-a');
      const res = await invoke(getApplication, applicant('user-b', { pathParameters: { applicationId: a.body.id } }));
      expect(res.statusCode).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
      const missing = await invoke(getApplication, applicant('user-b', { pathParameters: { applicationId: '01JZZZZZZZZZZZZZZZZZZZZZZZ' } }));
      expect(missing.body).toEqual({ ...res.body, requestId: missing.body.requestId });
    });

    it('shows the applicant the screening result, the decision with its reason and article, and the timeline (Art.4)', async () => {
      const a = await create('user-a');
      const id = a.body.id;
      const screening = { standardVersion: '2020-1', eligible: true, outcome: 'return', findings: [{ code: 'UPS_TOO_SHORT', article: 'Art.9(6)', severity: 'blocking', path: 'examRooms.0.upsHours', zh: 'UPS 不足', en: 'UPS too short' }] };
      const item = await table.get(`APP#${id}`, 'APP') as Item;
      await table.put({ ...item, status: 'RETURNED', screening });
      await table.put({ pk: 'STAFF#reviewer-1', sk: 'STAFF', sub: 'reviewer-1', name: '李审核', email: 'r@org.example', role: 'reviewer', active: true, updatedAt: '2025-01-01T00:00:00.000Z', updatedBy: 'admin-1' });
      await table.put({ ...keys.audit(`APP#${id}`, '2025-03-04T00:00:00.000Z', 'exec#Screen'), at: '2025-03-04T00:00:00.000Z', actor: { kind: 'system', id: 'accreditation' }, action: 'start-screening', from: 'SUBMITTED', to: 'SCREENING', article: 'Art.3' });
      await table.put({ ...keys.audit(`APP#${id}`, '2025-03-05T00:00:00.000Z', 'decision-1'), at: '2025-03-05T00:00:00.000Z', actor: { kind: 'user', id: 'reviewer-1', role: 'reviewer' }, action: 'review-returned', from: 'UNDER_REVIEW', to: 'RETURNED', reason: '请补充 UPS 检测报告', article: 'Art.9(6)', details: { note: 'internal' } });
      const res = await invoke<{ application: AppView; screening: typeof screening; decisions: Array<Record<string, unknown>>; timeline: Array<Record<string, unknown>> }>(
        getApplication,
        applicant('user-a', { pathParameters: { applicationId: id } }),
      );
      expect(res.statusCode).toBe(200);
      expect(res.body.application).toMatchObject({ status: 'RETURNED', standardVersion: '2020-1' });
      expect(res.body.screening.findings[0]).toMatchObject({ code: 'UPS_TOO_SHORT', article: 'Art.9(6)' });
      expect(res.body.decisions).toEqual([
        expect.objectContaining({ to: 'RETURNED', reason: '请补充 UPS 检测报告', article: 'Art.9(6)', actor: expect.objectContaining({ displayName: { zh: '李审核', en: '李审核' } }) }),
      ]);
      expect(res.body.timeline.map((e) => e.action)).toEqual(['application-created', 'start-screening', 'review-returned']);
      expect(res.body.timeline[0]).toMatchObject({ actor: { displayName: { zh: 'user-a-name' } } });
      expect(res.body.timeline[1]).toMatchObject({ actor: { displayName: { zh: '系统', en: 'System' } } });
      expect(res.body.timeline[2]).not.toHaveProperty('details');
      const forReviewer = await invoke<{ timeline: Array<Record<string, unknown>> }>(getApplication, reviewer({ pathParameters: { applicationId: id } }));
      expect(forReviewer.body.timeline[2]).toMatchObject({ details: { note: 'internal' } });
    });
  });

  describe('GET /v1/applications/{applicationId}/audit', () => {
    it('refuses an applicant with 403, even for their own application', async () => {
      const a = await create('user-a');
      const res = await invoke(getApplicationAudit, applicant('user-a', { pathParameters: { applicationId: a.body.id } }));
      expect(res.statusCode).toBe(403);
    });

    it('pages through the full trail for a reviewer', async () => {
      const a = await create('user-a');
      for (let i = 1; i <= 3; i += 1) {
        const at = `2025-03-0${i + 3}T00:00:00.000Z`;
        await table.put({ ...keys.audit(`APP#${a.body.id}`, at, `k${i}`), at, actor: { kind: 'system', id: 'wf' }, action: `step-${i}` });
      }
      const first = await invoke<{ items: Array<{ action: string }>; cursor?: string }>(getApplicationAudit, reviewer({ pathParameters: { applicationId: a.body.id }, query: { limit: '2' } }));
      expect(first.body.items.map((e) => e.action)).toEqual(['application-created', 'step-1']);
      const second = await invoke<{ items: Array<{ action: string }>; cursor?: string }>(
        getApplicationAudit,
        reviewer({ pathParameters: { applicationId: a.body.id }, query: { limit: '2', cursor: String(first.body.cursor) } }),
      );
      expect(second.body.items.map((e) => e.action)).toEqual(['step-2', 'step-3']);
    });
  });

  describe('GET /v1/admin/dashboard', () => {
    it('counts applications by status and province, lists overdue tasks and active sites, and reports uncovered cities (Art.8)', async () => {
      const a = await create('user-a');
      await create('user-b');
      await setStatus(a.body.id, 'UNDER_REVIEW');
      const task = async (id: string, deadline: string) =>
        await table.put({ ...keys.decision(id), decisionId: id, applicationId: a.body.id, kind: 'material-review', assigneeSub: 'reviewer-1', deadline, status: 'pending', gsi2pk: shardedKey('TASKS#pending', id), gsi2sk: `${deadline}#${id}` });
      await task('d-overdue', '2025-03-01T00:00:00.000Z');
      await task('d-future', '2025-03-20T00:00:00.000Z');
      await table.put({ ...keys.site('s-1'), siteId: 's-1', cityCode: '350200', status: 'ACTIVE', gsi2pk: shardedKey('SITESTATUS#ACTIVE', 's-1'), gsi2sk: '2025-02-01T00:00:00.000Z#s-1' });
      const res = await invoke<{
        applicationsByStatus: Record<string, number>;
        applicationsByProvince: Record<string, Record<string, number>>;
        overdueTasks: { count: number; items: Array<{ decisionId: string }> };
        sites: { active: number };
        coverage: { article: string; citiesWithPilotColleges: number; coveredCities: number; uncoveredCities: Array<{ cityCode: string }> };
      }>(getDashboard, admin());
      expect(res.statusCode).toBe(200);
      expect(res.body.applicationsByStatus).toMatchObject({ DRAFT: 1, UNDER_REVIEW: 1, APPROVED: 0 });
      expect(res.body.applicationsByProvince).toEqual({ '440000': { UNDER_REVIEW: 1 }, '350000': { DRAFT: 1 } });
      expect(res.body.overdueTasks.count).toBe(1);
      expect(res.body.overdueTasks.items.map((t) => t.decisionId)).toEqual(['d-overdue']);
      expect(res.body.sites.active).toBe(1);
      expect(res.body.coverage).toMatchObject({ article: 'Art.8', citiesWithPilotColleges: 2, coveredCities: 1 });
      expect(res.body.coverage.uncoveredCities.map((c) => c.cityCode)).toEqual(['440100']);
      expect(table.sent(ScanCommand)).toHaveLength(0);
    });

    it('refuses an applicant with 403', async () => {
      const res = await invoke(getDashboard, applicant('user-a'));
      expect(res.statusCode).toBe(403);
    });
  });
});
