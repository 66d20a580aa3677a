import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import { type DemoScenario, demoInstitutions, siteLifeInstitutions } from '../../local/demo-scenario.ts';
import { siteRevokedSchema } from '../../schemas/events/site-revoked.schema.ts';
import { startSeededStack } from '../support/local-stack.ts';

/**
 * Assessment, the sanction ladder, suspension and rectification (Art.21)
 * through the whole local stack on the virtual clock: campaigns close,
 * reviewers assess from their e-mailed links against the rubric, a second
 * reviewer confirms a suspension, the site reports its rectification, and a
 * failed or missed rectification goes to the revocation workflow.
 */
describe('assessment and rectification through the local stack (Art.21)', () => {
  let stack: LocalStack;
  let demo: DemoScenario;
  const { pilot, second } = demoInstitutions();
  const { hangzhou } = siteLifeInstitutions();
  const REVIEWERS = [
    { sub: 'demo-reviewer', email: 'reviewer1@org.example' },
    { sub: 'demo-reviewer-2', email: 'reviewer2@org.example' },
  ];
  const DAY = 86_400_000;
  const ids = { a: '', b: '', c: '' };
  const report = {
    venueAndEquipment: '两间考场共 80 台考生机，设备运行正常。',
    examOrganisation: '本期组织考试 2 场，考务人员均经培训。',
    violations: '无',
    incidents: '无',
    workPlan: '下一阶段计划每季度组织一次考试，并更新监控设备。',
  };
  type Criterion = { id: string; max: number };
  type Page = { kind: string; status: string; allowedOutcomes: string[]; supervision: { site: { siteId: string }; rubric: { version: string; criteria: Criterion[] }; proposal?: { outcome: string } } };

  const deadlineIn = (days: number) => new Date(stack.clock.now() + days * DAY).toISOString();
  const siteOf = async (siteId: string) => demo.api.expect<{ status: string }>(200, 'demo-admin', 'GET', `/v1/sites/${siteId}`);
  const supervision = (who: string, siteId: string) =>
    demo.api.expect<{
      status: string;
      assessments: Array<{ campaignId: string; outcome: string; decided: string; steps: Array<{ article: string }>; confirmation?: { outcome: string } }>;
      marks: Array<{ kind: string }>;
      openRectification: { rectificationId: string; status: string; suspended: boolean } | null;
      rectifications: Array<{ rectificationId: string; status: string; deadline: string; revocationId?: string }>;
    }>(200, who, 'GET', `/v1/sites/${siteId}/supervision`);
  const hasSchedule = (siteId: string) => {
    try {
      stack.scheduler.getSchedule(`site-${siteId}`, 'exam-site-local');
      return true;
    } catch {
      return false;
    }
  };

  /** Every pending decision of `kind` about `siteId` in the reviewers' mailboxes (what each would click). */
  async function pending(kind: string, siteId: string): Promise<{ sub: string; decisionId: string; page: Page }> {
    for (const r of REVIEWERS) {
      const found = new Set(demo.api.mailTo(r.email).flatMap((m) => [...m.text.matchAll(/\/decisions\/([A-Za-z0-9_-]{20,})/g)].map((x) => x[1]!)));
      for (const decisionId of found) {
        if (demo.isUsed(decisionId)) continue;
        const res = await demo.api.call<Page>(r.sub, 'GET', `/v1/decisions/${decisionId}`);
        if (res.status === 200 && res.body.kind === kind && res.body.status === 'pending' && res.body.supervision?.site.siteId === siteId) return { sub: r.sub, decisionId, page: res.body };
      }
    }
    throw new Error(`no pending ${kind} decision for site ${siteId}`);
  }

  /** The pending revocation decision of `siteId` in the admin's mailbox. */
  async function adminDecisionFor(siteId: string): Promise<string> {
    for (const m of demo.api.mailTo('admin@org.example').reverse()) {
      const decisionId = /\/decisions\/([A-Za-z0-9_-]{20,})/.exec(m.text)?.[1];
      if (!decisionId) continue;
      const page = await demo.api.expect<{ kind: string; status: string; siteCase?: { site: { siteId: string } } }>(200, 'demo-admin', 'GET', `/v1/decisions/${decisionId}`);
      if (page.kind === 'revocation' && page.status === 'pending' && page.siteCase?.site.siteId === siteId) return decisionId;
    }
    throw new Error(`no pending revocation decision for site ${siteId}`);
  }

  /** Scores each criterion of the page's rubric: `full`, or with the named criteria lowered. */
  const scoresOf = (page: Page, lower: Record<string, number> = {}) => Object.fromEntries(page.supervision.rubric.criteria.map((c) => [c.id, lower[c.id] ?? c.max]));

  async function assess(siteId: string, outcome: string, lower: Record<string, number> = {}): Promise<string> {
    const task = await pending('assessment', siteId);
    expect(task.page.allowedOutcomes).toEqual(['pass', 'warning', 'rectify', 'suspend-and-rectify', 'propose-revocation']);
    await demo.api.expect(200, task.sub, 'POST', `/v1/decisions/${task.decisionId}`, { outcome, reason: '依评估标准逐项评分。', scores: scoresOf(task.page, lower) });
    demo.markUsed(task.decisionId);
    await stack.settle();
    return task.sub;
  }

  /** Opens a campaign over `siteIds`, has each site submit its report, and closes it at its deadline. */
  async function campaignOver(title: string, siteIds: Array<{ siteId: string; sub: string }>): Promise<string> {
    const opened = await demo.api.expect<{ campaignId: string }>(202, 'demo-admin', 'POST', '/v1/admin/campaigns', { title, deadline: deadlineIn(8), selection: { kind: 'sites', siteIds: siteIds.map((s) => s.siteId) } });
    await stack.advance('PT1M');
    for (const s of siteIds) await demo.api.expect(200, s.sub, 'PUT', `/v1/sites/${s.siteId}/evaluations/${opened.campaignId}/report`, report);
    await stack.advance('P8D');
    await stack.settle();
    return opened.campaignId;
  }

  beforeAll(async () => {
    ({ stack, demo } = await startSeededStack(1110, 'supervision'));
    await demo.onboard(second);
    await demo.onboard(hangzhou);
    ids.a = (await demo.accredit(pilot)).siteId;
    ids.b = (await demo.accredit(second)).siteId;
    ids.c = (await demo.accredit(hangzhou)).siteId;
  }, 400_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('assesses a campaign: a pass, a warning, and a failing site whose suspension the second reviewer rejects (rectification without suspension); progress counted', async () => {
    const campaignId = await campaignOver('2027 春季检查评估', [
      { siteId: ids.a, sub: pilot.user.sub },
      { siteId: ids.b, sub: second.user.sub },
      { siteId: ids.c, sub: hangzhou.user.sub },
    ]);
    // A rubric score that fails cannot be passed (Art.21).
    const c = await pending('assessment', ids.c);
    const tooMild = await demo.api.call<{ code: string; article: string }>(c.sub, 'POST', `/v1/decisions/${c.decisionId}`, { outcome: 'pass', reason: '评分不足但仍判合格。', scores: scoresOf(c.page, { 'work-plan': 0 }) });
    expect(tooMild.status).toBe(400);
    expect(tooMild.body).toMatchObject({ code: 'ASSESSMENT_OUTCOME_TOO_MILD', article: 'Art.21' });

    await assess(ids.a, 'pass');
    await assess(ids.b, 'warning', { 'venue-and-equipment': 10, 'exam-organisation': 14 });
    const assessorC = await assess(ids.c, 'suspend-and-rectify', { 'work-plan': 0 });
    const confirmation = await pending('sanction-confirmation', ids.c);
    expect(confirmation.sub).not.toBe(assessorC);
    expect(confirmation.page.supervision.proposal).toMatchObject({ outcome: 'suspend-and-rectify' });
    await demo.api.expect(200, confirmation.sub, 'POST', `/v1/decisions/${confirmation.decisionId}`, { outcome: 'reject', reason: '限期整改即可，无需暂停考试。' });
    demo.markUsed(confirmation.decisionId);
    await stack.settle();

    expect(await supervision(pilot.user.sub, ids.a)).toMatchObject({ status: 'ACTIVE', assessments: [{ campaignId, outcome: 'pass' }], openRectification: null });
    expect(await supervision(second.user.sub, ids.b)).toMatchObject({ assessments: [{ outcome: 'warning' }], marks: [{ kind: 'warning' }] });
    expect(await supervision(hangzhou.user.sub, ids.c)).toMatchObject({ status: 'ACTIVE', assessments: [{ outcome: 'suspend-and-rectify', confirmation: { outcome: 'reject' } }], openRectification: { status: 'awaiting-report', suspended: false } });
    const progress = await demo.api.expect<Record<string, unknown>>(200, 'demo-admin', 'GET', `/v1/admin/campaigns/${campaignId}`);
    expect(progress).toMatchObject({ decided: 3, outcomes: { pass: 1, warning: 1, 'suspend-and-rectify': 1 } });
    expect(demo.api.mailTo(pilot.user.email).some((m) => /综合能力评估结果：合格/.test(m.subject))).toBe(true);
    // Another institution's member reads nothing of it.
    expect((await demo.api.call(second.user.sub, 'GET', `/v1/sites/${ids.a}/supervision`)).status).toBe(404);
  }, 300_000);

  it('counts a missed rectification deadline as a failure on the virtual clock: the revocation workflow opens its case', async () => {
    const open = (await supervision(hangzhou.user.sub, ids.c)).rectifications[0]!;
    expect(open).toMatchObject({ status: 'awaiting-report' });
    // A minute before the deadline nothing has happened; at the deadline the rectification has failed.
    await stack.advance(Date.parse(open.deadline) - stack.clock.now() - 60_000);
    await stack.settle();
    expect((await supervision(hangzhou.user.sub, ids.c)).openRectification).toMatchObject({ status: 'awaiting-report' });
    await stack.advance('PT2M');
    await stack.settle();
    const record = await supervision(hangzhou.user.sub, ids.c);
    expect(record.openRectification).toBeNull();
    expect(record.rectifications[0]).toMatchObject({ status: 'missed', revocationId: expect.any(String) });
    expect(record.marks.map((m) => m.kind)).toContain('rectification-failed');
    const cases = await demo.api.expect<{ revocations: Array<{ cause: string; status: string }> }>(200, hangzhou.user.sub, 'GET', `/v1/sites/${ids.c}/cases`);
    expect(cases.revocations[0]).toMatchObject({ cause: 'failed-rectification' });
    expect(demo.api.mailTo(hangzhou.user.email).some((m) => /整改报告逾期未提交/.test(m.subject))).toBe(true);
  }, 300_000);

  it('escalates a second warning within 12 months to a suspension; the assessor may not confirm it; confirmed: SUSPENDED, timer paused; a passed rectification restores it with the timer resumed', async () => {
    expect(hasSchedule(ids.b)).toBe(true);
    await campaignOver('2027 秋季专项检查', [{ siteId: ids.b, sub: second.user.sub }]);
    const assessor = await assess(ids.b, 'warning', { 'venue-and-equipment': 10, 'exam-organisation': 14 });
    const record = await supervision(second.user.sub, ids.b);
    expect(record.assessments[0]).toMatchObject({ decided: 'warning', outcome: 'suspend-and-rectify', steps: [{ article: 'Art.21' }] });
    expect(record.status).toBe('ACTIVE');

    // Four eyes: the confirmation goes to the other reviewer; the assessor is refused.
    const confirmation = await pending('sanction-confirmation', ids.b);
    expect(confirmation.sub).not.toBe(assessor);
    const refused = await demo.api.call<{ code: string }>(assessor, 'POST', `/v1/decisions/${confirmation.decisionId}`, { outcome: 'confirm', reason: '本人评估，本人确认。' });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('FOUR_EYES_REQUIRED');
    await demo.api.expect(200, confirmation.sub, 'POST', `/v1/decisions/${confirmation.decisionId}`, { outcome: 'confirm', reason: '同意暂停考试并限期整改。' });
    demo.markUsed(confirmation.decisionId);
    await stack.settle();

    expect((await siteOf(ids.b)).status).toBe('SUSPENDED');
    expect(hasSchedule(ids.b)).toBe(false);
    const open = (await supervision(second.user.sub, ids.b)).openRectification!;
    expect(open).toMatchObject({ status: 'awaiting-report', suspended: true });
    expect(demo.api.mailTo(second.user.email).some((m) => /暂停考试并限期整改通知/.test(m.subject))).toBe(true);

    await stack.advance('P10D');
    await demo.api.expect(200, second.user.sub, 'PUT', `/v1/sites/${ids.b}/rectifications/${open.rectificationId}/report`, { text: '已更换全部监控设备，重新培训考务人员并完善考务制度。', evidenceIds: [] });
    const again = await demo.api.call<{ code: string }>(second.user.sub, 'PUT', `/v1/sites/${ids.b}/rectifications/${open.rectificationId}/report`, { text: '重复提交的整改报告内容。', evidenceIds: [] });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('RECTIFICATION_CLOSED');
    await stack.settle();
    const review = await pending('rectification-review', ids.b);
    await demo.api.expect(200, review.sub, 'POST', `/v1/decisions/${review.decisionId}`, { outcome: 'pass', reason: '整改到位，恢复考试。' });
    demo.markUsed(review.decisionId);
    await stack.settle();

    expect((await siteOf(ids.b)).status).toBe('ACTIVE');
    expect(hasSchedule(ids.b)).toBe(true);
    expect(await supervision(second.user.sub, ids.b)).toMatchObject({ openRectification: null, rectifications: [{ status: 'passed' }] });
  }, 300_000);

  it('revokes a site whose rectification failed, after its representation window and an admin decision: the authority mailed, SiteRevoked recorded (Art.21)', async () => {
    await campaignOver('2028 春季检查评估', [{ siteId: ids.a, sub: pilot.user.sub }]);
    await assess(ids.a, 'rectify', { 'work-plan': 0 });
    const open = (await supervision(pilot.user.sub, ids.a)).openRectification!;
    expect(open).toMatchObject({ suspended: false, status: 'awaiting-report' });
    await demo.api.expect(200, pilot.user.sub, 'PUT', `/v1/sites/${ids.a}/rectifications/${open.rectificationId}/report`, { text: '已补充下一阶段工作计划初稿。', evidenceIds: [] });
    await stack.settle();
    const review = await pending('rectification-review', ids.a);
    await demo.api.expect(200, review.sub, 'POST', `/v1/decisions/${review.decisionId}`, { outcome: 'fail', reason: '工作计划仍不完整。' });
    demo.markUsed(review.decisionId);
    await stack.settle();
    const failed = (await supervision(pilot.user.sub, ids.a)).rectifications[0]!;
    expect(failed).toMatchObject({ status: 'failed', revocationId: expect.any(String) });

    // The revocation's due process: the representation window, then an admin decides.
    await stack.advance('P15D');
    await stack.settle();
    const link = await adminDecisionFor(ids.a);
    await demo.api.expect(200, 'demo-admin', 'POST', `/v1/decisions/${link}`, { outcome: 'revoke', reason: '整改后仍不符合要求（第二十一条）。' });
    await stack.settle();
    expect((await siteOf(ids.a)).status).toBe('REVOKED');
    expect(demo.api.mailTo('jyt@gd.gov.example').some((m) => /资格已撤销/.test(m.subject))).toBe(true);
    const revoked = stack.events.events().filter((e) => e['detail-type'] === 'SiteRevoked').map((e) => siteRevokedSchema.parse(e.detail));
    expect(revoked).toEqual([expect.objectContaining({ siteId: ids.a, cause: 'failed-rectification', article: 'Art.21' })]);
  }, 300_000);

});
