import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import { makePdf } from '../../local/demo-files.ts';
import { type DemoScenario, demoInstitutions } from '../../local/demo-scenario.ts';
import { startSeededStack } from '../support/local-stack.ts';

/**
 * Evaluation campaigns through the whole local stack (Art.19–20): the
 * workflow notifies each selected site once, reminds the one that has not
 * submitted, and records a missed deadline as a failure; a site submits its
 * report and work plan until the deadline and not after.
 */
describe('evaluation campaigns through the local stack', () => {
  let stack: LocalStack;
  let demo: DemoScenario;
  let siteId: string;
  const { pilot } = demoInstitutions();
  const DAY = 86_400_000;
  const report = {
    venueAndEquipment: '两间考场共 80 台考生机，设备运行正常。',
    examOrganisation: '本期组织考试 2 场，考务人员均经培训。',
    violations: '无',
    incidents: '无',
    workPlan: '下一阶段计划每季度组织一次考试，并更新监控设备。',
  };
  const deadlineIn = (days: number) => new Date(stack.clock.now() + days * DAY).toISOString();
  const open = (body: unknown, sub = 'demo-admin') => demo.api.call<{ campaignId: string; code?: string; article?: string; message?: { zh: string; en: string } }>(sub, 'POST', '/v1/admin/campaigns', body);
  const campaign = (id: string) => demo.api.expect<{ status: string; siteCount: number; notified: number; submitted: number; missed: number; evaluations: Array<{ siteId: string; status: string }> }>(200, 'demo-reviewer', 'GET', `/v1/admin/campaigns/${id}`);
  const mails = (re: RegExp) => demo.api.mailTo(pilot.user.email).filter((m) => re.test(m.subject));
  type AssessmentPage = { kind: string; status: string; supervision?: { evaluation?: { campaignId: string; status: string }; rubric: { criteria: Array<{ id: string; max: number }> } } };
  /** The pending assessment of a campaign's evaluation, from the decision links in the reviewers' mailboxes. */
  async function assessmentTaskFor(campaignId: string): Promise<{ sub: string; decisionId: string; page: AssessmentPage & { supervision: NonNullable<AssessmentPage['supervision']> } }> {
    for (const r of [{ sub: 'demo-reviewer', email: 'reviewer1@org.example' }, { sub: 'demo-reviewer-2', email: 'reviewer2@org.example' }]) {
      const links = new Set(demo.api.mailTo(r.email).flatMap((m) => [...m.text.matchAll(/\/decisions\/([A-Za-z0-9_-]{20,})/g)].map((x) => x[1]!)));
      for (const decisionId of links) {
        const res = await demo.api.call<AssessmentPage>(r.sub, 'GET', `/v1/decisions/${decisionId}`);
        if (res.status === 200 && res.body.kind === 'assessment' && res.body.status === 'pending' && res.body.supervision?.evaluation?.campaignId === campaignId) {
          return { sub: r.sub, decisionId, page: res.body as AssessmentPage & { supervision: NonNullable<AssessmentPage['supervision']> } };
        }
      }
    }
    throw new Error(`no pending assessment for campaign ${campaignId}`);
  }

  beforeAll(async () => {
    ({ stack, demo } = await startSeededStack(90, 'campaigns'));
    const id = await demo.apply(pilot);
    await demo.submit(pilot, id);
    await demo.decide('approve-for-visit', 'Materials complete.');
    const visit = await demo.decide('approve', 'Rooms as declared.', { recommendation: 'approve' });
    await demo.decide('approve', 'Both passed (Art.4).', {}, visit.sub);
    const sites = await demo.api.expect<{ items: Array<{ siteId: string }> }>(200, pilot.user.sub, 'GET', '/v1/sites');
    siteId = sites.items[0]!.siteId;
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses a deadline too soon (400, Art.20, both languages) and anyone but an admin (403)', async () => {
    const soon = await open({ title: '抽查', deadline: deadlineIn(2), selection: { kind: 'sites', siteIds: [siteId] } });
    expect(soon.status).toBe(400);
    expect(soon.body).toMatchObject({ code: 'CAMPAIGN_DEADLINE_TOO_SOON', article: 'Art.20' });
    expect(JSON.stringify(soon.body)).toMatch(/[\u4e00-\u9fff]/);
    const byApplicant = await open({ title: '抽查', deadline: deadlineIn(10), selection: { kind: 'sites', siteIds: [siteId] } }, pilot.user.sub);
    expect(byApplicant.status).toBe(403);
    const byReviewer = await open({ title: '抽查', deadline: deadlineIn(10), selection: { kind: 'sites', siteIds: [siteId] } }, 'demo-reviewer');
    expect(byReviewer.status).toBe(403);
  });

  it('notifies the site once, takes its report by the deadline, sends no reminder to a site that submitted, and closes', async () => {
    const opened = await open({ title: '2027 春季抽查', deadline: deadlineIn(10), selection: { kind: 'sites', siteIds: [siteId] } });
    expect(opened.status).toBe(202);
    const id = opened.body.campaignId;
    await stack.advance('PT1M');
    expect(await campaign(id)).toMatchObject({ status: 'OPEN', siteCount: 1, notified: 1, submitted: 0, evaluations: [{ siteId, status: 'NOTIFIED' }] });
    expect(mails(/检查评估通知.*2027 春季抽查/)).toHaveLength(1);

    // Staff do not write for a site; the site's member does.
    const byStaff = await demo.api.call('demo-admin', 'PUT', `/v1/sites/${siteId}/evaluations/${id}/report`, report);
    expect(byStaff.status).toBe(403);
    const submitted = await demo.api.expect<{ status: string; report: unknown }>(200, pilot.user.sub, 'PUT', `/v1/sites/${siteId}/evaluations/${id}/report`, report);
    expect(submitted).toMatchObject({ status: 'SUBMITTED', report: expect.objectContaining({ workPlan: report.workPlan }) });
    // A new version before the deadline replaces the report, counted once; it attaches a site document
    // uploaded and validated through the evidence pipeline, never a file of the accreditation (Art.20).
    const { applicationId } = await demo.api.expect<{ applicationId: string }>(200, pilot.user.sub, 'GET', `/v1/sites/${siteId}`);
    const plan = await demo.uploadFile(pilot.user.sub, applicationId, { kind: 'site-document', file: makePdf('Work plan 2027', pilot.creditCode), contentType: 'application/pdf', fileName: '工作计划.pdf' });
    const form = (await demo.api.expect<{ kinds: Array<{ items: Array<{ itemId: string }> }> }>(200, pilot.user.sub, 'GET', `/v1/applications/${applicationId}/evidence?kind=application-form`)).kinds[0]!.items[0]!.itemId;
    const wrongKind = await demo.api.call<{ code: string; article: string }>(pilot.user.sub, 'PUT', `/v1/sites/${siteId}/evaluations/${id}/report`, { ...report, evidenceIds: [form] });
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.body).toMatchObject({ code: 'EVIDENCE_NOT_CITABLE', article: 'Art.20' });
    const replaced = await demo.api.expect<{ report: { evidenceIds: string[] } }>(200, pilot.user.sub, 'PUT', `/v1/sites/${siteId}/evaluations/${id}/report`, {
      ...report,
      incidents: '一次网络中断，10 分钟内恢复。',
      evidenceIds: [plan],
    });
    expect(replaced.report.evidenceIds).toEqual([plan]);

    await stack.advance(11 * DAY);
    expect(await campaign(id)).toMatchObject({ status: 'CLOSED', siteCount: 1, notified: 1, submitted: 1, missed: 0 });
    expect(mails(/即将截止.*2027 春季抽查/)).toHaveLength(0);
    expect(mails(/检查评估通知.*2027 春季抽查/)).toHaveLength(1);
  });

  it('reminds a site that has not submitted, records the missed deadline as a failure (Art.20), and refuses a late report', async () => {
    const opened = await open({ title: '广东省专项检查', deadline: deadlineIn(10), selection: { kind: 'filter', provinceCode: pilot.provinceCode } });
    expect(opened.status).toBe(202);
    const id = opened.body.campaignId;
    await stack.advance('P8D');
    expect(await campaign(id)).toMatchObject({ siteCount: 1, notified: 1, submitted: 0, missed: 0 });
    expect(mails(/即将截止.*广东省专项检查/)).toHaveLength(1);

    await stack.advance('P3D');
    expect(await campaign(id)).toMatchObject({ status: 'CLOSED', missed: 1, evaluations: [{ siteId, status: 'MISSED' }] });
    expect(mails(/逾期未提交.*广东省专项检查/)).toHaveLength(1);
    const late = await demo.api.call<{ code: string; article: string }>(pilot.user.sub, 'PUT', `/v1/sites/${siteId}/evaluations/${id}/report`, report);
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ code: 'EVALUATION_DEADLINE_PASSED', article: 'Art.20' });

    const mine = await demo.api.expect<{ items: Array<{ campaignId: string; status: string }> }>(200, pilot.user.sub, 'GET', `/v1/sites/${siteId}/evaluations`);
    expect(mine.items.map((e) => e.status)).toEqual(['MISSED', 'SUBMITTED']);
    const timeline = await demo.api.call('demo-admin', 'GET', `/v1/admin/campaigns?limit=10`);
    expect(timeline.status).toBe(200);

    // Art.21: the failed evaluation goes to a reviewer like any other; nothing milder than rectification (Art.20).
    await stack.settle();
    const task = await assessmentTaskFor(id);
    expect(task.page.supervision.evaluation).toMatchObject({ campaignId: id, status: 'MISSED' });
    const scores = Object.fromEntries(task.page.supervision.rubric.criteria.map((c) => [c.id, c.max]));
    const mild = await demo.api.call<{ code: string; article: string; message: { zh: string; en: string } }>(task.sub, 'POST', `/v1/decisions/${task.decisionId}`, { outcome: 'warning', reason: '场地设备良好。', scores });
    expect(mild.status).toBe(400);
    expect(mild.body).toMatchObject({ code: 'ASSESSMENT_OUTCOME_TOO_MILD', article: 'Art.20' });
    await demo.api.expect(200, task.sub, 'POST', `/v1/decisions/${task.decisionId}`, { outcome: 'rectify', reason: '逾期未提交检查评估材料（第二十条）。', scores });
    demo.markUsed(task.decisionId);
    await stack.settle();
    const record = await demo.api.expect<{ assessments: Array<{ campaignId: string; verdict: string; outcome: string; missedDeadline?: boolean }>; openRectification: { status: string } | null }>(
      200,
      pilot.user.sub,
      'GET',
      `/v1/sites/${siteId}/supervision`,
    );
    expect(record.assessments.find((a) => a.campaignId === id)).toMatchObject({ verdict: 'fail', outcome: 'rectify', missedDeadline: true });
    expect(record.openRectification).toMatchObject({ status: 'awaiting-report' });
    expect(await campaign(id)).toMatchObject({ missed: 1, evaluations: [{ siteId, status: 'ASSESSED' }] });
  });

  it('answers 404 for a campaign that does not exist and keeps a sample reproducible', async () => {
    const missing = await demo.api.call('demo-admin', 'GET', '/v1/admin/campaigns/01JXXXXXXXXXXXXXXXXXXXXXXX');
    expect(missing.status).toBe(404);
    const sampled = await open({ title: '随机抽查', deadline: deadlineIn(20), selection: { kind: 'filter', sample: { size: 5, seed: 'seed-1' } } });
    expect(sampled.status).toBe(202);
    await stack.advance('PT1M');
    expect(await campaign(sampled.body.campaignId)).toMatchObject({ siteCount: 1, notified: 1 });
  });
});
