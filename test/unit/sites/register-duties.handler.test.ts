import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteItem, type SiteRecord } from '../../../functions/adapters/stores/sites.ts';
import { putItem, putNew } from '../../../functions/adapters/stores/table.ts';
import { handler as getCoverage } from '../../../functions/handlers/get-register-coverage.handler.ts';
import { handler as getTimeline } from '../../../functions/handlers/get-site-timeline.handler.ts';
import { handler as listRegisterSites } from '../../../functions/handlers/list-register-sites.handler.ts';
import { handler as listSites } from '../../../functions/handlers/list-sites.handler.ts';
import { handler as listTrainings } from '../../../functions/handlers/list-trainings.handler.ts';
import { handler as recordTraining } from '../../../functions/handlers/record-training.handler.ts';
import { handler as submitWorkSummary } from '../../../functions/handlers/submit-work-summary.handler.ts';
import { installTimeSource } from '../../../functions/shared/clock.ts';
import type { HttpEvent } from '../../../functions/shared/http.ts';
import { useTestTable } from '../../support/table.ts';
import { httpEvent, invoke, lambdaContext, setRegistryEnv } from '../registry/helpers/http.ts';

/**
 * The handlers of the public register, the staff search, the timeline and
 * the duties: bad input answers 400 with a stable code in both languages,
 * never a 500; the public routes need no sign-in and answer 304 on a
 * matching ETag. Data access runs against DynamoDB Local.
 */
setRegistryEnv();
installTimeSource({ now: () => Date.parse('2026-12-01T04:00:00.000Z') });

const GZ = { creditCode: '12440100455861238H', name: '广州南方商贸职业技术学院', provinceCode: '440000', cityCode: '440100' };
const XM = { creditCode: '12350200MB01397659', name: '厦门海湾职业技术学院', provinceCode: '350000', cityCode: '350200' };

const site = (id: string, inst: typeof GZ): SiteRecord => ({
  siteId: id,
  certificateNumber: `CBEC-${inst.provinceCode}-2026-${id}`,
  status: 'ACTIVE',
  version: 1,
  institutionId: inst.creditCode,
  institutionName: inst.name,
  provinceCode: inst.provinceCode,
  cityCode: inst.cityCode,
  applicationId: `APP-${id}`,
  activatedAt: '2026-01-10T00:00:00.000Z',
  accreditedRooms: [{ name: 'A101', seats: 40, seatingArrangement: 'every-seat', capacity: 40 }],
  lastExamAt: null,
  inactivitySince: '2026-01-10T00:00:00.000Z',
  nextMilestoneAt: '2027-10-12T00:00:00.000Z',
  createdAt: '2026-01-10T00:00:00.000Z',
  updatedAt: '2026-01-10T00:00:00.000Z',
});

/** A request with no authorizer at all, as API Gateway hands over a route with auth `none`. */
function anonymous(path: string, query: Record<string, string> = {}, headers: Record<string, string> = {}): HttpEvent {
  const event = httpEvent({ sub: 'x', path, query, headers });
  delete (event.requestContext as { authorizer?: unknown }).authorizer;
  return event;
}

const member = (sub: string, extra: Partial<Parameters<typeof httpEvent>[0]> = {}) => httpEvent({ sub, groups: ['applicant'], ...extra });
const reviewer = (extra: Partial<Parameters<typeof httpEvent>[0]> = {}) => httpEvent({ sub: 'reviewer-1', groups: ['reviewer'], ...extra });

// DynamoDB Local, seeded once below for every test of the file.
useTestTable({ clear: 'once' });

beforeAll(async () => {
  await putNew(siteItem(site('GZ1', GZ)));
  await putNew(siteItem(site('XM1', XM)));
  for (const [sub, inst] of [['gz-manager', GZ], ['xm-manager', XM]] as const) {
    await putItem({ pk: `USER#${sub}`, sk: 'MEMBERSHIP', type: 'membership', sub, creditCode: inst.creditCode, institutionName: inst.name, provinceCode: inst.provinceCode, cityCode: inst.cityCode, role: 'site-manager', email: `${sub}@example.cn`, name: sub, invitationId: `inv-${sub}`, createdAt: '2026-01-01T00:00:00.000Z' });
  }
});

afterAll(() => {
  installTimeSource(undefined);
});

const expectInvalid = (res: { statusCode: number; body: Record<string, unknown> }) => {
  expect(res.statusCode).toBe(400);
  expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', message: { zh: '请求内容不符合要求。', en: 'The request is not valid.' } });
};

describe('list-register-sites handler', () => {
  it('answers without a sign-in, cacheable, with no personal data', async () => {
    const res = await invoke<{ items: Array<Record<string, unknown>> }>(listRegisterSites, anonymous('/v1/register/sites'));

    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(res.body.items.map((s) => s.certificateNumber)).toEqual(['CBEC-350000-2026-XM1', 'CBEC-440000-2026-GZ1']);
    for (const item of res.body.items) expect(Object.keys(item).sort()).toEqual(['accreditedCapacity', 'accreditedRooms', 'accreditedSeats', 'activatedAt', 'certificateNumber', 'cityCode', 'institutionName', 'provinceCode', 'siteId']);
  });

  it('answers 304 with no body when If-None-Match names the current ETag, 200 when it does not', async () => {
    const first = await invoke(listRegisterSites, anonymous('/v1/register/sites', { province: '440000' }));
    const etag = first.headers.etag!;

    const again = (await listRegisterSites(anonymous('/v1/register/sites', { province: '440000' }, { 'if-none-match': etag }), lambdaContext)) as { statusCode: number; body?: string; headers: Record<string, string> };
    expect(again.statusCode).toBe(304);
    expect(again.body).toBeUndefined();
    expect(again.headers.etag).toBe(etag);

    const other = await invoke(listRegisterSites, anonymous('/v1/register/sites', { province: '350000' }, { 'if-none-match': etag }));
    expect(other.statusCode).toBe(200);
  });

  it.each([
    ['a province that is not a GB/T 2260 code', { province: '999999' }],
    ['a city code of the wrong shape', { province: '440000', city: '4401' }],
    ['a limit that is not a number', { limit: 'many' }],
  ])('refuses %s (400 VALIDATION_FAILED, zh-CN and English)', async (_what, query) => {
    expectInvalid(await invoke(listRegisterSites, anonymous('/v1/register/sites', query)));
  });

  it('refuses a city outside the province with the issue named', async () => {
    const res = await invoke<{ code: string; message: { zh: string; en: string }; details: Array<{ code: string }> }>(listRegisterSites, anonymous('/v1/register/sites', { province: '350000', city: '440100' }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', message: { zh: '所选城市不属于所选省份。', en: 'The city does not lie in the province.' } });
    expect(res.body.details[0]!.code).toBe('CITY_NOT_IN_PROVINCE');
  });
});

describe('get-register-coverage handler', () => {
  it('answers without a sign-in, with an ETag that a second read matches (304)', async () => {
    const first = await invoke(getCoverage, anonymous('/v1/register/coverage'));
    expect(first.statusCode).toBe(200);
    expect(first.body).toMatchObject({ article: 'Art.8' });

    const again = (await getCoverage(anonymous('/v1/register/coverage', {}, { 'if-none-match': `W/${first.headers.etag}` }), lambdaContext)) as { statusCode: number };
    expect(again.statusCode).toBe(304);
  });
});

describe('list-sites handler', () => {
  it.each([
    ['an unknown status', { status: 'CLOSED' }],
    ['a milestone that is not a date-time', { milestoneBefore: 'next week' }],
    ['a name longer than 100 characters', { name: '学'.repeat(101) }],
  ])('refuses %s (400 VALIDATION_FAILED)', async (_what, query) => {
    expectInvalid(await invoke(listSites, reviewer({ query })));
  });

  it('searches by province and status for a reviewer', async () => {
    const res = await invoke<{ items: Array<{ siteId: string }> }>(listSites, reviewer({ query: { province: '350000', status: 'ACTIVE' } }));
    expect(res.statusCode).toBe(200);
    expect(res.body.items.map((s) => s.siteId)).toEqual(['XM1']);
  });
});

describe('record-training handler', () => {
  const post = (sub: string, body: unknown, extra: Partial<Parameters<typeof httpEvent>[0]> = {}) =>
    invoke(recordTraining, member(sub, { method: 'POST', path: '/v1/sites/GZ1/trainings', pathParameters: { siteId: 'GZ1' }, body, ...extra }));

  it('records a training for the site and answers 201', async () => {
    const res = await post('gz-manager', { traineeName: '张监考', title: '考务组织培训', trainedOn: '2026-11-20', organiser: 'organisation' });
    expect(res.statusCode).toBe(201);
    expect(res.body).toMatchObject({ siteId: 'GZ1', traineeName: '张监考', organiser: 'organisation' });
  });

  it.each([
    ['an ID number in the name', { traineeName: '张三 440103199001011234', title: '培训', trainedOn: '2026-11-20', organiser: 'site' }],
    ['an ID number as the name', { traineeName: '44010319900101123X', title: '培训', trainedOn: '2026-11-20', organiser: 'site' }],
    ['a date that is not a date', { traineeName: '张三', title: '培训', trainedOn: '20/11/2026', organiser: 'site' }],
    ['an unknown organiser', { traineeName: '张三', title: '培训', trainedOn: '2026-11-20', organiser: 'province' }],
    ['no title', { traineeName: '张三', trainedOn: '2026-11-20', organiser: 'site' }],
  ])('refuses %s (400 VALIDATION_FAILED) and stores nothing', async (_what, body) => {
    expectInvalid(await post('gz-manager', body));
  });

  it('refuses a body that is not JSON (400)', async () => {
    const res = await post('gz-manager', undefined, { rawBody: '{not json' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', message: { zh: '请求体不是有效的 JSON。', en: 'The body is not valid JSON.' } });
  });

  it("answers 404 NOT_FOUND to another institution's member, in both languages", async () => {
    const res = await post('xm-manager', { traineeName: '林一', title: '培训', trainedOn: '2026-11-20', organiser: 'site' });
    expect(res.statusCode).toBe(404);
    expect(res.body).toMatchObject({ code: 'NOT_FOUND', message: { zh: '未找到考核站点。', en: 'Site not found.' } });
  });

  it('answers 400 TRAINING_DATE_IN_FUTURE with Art.15 for a date after today', async () => {
    const res = await post('gz-manager', { traineeName: '张三', title: '培训', trainedOn: '2027-01-01', organiser: 'site' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatchObject({ code: 'TRAINING_DATE_IN_FUTURE', article: 'Art.15', message: { zh: '培训日期不能晚于今天。', en: 'The training date cannot be later than today.' } });
  });

  it('lists what was recorded, and nothing of the refused bodies', async () => {
    const res = await invoke<{ items: Array<{ traineeName: string }> }>(listTrainings, reviewer({ pathParameters: { siteId: 'GZ1' } }));
    expect(res.body.items.map((r) => r.traineeName)).toEqual(['张监考']);
  });
});

describe('submit-work-summary handler', () => {
  const post = (body: unknown) => invoke(submitWorkSummary, member('gz-manager', { method: 'POST', path: '/v1/sites/GZ1/work-summaries', pathParameters: { siteId: 'GZ1' }, body }));

  it.each([
    ['a text under 10 characters', { periodStart: '2026-07-01', periodEnd: '2026-11-30', text: '很好' }],
    ['a text over 10,000 characters', { periodStart: '2026-07-01', periodEnd: '2026-11-30', text: '字'.repeat(10_001) }],
    ['a period without its end', { periodStart: '2026-07-01', text: '本期组织考试两场，无违纪。' }],
  ])('refuses %s (400 VALIDATION_FAILED)', async (_what, body) => {
    expectInvalid(await post(body));
  });

  it('answers 400 PERIOD_NOT_ENDED with Art.16 for a period still running', async () => {
    const res = await post({ periodStart: '2026-07-01', periodEnd: '2026-12-31', text: '本期组织考试两场，无违纪。' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatchObject({ code: 'PERIOD_NOT_ENDED', article: 'Art.16', message: { zh: '只能总结已经结束的期间。', en: 'A summary covers a period that has ended.' } });
  });
});

describe('get-site-timeline handler', () => {
  it("answers 404 to another institution's member and 200 to the site's own", async () => {
    const other = await invoke(getTimeline, member('xm-manager', { pathParameters: { siteId: 'GZ1' } }));
    expect(other.statusCode).toBe(404);
    const own = await invoke<{ items: unknown[] }>(getTimeline, member('gz-manager', { pathParameters: { siteId: 'GZ1' } }));
    expect(own.statusCode).toBe(200);
    expect(own.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'training-recorded', article: 'Art.15' })]));
  });

  it('refuses a cursor longer than a cursor can be (400)', async () => {
    expectInvalid(await invoke(getTimeline, reviewer({ pathParameters: { siteId: 'GZ1' }, query: { cursor: 'x'.repeat(2001) } })));
  });
});

describe('cursors', () => {
  it('answers 400 on a cursor altered by the caller or taken from another list, never a 500', async () => {
    const forged = Buffer.from(JSON.stringify({ list: 0, at: Buffer.from(JSON.stringify({ 0: { pk: 'x' } })).toString('base64url') })).toString('base64url');
    const register = await invoke<{ code: string; details: Array<{ path: string }> }>(listRegisterSites, anonymous('/v1/register/sites', { cursor: forged }));
    expect(register.statusCode).toBe(400);
    expect(register.body).toMatchObject({ code: 'VALIDATION_FAILED', message: { zh: '分页游标对此列表无效。', en: 'The cursor is not valid for this list.' } });
    expect(register.body.details[0]!.path).toBe('cursor');

    const timeline = await invoke(getTimeline, reviewer({ pathParameters: { siteId: 'GZ1' }, query: { cursor: Buffer.from(JSON.stringify({ pk: 'SITE#GZ1' })).toString('base64url') } }));
    expect(timeline.statusCode).toBe(400);
  });
});
