import { SFNClient, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ensureTable, startDynamoDbLocal, type DynamoDbLocal } from '../../../local/dynamodb/dynamodb-local.ts';
import { DECISION_OUTCOMES } from '../../../schemas/api/accreditation.schema.ts';
import { ASSESSMENT_OUTCOMES } from '../../../schemas/records/evaluation.record.ts';
import type { Caller } from '../../../functions/shared/identity.ts';

/**
 * Assessment, the sanction ladder, suspension and rectification (Art.21):
 * the pure rules, then the workflow steps and the site's report against
 * DynamoDB Local. Step Functions and the mail queue are mocked (what they
 * were asked is the point); sessions and the timer's schedule are another
 * slice's seams, mocked to record what they were asked.
 */
const seams = vi.hoisted(() => ({ cancelled: [] as string[], armed: [] as string[] }));
vi.mock('../../../functions/adapters/stores/sessions.ts', () => ({
  openSessionsOf: async () => [],
  cancelOpenSessions: async (siteId: string) => {
    seams.cancelled.push(siteId);
    return [];
  },
}));
vi.mock('../../../functions/use-cases/site-operations/inactivity-timer.ts', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  armInactivityTimer: async (siteId: string) => void seams.armed.push(siteId),
  disarmInactivityTimer: async () => undefined,
}));

const TABLE = 'exam-supervision-test';
Object.assign(process.env, {
  AWS_REGION: 'cn-north-1',
  AWS_ACCESS_KEY_ID: 'AKIATESTEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'test/secret/key',
  TABLE_NAME: TABLE,
  MAIL_QUEUE_URL: 'https://sqs.cn-north-1.amazonaws.com.cn/000000000000/mail',
  STATE_MACHINE_ARNS: JSON.stringify({
    'site-assessment': 'arn:aws-cn:states:cn-north-1:000000000000:stateMachine:exam-site-test-site-assessment',
    'site-rectification': 'arn:aws-cn:states:cn-north-1:000000000000:stateMachine:exam-site-test-site-rectification',
    'site-revocation': 'arn:aws-cn:states:cn-north-1:000000000000:stateMachine:exam-site-test-site-revocation',
  }),
  APP_CONFIG: JSON.stringify({
    identity: { kind: 'cognito', domainPrefix: 'exam-site-test' },
    mail: { transport: 'ses', sender: 'noreply@example.cn' },
    portalOrigin: 'https://portal.example.cn',
    provincialAuthorities: { '440000': 'jyt@gd.gov.example' },
    siteProvinces: ['440000'],
  }),
});

const { installTimeSource } = await import('../../../functions/shared/clock.ts');
const { resetConfigCache } = await import('../../../functions/shared/env.ts');
const { putItem, getItem, listAllAudit } = await import('../../../functions/adapters/stores/table.ts');
const { siteItem } = await import('../../../functions/adapters/stores/sites.ts');
// The campaign's running counts live in its counter shards, summed on read.
const { readProgress } = await import('../../../functions/adapters/stores/evaluations.ts');
const { addEvaluation, addSanctionMark, createCampaign, getEvaluation } = await import('../../../functions/adapters/stores/evaluations.ts');
const { getRectification } = await import('../../../functions/adapters/stores/rectifications.ts');
const { assessmentStep, assessmentOutput } = await import('../../../functions/use-cases/supervision/assessment.ts');
const { rectificationStep, submitRectificationReport, getSiteSupervision } = await import('../../../functions/use-cases/supervision/rectification.ts');
const { applyAssessment, judged, refuseOutcome, routeOf, rectificationDeadline } = await import('../../../functions/domain/supervision/assessment.ts');
const { rubricInForce, scoreAssessment } = await import('../../../functions/domain/supervision/rubric.ts');
const { SUPERVISION_OUTCOMES } = await import('../../../functions/domain/supervision/sanction-ladder.ts');

const sfn = mockClient(SFNClient);
const sqs = mockClient(SQSClient);
const DAY_MS = 86_400_000;
let now = Date.parse('2027-05-01T08:00:00.000Z');
const iso = (ms = now) => new Date(ms).toISOString();
let ddb: DynamoDbLocal;
let seq = 0;

const CREDIT = '12440100455861238H';
const member: Caller = { sub: 'sub-member', groups: ['applicant'], requestId: 'req-1' };
const rubric = rubricInForce('2027-05-01');
const full = Object.fromEntries(rubric.criteria.map((c) => [c.id, c.max]));
/** 74 of 100: passes with a warning (below 75). */
const warnScores = { ...full, 'venue-and-equipment': 10, 'exam-organisation': 14 };
/** A critical criterion at 0: fails. */
const failScores = { ...full, 'work-plan': 0 };
const audit = (stateName: string, executionName: string) => ({ executionName, stateName, enteredTime: iso() });

async function seedSite(): Promise<string> {
  const siteId = `S${String(++seq).padStart(3, '0')}`;
  await putItem(
    siteItem({
      siteId,
      certificateNumber: `CBEC-440000-2026-${siteId}`,
      status: 'ACTIVE',
      version: 0,
      institutionId: CREDIT,
      institutionName: '广州示范职业技术学院',
      provinceCode: '440000',
      cityCode: '440100',
      applicationId: `A${seq}`,
      activatedAt: iso(now - 300 * DAY_MS),
      lastExamAt: null,
      inactivitySince: iso(now - 300 * DAY_MS),
      nextMilestoneAt: iso(now + 300 * DAY_MS),
      createdAt: iso(now - 300 * DAY_MS),
      updatedAt: iso(now - 300 * DAY_MS),
    } as never),
  );
  return siteId;
}

/** A campaign over one site whose deadline passed yesterday, with the site's evaluation as `outcome` left it. */
async function closedCampaign(siteId: string, outcome: 'SUBMITTED' | 'MISSED'): Promise<string> {
  const campaignId = `C${String(++seq).padStart(3, '0')}`;
  const submittedCount = outcome === 'SUBMITTED' ? 1 : 0;
  await createCampaign(
    { campaignId, title: `抽查 ${campaignId}`, selection: { kind: 'sites', siteIds: [siteId] }, deadline: iso(now - DAY_MS), status: 'OPEN', siteCount: 1, notified: 1, submitted: submittedCount, missed: 1 - submittedCount, createdAt: iso(now - 20 * DAY_MS), createdBy: 'admin-a' },
    { key: { at: iso(), key: `c-${campaignId}` }, event: { actor: { kind: 'system', id: 'test' }, action: 'campaign-opened', article: 'Art.19' } },
  );
  await addEvaluation({
    campaignId,
    siteId,
    institutionId: CREDIT,
    institutionName: '广州示范职业技术学院',
    provinceCode: '440000',
    cityCode: '440100',
    deadline: iso(now - DAY_MS),
    status: outcome,
    ...(outcome === 'SUBMITTED'
      ? {
          submittedAt: iso(now - 3 * DAY_MS),
          report: { venueAndEquipment: '考场设备正常运行。', examOrganisation: '组织考试两场。', violations: '无', incidents: '无', workPlan: '每季度组织一次考试。', evidenceIds: [] },
        }
      : { missedAt: iso(now - DAY_MS) }),
    version: 2,
    createdAt: iso(now - 20 * DAY_MS),
  });
  return campaignId;
}

/** A campaign with the site's evaluation submitted. */
const submitted = (siteId: string) => closedCampaign(siteId, 'SUBMITTED');

/** A campaign whose deadline the site let pass without a report: MISSED, with the mark the campaign's close leaves (Art.20). */
async function missed(siteId: string): Promise<string> {
  const campaignId = await closedCampaign(siteId, 'MISSED');
  await addSanctionMark({ siteId, kind: 'missed-deadline', at: iso(now - DAY_MS), article: 'Art.20', campaignId, reason: 'no report by the deadline' });
  return campaignId;
}

const apply = (campaignId: string, siteId: string, outcome: string, scores: Record<string, number>, decidedBy = 'reviewer-a') =>
  assessmentStep({ action: 'apply', campaignId, siteId, decision: { outcome, reason: '依评估标准评分。', decidedBy, scores, rubricVersion: rubric.version }, audit: audit('ApplyAssessment', `assess-${campaignId}-${siteId}`) });
const started = () => sfn.commandCalls(StartExecutionCommand).map((c) => ({ name: c.args[0].input.name, arn: c.args[0].input.stateMachineArn, input: JSON.parse(String(c.args[0].input.input)) as Record<string, unknown> }));
const mails = () => sqs.commandCalls(SendMessageCommand).map((c) => JSON.parse(String(c.args[0].input.MessageBody)) as { to: string[]; subject: string; text: string });
const site = (siteId: string) => getItem({ pk: `SITE#${siteId}`, sk: 'SITE' });

beforeAll(async () => {
  const port = Number(process.env.TEST_PORT_BASE ?? 5200) + 330 + Number(process.env.VITEST_POOL_ID ?? 0) * 20;
  ddb = await startDynamoDbLocal({ port });
  process.env.AWS_ENDPOINT_URL_DYNAMODB = ddb.endpoint;
  const client = new DynamoDBClient({ endpoint: ddb.endpoint });
  await ensureTable(client, TABLE);
  client.destroy();
  installTimeSource({ now: () => now });
  await putItem({ pk: 'USER#sub-member', sk: 'MEMBERSHIP', type: 'membership', sub: 'sub-member', creditCode: CREDIT, institutionName: '广州示范职业技术学院', provinceCode: '440000', cityCode: '440100', role: 'site-manager', email: 'manager@college.example', name: '王老师', invitationId: 'i1', createdAt: iso(), gsi3pk: `INST#${CREDIT}#MEMBERS`, gsi3sk: 'sub-member' });
});

afterAll(async () => {
  installTimeSource(undefined);
  delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
  await ddb?.stop();
});

beforeEach(() => {
  sfn.reset();
  sqs.reset();
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec' });
  sfn.on(SendTaskSuccessCommand).resolves({});
  sqs.on(SendMessageCommand).resolves({});
  resetConfigCache();
  seams.cancelled = [];
  seams.armed = [];
  now += DAY_MS;
});

describe('the assessment rules (Art.21)', () => {
  it('offers the same outcomes in the API, the records and the domain', () => {
    expect([...DECISION_OUTCOMES.assessment]).toEqual([...SUPERVISION_OUTCOMES]);
    expect([...ASSESSMENT_OUTCOMES]).toEqual([...SUPERVISION_OUTCOMES]);
  });

  it('refuses to pass a failing site and to leave a warned one unwarned (ASSESSMENT_OUTCOME_TOO_MILD, Art.21)', () => {
    const failing = scoreAssessment(rubric, failScores);
    expect(refuseOutcome(failing, 'warning')).toMatchObject({ code: 'ASSESSMENT_OUTCOME_TOO_MILD', article: 'Art.21' });
    expect(refuseOutcome(failing, 'rectify')).toBeUndefined();
    expect(refuseOutcome(scoreAssessment(rubric, warnScores), 'pass')).toMatchObject({ code: 'ASSESSMENT_OUTCOME_TOO_MILD' });
    expect(refuseOutcome(scoreAssessment(rubric, full), 'suspend-and-rectify')).toBeUndefined();
  });

  it('escalates a second warning within 12 months to a suspension awaiting confirmation, and leaves its mark for the confirmation', () => {
    const result = scoreAssessment(rubric, warnScores);
    const at = '2027-05-01T00:00:00.000Z';
    const applied = applyAssessment(result, 'warning', [{ kind: 'warning', at: '2026-09-01T00:00:00.000Z' }], at);
    expect(applied).toMatchObject({ decided: 'warning', outcome: 'suspend-and-rectify', route: 'confirm', steps: [{ from: 'warning', to: 'suspend-and-rectify', article: 'Art.21' }] });
    expect(applied.marks).toEqual([]);
    const old = applyAssessment(result, 'warning', [{ kind: 'warning', at: '2026-04-01T00:00:00.000Z' }], at);
    expect(old).toMatchObject({ outcome: 'warning', route: 'done', marks: [{ kind: 'warning', at }] });
  });

  it('routes each outcome: pass and warning end, rectify opens a rectification, a suspension is confirmed, a revocation proposed', () => {
    expect(SUPERVISION_OUTCOMES.map(routeOf)).toEqual(['done', 'done', 'rectify', 'confirm', 'revoke']);
    expect(rectificationDeadline('2027-05-01T00:00:00.000Z')).toBe('2027-05-31T00:00:00.000Z');
  });

  it('checks a decision body against the rubric in force: missing scores and too mild an outcome are refused', async () => {
    const decision = { createdAt: '2027-05-01T00:00:00.000Z' };
    await expect(assessmentOutput(decision, { outcome: 'pass', reason: '评估合格。', scores: { 'venue-and-equipment': 25 } })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(assessmentOutput(decision, { outcome: 'pass', reason: '评估合格。', scores: failScores })).rejects.toMatchObject({ code: 'ASSESSMENT_OUTCOME_TOO_MILD' });
    expect(await assessmentOutput(decision, { outcome: 'rectify', reason: '工作计划缺失。', scores: failScores })).toEqual({ scores: failScores, rubricVersion: rubric.version });
  });

  it('fails an evaluation whose report missed its deadline whatever the scores: nothing milder than rectification (Art.20)', () => {
    const perfect = scoreAssessment(rubric, full);
    expect(judged(perfect, true).verdict).toBe('fail');
    expect(judged(perfect, false).verdict).toBe('pass');
    expect(refuseOutcome(perfect, 'warning', true)).toMatchObject({ code: 'ASSESSMENT_OUTCOME_TOO_MILD', article: 'Art.20', zh: expect.stringContaining('规定的时间内'), en: expect.stringContaining('deadline') });
    expect(refuseOutcome(perfect, 'rectify', true)).toBeUndefined();
    expect(refuseOutcome(perfect, 'pass', false)).toBeUndefined();
  });
});

describe('assessmentStep', () => {
  it('assesses an evaluation that missed its deadline: a pass is refused (Art.20), a rectification applies, its own mark does not escalate it', async () => {
    const siteId = await seedSite();
    const campaignId = await missed(siteId);
    const decision = { createdAt: iso(), siteId, caseId: campaignId };
    await expect(assessmentOutput(decision, { outcome: 'pass', reason: '材料齐全。', scores: full })).rejects.toMatchObject({ code: 'ASSESSMENT_OUTCOME_TOO_MILD', article: 'Art.20' });
    expect(await apply(campaignId, siteId, 'rectify', full)).toMatchObject({ route: 'done', outcome: 'rectify' });
    const evaluation = await getEvaluation(campaignId, siteId);
    expect(evaluation).toMatchObject({ status: 'ASSESSED', missedAt: expect.any(String), assessment: { total: 100, verdict: 'fail', decided: 'rectify', outcome: 'rectify', steps: [] } });
    const audits = await listAllAudit(`SITE#${siteId}`);
    expect(audits.find((a) => a.action === 'evaluation-assessed')).toMatchObject({ details: { missedDeadline: true, verdict: 'fail' } });
    expect((await getSiteSupervision(member, siteId)).assessments).toEqual([expect.objectContaining({ campaignId, missedDeadline: true, verdict: 'fail' })]);
  });

  it('records a pass, counts it into the campaign (decided, outcome_pass) and tells the site', async () => {
    const siteId = await seedSite();
    const campaignId = await submitted(siteId);
    expect(await apply(campaignId, siteId, 'pass', full)).toMatchObject({ route: 'done', outcome: 'pass' });
    const evaluation = await getEvaluation(campaignId, siteId);
    expect(evaluation).toMatchObject({ status: 'ASSESSED', assessment: { total: 100, verdict: 'pass', decided: 'pass', outcome: 'pass', decidedBy: 'reviewer-a' } });
    expect(await readProgress(campaignId)).toMatchObject({ decided: 1, outcome_pass: 1 });
    expect(mails().map((m) => m.subject)).toEqual([expect.stringContaining('综合能力评估结果：合格')]);
    // A retried step changes nothing more.
    expect(await apply(campaignId, siteId, 'pass', full)).toMatchObject({ route: 'done', outcome: 'pass' });
    expect(await readProgress(campaignId)).toMatchObject({ decided: 1 });
  });

  it('escalates a second warning within the window to a suspension, which waits for a second person (no suspension yet)', async () => {
    const siteId = await seedSite();
    await addSanctionMark({ siteId, kind: 'warning', at: iso(now - 100 * DAY_MS), article: 'Art.21', reason: 'earlier campaign' });
    const campaignId = await submitted(siteId);
    expect(await apply(campaignId, siteId, 'warning', warnScores)).toEqual({ route: 'confirm', outcome: 'suspend-and-rectify', assessorSub: 'reviewer-a' });
    expect(await site(siteId)).toMatchObject({ status: 'ACTIVE' });
    expect(await readProgress(campaignId)).toMatchObject({ decided: 1, 'outcome_suspend-and-rectify': 1 });
    expect(started()).toEqual([]);
  });

  it('suspends on confirmation: SUSPENDED with the timer paused, sessions cancelled, a rectification opened and its workflow started', async () => {
    const siteId = await seedSite();
    const campaignId = await submitted(siteId);
    await apply(campaignId, siteId, 'suspend-and-rectify', failScores);
    const out = await assessmentStep({ action: 'confirm', campaignId, siteId, decision: { outcome: 'confirm', reason: '同意暂停考试。', decidedBy: 'reviewer-b' }, audit: audit('ApplyConfirmation', `assess-${campaignId}-${siteId}`) });
    expect(out).toEqual({ confirmation: 'confirm' });
    expect(await site(siteId)).toMatchObject({ status: 'SUSPENDED', suspendedSince: iso(), version: 1 });
    expect(seams.cancelled).toEqual([siteId]);
    expect(seams.armed).toEqual([siteId]);
    expect(await getRectification(siteId, campaignId)).toMatchObject({ status: 'awaiting-report', suspended: true, deadline: iso(now + 30 * DAY_MS) });
    expect(started()).toEqual([{ name: `rectify-${campaignId}-${siteId}`, arn: expect.stringContaining('site-rectification'), input: expect.objectContaining({ rectificationId: campaignId, reportSeconds: 30 * 86_400 }) }]);
    expect((await listAllAudit(`SITE#${siteId}`)).find((a) => a.action === 'suspend')).toMatchObject({ article: 'Art.21', from: 'ACTIVE', to: 'SUSPENDED' });
    expect(mails().some((m) => /暂停考试并限期整改通知/.test(m.subject))).toBe(true);
  });

  it('hands a proposed revocation to the revocation workflow (cause failed-rectification, opened by the assessor, so another person decides)', async () => {
    const siteId = await seedSite();
    const campaignId = await submitted(siteId);
    expect(await apply(campaignId, siteId, 'propose-revocation', failScores)).toMatchObject({ route: 'done', outcome: 'propose-revocation' });
    const revocation = started().find((s) => s.arn?.includes('site-revocation'));
    expect(revocation?.input).toMatchObject({ cause: 'failed-rectification', openedBy: 'reviewer-a', route: 'representation' });
    expect((await getEvaluation(campaignId, siteId))?.assessment).toMatchObject({ outcome: 'propose-revocation', revocationId: revocation?.input.revocationId });
    expect(await site(siteId)).toMatchObject({ status: 'ACTIVE' });
  });

  it('opens a rectification without suspension when the second person rejects the suspension', async () => {
    const siteId = await seedSite();
    const campaignId = await submitted(siteId);
    await apply(campaignId, siteId, 'suspend-and-rectify', failScores);
    await assessmentStep({ action: 'confirm', campaignId, siteId, decision: { outcome: 'reject', reason: '限期整改即可，无需暂停。', decidedBy: 'reviewer-b' }, audit: audit('ApplyConfirmation', `assess-${campaignId}-${siteId}`) });
    expect(await site(siteId)).toMatchObject({ status: 'ACTIVE' });
    expect(await getRectification(siteId, campaignId)).toMatchObject({ status: 'awaiting-report', suspended: false, outcome: 'rectify' });
    expect((await getEvaluation(campaignId, siteId))?.assessment?.confirmation).toMatchObject({ outcome: 'reject', by: 'reviewer-b' });
    expect(seams.cancelled).toEqual([]);
  });
});

describe('rectification (Art.21 限期整改)', () => {
  async function suspendedSite() {
    const siteId = await seedSite();
    const campaignId = await submitted(siteId);
    await apply(campaignId, siteId, 'suspend-and-rectify', failScores);
    await assessmentStep({ action: 'confirm', campaignId, siteId, decision: { outcome: 'confirm', reason: '同意暂停考试。', decidedBy: 'reviewer-b' }, audit: audit('ApplyConfirmation', `assess-${campaignId}-${siteId}`) });
    const exec = `rectify-${campaignId}-${siteId}`;
    await rectificationStep({ action: 'await-report', rectificationId: campaignId, siteId, taskToken: 'token-report-1', audit: audit('WaitForReport', exec) });
    return { siteId, campaignId, exec };
  }

  it('takes the report once by the deadline and resumes the workflow; a second report is refused (RECTIFICATION_CLOSED)', async () => {
    const { siteId, campaignId } = await suspendedSite();
    now += 5 * DAY_MS;
    const view = await submitRectificationReport({ ...member, requestId: 'req-r1' }, siteId, campaignId, { text: '已更换监控设备，重新培训全部考务人员。', evidenceIds: [] });
    expect(view).toMatchObject({ status: 'under-review', report: { text: '已更换监控设备，重新培训全部考务人员。' } });
    expect(JSON.stringify(view)).not.toContain('token');
    expect(sfn.commandCalls(SendTaskSuccessCommand).map((c) => c.args[0].input.taskToken)).toEqual(['token-report-1']);
    await expect(submitRectificationReport({ ...member, requestId: 'req-r2' }, siteId, campaignId, { text: '第二次提交整改报告内容。', evidenceIds: [] })).rejects.toMatchObject({ code: 'RECTIFICATION_CLOSED', article: 'Art.21' });
  });

  it('restores the site when the review passes: ACTIVE, the suspended time added to the timer, the schedule armed again', async () => {
    const { siteId, campaignId, exec } = await suspendedSite();
    const suspendedAt = now;
    await submitRectificationReport({ ...member, requestId: 'req-r3' }, siteId, campaignId, { text: '已完成全部整改事项并附说明。', evidenceIds: [] });
    now += 10 * DAY_MS;
    seams.armed = [];
    expect(await rectificationStep({ action: 'review', rectificationId: campaignId, siteId, decision: { outcome: 'pass', reason: '整改到位。', decidedBy: 'reviewer-a' }, audit: audit('ApplyReview', exec) })).toMatchObject({ status: 'passed' });
    const restored = await site(siteId);
    expect(restored).toMatchObject({ status: 'ACTIVE', suspendedMs: now - suspendedAt });
    expect(restored?.suspendedSince).toBeUndefined();
    expect(seams.armed).toEqual([siteId]);
    expect(await getRectification(siteId, campaignId)).toMatchObject({ status: 'passed', decidedBy: 'reviewer-a' });
    expect(await getItem({ pk: `SITE#${siteId}`, sk: 'RECTIFICATION_OPEN' })).toBeUndefined();
    const record = await getSiteSupervision(member, siteId);
    expect(record).toMatchObject({ status: 'ACTIVE', openRectification: null, assessments: [{ outcome: 'suspend-and-rectify', confirmation: { outcome: 'confirm' } }] });
    expect(record.marks.map((m) => m.kind)).toEqual(['failure', 'suspension', 'rectification-passed']);
    expect(JSON.stringify(record)).not.toMatch(/reviewer-[ab]/);
  });

  it('hands a failed review to the revocation workflow (cause failed-rectification, Art.21); the site stays SUSPENDED until decided', async () => {
    const { siteId, campaignId, exec } = await suspendedSite();
    await submitRectificationReport({ ...member, requestId: 'req-r4' }, siteId, campaignId, { text: '部分整改事项尚在进行中。', evidenceIds: [] });
    sfn.resetHistory();
    const out = await rectificationStep({ action: 'review', rectificationId: campaignId, siteId, decision: { outcome: 'fail', reason: '整改不到位。', decidedBy: 'reviewer-a' }, audit: audit('ApplyReview', exec) });
    expect(out).toMatchObject({ status: 'failed', revocationId: expect.any(String) });
    expect(started()).toEqual([{ name: `revocation-${String(out.revocationId)}`, arn: expect.stringContaining('site-revocation'), input: expect.objectContaining({ cause: 'failed-rectification', route: 'representation', openedBy: 'reviewer-a' }) }]);
    expect(await site(siteId)).toMatchObject({ status: 'SUSPENDED' });
    expect(await getRectification(siteId, campaignId)).toMatchObject({ status: 'failed', revocationId: out.revocationId });
  });

  it('counts a missed deadline as a failure: revocation opened by the workflow, the site told', async () => {
    const { siteId, campaignId, exec } = await suspendedSite();
    now += 31 * DAY_MS;
    await expect(submitRectificationReport({ ...member, requestId: 'req-r5' }, siteId, campaignId, { text: '逾期提交的整改报告内容。', evidenceIds: [] })).rejects.toMatchObject({ code: 'RECTIFICATION_CLOSED' });
    const out = await rectificationStep({ action: 'missed', rectificationId: campaignId, siteId, audit: audit('RecordReportMissed', exec) });
    expect(out).toMatchObject({ status: 'missed', revocationId: expect.any(String) });
    expect(started().find((s) => s.arn?.includes('site-revocation'))?.input).toMatchObject({ cause: 'failed-rectification', openedBy: 'system:workflow:site-rectification' });
    expect(mails().some((m) => /整改报告逾期未提交/.test(m.subject))).toBe(true);
  });
});
