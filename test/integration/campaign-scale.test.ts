import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkSite, seedBulkSites, type BulkSite } from '../../local/bulk-sites.ts';
import type { DemoScenario } from '../../local/demo-scenario.ts';
import type { LocalStack } from '../../local/stack.ts';
import { csvRecords } from '../../functions/shared/csv.ts';
import { startSeededStack } from '../support/local-stack.ts';

/**
 * A campaign over a few hundred sites through the whole local stack
 * (Art.19–20, issue 10 "scale"): the selection pages through the sharded
 * status index (the request log in front of DynamoDB Local sees no Scan),
 * every site is notified exactly once, progress summed from the counter
 * shards equals the evaluations, the deadline is extended for all and for
 * one site, reminder rounds remind each site once per round, and the CSV
 * export has one row per site.
 */
const SITES = 240;
const DAY = 86_400_000;

describe('a campaign over a few hundred sites', () => {
  let stack: LocalStack;
  let demo: DemoScenario;
  let sites: BulkSite[];
  let campaignId: string;
  const submitters = [0, 1, 2].map((i) => bulkSite('SC', i));
  const late = bulkSite('SC', 3);
  const at = (days: number) => new Date(stack.clock.now() + days * DAY).toISOString();
  const subjects = (email: string, re: RegExp) => demo.api.mailTo(email).filter((m) => re.test(m.subject)).length;
  const report = {
    venueAndEquipment: '两间考场共 80 台考生机，设备运行正常。',
    examOrganisation: '本期组织考试 2 场，考务人员均经培训。',
    violations: '无',
    incidents: '无',
    workPlan: '下一阶段计划每季度组织一次考试，并更新监控设备。',
  };

  /** Every evaluation of the campaign, page by page through the API. */
  async function allEvaluations(): Promise<Array<{ siteId: string; status: string; deadline: string }>> {
    const out: Array<{ siteId: string; status: string; deadline: string }> = [];
    let cursor: string | undefined;
    do {
      const page = await demo.api.expect<{ evaluations: typeof out; cursor?: string }>(200, 'demo-reviewer', 'GET', `/v1/admin/campaigns/${campaignId}?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      out.push(...page.evaluations);
      cursor = page.cursor;
    } while (cursor);
    return out;
  }
  const detail = () => demo.api.expect<{ status: string; siteCount: number; notified: number; submitted: number; missed: number; progress: Record<string, number> }>(200, 'demo-admin', 'GET', `/v1/admin/campaigns/${campaignId}?limit=1`);

  beforeAll(async () => {
    ({ stack, demo } = await startSeededStack(1210, 'campaign-scale', { dailySchedules: false, mailRatePerSecond: 100 }));
    sites = await seedBulkSites(SITES, { prefix: 'SC', at: new Date(stack.clock.now()).toISOString() });
    for (const s of [...submitters, late]) stack.issuer.addUser({ sub: `bulk-${s.siteId.toLowerCase()}`, email: s.email, name: s.siteId, groups: ['applicant'], label: s.siteId });
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('counts the selection live, opens the campaign, and notifies every site exactly once', async () => {
    const preview = await demo.api.expect<{ count: number; matching: number }>(200, 'demo-admin', 'POST', '/v1/admin/campaign-previews', { selection: { kind: 'filter', statuses: ['ACTIVE'] } });
    expect(preview).toEqual({ count: SITES, matching: SITES });
    const guangdong = await demo.api.expect<{ count: number }>(200, 'demo-admin', 'POST', '/v1/admin/campaign-previews', { selection: { kind: 'filter', provinceCode: '440000' } });
    expect(guangdong.count).toBe(sites.filter((s) => s.provinceCode === '440000').length);
    expect((await demo.api.call('demo-reviewer', 'POST', '/v1/admin/campaign-previews', { selection: { kind: 'filter' } })).status).toBe(403);

    const opened = await demo.api.call<{ campaignId: string }>('demo-admin', 'POST', '/v1/admin/campaigns', { title: '2027 全国检查评估', deadline: at(10), selection: { kind: 'filter', statuses: ['ACTIVE'] } });
    expect(opened.status).toBe(202);
    campaignId = opened.body.campaignId;
    await stack.advance('PT1M');

    expect(await detail()).toMatchObject({ status: 'OPEN', siteCount: SITES, notified: SITES, submitted: 0, missed: 0 });
    const evaluations = await allEvaluations();
    expect(evaluations).toHaveLength(SITES);
    expect(new Set(evaluations.map((e) => e.siteId))).toEqual(new Set(sites.map((s) => s.siteId)));
    expect(evaluations.every((e) => e.status === 'NOTIFIED')).toBe(true);
    // Each site's manager got one notice, none twice.
    const notices = sites.map((s) => subjects(s.email, /检查评估通知/));
    expect(notices.every((n) => n === 1)).toBe(true);
  }, 300_000);

  it('takes reports, extends the deadline for all and for one site (audited), and reminds each site once per round', async () => {
    for (const s of submitters) await demo.api.expect(200, `bulk-${s.siteId.toLowerCase()}`, 'PUT', `/v1/sites/${s.siteId}/evaluations/${campaignId}/report`, report);

    // Refused: not later, by a reviewer; nothing changes.
    const sooner = await demo.api.call<{ code: string; article: string }>('demo-admin', 'POST', `/v1/admin/campaigns/${campaignId}/deadline`, { deadline: at(5), reason: '提前' });
    expect(sooner.status).toBe(400);
    expect(sooner.body).toMatchObject({ code: 'CAMPAIGN_DEADLINE_NOT_LATER', article: 'Art.20' });
    expect((await demo.api.call('demo-reviewer', 'POST', `/v1/admin/campaigns/${campaignId}/deadline`, { deadline: at(12), reason: 'x' })).status).toBe(403);

    const all = await demo.api.expect<{ extended: number }>(200, 'demo-admin', 'POST', `/v1/admin/campaigns/${campaignId}/deadline`, { deadline: at(12), reason: '系统维护，统一延期两天' });
    expect(all.extended).toBe(SITES);
    const one = await demo.api.expect<{ extended: number; refused: unknown[] }>(200, 'demo-admin', 'POST', `/v1/admin/campaigns/${campaignId}/deadline`, {
      deadline: at(14),
      siteIds: [late.siteId, 'NOT-IN-CAMPAIGN'],
      reason: '该站点遇台风停课',
    });
    expect(one).toMatchObject({ extended: 1, refused: [{ siteId: 'NOT-IN-CAMPAIGN', reason: 'not-in-campaign' }] });
    const trail = await demo.api.expect<{ items: Array<{ action: string; article?: string }> }>(200, 'demo-admin', 'GET', `/v1/sites/${late.siteId}/timeline?limit=200`);
    expect(trail.items).toContainEqual(expect.objectContaining({ action: 'evaluation-deadline-extended', article: 'Art.20' }));

    // Two rounds: every site that has not submitted is reminded once in each.
    const first = await demo.api.expect<{ round: number }>(202, 'demo-admin', 'POST', `/v1/admin/campaigns/${campaignId}/reminders`);
    expect(first.round).toBe(1);
    const pending = sites.filter((s) => !submitters.some((x) => x.siteId === s.siteId));
    expect(pending.every((s) => subjects(s.email, /即将截止/) === 1)).toBe(true);
    expect(submitters.every((s) => subjects(s.email, /即将截止/) === 0)).toBe(true);
    const second = await demo.api.expect<{ round: number }>(202, 'demo-admin', 'POST', `/v1/admin/campaigns/${campaignId}/reminders`);
    expect(second.round).toBe(2);
    expect(pending.every((s) => subjects(s.email, /即将截止/) === 2)).toBe(true);
  }, 300_000);

  it('records missed deadlines at each extended deadline; the counter shards equal the evaluations', async () => {
    await stack.advance(11 * DAY);
    expect(await detail()).toMatchObject({ status: 'OPEN', missed: 0 });
    await stack.advance(2 * DAY);
    expect(await detail()).toMatchObject({ status: 'OPEN', submitted: 3, missed: SITES - 4 });
    expect((await allEvaluations()).find((e) => e.siteId === late.siteId)).toMatchObject({ status: 'NOTIFIED' });
    await stack.advance(2 * DAY);

    const evaluations = await allEvaluations();
    const byStatus = (status: string) => evaluations.filter((e) => e.status === status).length;
    const progress = await detail();
    expect(progress).toMatchObject({ status: 'CLOSED', siteCount: SITES });
    expect(progress.progress).toMatchObject({ notified: SITES, submitted: byStatus('SUBMITTED'), missed: byStatus('MISSED') });
    expect(byStatus('SUBMITTED')).toBe(3);
    expect(byStatus('MISSED')).toBe(SITES - 3);
    expect(subjects(late.email, /逾期未提交/)).toBe(1);
    // Art.21: every evaluation, submitted or missed, goes to a reviewer's assessment (one per site, waiting for the reviewer); no workflow failed.
    const executions = stack.engine.listStateMachines().flatMap((m) => stack.engine.listExecutions(m.stateMachineArn).map((e) => ({ machine: m.name, name: e.name, status: e.status })));
    expect(executions.filter((e) => e.status === 'FAILED')).toEqual([]);
    expect(executions.filter((e) => e.machine === 'site-assessment' && e.status === 'RUNNING')).toHaveLength(SITES);
    // Closed: no more bulk actions.
    expect((await demo.api.call<{ code: string }>('demo-admin', 'POST', `/v1/admin/campaigns/${campaignId}/reminders`)).body).toMatchObject({ code: 'CAMPAIGN_CLOSED' });
  }, 300_000);

  it('exports one CSV row per site, page by page, and never scanned the table', async () => {
    const token = await stack.issuer.issueToken('demo-reviewer');
    const rows: string[][] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: Response = await fetch(`${stack.baseUrl}/v1/admin/campaigns/${campaignId}/results${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      const [header, ...body] = csvRecords(await res.text());
      expect(header?.slice(0, 5)).toEqual(['siteId', 'institutionName', 'provinceCode', 'cityCode', 'status']);
      rows.push(...body);
      cursor = res.headers.get('x-next-cursor');
      pages++;
    } while (cursor && pages < 50);
    expect(rows).toHaveLength(SITES);
    expect(new Set(rows.map((r) => r[0])).size).toBe(SITES);
    expect(rows.filter((r) => r[4] === 'SUBMITTED').map((r) => r[0]).sort()).toEqual(submitters.map((s) => s.siteId));

    const requests = stack.dynamoRequests.snapshot();
    expect(requests.Query).toBeGreaterThan(0);
    expect(requests.Scan ?? 0).toBe(0);
  }, 120_000);
});
