import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { PutObjectTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Item } from '../../../../functions/adapters/stores/table.ts';
import { storedEvidence } from '../../../../test/support/table-keys.ts';
import { installTimeSource } from '../../../../functions/shared/clock.ts';
import { resetConfigCache } from '../../../../functions/shared/env.ts';
import { applicationDecidedSchema } from '../../../../schemas/events/application-decided.schema.ts';
import {
  APP_ID,
  APPLICANT,
  CREDIT_CODE,
  OTHER_CREDIT_CODE,
  TOKEN,
  VISITOR,
  application,
  decision,
  lambdaContext,
  membership,
  setAccreditationEnv,
} from '../../decisions/helpers.ts';
import { EXECUTION, auditOf, chineseFirst, queuedMails } from './helpers.ts';
import { useTestTable } from '../../../support/table.ts';

setAccreditationEnv();
const { handler } = await import('../../../../functions/handlers/record-outcome.handler.ts');
const { handler: openDecisionTask } = await import('../../../../functions/handlers/open-decision-task.handler.ts');

const table = useTestTable();
const s3 = mockClient(S3Client);
s3.on(PutObjectTaggingCommand).resolves({});
const sqs = mockClient(SQSClient);
const sfn = mockClient(SFNClient);
const ENTERED = '2025-04-01T02:00:00.000Z';
const DAY = 86_400;

const NOT_A_PILOT = {
  code: 'NOT_A_PILOT_COLLEGE',
  article: 'Art.3(2)',
  severity: 'blocking',
  path: 'institution.creditCode',
  zh: '不在试点院校名单中',
  en: 'not on the pilot register',
};
const NO_UPS = { code: 'UPS_TOO_SHORT', article: 'Art.9(6)', severity: 'blocking', path: 'power.upsHours', zh: '不间断电源不足 3 小时', en: 'UPS below 3 hours' };
const ADVISORY = { code: 'ROOMS_NOT_CENTRALISED', article: 'Art.9(4)', severity: 'advisory', path: 'examRooms', zh: '考场设置不集中', en: 'Exam rooms not grouped together' };

const payload = (outcome: string, state: string, overrides: Record<string, unknown> = {}) => ({
  applicationId: APP_ID,
  institutionId: CREDIT_CODE,
  outcome,
  decision: null,
  audit: auditOf(state, ENTERED),
  ...overrides,
});
const record = (p: unknown) => handler(p, lambdaContext);
/** The application as the store assembles it: its status record with the screening item. */
const stored = async (): Promise<Item> => {
  const screening = await table.get(`APP#${APP_ID}`, 'APP#SCREENING');
  return { ...(await table.get(`APP#${APP_ID}`, 'APP'))!, ...(screening ? { screening: screening.screening } : {}) };
};
const audits = async () => await table.audits(`APP#${APP_ID}`);
const finalDecision = { outcome: 'reject', reason: '不间断电源仅能维持 1 小时 / UPS lasts 1 hour', findings: [], decidedBy: 'sub-reviewer-b', decisionId: 'd-final' };

describe('record-outcome task', () => {
  beforeAll(() => installTimeSource({ now: () => Date.parse(ENTERED) + 2000 }));
  afterAll(() => installTimeSource(undefined));

  beforeEach(async () => {
    sqs.reset();
    sfn.reset();
    sqs.on(SendMessageCommand).resolves({});
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:aws-cn:states:cn-north-1:000000000000:execution:r:x' });
    resetConfigCache();
    await table.put(membership(APPLICANT, CREDIT_CODE), membership('sub-second-manager', CREDIT_CODE), membership('sub-elsewhere', OTHER_CREDIT_CODE));
  });

  describe('refuse', () => {
    beforeEach(async () => {
      await table.put(application('SCREENING', { screening: { standardVersion: '2020-1', eligible: false, outcome: 'refuse', findings: [NOT_A_PILOT, NO_UPS] } }));
    });

    it('moves SCREENING → REJECTED citing Art.3(2) and keeps only the refusing findings on the decision (Art.3(2))', async () => {
      const result = await record(payload('refuse', 'RefuseApplication'));

      expect(await stored()).toMatchObject({ status: 'REJECTED', gsi2pk: expect.stringMatching(/^APPSTATUS#REJECTED#\d$/), decidedAt: ENTERED, decision: { outcome: 'refuse', article: 'Art.3(2)' } });
      expect(((await stored()).decision as Item).findings).toEqual([NOT_A_PILOT]);
      expect(await audits()).toEqual([
        expect.objectContaining({ sk: `AUDIT#${ENTERED}#${EXECUTION}#RefuseApplication`, from: 'SCREENING', to: 'REJECTED', action: 'screening-refused', article: 'Art.3(2)', reason: 'NOT_A_PILOT_COLLEGE' }),
      ]);
      expect(applicationDecidedSchema.parse(result.applicationDecided)).toMatchObject({ status: 'REJECTED', outcome: 'refuse', article: 'Art.3(2)', eventId: `${EXECUTION}#RefuseApplication` });
    });

    it("mails every site manager of the applicant, and no one else's, in Chinese first and then English (Art.3(2))", async () => {
      await record(payload('refuse', 'RefuseApplication'));

      const [mail, ...more] = queuedMails(sqs);
      expect(more).toEqual([]);
      expect(mail!.to.sort()).toEqual([`${APPLICANT}@college.example.cn`, 'sub-second-manager@college.example.cn']);
      expect(mail!.tag).toBe('application-refused');
      expect(mail!.subject).toMatch(/^【考核站点】申请未予受理 \/ Exam site application refused$/);
      expect(chineseFirst(mail!.text, '【Art.3(2)】不在试点院校名单中', '[Art.3(2)] not on the pilot register')).toBe(true);
    });

    it('is harmless when replayed: one audit item, one status change, the same event and the same mail id', async () => {
      const first = await record(payload('refuse', 'RefuseApplication'));
      const version = (await stored()).version;

      const second = await record(payload('refuse', 'RefuseApplication'));

      expect(second).toEqual(first);
      expect(await audits()).toHaveLength(1);
      expect((await stored()).version).toBe(version);
      const ids = queuedMails(sqs).map((m) => m.id);
      expect(ids).toHaveLength(2);
      expect(new Set(ids).size).toBe(1);
    });

    it('fails with a non-transient 409 when the application is no longer in screening, writing nothing', async () => {
      await table.put(application('UNDER_REVIEW'));

      const error = await record(payload('refuse', 'RefuseApplication')).catch((e: unknown) => e);

      expect(error).toMatchObject({ code: 'INVALID_TRANSITION', kind: 'conflict' });
      expect((error as Error).name).not.toBe('TransientError');
      expect((await stored()).status).toBe('UNDER_REVIEW');
      expect(await audits()).toEqual([]);
      expect(queuedMails(sqs)).toEqual([]);
    });
  });

  describe('reject', () => {
    it('moves DECISION → REJECTED with the reviewer\'s reason and Art.7 on the record and its audit item (Art.7)', async () => {
      await table.put(application('DECISION'));

      const result = await record(payload('reject', 'RejectApplication', { decision: finalDecision }));

      expect(await stored()).toMatchObject({
        status: 'REJECTED',
        decision: { outcome: 'reject', reason: finalDecision.reason, article: 'Art.7', decidedBy: 'sub-reviewer-b' },
      });
      expect(await audits()).toEqual([
        expect.objectContaining({ sk: `AUDIT#${ENTERED}#${EXECUTION}#RejectApplication`, from: 'DECISION', to: 'REJECTED', action: 'reject', article: 'Art.7', reason: finalDecision.reason }),
      ]);
      expect(applicationDecidedSchema.parse(result.applicationDecided)).toMatchObject({ status: 'REJECTED', outcome: 'reject', article: 'Art.7' });
    });

    it('tags the files of the ended application for expiry after the retention period, withdrawn ones aside (PIPL: ID-card copies)', async () => {
      const evidence = (itemId: string, status: string) => storedEvidence(APP_ID, 'manager-id-copy', itemId, { status });
      await table.put(application('DECISION'), evidence('E1', 'valid'), evidence('E2', 'invalid'), evidence('E3', 'withdrawn'));
      s3.resetHistory();

      await record(payload('reject', 'RejectApplication', { decision: finalDecision }));

      const tagged = s3.commandCalls(PutObjectTaggingCommand).map((c) => c.args[0].input);
      expect(tagged.map((t) => t.Key).sort()).toEqual([`applications/${APP_ID}/manager-id-copy/E1`, `applications/${APP_ID}/manager-id-copy/E2`]);
      expect(tagged[0]!.Tagging!.TagSet).toEqual([{ Key: 'retention', Value: 'application-ended' }]);
      expect(tagged[0]!.Bucket).toBe('exam-site-test-evidence');
    });

    it('records a rejection at material review as review-rejected (Art.7)', async () => {
      await table.put(application('UNDER_REVIEW'));

      await record(payload('reject', 'RejectApplication', { decision: { ...finalDecision, findings: [{ article: 'Art.9(6)', zh: '不间断电源不足', en: 'UPS too short' }] } }));

      expect((await audits())[0]).toMatchObject({ from: 'UNDER_REVIEW', to: 'REJECTED', action: 'review-rejected' });
      expect(((await stored()).decision as Item).findings).toEqual([expect.objectContaining({ code: 'REVIEWER_FINDING', article: 'Art.9(6)', severity: 'blocking' })]);
    });

    it('mails the applicant the reason and the article, in Chinese first and then English (Art.7)', async () => {
      await table.put(application('DECISION'));

      await record(payload('reject', 'RejectApplication', { decision: finalDecision }));

      const [mail] = queuedMails(sqs);
      expect(mail).toMatchObject({ tag: 'application-rejected', to: expect.arrayContaining([`${APPLICANT}@college.example.cn`]) });
      expect(chineseFirst(mail!.text, `理由：${finalDecision.reason}`, `Reason: ${finalDecision.reason}`)).toBe(true);
      expect(chineseFirst(mail!.text, '申请未通过（Art.7）', 'was rejected (Art.7)')).toBe(true);
    });

    it('is harmless when replayed after it succeeded', async () => {
      await table.put(application('DECISION'));
      const first = await record(payload('reject', 'RejectApplication', { decision: finalDecision }));

      const second = await record(payload('reject', 'RejectApplication', { decision: finalDecision }));

      expect(second).toEqual(first);
      expect(await audits()).toHaveLength(1);
      expect((await stored()).status).toBe('REJECTED');
    });

    it('refuses to reject an APPROVED application with a non-transient error (Art.4)', async () => {
      await table.put(application('APPROVED', { siteId: 'S1' }));

      const error = await record(payload('reject', 'RejectApplication', { decision: finalDecision })).catch((e: unknown) => e);

      expect(error).toMatchObject({ name: 'ConflictError', code: 'INVALID_TRANSITION' });
      expect((await stored()).status).toBe('APPROVED');
      expect(await audits()).toEqual([]);
    });
  });

  describe('return', () => {
    it('moves SCREENING → RETURNED with the blocking findings and a deadline returnSeconds after the step (Art.3)', async () => {
      await table.put(application('SCREENING', { screening: { standardVersion: '2020-1', eligible: true, outcome: 'return', findings: [NO_UPS, ADVISORY] } }));

      await record(payload('return', 'ReturnToApplicant', { returnSeconds: 14 * DAY }));

      expect(await stored()).toMatchObject({
        status: 'RETURNED',
        returnCount: 1,
        returnDeadline: '2025-04-15T02:00:00.000Z',
        lastReturn: { source: 'screening', findings: [NO_UPS], at: ENTERED },
      });
      expect(await audits()).toEqual([
        expect.objectContaining({ sk: `AUDIT#${ENTERED}#${EXECUTION}#ReturnToApplicant`, from: 'SCREENING', to: 'RETURNED', action: 'screening-returned', article: 'Art.3' }),
      ]);
    });

    it("moves UNDER_REVIEW → RETURNED with the reviewer's findings and note (Art.4)", async () => {
      await table.put(application('UNDER_REVIEW', { returnCount: 1 }));
      const review = { outcome: 'return', reason: '请补充考场全景照片', findings: [{ article: 'Art.3(3)', zh: '缺少考场全景', en: 'No exam-room overview', severity: 'blocking', path: 'evidence.venue-photo' }] };

      await record(payload('return', 'ReturnToApplicant', { decision: review, returnSeconds: 7 * DAY }));

      expect(await stored()).toMatchObject({ status: 'RETURNED', returnCount: 2, lastReturn: { source: 'review', reason: '请补充考场全景照片' } });
      expect(((await stored()).lastReturn as Item).findings).toEqual([expect.objectContaining({ code: 'REVIEWER_FINDING', article: 'Art.3(3)', zh: '缺少考场全景' })]);
      expect((await audits())[0]).toMatchObject({ action: 'review-returned', article: 'Art.4', reason: '请补充考场全景照片' });
    });

    it('leaves the mail to the correction task, which states the findings and the deadline in Chinese first and then English (Art.3, Art.4)', async () => {
      await table.put(application('SCREENING', { screening: { standardVersion: '2020-1', eligible: true, outcome: 'return', findings: [NO_UPS] } }));
      await record(payload('return', 'ReturnToApplicant', { returnSeconds: 14 * DAY }));
      expect(queuedMails(sqs)).toEqual([]);

      await openDecisionTask(
        { taskToken: TOKEN, kind: 'applicant-correction', applicationId: APP_ID, institutionId: CREDIT_CODE, timeoutSeconds: 14 * DAY, audit: auditOf('WaitForCorrection', ENTERED) },
        lambdaContext,
      );

      const [mail] = queuedMails(sqs);
      expect(mail).toMatchObject({ tag: 'application-returned', to: expect.arrayContaining([`${APPLICANT}@college.example.cn`]) });
      expect(chineseFirst(mail!.text, '【Art.9(6)】不间断电源不足 3 小时', '[Art.9(6)] UPS below 3 hours')).toBe(true);
      expect(chineseFirst(mail!.text, '2025-04-15 10:00（北京时间）', '2025-04-15 10:00 (Beijing time, UTC+8)')).toBe(true);
      expect(JSON.stringify(mail)).not.toContain(TOKEN);
    });

    it('is harmless when replayed: the return is counted once', async () => {
      await table.put(application('SCREENING', { screening: { standardVersion: '2020-1', eligible: true, outcome: 'return', findings: [NO_UPS] } }));
      await record(payload('return', 'ReturnToApplicant', { returnSeconds: 14 * DAY }));

      await record(payload('return', 'ReturnToApplicant', { returnSeconds: 14 * DAY }));

      expect((await stored()).returnCount).toBe(1);
      expect(await audits()).toHaveLength(1);
    });

    it('refuses to return an application in DECISION with a non-transient error', async () => {
      await table.put(application('DECISION'));

      await expect(record(payload('return', 'ReturnToApplicant', { returnSeconds: DAY }))).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
      expect((await stored()).status).toBe('DECISION');
    });
  });

  describe('close', () => {
    const RETURNED_AT = '2025-03-18T02:00:00.000Z';
    const correction = (overrides = {}) =>
      decision({
        decisionId: 'correction-1',
        kind: 'applicant-correction',
        assigneeSub: `INST#${CREDIT_CODE}`,
        createdAt: RETURNED_AT,
        deadline: ENTERED,
        deadlineMs: Date.parse(ENTERED),
        stepKey: `${EXECUTION}#WaitForCorrection#${RETURNED_AT}`,
        ...overrides,
      });

    it('closes a RETURNED application whose correction deadline passed, expires the correction task and mails the applicant (Art.4, policy)', async () => {
      await table.put(application('RETURNED', { returnCount: 1, lastReturn: { findings: [NO_UPS], source: 'screening', at: RETURNED_AT } }), correction());

      const result = await record(payload('close', 'CloseApplication'));

      expect(await stored()).toMatchObject({ status: 'CLOSED', closedFor: 'return-deadline-expired', decidedAt: ENTERED });
      expect(await audits()).toEqual([
        expect.objectContaining({ sk: `AUDIT#${ENTERED}#${EXECUTION}#CloseApplication`, from: 'RETURNED', to: 'CLOSED', action: 'return-deadline-expired', article: 'Art.4' }),
      ]);
      const task = (await table.get('DECISION#correction-1', 'DECISION'))!;
      expect(task).toMatchObject({ status: 'expired' });
      expect(task).not.toHaveProperty('gsi2pk');
      expect(task.taskToken).toBeUndefined();
      const [mail] = queuedMails(sqs);
      expect(mail!.tag).toBe('application-closed');
      expect(chineseFirst(mail!.text, '补正期限已过', 'The correction deadline passed')).toBe(true);
      expect(applicationDecidedSchema.parse(result.applicationDecided)).toMatchObject({ status: 'CLOSED', outcome: 'close' });
    });

    it('closes an application whose last return round is used up through RETURNED, the trail showing the return before the closing (Art.3, policy)', async () => {
      await table.put(application('SCREENING', { round: 4, returnCount: 3, screening: { standardVersion: '2020-1', eligible: true, outcome: 'return', findings: [NO_UPS] } }));

      await record(payload('close', 'CloseApplication'));

      expect(await stored()).toMatchObject({ status: 'CLOSED', closedFor: 'return-rounds-exhausted' });
      expect((await audits()).map((a) => [a.sk, a.from, a.to, a.action, a.article])).toEqual([
        [`AUDIT#${ENTERED}#${EXECUTION}#CloseApplication#returned`, 'SCREENING', 'RETURNED', 'screening-returned', 'Art.3'],
        [`AUDIT#${ENTERED}#${EXECUTION}#CloseApplication#then-closed`, 'RETURNED', 'CLOSED', 'return-rounds-exhausted', 'Art.4'],
      ]);
      const [mail] = queuedMails(sqs);
      expect(chineseFirst(mail!.text, '申请已被退回 3 次', 'returned 3 times')).toBe(true);
      expect(chineseFirst(mail!.text, '【Art.9(6)】不间断电源不足 3 小时', '[Art.9(6)] UPS below 3 hours')).toBe(true);
    });

    it('finishes the rounds case when retried after only its first half was written', async () => {
      await table.put(application('SCREENING', { round: 4, returnCount: 3, screening: { standardVersion: '2020-1', eligible: true, outcome: 'return', findings: [NO_UPS] } }));
      let transactions = 0;
      table.mockStores().on(TransactWriteCommand).callsFake((input: TransactWriteCommandInput) => {
        transactions += 1;
        if (transactions === 2) throw new Error('simulated service failure');
        return table.passThrough(new TransactWriteCommand(input));
      });
      await expect(record(payload('close', 'CloseApplication'))).rejects.toThrow('simulated service failure');
      expect((await stored()).status).toBe('RETURNED');

      await record(payload('close', 'CloseApplication'));

      expect(await stored()).toMatchObject({ status: 'CLOSED', closedFor: 'return-rounds-exhausted' });
      expect(await audits()).toHaveLength(2);
    });

    it('is harmless when replayed after it succeeded: same reason, no further audit item, same mail id', async () => {
      await table.put(application('RETURNED', { returnCount: 1, lastReturn: { findings: [NO_UPS], source: 'screening', at: RETURNED_AT } }), correction());
      const first = await record(payload('close', 'CloseApplication'));

      const second = await record(payload('close', 'CloseApplication'));

      expect(second).toEqual(first);
      expect(await audits()).toHaveLength(1);
      const mails = queuedMails(sqs);
      expect(mails.map((m) => m.id)).toEqual([mails[0]!.id, mails[0]!.id]);
      expect(mails[1]!.text).toBe(mails[0]!.text);
    });

    it('asks to be retried (TransientError) while a late resubmission is being undone, then closes the RETURNED application (Art.4, policy)', async () => {
      await table.put(application('SUBMITTED', { returnCount: 1, lastReturn: { findings: [NO_UPS], source: 'screening', at: RETURNED_AT } }), correction({ status: 'decided', delivered: false }));

      await expect(record(payload('close', 'CloseApplication'))).rejects.toMatchObject({ name: 'TransientError' });
      expect((await stored()).status).toBe('SUBMITTED');
      expect(queuedMails(sqs)).toEqual([]);

      // The submit request undid the resubmission meanwhile; the retry closes.
      await table.put({ ...(await table.get(`APP#${APP_ID}`, 'APP'))!, status: 'RETURNED', gsi2pk: 'APPSTATUS#RETURNED#0' });
      await record(payload('close', 'CloseApplication'));
      expect(await stored()).toMatchObject({ status: 'CLOSED', closedFor: 'return-deadline-expired' });
    });

    it('refuses to close an APPROVED application with a non-transient error', async () => {
      await table.put(application('APPROVED'));

      await expect(record(payload('close', 'CloseApplication'))).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
      expect((await stored()).status).toBe('APPROVED');
      expect(queuedMails(sqs)).toEqual([]);
    });
  });

  describe('error', () => {
    it('writes one audit note and a stalled mark (workflow-error) for the admins, leaves the status, even when retried', async () => {
      await table.put(application('SITE_VISIT'));
      const p = { applicationId: APP_ID, outcome: 'error', failure: { Error: 'NoReviewerAvailableError', Cause: `visitor ${VISITOR}` }, audit: auditOf('HandleUnexpectedError', ENTERED) };

      await record(p);
      await record(p);

      expect((await stored()).status).toBe('SITE_VISIT');
      expect((await stored()).stalled).toMatchObject({ stage: 'siteVisit', since: ENTERED, reason: 'workflow-error', why: `NoReviewerAvailableError: visitor ${VISITOR}`, executionName: EXECUTION });
      expect(await table.get('STALLED', `APP#${APP_ID}`)).toMatchObject({ applicationId: APP_ID, stage: 'siteVisit', reason: 'workflow-error', status: 'SITE_VISIT' });
      expect((await audits()).map((a) => a.action)).toEqual(['workflow-error', 'accreditation-stalled']);
      expect((await audits())[0]).toMatchObject({ reason: `NoReviewerAvailableError: visitor ${VISITOR}` });
    });

    it('marks nothing on an application that has already ended (a failure after the decision was recorded)', async () => {
      await table.put(application('APPROVED'));
      await record({ applicationId: APP_ID, outcome: 'error', failure: { Error: 'EventBridge.FailedEntry' }, audit: auditOf('HandleUnexpectedError', ENTERED) });
      expect((await stored()).stalled).toBeUndefined();
      expect(await table.get('STALLED', `APP#${APP_ID}`)).toBeUndefined();
    });
  });

  describe('stall', () => {
    it('marks the application stalled at its stage with since and why, keeps its status and open-application lock, once even when retried (no dead end)', async () => {
      await table.put(application('UNDER_REVIEW'));
      const p = { applicationId: APP_ID, institutionId: CREDIT_CODE, outcome: 'stall', audit: auditOf('MarkStalled', ENTERED) };

      const first = await record(p);
      const second = await record(p);

      expect(first).toEqual({ stalled: { stage: 'materialReview', since: ENTERED, reason: 'decision-overdue', why: expect.stringContaining('overdue'), executionName: EXECUTION } });
      expect(second).toEqual(first);
      expect(await stored()).toMatchObject({ status: 'UNDER_REVIEW', stalled: first.stalled });
      expect(await table.get('STALLED', `APP#${APP_ID}`)).toMatchObject({ stage: 'materialReview', institutionId: CREDIT_CODE });
      expect((await audits()).map((a) => a.action)).toEqual(['accreditation-stalled']);
    });
  });

  describe('payload', () => {
    it('refuses an unknown outcome as a definition fault, not a retryable error', async () => {
      await table.put(application('SCREENING'));

      await expect(record(payload('approve', 'RefuseApplication'))).rejects.toMatchObject({ name: 'ValidationError' });
      expect((await stored()).status).toBe('SCREENING');
    });
  });
});
