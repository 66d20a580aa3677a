import { PutObjectTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { installTimeSource } from '../../../functions/shared/clock.ts';
import { resetConfigCache } from '../../../functions/shared/env.ts';
import {
  ADMIN,
  APPLICANT,
  APP_ID,
  CREDIT_CODE,
  OTHER_REVIEWER,
  REVIEWER,
  VISITOR,
  application,
  bodyOf,
  decision,
  httpEvent,
  lambdaContext,
  membership,
  setAccreditationEnv,
  staff,
} from '../decisions/helpers.ts';
import { EXECUTION, queuedMails } from './tasks/helpers.ts';
import { useTestTable } from '../../support/table.ts';

setAccreditationEnv();
const list = (await import('../../../functions/handlers/list-stalled-applications.handler.ts')).handler;
const resume = (await import('../../../functions/handlers/resume-stalled-application.handler.ts')).handler;
const close = (await import('../../../functions/handlers/close-stalled-application.handler.ts')).handler;

const table = useTestTable();
const sfn = mockClient(SFNClient);
const sqs = mockClient(SQSClient);
const s3 = mockClient(S3Client);
const NOW = Date.parse('2025-04-01T08:00:00.000Z');
const SINCE = '2025-03-31T00:00:00.000Z';

const admin = { sub: ADMIN, groups: ['admin'] };
const REASON = { reason: '原评审人长期出差，改派他人。' };
const mark = (stage = 'materialReview', reason = 'decision-overdue') => ({ stage, since: SINCE, reason, why: 'the review stayed overdue after its escalations (Art.4)', executionName: EXECUTION });

async function stalled(status: string, stage: string, reason = 'decision-overdue'): Promise<void> {
  await table.put(application(status, { stalled: mark(stage, reason) }));
  await table.put({ pk: 'STALLED', sk: `APP#${APP_ID}`, type: 'stalled-application', applicationId: APP_ID, institutionId: CREDIT_CODE, institutionName: '广州示范职业技术学院', status, ...mark(stage, reason) });
}
const app = async () => (await table.get(`APP#${APP_ID}`, 'APP'))!;
const post = (handler: typeof resume, body: unknown, who = admin) => handler(httpEvent({ ...who, pathParameters: { applicationId: APP_ID }, body }), lambdaContext);
const started = () => sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input);

describe('stalled accreditations (admin routes)', () => {
  beforeAll(() => installTimeSource({ now: () => NOW }));
  afterAll(() => installTimeSource(undefined));

  beforeEach(async () => {
    sfn.reset();
    sqs.reset();
    s3.reset();
    resetConfigCache();
    await table.put(
      staff(ADMIN, 'admin', 'admin@org.example.cn'),
      staff(REVIEWER, 'reviewer', 'a@org.example.cn'),
      staff(OTHER_REVIEWER, 'reviewer', 'b@org.example.cn'),
      staff(VISITOR, 'reviewer', 'v@org.example.cn'),
      { ...membership(APPLICANT, CREDIT_CODE), gsi3pk: `INST#${CREDIT_CODE}#MEMBERS`, gsi3sk: APPLICANT },
    );
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:aws-cn:states:cn-north-1:000000000000:execution:exam-site-test-accreditation:x' });
    sqs.on(SendMessageCommand).resolves({});
    s3.on(PutObjectTaggingCommand).resolves({});
  });

  describe('GET /v1/admin/stalled-applications', () => {
    it('lists each stalled accreditation with its stage, since when and why', async () => {
      await stalled('UNDER_REVIEW', 'materialReview');
      const result = await list(httpEvent({ ...admin }), lambdaContext);
      expect(result.statusCode).toBe(200);
      expect(bodyOf<{ items: unknown[] }>(result).items).toEqual([
        expect.objectContaining({ applicationId: APP_ID, status: 'UNDER_REVIEW', stage: 'materialReview', since: SINCE, reason: 'decision-overdue', why: expect.stringContaining('overdue') }),
      ]);
    });

    it('answers 403 to a reviewer', async () => {
      const result = await list(httpEvent({ sub: REVIEWER, groups: ['reviewer'] }), lambdaContext);
      expect(result.statusCode).toBe(403);
    });
  });

  describe('POST /v1/admin/applications/{applicationId}/resume', () => {
    it('starts a new execution at the stalled stage for the named reviewer, clears the mark and audits it', async () => {
      await stalled('UNDER_REVIEW', 'materialReview');
      const result = await post(resume, { ...REASON, assigneeSub: OTHER_REVIEWER });

      expect(result.statusCode).toBe(200);
      expect(bodyOf(result)).toEqual({ applicationId: APP_ID, stage: 'materialReview', executionName: `${EXECUTION}-resume-1`, replayed: false });
      expect(started()).toHaveLength(1);
      expect(started()[0]!.name).toBe(`${EXECUTION}-resume-1`);
      expect(JSON.parse(started()[0]!.input!)).toMatchObject({ applicationId: APP_ID, institutionId: CREDIT_CODE, startAt: 'materialReview', resumeAssignee: OTHER_REVIEWER, screening: { round: 1, deadlines: expect.any(Object) } });
      expect(await app()).toMatchObject({ status: 'UNDER_REVIEW', stalled: null, resumeCount: 1, lastResume: { executionName: `${EXECUTION}-resume-1`, stage: 'materialReview' } });
      expect(await table.get('STALLED', `APP#${APP_ID}`)).toBeUndefined();
      expect(await table.audits(`APP#${APP_ID}`)).toEqual([expect.objectContaining({ action: 'accreditation-resumed', reason: REASON.reason, actor: expect.objectContaining({ id: ADMIN, role: 'admin' }) })]);
    });

    it('does nothing more when the same resume is sent again: no second execution, no second audit item', async () => {
      await stalled('UNDER_REVIEW', 'materialReview');
      await post(resume, REASON);
      const again = await post(resume, REASON);

      expect(again.statusCode).toBe(200);
      expect(bodyOf(again)).toMatchObject({ executionName: `${EXECUTION}-resume-1`, replayed: true });
      expect(started()).toHaveLength(1);
      expect(await table.audits(`APP#${APP_ID}`)).toHaveLength(1);
      expect((await app()).resumeCount).toBe(1);
    });

    it('clears the mark when an earlier try already started the execution under the same name', async () => {
      await stalled('SITE_VISIT', 'siteVisit');
      sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));
      const result = await post(resume, REASON);
      expect(result.statusCode).toBe(200);
      expect((await app()).stalled).toBeNull();
    });

    it('keeps the visitor away from a reopened final decision (403 FOUR_EYES_REQUIRED)', async () => {
      await stalled('DECISION', 'finalDecision');
      await table.put(decision({ decisionId: 'visit', kind: 'site-visit', status: 'decided', decidedBy: VISITOR, outcome: 'approve', assigneeSub: VISITOR }));
      const result = await post(resume, { ...REASON, assigneeSub: VISITOR });
      expect(result.statusCode).toBe(403);
      expect(bodyOf<{ code: string }>(result).code).toBe('FOUR_EYES_REQUIRED');
      expect(started()).toHaveLength(0);
    });

    it('passes the visitor of the site visit to a resumed final decision', async () => {
      await stalled('DECISION', 'finalDecision');
      await table.put(decision({ decisionId: 'visit', kind: 'site-visit', status: 'decided', decidedBy: VISITOR, outcome: 'approve', assigneeSub: VISITOR }));
      await post(resume, REASON);
      expect(JSON.parse(started()[0]!.input!)).toMatchObject({ startAt: 'finalDecision', visit: { decision: { decidedBy: VISITOR } } });
    });

    it('answers 409 NOT_RESUMABLE for a stall at screening (close it instead)', async () => {
      await stalled('SCREENING', 'screening', 'workflow-error');
      const result = await post(resume, REASON);
      expect(result.statusCode).toBe(409);
      expect(bodyOf<{ code: string; message: { zh: string; en: string } }>(result)).toMatchObject({ code: 'NOT_RESUMABLE', message: { zh: expect.any(String), en: expect.stringContaining('close it instead') } });
    });

    it('answers 409 NOT_STALLED for an accreditation that is not stalled', async () => {
      await table.put(application('UNDER_REVIEW'));
      const result = await post(resume, REASON);
      expect(result.statusCode).toBe(409);
      expect(bodyOf<{ code: string }>(result).code).toBe('NOT_STALLED');
    });

    it('answers 400 for an unknown reviewer and starts nothing', async () => {
      await stalled('UNDER_REVIEW', 'materialReview');
      const result = await post(resume, { ...REASON, assigneeSub: 'nobody' });
      expect(result.statusCode).toBe(400);
      expect(started()).toHaveLength(0);
      expect((await app()).stalled).toMatchObject({ stage: 'materialReview' });
    });
  });

  describe('POST /v1/admin/applications/{applicationId}/close', () => {
    it('closes the application (stalled-closed, policy, Art.4), frees the open-application lock, audits and mails the applicant', async () => {
      await stalled('SITE_VISIT', 'siteVisit');
      await table.put({ pk: `INST#${CREDIT_CODE}`, sk: 'OPENAPP', type: 'open-application', applicationId: APP_ID, creditCode: CREDIT_CODE });
      await table.put(decision({ decisionId: 'dead', kind: 'site-visit', status: 'pending', assigneeSub: VISITOR }));
      const result = await post(close, { reason: '评审无法完成，经研究关闭该申请。' });

      expect(result.statusCode).toBe(200);
      expect(bodyOf(result)).toEqual({ applicationId: APP_ID, status: 'CLOSED', replayed: false });
      expect(await app()).toMatchObject({ status: 'CLOSED', stalled: null, closedFor: 'stalled-closed', gsi2pk: expect.stringMatching(/^APPSTATUS#CLOSED#\d$/) });
      expect(await table.get('STALLED', `APP#${APP_ID}`)).toBeUndefined();
      expect(await table.get('DECISION#dead', 'DECISION')).toMatchObject({ status: 'expired' });
      expect(await table.audits(`APP#${APP_ID}`)).toEqual([expect.objectContaining({ action: 'stalled-closed', article: 'Art.4', from: 'SITE_VISIT', to: 'CLOSED' })]);
      const mails = queuedMails(sqs);
      expect(mails.map((m) => m.to)).toEqual([[`${APPLICANT}@college.example.cn`]]);
      expect(mails[0]!.text).toContain('评审无法完成');
      expect(mails[0]!.text).toContain('may submit a new application');
    });

    it('does nothing more when sent twice', async () => {
      await stalled('UNDER_REVIEW', 'materialReview');
      await post(close, { reason: '评审无法完成，经研究关闭该申请。' });
      const again = await post(close, { reason: '评审无法完成，经研究关闭该申请。' });
      expect(bodyOf(again)).toMatchObject({ status: 'CLOSED', replayed: true });
      expect(await table.audits(`APP#${APP_ID}`)).toHaveLength(1);
      expect(queuedMails(sqs)).toHaveLength(1);
    });

    it('answers 409 NOT_STALLED for an application under way, and changes nothing', async () => {
      await table.put(application('UNDER_REVIEW'));
      const result = await post(close, { reason: '评审无法完成，经研究关闭该申请。' });
      expect(result.statusCode).toBe(409);
      expect((await app()).status).toBe('UNDER_REVIEW');
    });

    it('answers 400 without a reason', async () => {
      await stalled('UNDER_REVIEW', 'materialReview');
      const result = await post(close, {});
      expect(result.statusCode).toBe(400);
      expect((await app()).status).toBe('UNDER_REVIEW');
    });
  });
});
