import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { addEvaluation, addEvaluations, createCampaign, getCampaign, listSanctionMarks, moveEvaluation, moveEvaluations, readProgress, type CampaignRecord, type EvaluationRecord } from '../../../functions/adapters/stores/evaluations.ts';
import { siteItem, type SiteRecord } from '../../../functions/adapters/stores/sites.ts';
import { putItem, putNew, shardOf } from '../../../functions/adapters/stores/table.ts';
import { effectiveDeadline, matchesFilter, refuseExtension, sampleRank, selectSites } from '../../../functions/domain/supervision/campaign.ts';
import { prefillReport, type SessionForReport } from '../../../functions/domain/supervision/report-prefill.ts';
import { installTimeSource } from '../../../functions/shared/clock.ts';
import { csvLine } from '../../../functions/shared/csv.ts';
import type { Caller } from '../../../functions/shared/identity.ts';
import { campaignStep, campaignWithProgress, getReportPrefill, previewCampaign } from '../../../functions/use-cases/supervision/campaigns.ts';
import { useTestTable } from '../../support/table.ts';
import { setRegistryEnv } from '../registry/helpers/http.ts';

/**
 * Campaigns at scale (Art.19–20) against DynamoDB Local: the selection reads
 * the status index page by page and shard by shard (never a Scan), a sample
 * is drawn from staged ranks exactly as the pure rule draws it, progress is
 * summed from counter shards, and the report is prefilled from the site's
 * own sessions.
 */
setRegistryEnv();
const NOW = Date.parse('2027-03-01T02:00:00.000Z');
installTimeSource({ now: () => NOW });
const table = useTestTable({ clear: 'once' });

const GZ = { provinceCode: '440000', cityCode: '440100' };
const SZ = { provinceCode: '440000', cityCode: '440300' };
const XM = { provinceCode: '350000', cityCode: '350200' };

function site(id: string, region: typeof GZ, status: SiteRecord['status'], creditCode = `12440100MA${id.padStart(8, '0')}`): SiteRecord {
  return {
    siteId: id,
    certificateNumber: `CBEC-${region.provinceCode}-2026-${id}`,
    status,
    version: 1,
    institutionId: creditCode,
    institutionName: `学院${id}`,
    provinceCode: region.provinceCode,
    cityCode: region.cityCode,
    applicationId: `APP-${id}`,
    activatedAt: '2026-01-10T00:00:00.000Z',
    accreditedRooms: [{ name: 'A101', seats: 40, seatingArrangement: 'every-seat', capacity: 40 }],
    lastExamAt: null,
    inactivitySince: '2026-01-10T00:00:00.000Z',
    nextMilestoneAt: '2027-10-12T00:00:00.000Z',
    createdAt: '2026-01-10T00:00:00.000Z',
    updatedAt: '2026-01-10T00:00:00.000Z',
  };
}

function campaign(id: string, selection: CampaignRecord['selection']): CampaignRecord {
  return { campaignId: id, title: `检查 ${id}`, selection, deadline: '2027-03-20T00:00:00.000Z', status: 'OPEN', siteCount: 0, createdAt: new Date(NOW).toISOString(), createdBy: 'admin-1' };
}
const audit = (key: string) => ({ key: { at: new Date(NOW).toISOString(), key }, event: { actor: { kind: 'system' as const, id: 'test' }, action: 'test' } });

async function populate(campaignId: string): Promise<number> {
  let cursor: string | null = null;
  let calls = 0;
  do {
    const out = await campaignStep({ action: 'populate', campaignId, cursor });
    cursor = out.cursor;
    calls++;
    expect(calls).toBeLessThan(500);
  } while (cursor);
  return calls;
}

const evaluationsOf = async (campaignId: string) => (await table.withPk(`CAMPAIGN#${campaignId}`)).filter((i) => String(i.sk).startsWith('EVAL#'));
const admin: Caller = { sub: 'admin-1', groups: ['admin'], requestId: 'req-admin' };

describe('campaign selection, paged on the sharded status index', () => {
  // 260 sites: 230 ACTIVE in Guangzhou and Shenzhen (over one index page of a shard), 20 SUSPENDED in Xiamen, 10 REVOKED.
  beforeAll(async () => {
    for (let i = 0; i < 260; i++) {
      const region = i % 2 === 0 ? GZ : i < 250 ? SZ : XM;
      const status: SiteRecord['status'] = i >= 250 ? 'REVOKED' : i >= 230 ? 'SUSPENDED' : 'ACTIVE';
      await putNew(siteItem(site(`S${String(i).padStart(4, '0')}`, i >= 230 && i < 250 ? XM : region, status)));
    }
  });

  it('a province filter adds every matching site once, reading the index by region prefix and never scanning', async () => {
    await createCampaign(campaign('C-GD', { kind: 'filter', provinceCode: '440000' }), audit('open-gd'));
    const calls = await populate('C-GD');
    const evaluations = await evaluationsOf('C-GD');
    expect(evaluations).toHaveLength(230);
    expect(new Set(evaluations.map((e) => e.siteId)).size).toBe(230);
    expect(evaluations.every((e) => e.provinceCode === '440000' && e.status === 'NOTICE_PENDING')).toBe(true);
    expect((await getCampaign('C-GD'))?.siteCount).toBe(230);
    // Two statuses × ten shards, at least one call each: no call holds more than a page.
    expect(calls).toBeGreaterThanOrEqual(20);
    expect(table.sent(ScanCommand)).toHaveLength(0);
    const statusQueries = table.sent(QueryCommand).filter((q) => q.IndexName === 'gsi2');
    expect(statusQueries.length).toBeGreaterThanOrEqual(20);
    expect(statusQueries.every((q) => q.ExpressionAttributeValues?.[':sk'] === '440000#' && (q.Limit ?? 0) <= 200)).toBe(true);

    // A retried populate adds nothing twice.
    await campaignStep({ action: 'populate', campaignId: 'C-GD', cursor: null });
    expect(await evaluationsOf('C-GD')).toHaveLength(230);
  });

  it('draws a seeded sample exactly as the pure rule draws it, from staged ranks', async () => {
    await createCampaign(campaign('C-SAMPLE', { kind: 'filter', statuses: ['ACTIVE'], sample: { size: 25, seed: 'spring-2027' } }), audit('open-sample'));
    await populate('C-SAMPLE');
    const drawn = (await evaluationsOf('C-SAMPLE')).map((e) => String(e.siteId)).sort();
    const register = Array.from({ length: 260 }, (_, i) => ({ siteId: `S${String(i).padStart(4, '0')}`, provinceCode: '', cityCode: '', status: i >= 250 ? 'REVOKED' : i >= 230 ? 'SUSPENDED' : 'ACTIVE' }));
    expect(drawn).toEqual(selectSites(register, { kind: 'filter', statuses: ['ACTIVE'], sample: { size: 25, seed: 'spring-2027' } }, new Date(NOW).toISOString()).siteIds);
    expect((await getCampaign('C-SAMPLE'))?.siteCount).toBe(25);
    expect(table.sent(ScanCommand)).toHaveLength(0);
  });

  it('a list adds the evaluable sites only; the live preview counts what the campaign would cover', async () => {
    await createCampaign(campaign('C-LIST', { kind: 'sites', siteIds: ['S0001', 'S0002', 'S0255', 'NOPE'] }), audit('open-list'));
    await populate('C-LIST');
    expect((await evaluationsOf('C-LIST')).map((e) => e.siteId)).toEqual(['S0001', 'S0002']);
    expect(await previewCampaign(admin, { selection: { kind: 'filter', provinceCode: '350000' } })).toEqual({ count: 20, matching: 20 });
    expect(await previewCampaign(admin, { selection: { kind: 'filter', provinceCode: '440000', cityCode: '440300', sample: { size: 10, seed: 'x' } } })).toEqual({ count: 10, matching: 115 });
    expect(await previewCampaign(admin, { selection: { kind: 'sites', siteIds: ['S0001', 'S0255'] } })).toEqual({ count: 1, matching: 1 });
    await expect(previewCampaign({ ...admin, groups: ['reviewer'] }, { selection: { kind: 'filter' } })).rejects.toMatchObject({ kind: 'forbidden' });
    // A filter on status and region is counted on the index (Select COUNT per shard), no item read.
    expect(table.sent(QueryCommand).filter((q) => q.Select === 'COUNT' && q.IndexName === 'gsi2').length).toBeGreaterThanOrEqual(20);
    expect(table.sent(ScanCommand)).toHaveLength(0);
  });

  it('leaves out sites evaluated within the window (notEvaluatedForMonths)', async () => {
    const earlier: EvaluationRecord = { campaignId: 'C-OLD', siteId: 'S0237', institutionId: 'x', institutionName: 'x', provinceCode: XM.provinceCode, cityCode: XM.cityCode, deadline: '2027-01-10T00:00:00.000Z', status: 'SUBMITTED', submittedAt: '2027-01-05T00:00:00.000Z', version: 1, createdAt: '2027-01-01T00:00:00.000Z' };
    await addEvaluation(earlier);
    await addEvaluation({ ...earlier, campaignId: 'C-OLDER', siteId: 'S0239', deadline: '2025-01-10T00:00:00.000Z', submittedAt: '2025-01-05T00:00:00.000Z' });
    await createCampaign(campaign('C-DUE', { kind: 'filter', provinceCode: '350000', notEvaluatedForMonths: 12 }), audit('open-due'));
    await populate('C-DUE');
    const ids = (await evaluationsOf('C-DUE')).map((e) => String(e.siteId));
    expect(ids).toHaveLength(19);
    expect(ids).not.toContain('S0237');
    expect(ids).toContain('S0239');
    // The live count of such a selection reads the register as the campaign does.
    expect(await previewCampaign(admin, { selection: { kind: 'filter', provinceCode: '350000', notEvaluatedForMonths: 12 } })).toEqual({ count: 19, matching: 19 });
    expect(table.sent(ScanCommand)).toHaveLength(0);
  });
});

describe('progress on sharded counters', () => {
  it('adds each delta to the shard of the site and sums every counter the shards hold', async () => {
    await createCampaign(campaign('C-P', { kind: 'sites', siteIds: ['x'] }), audit('open-p'));
    const ids = Array.from({ length: 40 }, (_, i) => `P${i}`);
    for (const id of ids) {
      const evaluation: EvaluationRecord = { campaignId: 'C-P', siteId: id, institutionId: 'i', institutionName: 'n', provinceCode: '440000', cityCode: '440100', deadline: '2027-03-20T00:00:00.000Z', status: 'NOTICE_PENDING', version: 0, createdAt: 'x' };
      await addEvaluation(evaluation);
      expect(await moveEvaluation(evaluation, { from: ['NOTICE_PENDING'], to: 'NOTIFIED', set: {}, counts: { notified: 1 } }, audit(`n-${id}`))).toBe(true);
      // A retried move changes no counter.
      expect(await moveEvaluation(evaluation, { from: ['NOTICE_PENDING'], to: 'NOTIFIED', set: {}, counts: { notified: 1 } }, audit(`n2-${id}`))).toBe(false);
    }
    const first = { campaignId: 'C-P', siteId: 'P0', institutionId: 'i', institutionName: 'n', provinceCode: '440000', cityCode: '440100', deadline: '2027-03-20T00:00:00.000Z', status: 'NOTIFIED' as const, version: 1, createdAt: 'x' };
    await moveEvaluation(first, { from: ['NOTIFIED'], to: 'SUBMITTED', set: {}, counts: { submitted: 1, decided: 1, outcome_pass: 1 } }, audit('s-P0'));

    const shards = (await table.withPk('CAMPAIGN#C-P')).filter((i) => String(i.sk).startsWith('PROGRESS#'));
    expect(shards.length).toBe(new Set(ids.map(shardOf)).size);
    expect(shards.length).toBeGreaterThan(5);
    expect(await table.get('CAMPAIGN#C-P', 'CAMPAIGN')).not.toHaveProperty('notified');
    expect(await readProgress('C-P')).toEqual({ notified: 40, submitted: 1, decided: 1, outcome_pass: 1 });
    const view = await campaignWithProgress((await getCampaign('C-P'))!);
    expect(view).toMatchObject({ notified: 40, submitted: 1, missed: 0, progress: { notified: 40, submitted: 1, missed: 0, decided: 1, outcome_pass: 1 } });
  });
});

describe('a page of moves in few transactions', () => {
  const evaluationOf = (campaignId: string, siteId: string): EvaluationRecord => ({ campaignId, siteId, institutionId: 'i', institutionName: 'n', provinceCode: '440000', cityCode: '440100', deadline: '2027-03-20T00:00:00.000Z', status: 'NOTICE_PENDING', version: 0, createdAt: 'x' });

  it('adds a page of evaluations once, even when a retried step finds some added already', async () => {
    await createCampaign(campaign('C-ADD', { kind: 'sites', siteIds: ['x'] }), audit('open-add'));
    const page = Array.from({ length: 120 }, (_, i) => evaluationOf('C-ADD', `A${String(i).padStart(3, '0')}`));
    expect(await addEvaluations(page.slice(0, 7))).toBe(7);
    // The first transaction (100 items) is cancelled by the 7 already there and done one by one; the rest goes in one.
    expect(await addEvaluations(page)).toBe(113);
    expect(await addEvaluations(page)).toBe(0);
    expect((await table.withPk('CAMPAIGN#C-ADD')).filter((i) => String(i.sk).startsWith('EVAL#'))).toHaveLength(120);
  });

  it('moves each evaluation once with its count, audit and mark; a page where one moved meanwhile is done move by move', async () => {
    await createCampaign(campaign('C-MOVE', { kind: 'sites', siteIds: ['x'] }), audit('open-move'));
    const page = Array.from({ length: 70 }, (_, i) => evaluationOf('C-MOVE', `M${String(i).padStart(3, '0')}`));
    expect(await addEvaluations(page)).toBe(70);
    // A site submits its report before the deadline step reaches it.
    expect(await moveEvaluation(page[40]!, { from: ['NOTICE_PENDING'], to: 'SUBMITTED', set: {}, counts: { submitted: 1 } }, audit('s-M040'))).toBe(true);
    const moves = page.map((evaluation) => ({
      evaluation,
      change: { from: ['NOTICE_PENDING', 'NOTIFIED'] as EvaluationRecord['status'][], to: 'MISSED' as const, set: { missedAt: '2027-03-20T00:00:00.000Z' }, counts: { missed: 1 } },
      audit: audit(`missed-${evaluation.siteId}`),
      mark: { siteId: evaluation.siteId, kind: 'missed-deadline' as const, at: '2027-03-20T00:00:00.000Z', article: 'Art.20', campaignId: 'C-MOVE', reason: 'no report' },
    }));
    const applied = await moveEvaluations(moves);
    expect(applied.filter(Boolean)).toHaveLength(69);
    expect(applied[40]).toBe(false);
    // Retried: nothing moves twice, no count twice.
    expect((await moveEvaluations(moves)).some(Boolean)).toBe(false);
    expect(await readProgress('C-MOVE')).toEqual({ missed: 69, submitted: 1 });
    expect(await listSanctionMarks('M000')).toHaveLength(1);
    expect(await listSanctionMarks('M040')).toHaveLength(0);
    expect(await table.get('CAMPAIGN#C-MOVE', 'EVAL#M069')).toMatchObject({ status: 'MISSED', version: 1 });
  });
});

describe('the report prefilled from the site records (Art.20)', () => {
  const held = (id: string, at: string, extra: Partial<NonNullable<SessionForReport['held']>> = {}): SessionForReport => ({
    sessionId: id,
    title: `第${id}场`,
    status: 'HELD',
    startsAt: at,
    held: { at, present: 30, absent: 2, countsAsHeld: true, violations: [], incidents: [], ...extra },
  });

  it('lists the sessions held since the last evaluation with their violations and incidents', () => {
    const out = prefillReport(
      [
        held('1', '2026-05-01T01:00:00.000Z'),
        held('2', '2026-09-01T01:00:00.000Z', { violations: [{ description: '考生携带手机' }], incidents: [{ description: '断网 10 分钟' }] }),
        held('3', '2026-11-01T01:00:00.000Z'),
        { sessionId: '4', status: 'CANCELLED', startsAt: '2026-10-01T01:00:00.000Z' },
      ],
      '2026-06-01T00:00:00.000Z',
    );
    expect(out.totals).toEqual({ sessions: 2, present: 60, absent: 4, violations: 1, incidents: 1 });
    expect(out.sessionsHeld.map((s) => s.sessionId)).toEqual(['2', '3']);
    expect(out.draft.examOrganisation).toContain('共组织考试 2 场');
    expect(out.draft.violations).toContain('考生携带手机');
    expect(out.draft.incidents).toContain('断网 10 分钟');
    expect(prefillReport([], '2026-06-01T00:00:00.000Z').draft).toEqual({ examOrganisation: '自 2026-06-01 以来本站点未组织考试。', violations: '无', incidents: '无' });
  });

  it('serves the prefill to the site’s own members and staff only (another institution: 404)', async () => {
    const own = site('R1', GZ, 'ACTIVE', '12440100MA0000R1XX');
    await putNew(siteItem(own));
    await putNew(siteItem(site('R2', SZ, 'ACTIVE', '12440300MA0000R2XX')));
    for (const [sub, creditCode] of [['r1-manager', own.institutionId], ['r2-manager', '12440300MA0000R2XX']] as const) {
      await putItem({ pk: `USER#${sub}`, sk: 'MEMBERSHIP', type: 'membership', sub, creditCode, institutionName: 'x', provinceCode: '440000', cityCode: '440100', role: 'site-manager', email: `${sub}@example.cn`, name: sub, invitationId: `inv-${sub}`, createdAt: '2026-01-01T00:00:00.000Z' });
    }
    await putItem({
      pk: 'SITE#R1',
      sk: 'SESSION#01S1',
      type: 'session',
      sessionId: '01S1',
      siteId: 'R1',
      institutionId: own.institutionId,
      status: 'HELD',
      version: 2,
      startsAt: '2026-12-01T01:00:00.000Z',
      endsAt: '2026-12-01T04:00:00.000Z',
      rooms: ['A101'],
      capacity: 40,
      registeredCount: 31,
      eligibilityRule: 'v1',
      createdAt: '2026-11-01T00:00:00.000Z',
      createdBy: 'r1-manager',
      updatedAt: '2026-12-01T04:00:00.000Z',
      held: { at: '2026-12-01T04:00:00.000Z', present: 30, absent: 1, countsAsHeld: true, violations: [{ description: '替考未遂' }], incidents: [] },
      expiresAt: 2_000_000_000,
    });
    await createCampaign(campaign('C-R', { kind: 'sites', siteIds: ['R1'] }), audit('open-r'));
    await populate('C-R');
    const member: Caller = { sub: 'r1-manager', groups: ['applicant'], requestId: 'req-r1' };
    const out = await getReportPrefill(member, 'R1', 'C-R');
    expect(out).toMatchObject({ siteId: 'R1', status: 'NOTICE_PENDING', prefill: { since: own.activatedAt, totals: { sessions: 1, present: 30, absent: 1, violations: 1, incidents: 0 } } });
    expect(out.prefill.draft.violations).toContain('替考未遂');
    await expect(getReportPrefill({ sub: 'r2-manager', groups: ['applicant'], requestId: 'req-r2' }, 'R1', 'C-R')).rejects.toMatchObject({ kind: 'not-found' });
    expect((await getReportPrefill({ sub: 'reviewer-1', groups: ['reviewer'], requestId: 'req-rv' }, 'R1', 'C-R')).prefill.totals.sessions).toBe(1);
  });
});

describe('pure rules of bulk actions', () => {
  it('a site’s deadline is its own extension or the campaign’s, whichever is later', () => {
    expect(effectiveDeadline('2027-03-20T00:00:00.000Z', '2027-03-25T00:00:00.000Z')).toBe('2027-03-25T00:00:00.000Z');
    expect(effectiveDeadline('2027-03-28T00:00:00.000Z', '2027-03-25T00:00:00.000Z')).toBe('2027-03-28T00:00:00.000Z');
  });

  it('refuses an extension that is not later, or beyond the bounds (Art.20)', () => {
    const now = '2027-03-01T00:00:00.000Z';
    expect(refuseExtension('2027-03-10T00:00:00.000Z', '2027-03-20T00:00:00.000Z', now)?.code).toBe('CAMPAIGN_DEADLINE_NOT_LATER');
    expect(refuseExtension('2027-08-10T00:00:00.000Z', '2027-03-20T00:00:00.000Z', now)?.code).toBe('CAMPAIGN_DEADLINE_TOO_LATE');
    expect(refuseExtension('2027-03-27T00:00:00.000Z', '2027-03-20T00:00:00.000Z', now)).toBeUndefined();
  });

  it('a filter matches by status, region and last evaluation; a rank is stable per seed', () => {
    const s = { siteId: 'A', provinceCode: '440000', cityCode: '440100', status: 'SUSPENDED' };
    expect(matchesFilter(s, { kind: 'filter', statuses: ['ACTIVE'] }, undefined)).toBe(false);
    expect(matchesFilter(s, { kind: 'filter', cityCode: '440100' }, undefined)).toBe(true);
    expect(matchesFilter({ ...s, lastEvaluatedAt: '2027-01-01T00:00:00.000Z' }, { kind: 'filter' }, '2026-06-01T00:00:00.000Z')).toBe(false);
    expect(matchesFilter({ ...s, status: 'REVOKED' }, { kind: 'filter' }, undefined)).toBe(false);
    expect(sampleRank('a', 'X')).toBe(sampleRank('a', 'X'));
    expect(sampleRank('a', 'X')).not.toBe(sampleRank('b', 'X'));
  });

  it('writes CSV cells quoted when needed and never as a formula', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', undefined, 3])).toBe('a,"b,c","say ""hi""",,3\r\n');
    expect(csvLine(['=HYPERLINK("x")', '+1', '@SUM'])).toBe(`"'=HYPERLINK(""x"")",'+1,'@SUM\r\n`);
  });
});
