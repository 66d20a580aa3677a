import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoScenario, demoInstitutions } from '../../local/demo-scenario.ts';
import type { LocalStack } from '../../local/stack.ts';
import { startSeededStack } from '../support/local-stack.ts';

/**
 * Through the local stack (gateway with its JWT check, handlers, DynamoDB
 * Local): the public register without a token, its ETag and 304, the staff
 * search, the site's duties recorded by its member and read by a reviewer,
 * the site timeline, and a second institution kept out.
 */
describe('public register, site search and duties through the local stack', () => {
  let stack: LocalStack;
  let demo: DemoScenario;
  let siteId: string;
  const { pilot, second } = demoInstitutions();

  beforeAll(async () => {
    ({ stack, demo } = await startSeededStack(70, 'register'));
    const id = await demo.apply(pilot);
    await demo.submit(pilot, id);
    await demo.decide('approve-for-visit', 'Materials complete (Art.3).');
    const visit = await demo.decide('approve', 'Venue as declared (Art.9-11).', { recommendation: 'approve', findings: [] });
    await demo.decide('approve', 'Review and site visit passed (Art.4).', {}, visit.sub);
    const mine = await demo.api.expect<{ items: Array<{ siteId: string; status: string }> }>(200, pilot.user.sub, 'GET', '/v1/sites');
    siteId = mine.items[0]!.siteId;
    await demo.onboard(second);
  }, 240_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('shows the ACTIVE site in the public register without a token, with no personal data, and answers 304 on its ETag', async () => {
    const res = await fetch(`${stack.baseUrl}/v1/register/sites?province=440000`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    const etag = res.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    const text = await res.text();
    const body = JSON.parse(text) as { items: Array<Record<string, unknown>> };
    expect(body.items).toEqual([
      expect.objectContaining({ siteId, institutionName: pilot.name, provinceCode: '440000', cityCode: '440100', certificateNumber: expect.stringMatching(/^CBEC-440000-/), accreditedCapacity: expect.any(Number) }),
    ]);
    expect(body.items[0]!.accreditedCapacity as number).toBeGreaterThan(0);
    for (const personal of [pilot.user.name, pilot.user.email, pilot.user.sub, pilot.creditCode, '@']) expect(text).not.toContain(personal);

    const again = await fetch(`${stack.baseUrl}/v1/register/sites?province=440000`, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');

    const fujian = (await (await fetch(`${stack.baseUrl}/v1/register/sites?province=350000`)).json()) as { items: unknown[] };
    expect(fujian.items).toEqual([]);

    const coverage = (await (await fetch(`${stack.baseUrl}/v1/register/coverage`)).json()) as { cities: Array<{ cityCode: string; covered: boolean }> };
    expect(coverage.cities).toEqual(
      expect.arrayContaining([expect.objectContaining({ cityCode: '440100', covered: true }), expect.objectContaining({ cityCode: '350200', covered: false })]),
    );
  });

  it('still needs a token on the staff routes (401 from the gateway)', async () => {
    expect((await fetch(`${stack.baseUrl}/v1/sites?province=440000`)).status).toBe(401);
  });

  it('finds the site for a reviewer by province and status, and not under another status', async () => {
    const active = await demo.api.expect<{ items: Array<{ siteId: string }> }>(200, 'demo-reviewer', 'GET', '/v1/sites?province=440000&status=ACTIVE');
    expect(active.items.map((s) => s.siteId)).toEqual([siteId]);
    const suspended = await demo.api.expect<{ items: unknown[] }>(200, 'demo-admin', 'GET', '/v1/sites?province=440000&status=SUSPENDED');
    expect(suspended.items).toEqual([]);
    const byName = await demo.api.expect<{ items: Array<{ siteId: string }> }>(200, 'demo-admin', 'GET', `/v1/sites?name=${encodeURIComponent('南方商贸')}`);
    expect(byName.items.map((s) => s.siteId)).toEqual([siteId]);
  });

  it('records training and a work summary by the site, read by a reviewer, shown on the timeline (Art.15, Art.16)', async () => {
    const yesterday = new Date(stack.clock.now() - 86_400_000).toISOString().slice(0, 10);
    const training = await demo.api.expect<{ trainingId: string }>(201, pilot.user.sub, 'POST', `/v1/sites/${siteId}/trainings`, {
      traineeName: '张监考',
      traineeRole: 'invigilator',
      title: '考务组织培训',
      trainedOn: yesterday,
      organiser: 'organisation',
    });
    await demo.api.expect(201, pilot.user.sub, 'POST', `/v1/sites/${siteId}/work-summaries`, { periodStart: yesterday, periodEnd: yesterday, text: '本期完成考务人员培训一次。' });

    const trainings = await demo.api.expect<{ items: Array<{ trainingId: string; traineeName: string }> }>(200, 'demo-reviewer', 'GET', `/v1/sites/${siteId}/trainings`);
    expect(trainings.items).toEqual([expect.objectContaining({ trainingId: training.trainingId, traineeName: '张监考' })]);
    const summaries = await demo.api.expect<{ items: Array<{ text: string }> }>(200, 'demo-admin', 'GET', `/v1/sites/${siteId}/work-summaries`);
    expect(summaries.items.map((s) => s.text)).toEqual(['本期完成考务人员培训一次。']);

    const timeline = await demo.api.expect<{ items: Array<{ action: string; article?: string; actor: Record<string, unknown> }> }>(200, 'demo-reviewer', 'GET', `/v1/sites/${siteId}/timeline`);
    expect(timeline.items.map((e) => e.article)).toEqual(expect.arrayContaining(['Art.15', 'Art.16']));
    expect(JSON.stringify(timeline)).not.toContain(pilot.user.sub);
    expect(JSON.stringify(timeline)).not.toContain(pilot.user.name);
  });

  it('keeps the second institution out: 404 on the site, its records and its timeline', async () => {
    const body = { traineeName: '林一', title: '培训', trainedOn: new Date(stack.clock.now() - 86_400_000).toISOString().slice(0, 10), organiser: 'site' };
    const write = await demo.api.call<{ code: string; message: { zh: string; en: string } }>(second.user.sub, 'POST', `/v1/sites/${siteId}/trainings`, body);
    expect(write.status).toBe(404);
    expect(write.body).toMatchObject({ code: 'NOT_FOUND', message: { zh: '未找到考核站点。', en: 'Site not found.' } });
    for (const path of [`/v1/sites/${siteId}/trainings`, `/v1/sites/${siteId}/work-summaries`, `/v1/sites/${siteId}/timeline`]) {
      expect((await demo.api.call(second.user.sub, 'GET', path)).status).toBe(404);
    }
    const own = await demo.api.expect<{ items: unknown[] }>(200, second.user.sub, 'GET', '/v1/sites');
    expect(own.items).toEqual([]);
  });
});
