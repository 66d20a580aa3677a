import { SFNClient, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ensureTable, startDynamoDbLocal, type DynamoDbLocal } from '../../../local/dynamodb/dynamodb-local.ts';
import { siteRevokedSchema } from '../../../schemas/events/site-revoked.schema.ts';
import type { Caller } from '../../../functions/shared/identity.ts';

/**
 * Withdrawal (Art.22) and revocation (Art.23, Art.21) use cases and workflow
 * steps against DynamoDB Local (conditions, transactions and indexes as
 * DynamoDB applies them). Step Functions and the mail queue are mocked:
 * what they were asked is the point. Sessions and the inactivity timer are
 * another slice's: their seams are mocked to say what they would.
 */
const sessions = vi.hoisted(() => ({ open: [] as Array<{ sessionId: string; status: 'SCHEDULED' | 'IN_PROGRESS' }>, cancelled: [] as string[], disarmed: [] as string[] }));
vi.mock('../../../functions/adapters/stores/sessions.ts', () => ({
  openSessionsOf: async () => sessions.open,
  cancelOpenSessions: async (siteId: string) => {
    sessions.cancelled.push(siteId);
    return sessions.open.filter((s) => s.status === 'SCHEDULED').map((s) => s.sessionId);
  },
}));
vi.mock('../../../functions/use-cases/site-operations/inactivity-timer.ts', () => ({
  disarmInactivityTimer: async (siteId: string) => void sessions.disarmed.push(siteId),
}));

const TABLE = 'exam-site-exit-test';
Object.assign(process.env, {
  AWS_REGION: 'cn-north-1',
  AWS_ACCESS_KEY_ID: 'AKIATESTEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'test/secret/key',
  TABLE_NAME: TABLE,
  MAIL_QUEUE_URL: 'https://sqs.cn-north-1.amazonaws.com.cn/000000000000/mail',
  STATE_MACHINE_ARNS: JSON.stringify({
    'site-withdrawal': 'arn:aws-cn:states:cn-north-1:000000000000:stateMachine:exam-site-test-site-withdrawal',
    'site-revocation': 'arn:aws-cn:states:cn-north-1:000000000000:stateMachine:exam-site-test-site-revocation',
    'decision-reminder': 'arn:aws-cn:states:cn-north-1:000000000000:stateMachine:exam-site-test-decision-reminder',
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
const { putStaffUnlessMember } = await import('../../../functions/adapters/stores/staff.ts');
const { getRevocation, getWithdrawal, listCasesOfSite } = await import('../../../functions/adapters/stores/site-cases.ts');
const { requestWithdrawal, withdrawalStep } = await import('../../../functions/use-cases/site-operations/withdrawal.ts');
const { startRevocation, revocationStep } = await import('../../../functions/use-cases/site-operations/revocation.ts');
const { openRevocation, submitRepresentation, listSiteCases } = await import('../../../functions/use-cases/site-operations/site-cases.ts');
const { leastLoadedReviewer } = await import('../../../functions/use-cases/decisions/assignment.ts');
const { loadDecisionFor, getDecisionView } = await import('../../../functions/use-cases/decisions/decision-view.ts');
const { openDecision } = await import('../../../functions/adapters/stores/decisions.ts');

const sfn = mockClient(SFNClient);
const sqs = mockClient(SQSClient);
const DAY_MS = 86_400_000;
let now = Date.parse('2027-03-01T08:00:00.000Z');
const iso = (ms = now) => new Date(ms).toISOString();
let ddb: DynamoDbLocal;
let seq = 0;

const CREDIT = '12440100455861238H';
const member: Caller = { sub: 'sub-member', groups: ['applicant'], requestId: 'req-1' };
const otherMember: Caller = { sub: 'sub-other', groups: ['applicant'], requestId: 'req-2' };
const adminA: Caller = { sub: 'admin-a', groups: ['admin'], requestId: 'req-3' };
const adminB: Caller = { sub: 'admin-b', groups: ['admin'], requestId: 'req-4' };
const reqId = () => `req-${++seq}`;
const audit = (stateName: string, executionName: string) => ({ executionName, stateName, enteredTime: iso() });

async function seedSite(overrides: Record<string, unknown> = {}): Promise<string> {
  const siteId = `S${++seq}`;
  const site = {
    siteId,
    certificateNumber: 'CBEC-440000-2025-ABCDEF',
    status: 'ACTIVE' as const,
    version: 0,
    institutionId: CREDIT,
    institutionName: '广州示范职业技术学院',
    provinceCode: '440000',
    cityCode: '440100',
    applicationId: `A${seq}`,
    activatedAt: iso(now - 800 * DAY_MS),
    lastExamAt: null,
    inactivitySince: iso(now - 800 * DAY_MS),
    nextMilestoneAt: iso(now),
    createdAt: iso(now - 800 * DAY_MS),
    updatedAt: iso(now - 800 * DAY_MS),
    ...overrides,
  };
  await putItem(siteItem(site as never));
  return siteId;
}

const site = async (siteId: string) => getItem({ pk: `SITE#${siteId}`, sk: 'SITE' });
const siteAudit = async (siteId: string) => listAllAudit(`SITE#${siteId}`);
/** The site's audit item of an action (several steps share one virtual instant, so order alone does not say which came last). */
const auditOf = async (siteId: string, action: string) => (await siteAudit(siteId)).find((a) => a.action === action);
const mails = () => sqs.commandCalls(SendMessageCommand).map((c) => JSON.parse(String(c.args[0].input.MessageBody)) as { to: string[]; subject: string; text: string; tag: string });
const started = () => sfn.commandCalls(StartExecutionCommand).map((c) => ({ name: c.args[0].input.name, arn: c.args[0].input.stateMachineArn, input: JSON.parse(String(c.args[0].input.input)) as Record<string, unknown> }));

beforeAll(async () => {
  const port = Number(process.env.TEST_PORT_BASE ?? 5200) + 310 + Number(process.env.VITEST_POOL_ID ?? 0) * 20;
  ddb = await startDynamoDbLocal({ port });
  process.env.AWS_ENDPOINT_URL_DYNAMODB = ddb.endpoint;
  const client = new DynamoDBClient({ endpoint: ddb.endpoint });
  await ensureTable(client, TABLE);
  client.destroy();
  installTimeSource({ now: () => now });
  await putItem({ pk: 'USER#sub-member', sk: 'MEMBERSHIP', type: 'membership', sub: 'sub-member', creditCode: CREDIT, institutionName: '广州示范职业技术学院', provinceCode: '440000', cityCode: '440100', role: 'site-manager', email: 'manager@college.example', name: '王老师', invitationId: 'i1', createdAt: iso(), gsi3pk: `INST#${CREDIT}#MEMBERS`, gsi3sk: 'sub-member' });
  await putItem({ pk: 'USER#sub-other', sk: 'MEMBERSHIP', type: 'membership', sub: 'sub-other', creditCode: '12350100455861238X', institutionName: '另一学院', provinceCode: '350000', cityCode: '350100', role: 'site-manager', email: 'other@college.example', name: '李老师', invitationId: 'i2', createdAt: iso(), gsi3pk: 'INST#12350100455861238X#MEMBERS', gsi3sk: 'sub-other' });
  for (const sub of ['admin-a', 'admin-b']) {
    await putStaffUnlessMember({ sub, name: sub, email: `${sub}@org.example`, role: 'admin', active: true, updatedAt: iso(), updatedBy: 'seed' });
  }
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
  sessions.open = [];
  sessions.cancelled = [];
  sessions.disarmed = [];
});

describe('withdrawal (Art.22)', () => {
  describe('requestWithdrawal', () => {
    it("records the site member's request with its audit item and starts one site-withdrawal execution", async () => {
      const siteId = await seedSite();
      const result = await requestWithdrawal(member, siteId, { reason: '学校专业调整，不再开展考核' }, reqId());
      expect(result).toMatchObject({ siteId, status: 'pending', alreadyPending: false });
      expect(started()).toEqual([{ name: `withdrawal-${result.withdrawalId}`, arn: expect.stringContaining('site-withdrawal'), input: expect.objectContaining({ withdrawalId: result.withdrawalId, siteId, deadlines: expect.objectContaining({ decisionSeconds: 10 * 86_400 }) }) }]);
      expect(await siteAudit(siteId)).toEqual([expect.objectContaining({ action: 'withdrawal-requested', article: 'Art.22', actor: expect.objectContaining({ id: 'sub-member', role: 'applicant' }) })]);
    });

    it('returns the pending request when the site asks again (one open request per site)', async () => {
      const siteId = await seedSite();
      const first = await requestWithdrawal(member, siteId, { reason: '学校专业调整，不再开展考核' }, reqId());
      const second = await requestWithdrawal(member, siteId, { reason: '再次申请退出考核站点' }, reqId());
      expect(second).toMatchObject({ withdrawalId: first.withdrawalId, alreadyPending: true, reason: '学校专业调整，不再开展考核' });
      expect((await listCasesOfSite(siteId)).withdrawals).toHaveLength(1);
    });

    it('refuses while a session is scheduled or in progress, with EXAM_SESSION_OPEN and Art.22, storing nothing', async () => {
      const siteId = await seedSite();
      sessions.open = [{ sessionId: 'X1', status: 'SCHEDULED' }];
      await expect(requestWithdrawal(member, siteId, { reason: '学校专业调整，不再开展考核' }, reqId())).rejects.toMatchObject({ code: 'EXAM_SESSION_OPEN', kind: 'conflict', article: 'Art.22' });
      expect(started()).toEqual([]);
      expect((await listCasesOfSite(siteId)).withdrawals).toEqual([]);
    });

    it('refuses a site that is not ACTIVE (Art.22) and answers 404 to another institution', async () => {
      const suspended = await seedSite({ status: 'SUSPENDED' });
      await expect(requestWithdrawal(member, suspended, { reason: '学校专业调整，不再开展考核' }, reqId())).rejects.toMatchObject({ code: 'WITHDRAWAL_NOT_ALLOWED', article: 'Art.22' });
      const siteId = await seedSite();
      await expect(requestWithdrawal(otherMember, siteId, { reason: '学校专业调整，不再开展考核' }, reqId())).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(requestWithdrawal(adminA, siteId, { reason: '学校专业调整，不再开展考核' }, reqId())).rejects.toMatchObject({ kind: 'forbidden' });
    });
  });

  describe('withdrawalStep', () => {
    async function pending() {
      const siteId = await seedSite();
      const w = await requestWithdrawal(member, siteId, { reason: '学校专业调整，不再开展考核' }, reqId());
      return { siteId, withdrawalId: w.withdrawalId, execution: `withdrawal-${w.withdrawalId}` };
    }
    const agree = { outcome: 'agree', reason: '同意退出，请妥善处理遗留事项', decidedBy: 'admin-b' };

    it('withdraws the site by the lifecycle row withdraw (Art.22): audited with who, when, why; timer removed; site mailed; register index moved', async () => {
      const { siteId, withdrawalId, execution } = await pending();
      const step = { action: 'agree' as const, withdrawalId, siteId, decision: agree, audit: audit('CompleteWithdrawal', execution) };
      expect(await withdrawalStep(step)).toEqual({ withdrawalId, status: 'withdrawn' });
      const stored = await site(siteId);
      expect(stored).toMatchObject({ status: 'WITHDRAWN', version: 1, gsi2pk: expect.stringMatching(/^SITESTATUS#WITHDRAWN#\d$/) });
      expect(stored?.gsi3pk).toBeUndefined();
      expect(await auditOf(siteId, 'withdraw')).toMatchObject({ action: 'withdraw', from: 'ACTIVE', to: 'WITHDRAWN', article: 'Art.22', at: iso(), reason: agree.reason, actor: { kind: 'user', id: 'admin-b', role: 'admin' } });
      expect(await getWithdrawal(siteId, withdrawalId)).toMatchObject({ status: 'withdrawn', decidedBy: 'admin-b' });
      expect(sessions.disarmed).toEqual([siteId]);
      expect(mails()).toEqual([expect.objectContaining({ to: ['manager@college.example'], tag: 'withdrawal-withdrawn', subject: expect.stringContaining('退出申请已同意') })]);
      // A retried step writes nothing twice and mails once (the same mail id).
      expect(await withdrawalStep(step)).toEqual({ withdrawalId, status: 'withdrawn' });
      expect((await siteAudit(siteId)).filter((a) => a.action === 'withdraw')).toHaveLength(1);
      // The site may ask again later? No: it is WITHDRAWN (Art.22).
      await expect(requestWithdrawal(member, siteId, { reason: '学校专业调整，不再开展考核' }, reqId())).rejects.toMatchObject({ code: 'WITHDRAWAL_NOT_ALLOWED' });
    });

    it('refuses at agreement when a session was scheduled since the request (Art.22 both times): case refused, site ACTIVE', async () => {
      const { siteId, withdrawalId, execution } = await pending();
      sessions.open = [{ sessionId: 'X9', status: 'SCHEDULED' }];
      expect(await withdrawalStep({ action: 'agree', withdrawalId, siteId, decision: agree, audit: audit('CompleteWithdrawal', execution) })).toEqual({ withdrawalId, status: 'refused', code: 'EXAM_SESSION_OPEN' });
      expect(await site(siteId)).toMatchObject({ status: 'ACTIVE' });
      expect(await auditOf(siteId, 'withdrawal-refused')).toMatchObject({ action: 'withdrawal-refused', article: 'Art.22' });
      expect(sessions.disarmed).toEqual([]);
      expect(mails()[0]).toMatchObject({ tag: 'withdrawal-refused' });
    });

    it('records a decline and a lapse, leaving the site ACTIVE, and lets the site ask again', async () => {
      const a = await pending();
      expect(await withdrawalStep({ action: 'decline', withdrawalId: a.withdrawalId, siteId: a.siteId, decision: { outcome: 'decline', reason: '本年度考试计划尚未完成', decidedBy: 'admin-b' }, audit: audit('DeclineWithdrawal', a.execution) })).toMatchObject({ status: 'declined' });
      expect(await site(a.siteId)).toMatchObject({ status: 'ACTIVE' });
      expect(await auditOf(a.siteId, 'withdrawal-declined')).toMatchObject({ action: 'withdrawal-declined', actor: { id: 'admin-b' } });
      const again = await requestWithdrawal(member, a.siteId, { reason: '再次申请退出考核站点' }, reqId());
      expect(again.alreadyPending).toBe(false);
      expect(await withdrawalStep({ action: 'lapse', withdrawalId: again.withdrawalId, siteId: a.siteId, decision: { outcome: 'overdue' }, audit: audit('LapseWithdrawal', `withdrawal-${again.withdrawalId}`) })).toMatchObject({ status: 'lapsed' });
      expect(await auditOf(a.siteId, 'withdrawal-lapsed')).toMatchObject({ action: 'withdrawal-lapsed', actor: { kind: 'system' } });
    });
  });
});

describe('revocation (Art.23, Art.21)', () => {
  const misconduct = { cause: 'misconduct' as const, reason: '考试期间组织替考，造成不良社会影响' };

  describe('startRevocation', () => {
    it('opens one case per site and cause: a second start while it is open returns it; another cause opens its own', async () => {
      const siteId = await seedSite();
      const first = await startRevocation({ siteId, ...misconduct, openedBy: { kind: 'user', id: 'admin-a', role: 'admin' } });
      const again = await startRevocation({ siteId, ...misconduct, openedBy: { kind: 'user', id: 'admin-b', role: 'admin' } });
      expect(again).toEqual({ revocationId: first.revocationId, created: false });
      const other = await startRevocation({ siteId, cause: 'inactivity', reason: 'Art.23(1) timer', openedBy: { kind: 'system', id: 'inactivity-timer' } });
      expect(other.created).toBe(true);
      expect(started().map((s) => [s.name, s.input.route])).toEqual([
        [`revocation-${first.revocationId}`, 'representation'],
        [`revocation-${first.revocationId}`, 'representation'],
        [`revocation-${other.revocationId}`, 'inactivity'],
      ]);
      expect((await siteAudit(siteId)).map((a) => `${String(a.action)} ${String(a.article)}`).sort()).toEqual(['revocation-opened Art.23(1)', 'revocation-opened Art.23(3)']);
    });

    it('refuses inactivity for a SUSPENDED site (time suspended does not count) and any cause for an ended site', async () => {
      const suspended = await seedSite({ status: 'SUSPENDED' });
      await expect(startRevocation({ siteId: suspended, cause: 'inactivity', reason: 'timer', openedBy: { kind: 'system', id: 'inactivity-timer' } })).rejects.toMatchObject({ code: 'SITE_NOT_REVOCABLE', article: 'Art.23(1)' });
      const revoked = await seedSite({ status: 'REVOKED' });
      await expect(startRevocation({ siteId: revoked, ...misconduct, openedBy: { kind: 'user', id: 'admin-a' } })).rejects.toMatchObject({ code: 'SITE_NOT_REVOCABLE' });
    });

    it('lets only an admin open a case by the route, with validated evidence only', async () => {
      const siteId = await seedSite();
      await expect(openRevocation(member, siteId, misconduct)).rejects.toMatchObject({ kind: 'forbidden' });
      await expect(openRevocation(adminA, siteId, { ...misconduct, evidenceIds: ['nope'] })).rejects.toMatchObject({ code: 'EVIDENCE_NOT_CITABLE', article: 'Art.23(3)', details: [{ path: 'evidenceIds.0', reason: 'not-found' }] });
      const opened = await openRevocation(adminA, siteId, { ...misconduct, urgent: { reason: '正在组织的考试存在舞弊风险' } });
      expect(opened.alreadyOpen).toBe(false);
      expect(started()[0]!.input).toMatchObject({ route: 'decide', openedBy: 'admin-a', cause: 'misconduct' });
    });
  });

  describe('due process', () => {
    async function opened() {
      const siteId = await seedSite();
      const { revocationId } = await startRevocation({ siteId, ...misconduct, openedBy: { kind: 'user', id: 'admin-a', role: 'admin' } });
      const execution = `revocation-${revocationId}`;
      await revocationStep({ action: 'open-representation', revocationId, siteId, taskToken: 'token-secret-123456789', windowSeconds: 14 * 86_400, audit: audit('WaitForRepresentation', execution) });
      return { siteId, revocationId, execution };
    }

    it('tells the site the cause, reason and the end of its 14-day window; the token stays server-side', async () => {
      const { siteId, revocationId } = await opened();
      const stored = await getRevocation(siteId, revocationId);
      expect(stored).toMatchObject({ status: 'representation', windowEndsAt: iso(now + 14 * DAY_MS), taskToken: 'token-secret-123456789' });
      const [notice] = mails();
      expect(notice).toMatchObject({ to: ['manager@college.example'], tag: 'revocation-notice' });
      expect(notice!.text).toContain('Art.23(3)');
      expect(notice!.text).not.toContain('token-secret');
      const view = await listSiteCases(member, siteId);
      expect(view.revocations[0]).toMatchObject({ revocationId, status: 'representation', windowEndsAt: iso(now + 14 * DAY_MS) });
      expect(JSON.stringify(view)).not.toContain('token-secret');
      expect(JSON.stringify(view)).not.toContain('admin-a');
    });

    it("stores the site's answer once within the window and resumes the workflow with the kept token", async () => {
      const { siteId, revocationId } = await opened();
      const view = await submitRepresentation(member, siteId, revocationId, { text: '我校已对相关人员严肃处理，并整改考务流程。' });
      expect(view).toMatchObject({ status: 'deciding', representation: { text: '我校已对相关人员严肃处理，并整改考务流程。' } });
      expect(sfn.commandCalls(SendTaskSuccessCommand).map((c) => c.args[0].input.taskToken)).toEqual(['token-secret-123456789']);
      const stored = await getRevocation(siteId, revocationId);
      expect(stored?.taskToken).toBeUndefined();
      await expect(submitRepresentation(member, siteId, revocationId, { text: '补充说明：整改已完成。' })).rejects.toMatchObject({ code: 'REPRESENTATION_CLOSED' });
      await expect(submitRepresentation(otherMember, siteId, revocationId, { text: '不是本校的站点。' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('refuses an answer after the window ends', async () => {
      const { siteId, revocationId } = await opened();
      now += 14 * DAY_MS;
      await expect(submitRepresentation(member, siteId, revocationId, { text: '逾期提交的陈述申辩。' })).rejects.toMatchObject({ code: 'REPRESENTATION_CLOSED' });
      expect(sfn.commandCalls(SendTaskSuccessCommand)).toEqual([]);
    });
  });

  describe('revoke', () => {
    async function deciding(overrides: Record<string, unknown> = {}) {
      const siteId = await seedSite(overrides);
      const { revocationId } = await startRevocation({ siteId, ...misconduct, urgent: { reason: '舞弊风险' }, openedBy: { kind: 'user', id: 'admin-a', role: 'admin' } });
      const execution = `revocation-${revocationId}`;
      await revocationStep({ action: 'notify-urgent', revocationId, siteId, audit: audit('NotifyUrgentRevocation', execution) });
      return { siteId, revocationId, execution };
    }

    it('revokes by the cause’s row (Art.23(3)), cancels scheduled sessions, removes the timer, mails the site and the provincial authority, and returns SiteRevoked without personal data', async () => {
      const { siteId, revocationId, execution } = await deciding();
      sessions.open = [{ sessionId: 'X1', status: 'SCHEDULED' }];
      sqs.reset();
      sqs.on(SendMessageCommand).resolves({});
      const result = await revocationStep({ action: 'revoke', revocationId, siteId, decision: { outcome: 'revoke', reason: '事实清楚，证据充分', decidedBy: 'admin-b' }, audit: audit('RevokeSite', execution) });
      const event = siteRevokedSchema.parse(result.siteRevoked);
      expect(event).toMatchObject({ siteId, revocationId, cause: 'misconduct', article: 'Art.23(3)', sessionsCancelled: 1, eventId: `${execution}#RevokeSite`, provinceCode: '440000' });
      expect(JSON.stringify(event)).not.toMatch(/admin-|@|王老师|替考/);
      expect(await site(siteId)).toMatchObject({ status: 'REVOKED', gsi2pk: expect.stringMatching(/^SITESTATUS#REVOKED#/) });
      expect(await auditOf(siteId, 'revoke-misconduct')).toMatchObject({ action: 'revoke-misconduct', from: 'ACTIVE', to: 'REVOKED', article: 'Art.23(3)', actor: { id: 'admin-b' }, reason: misconduct.reason });
      expect(await getRevocation(siteId, revocationId)).toMatchObject({ status: 'revoked', decidedBy: 'admin-b', sessionsCancelled: 1 });
      expect(sessions.cancelled).toEqual([siteId]);
      expect(sessions.disarmed).toEqual([siteId]);
      const sent = mails();
      expect(sent.map((m) => [m.tag, m.to])).toEqual([
        ['site-revoked', ['manager@college.example']],
        ['authority-revocation', ['jyt@gd.gov.example']],
      ]);
      expect(sent[0]!.text).toContain('请立即通知已报名的考生');
      expect(sent[1]!.text).toContain('CBEC-440000-2025-ABCDEF');
      expect(sent[1]!.text).not.toMatch(/王老师|manager@/);
      // A retried step revokes once, answers the same event.
      const again = await revocationStep({ action: 'revoke', revocationId, siteId, decision: { outcome: 'revoke', reason: '事实清楚，证据充分', decidedBy: 'admin-b' }, audit: audit('RevokeSite', execution) });
      expect(again.siteRevoked).toEqual(result.siteRevoked);
      expect((await siteAudit(siteId)).filter((a) => a.to === 'REVOKED')).toHaveLength(1);
    });

    it('refuses the admin who opened the case as the decider (four-eyes): nothing changes', async () => {
      const { siteId, revocationId, execution } = await deciding();
      await expect(revocationStep({ action: 'revoke', revocationId, siteId, decision: { outcome: 'revoke', reason: '事实清楚', decidedBy: 'admin-a' }, audit: audit('RevokeSite', execution) })).rejects.toMatchObject({ code: 'FOUR_EYES_REQUIRED' });
      expect(await site(siteId)).toMatchObject({ status: 'ACTIVE' });
    });

    it('fails loudly, changing nothing, when the site’s province has no authority address (a configuration error, Art.21)', async () => {
      const { siteId, revocationId, execution } = await deciding({ provinceCode: '350000', cityCode: '350100' });
      await expect(revocationStep({ action: 'revoke', revocationId, siteId, decision: { outcome: 'revoke', reason: '事实清楚', decidedBy: 'admin-b' }, audit: audit('RevokeSite', execution) })).rejects.toMatchObject({ name: 'AuthorityAddressMissingError' });
      expect(await site(siteId)).toMatchObject({ status: 'ACTIVE' });
      await revocationStep({ action: 'error', revocationId, siteId, failure: { Error: 'AuthorityAddressMissingError' }, audit: audit('HandleUnexpectedError', execution) });
      expect(await getRevocation(siteId, revocationId)).toMatchObject({ status: 'failed' });
      expect(await auditOf(siteId, 'revocation-failed')).toMatchObject({ action: 'revocation-failed' });
    });

    it('dismisses a case: audited with the decider, site ACTIVE, the cause may be opened again', async () => {
      const { siteId, revocationId, execution } = await deciding();
      expect(await revocationStep({ action: 'dismiss', revocationId, siteId, decision: { outcome: 'dismiss', reason: '证据不足', decidedBy: 'admin-b' }, audit: audit('DismissRevocation', execution) })).toMatchObject({ status: 'dismissed' });
      expect(await site(siteId)).toMatchObject({ status: 'ACTIVE' });
      expect(await auditOf(siteId, 'revocation-dismissed')).toMatchObject({ action: 'revocation-dismissed', actor: { id: 'admin-b' }, reason: '证据不足' });
      expect((await startRevocation({ siteId, ...misconduct, openedBy: { kind: 'user', id: 'admin-a' } })).created).toBe(true);
    });
  });

  describe('inactivity re-check (Art.23(1))', () => {
    it('revokes a site that still held no session for two years, decided by the timer', async () => {
      const siteId = await seedSite();
      const { revocationId } = await startRevocation({ siteId, cause: 'inactivity', reason: 'Art.23(1): two years without a session held', openedBy: { kind: 'system', id: 'inactivity-timer' } });
      const execution = `revocation-${revocationId}`;
      expect(await revocationStep({ action: 'recheck', revocationId, siteId, audit: audit('RecheckInactivity', execution) })).toMatchObject({ stillInactive: true });
      await revocationStep({ action: 'revoke', revocationId, siteId, decision: { outcome: 'revoke', decidedBy: 'system:inactivity-timer', reason: 'Art.23(1)' }, audit: audit('RevokeSite', execution) });
      expect(await auditOf(siteId, 'revoke-inactivity')).toMatchObject({ action: 'revoke-inactivity', article: 'Art.23(1)', actor: { kind: 'system', id: 'system:inactivity-timer' } });
    });

    it('spares a site that just held a session: the case ends spared, the site stays ACTIVE', async () => {
      const siteId = await seedSite({ lastExamAt: iso(now - 3 * DAY_MS) });
      const { revocationId } = await startRevocation({ siteId, cause: 'inactivity', reason: 'Art.23(1): two years without a session held', openedBy: { kind: 'system', id: 'inactivity-timer' } });
      expect(await revocationStep({ action: 'recheck', revocationId, siteId, audit: audit('RecheckInactivity', `revocation-${revocationId}`) })).toMatchObject({ status: 'spared', stillInactive: false });
      expect(await site(siteId)).toMatchObject({ status: 'ACTIVE' });
      expect(await auditOf(siteId, 'revocation-spared')).toMatchObject({ action: 'revocation-spared', article: 'Art.23(1)' });
    });
  });

  describe('the revocation decision task', () => {
    it('goes to the least-loaded active admin other than the opener; the opener is refused with FOUR_EYES_REQUIRED; the decider reads the case', async () => {
      const siteId = await seedSite();
      const { revocationId } = await startRevocation({ siteId, ...misconduct, openedBy: { kind: 'user', id: 'admin-a', role: 'admin' } });
      expect((await leastLoadedReviewer('revocation', ['admin-a'])).sub).toBe('admin-b');
      const applicationId = String((await site(siteId))!.applicationId);
      const record = {
        decisionId: `d-${revocationId}`,
        kind: 'revocation' as const,
        applicationId,
        institutionId: CREDIT,
        institutionName: '广州示范职业技术学院',
        assigneeSub: 'admin-b',
        excludedSub: 'admin-a',
        status: 'pending' as const,
        createdAt: iso(),
        deadline: iso(now + 10 * DAY_MS),
        deadlineMs: now + 10 * DAY_MS,
        stepKey: `revocation-${revocationId}-decision#WaitForDecision#${iso()}`,
        taskToken: 'tt-1',
        siteId,
        caseId: revocationId,
      };
      await openDecision({ record, audit: { key: { at: iso(), key: record.stepKey }, event: { actor: { kind: 'system', id: 'workflow' }, action: 'decision-task-opened', article: 'Art.23(3)' } } });
      await expect(loadDecisionFor({ sub: 'admin-a', groups: ['admin'] }, record.decisionId, false)).rejects.toMatchObject({ code: 'FOUR_EYES_REQUIRED', kind: 'forbidden' });
      const view = await getDecisionView({ sub: 'admin-b', groups: ['admin'] }, record.decisionId);
      expect(view).toMatchObject({ kind: 'revocation', allowedOutcomes: ['revoke', 'dismiss'], siteCase: { site: { siteId, status: 'ACTIVE' }, revocation: { revocationId, cause: 'misconduct', article: 'Art.23(3)', reason: misconduct.reason, representation: null } } });
      expect(JSON.stringify(view)).not.toContain('tt-1');
    });
  });
});
