import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SQSClient, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { SchedulerClient, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import type { SQSEvent } from 'aws-lambda';
import { readFileSync } from 'node:fs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, vi } from 'vitest';
import { createCampaign, readProgress } from '../../functions/adapters/stores/evaluations.ts';
import { getSite, siteCreationOps, siteItem, updateSiteTimer, type SiteRecord } from '../../functions/adapters/stores/sites.ts';
import { runTransaction } from '../../functions/adapters/stores/table.ts';
import { timerUpdateOf } from '../../functions/use-cases/site-operations/inactivity-timer.ts';
import { normaliseSequencer } from '../../functions/domain/evidence-keys.ts';
import { installTimeSource } from '../../functions/shared/clock.ts';
import { resetConfigCache } from '../../functions/shared/env.ts';
import type { MailMessage } from '../../schemas/mail.schema.ts';
import * as accreditation from '../unit/decisions/helpers.ts';
import * as evidence from '../unit/evidence/fixtures.ts';
import { type FakeVersion, buildPdf, buildPng, sdkBody, setEvidenceEnv, sha256Hex, sliceRange } from '../unit/evidence/helpers.ts';
import { auditOf } from '../unit/accreditation/tasks/helpers.ts';
import { bodyOf, httpEvent, lambdaContext } from '../support/http-event.ts';
import { useTestTable } from '../support/table.ts';
import { workflowFiles } from '../../workflows/index.ts';
import { type FakeFunction, WorkflowTestHarness } from '../workflows/helpers/workflow-harness.ts';
import { fault, figure, mapped, readJson, writeFaultReport } from './fault-matrix/report.ts';
import {
  ACCREDITATION_INPUT,
  ASSESSMENT_INPUT,
  type Effects,
  RECTIFICATION_INPUT,
  REVOCATION_INPUT,
  TRANSIENT_ERRORS,
  WITHDRAWAL_INPUT,
  accreditationFakes,
  assessmentFakes,
  failingOnce,
  putEventsFailingOnce,
  siteExitFakes,
} from './fault-matrix/workflow-fakes.ts';

/**
 * Issue 12 (fault matrix): one named test per fault, each injecting it into
 * the real handlers against DynamoDB Local (or the real ASL on the local
 * Step Functions engine, see the workflow part below) and asserting that
 * nothing was lost and nothing happened twice — audit items, transitions,
 * mails and events counted before and after. A fault already proven
 * elsewhere is a checked mapping row. Figures: `.local/verify/faults.json`.
 */

// ── environment: the handlers read it at import ─────────────────────────────

const SMTP_CONFIG = {
  identity: { kind: 'cognito', domainPrefix: 'exam-site-test' },
  mail: { transport: 'smtp', sender: 'noreply@example.cn', host: 'smtp.example.cn', port: 465, credentialsSecretName: 'exam-site/smtp', ratePerSecond: 100 },
  portalOrigin: 'https://portal.example.cn',
};
accreditation.setAccreditationEnv();
setEvidenceEnv();
process.env.STATE_MACHINE_ARNS = JSON.stringify({
  ...(JSON.parse(process.env.STATE_MACHINE_ARNS!) as Record<string, string>),
  ...Object.fromEntries(['evaluation-campaign', 'site-assessment', 'site-revocation'].map((name) => [name, `arn:aws-cn:states:cn-north-1:000000000000:stateMachine:exam-site-test-${name}`])),
});
process.env.SCHEDULER_TARGET_ARN = 'arn:aws-cn:scheduler:::aws-sdk:sfn:startExecution';
const EVIDENCE_CONFIG = process.env.APP_CONFIG!;
process.env.APP_CONFIG = JSON.stringify(SMTP_CONFIG);
resetConfigCache();

/** The SMTP server, as nodemailer's transport sees it. */
const smtpSend = vi.fn<(mail: { to: string[]; headers: Record<string, string> }) => Promise<{ messageId: string }>>();
vi.mock('nodemailer', () => ({ createTransport: () => ({ sendMail: (mail: { to: string[]; headers: Record<string, string> }) => smtpSend(mail) }) }));

// send-mail reads the mail configuration once, at cold start: SMTP, as in the China regions.
const sendMail = (await import('../../functions/handlers/send-mail.handler.ts')).handler;
process.env.APP_CONFIG = EVIDENCE_CONFIG;
resetConfigCache();
const validateEvidence = (await import('../../functions/handlers/validate-evidence.handler.ts')).handler;
const downloadEvidence = (await import('../../functions/handlers/download-evidence.handler.ts')).handler;
const decide = (await import('../../functions/handlers/decide.handler.ts')).handler;
const recordOutcome = (await import('../../functions/handlers/record-outcome.handler.ts')).handler;
const activateSite = (await import('../../functions/handlers/activate-site.handler.ts')).handler;
const siteMilestoneHandler = (await import('../../functions/handlers/site-milestone.handler.ts')).handler;
const campaignStepHandler = (await import('../../functions/handlers/evaluation-campaign-step.handler.ts')).handler;

const table = useTestTable();
const s3 = mockClient(S3Client);
const events = mockClient(EventBridgeClient);
const sfn = mockClient(SFNClient);
const sqs = mockClient(SQSClient);
const scheduler = mockClient(SchedulerClient);
const secrets = mockClient(SecretsManagerClient);

writeFaultReport();

/** Lets every retry of a workflow task happen (2 s, then 4, 8 …: well within a minute) without touching a deadline of days. */
const RETRY_WINDOW = 60_000;

const serverFault = (name = 'InternalError') => Object.assign(new Error('We encountered an internal error. Please try again.'), { name, $fault: 'server' as const, $metadata: { httpStatusCode: 500 } });

/** Audit items of an owner by action, counted. */
async function auditActions(ownerPk: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const a of await table.audits(ownerPk)) counts[String(a.action)] = (counts[String(a.action)] ?? 0) + 1;
  return counts;
}

/** Hands mails to send-mail as one SQS batch; the ids of the records it gives back for redelivery. */
async function sendMailBatch(messages: readonly MailMessage[]): Promise<string[]> {
  const event = {
    Records: messages.map((body, i) => ({ messageId: `batch-${i}`, receiptHandle: 'r', body: JSON.stringify(body), attributes: {}, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws-cn:sqs:cn-north-1:000000000000:mail', awsRegion: 'cn-north-1' })),
  } as unknown as SQSEvent;
  return ((await sendMail(event, lambdaContext)) as { batchItemFailures: Array<{ itemIdentifier: string }> }).batchItemFailures.map((f) => f.itemIdentifier);
}

/** The mails put on the queue, in order. */
const queued = (): MailMessage[] => sqs.commandCalls(SendMessageCommand).map((c) => JSON.parse(String(c.args[0].input.MessageBody)) as MailMessage);

beforeEach(() => {
  for (const client of [s3, events, sfn, sqs, scheduler, secrets]) client.reset();
  smtpSend.mockReset();
  resetConfigCache();
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'event-1' }] });
  sqs.on(SendMessageCommand).resolves({});
  scheduler.on(UpdateScheduleCommand).resolves({});
  secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ username: 'mailer', password: 'not-a-real-password' }) });
});

// ── S3 object-created events (validate-evidence) ────────────────────────────

describe('evidence: S3 events and upload policies', () => {
  const BUCKET = 'evidence-test';
  const ITEM = '01JB0000000000000000000F0A';
  const KIND = 'policies';
  const KEY = `applications/${evidence.APP_ID}/${KIND}/${ITEM}`;
  const APP_PK = `APP#${evidence.APP_ID}`;
  /** The bucket's versions of the evidence key, as S3 keeps them (versioning on). */
  let versions: FakeVersion[];
  let quarantined: string[];
  let messageNo = 0;
  const T0 = Date.parse('2025-03-01T08:01:00.000Z');
  /** The file the applicant declared when asking for the upload (its size is in the grant). */
  const DECLARED_PDF = buildPdf({ padTo: 4000 });

  beforeAll(() => installTimeSource({ now: () => T0 + 60_000 }));
  afterAll(() => installTimeSource(undefined));

  beforeEach(async () => {
    versions = [];
    quarantined = [];
    s3.on(HeadObjectCommand).callsFake((input: { Key: string; VersionId: string }) => {
      const v = input.Key === KEY ? versions.find((x) => x.versionId === input.VersionId) : undefined;
      if (!v) throw new S3ServiceException({ name: 'NotFound', $fault: 'client', $metadata: { httpStatusCode: 404 } });
      return { ContentLength: v.bytes.length, ChecksumSHA256: v.checksumSha256, ChecksumType: 'FULL_OBJECT' };
    });
    s3.on(GetObjectCommand).callsFake((input: { Key: string; VersionId: string; Range?: string }) => {
      const v = input.Key === KEY ? versions.find((x) => x.versionId === input.VersionId) : undefined;
      if (!v) throw new S3ServiceException({ name: 'NoSuchVersion', $fault: 'client', $metadata: { httpStatusCode: 404 } });
      return { Body: sdkBody(sliceRange(v.bytes, input.Range)) };
    });
    s3.on(CopyObjectCommand).callsFake((input: { Key: string }) => {
      quarantined.push(input.Key);
      return {};
    });
    s3.on(DeleteObjectCommand).callsFake((input: { VersionId: string }) => {
      versions = versions.filter((v) => v.versionId !== input.VersionId);
      return {};
    });
    await table.put(evidence.application('DRAFT'), evidence.membership(evidence.APPLICANT, evidence.CREDIT_CODE));
    await table.put(evidence.evidenceItem(KIND, ITEM, { declaredContentType: 'application/pdf', declaredSize: DECLARED_PDF.length }));
  });

  /** An upload through the item's presigned POST: a new version of the key, and its event (sequencers grow with each upload). */
  function upload(bytes: Uint8Array) {
    const versionId = `v${versions.length + 1}-${sha256Hex(bytes).slice(0, 6)}`;
    versions.push({ versionId, bytes, checksumSha256: Buffer.from(sha256Hex(bytes), 'hex').toString('base64') });
    const sequencer = `0055AED6DCD90281E${versions.length}`;
    return { key: KEY, versionId, size: bytes.length, sequencer };
  }

  function batch(...objects: Array<ReturnType<typeof upload>>): SQSEvent {
    return {
      Records: objects.map((o) => ({
        messageId: `m-${++messageNo}`,
        receiptHandle: 'r',
        body: JSON.stringify({
          version: '0',
          id: `e-${o.versionId}`,
          'detail-type': 'Object Created',
          source: 'aws.s3',
          account: '111122223333',
          time: new Date(T0).toISOString(),
          region: 'cn-north-1',
          resources: [],
          detail: { version: '0', bucket: { name: BUCKET }, object: { key: o.key, size: o.size, etag: 'x', 'version-id': o.versionId, sequencer: o.sequencer }, reason: 'PostObject' },
        }),
        attributes: {} as never,
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws-cn:sqs:cn-north-1:111122223333:evidence',
        awsRegion: 'cn-north-1',
      })),
    };
  }

  async function validate(event: SQSEvent): Promise<void> {
    const out = (await validateEvidence(event, lambdaContext)) as { batchItemFailures: unknown[] };
    expect(out.batchItemFailures).toEqual([]);
  }

  const item = async () => (await table.get(APP_PK, `EVIDENCE#${KIND}#${ITEM}`))!;
  const published = () => events.commandCalls(PutEventsCommand).map((c) => JSON.parse(String(c.args[0].input.Entries?.[0]?.Detail)) as { status: string; itemId: string });

  fault('duplicate S3 object-created events: the same upload validated, audited and announced once', async () => {
    const first = upload(DECLARED_PDF);
    await validate(batch(first));
    const after = { audit: await auditActions(APP_PK), events: published().length, reads: s3.commandCalls(GetObjectCommand).length };
    expect(after.audit).toEqual({ 'evidence-validated': 1 });
    expect(after.events).toBe(1);

    // At-least-once delivery: the same event again, then twice in one batch.
    await validate(batch(first));
    await validate(batch(first, first));

    expect(await auditActions(APP_PK)).toEqual(after.audit);
    expect(published()).toEqual([{ schemaVersion: 1, applicationId: evidence.APP_ID, itemId: ITEM, kind: KIND, status: 'valid' }]);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(after.reads);
    expect(await item()).toMatchObject({ status: 'valid', validatedVersionId: first.versionId, settled: true, lastSequencer: normaliseSequencer(first.sequencer) });
  });

  fault('out-of-order S3 object-created events: a late older event never overwrites the newer result', async () => {
    // Two versions uploaded before either event was handled; the newer event arrives first.
    const older = upload(buildPdf({ padTo: 3000, withoutEof: true }));
    const newer = upload(DECLARED_PDF);
    await validate(batch(newer));
    const recorded = await item();
    await validate(batch(older));
    await validate(batch(newer, older));

    expect(await item()).toEqual(recorded);
    expect(recorded).toMatchObject({ status: 'valid', validatedVersionId: newer.versionId });
    expect(await auditActions(APP_PK)).toEqual({ 'evidence-validated': 1 });
    expect(published().map((e) => e.status)).toEqual(['valid']);
    // The stale event neither read nor quarantined the older version.
    expect(s3.commandCalls(GetObjectCommand).every((c) => c.args[0].input.VersionId === newer.versionId)).toBe(true);
    expect(quarantined).toEqual([]);
  });

  fault('a reused upload policy swapping the file after validation: reviewers still get the validated version (Art.3)', async () => {
    const validated = upload(DECLARED_PDF);
    await validate(batch(validated));
    await table.put(evidence.application('UNDER_REVIEW'));
    const before = await item();

    // The same presigned POST, still within its 600 s, used again for other bytes (S3 versioning keeps both).
    const swapped = upload(buildPng(1200, 900));
    await validate(batch(swapped));
    await validate(batch(swapped));

    const after = await item();
    expect(after).toMatchObject({ status: 'valid', validatedVersionId: validated.versionId, sha256: before.sha256, lastSequencer: before.lastSequencer });
    expect(versions.map((v) => v.versionId)).toEqual([validated.versionId]);
    expect(quarantined).toEqual([`quarantine/${KEY}/${swapped.versionId}`, `quarantine/${KEY}/${swapped.versionId}`]);
    expect(await auditActions(APP_PK)).toEqual({ 'evidence-validated': 1, 'evidence-replacement-refused': 1 });
    expect(published()).toHaveLength(1);

    const download = await downloadEvidence(httpEvent({ sub: evidence.REVIEWER, groups: ['reviewer'], pathParameters: { applicationId: evidence.APP_ID, itemId: ITEM } }), lambdaContext);
    expect(download.statusCode).toBe(200);
    expect(new URL(bodyOf<{ url: string }>(download).url).searchParams.get('versionId')).toBe(validated.versionId);
  });
});

// ── decisions: concurrency and double clicks ────────────────────────────────

describe('decisions: two answers to one task', () => {
  const NOW = Date.parse('2025-03-05T08:00:00.000Z');
  const APP_PK = `APP#${accreditation.APP_ID}`;
  const DECISION_PK = `DECISION#${accreditation.DECISION_ID}`;
  const reviewer = { sub: accreditation.REVIEWER, groups: ['reviewer'] };
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    decide(httpEvent({ ...reviewer, method: 'POST', pathParameters: { decisionId: accreditation.DECISION_ID }, body, headers }), lambdaContext);

  beforeAll(() => installTimeSource({ now: () => NOW }));
  afterAll(() => installTimeSource(undefined));

  beforeEach(async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:aws-cn:states:cn-north-1:000000000000:execution:x:y' });
    await table.put(accreditation.decision(), accreditation.application('UNDER_REVIEW'), accreditation.staff(accreditation.REVIEWER, 'reviewer', 'a@org.example.cn'));
  });

  const writes = async () => ({ app: await auditActions(APP_PK), decision: await auditActions(DECISION_PK) });

  fault('two decisions posted at once on one task: exactly one wins, the other gets 409', async () => {
    const before = await writes();
    const answers = await Promise.all([
      post({ outcome: 'approve-for-visit', reason: '材料齐全，符合第九条要求。' }),
      post({ outcome: 'return', reason: '消防验收材料缺少公章，请补正。' }),
    ]);

    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
    const loser = answers.find((a) => a.statusCode === 409)!;
    expect(bodyOf(loser)).toMatchObject({ code: 'DECISION_ALREADY_MADE', message: { zh: expect.any(String), en: expect.any(String) } });
    const winner = answers.find((a) => a.statusCode === 200)!;
    const delivered = sfn.commandCalls(SendTaskSuccessCommand);
    expect(delivered).toHaveLength(1);
    const stored = (await table.get(DECISION_PK, 'DECISION'))!;
    expect(stored.status).toBe('decided');
    // The workflow resumes with the winner's decision, the one stored.
    const won = bodyOf<{ outcome: string }>(winner).outcome;
    expect(JSON.parse(String(delivered[0]!.args[0].input.output)).outcome).toBe(won);
    expect(stored.outcome).toBe(won);
    const after = await writes();
    // One decision's writes, not two: every audit action the winner wrote appears once.
    for (const [action, count] of Object.entries(after.app)) expect(count - (before.app[action] ?? 0), action).toBeLessThanOrEqual(1);
    for (const [action, count] of Object.entries(after.decision)) expect(count - (before.decision[action] ?? 0), action).toBeLessThanOrEqual(1);

    // The interleaving Promise.all only sometimes hits, forced: the second POST arrives while the first is delivering
    // (saved, the workflow not told yet). It is not a retry: 409, no second SendTaskSuccess (which would expire the task).
    await table.put(accreditation.decision());
    sfn.reset();
    let delivering!: () => void;
    let release!: () => void;
    const inDelivery = new Promise<void>((resolve) => (delivering = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    sfn.on(SendTaskSuccessCommand).callsFake(async () => {
      delivering();
      await gate;
      return {};
    });
    const first = post({ outcome: 'approve-for-visit', reason: '材料齐全，符合第九条要求。' });
    await inDelivery;
    const second = await post({ outcome: 'return', reason: '消防验收材料缺少公章，请补正。' });
    release();
    expect([(await first).statusCode, second.statusCode]).toEqual([200, 409]);
    expect(bodyOf(second)).toMatchObject({ code: 'DECISION_ALREADY_MADE' });
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(1);
    expect((await table.get(DECISION_PK, 'DECISION'))).toMatchObject({ status: 'decided', outcome: 'approve-for-visit', delivered: true });
  });

  fault('Step Functions unreachable when a decision is delivered: saved, then delivered by the reviewer’s next POST, once', async () => {
    sfn.reset();
    sfn.on(SendTaskSuccessCommand).rejectsOnce(serverFault('ServiceUnavailable')).resolves({});
    const body = { outcome: 'approve-for-visit', reason: '材料齐全，符合第九条要求。' };
    const first = await post(body);
    expect(first.statusCode).toBe(503);
    expect(bodyOf(first)).toMatchObject({ code: 'TRY_AGAIN_LATER' });
    expect(await table.get(DECISION_PK, 'DECISION')).toMatchObject({ status: 'decided', delivered: false, deliveryFailedAt: expect.any(String) });

    // The reviewer submits again — twice at once: one repeats the delivery, the other is told it is made.
    const again = await Promise.all([post(body), post(body)]);
    expect(again.map((a) => a.statusCode).sort()).toEqual([200, 409]);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(2);
    expect(await table.get(DECISION_PK, 'DECISION')).toMatchObject({ status: 'decided', outcome: 'approve-for-visit', delivered: true });
    expect((await post(body)).statusCode).toBe(409);
    expect(await auditActions(APP_PK)).toEqual({ 'decision-material-review': 1 });
  });

  fault('a double click: the same decision twice at once with one Idempotency-Key has one effect', async () => {
    const body = { outcome: 'approve-for-visit', reason: '材料齐全，符合第九条要求。' };
    const headers = { 'idempotency-key': 'double-click-0001' };
    const answers = await Promise.all([post(body, headers), post(body, headers)]);
    const codes = answers.map((a) => (a.statusCode === 200 ? 200 : `${a.statusCode} ${bodyOf<{ code: string }>(a).code}`));
    // The second is either the first answer replayed or "still in progress" (409): never a second effect.
    expect(codes).toContain(200);
    for (const c of codes) expect([200, '409 IDEMPOTENCY_IN_PROGRESS']).toContain(c);
    const first = answers.find((a) => a.statusCode === 200)!;
    // The client retries after the lost answer: the first answer again.
    const retried = await post(body, headers);
    expect(retried.statusCode).toBe(200);
    expect(bodyOf(retried)).toEqual(bodyOf(first));

    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(1);
    expect((await table.get(DECISION_PK, 'DECISION'))!.status).toBe('decided');
    for (const count of Object.values(await auditActions(APP_PK))) expect(count).toBe(1);
  });
});

// ── task functions: a crash between the write and the answer ────────────────

describe('task functions: the answer to the workflow lost after the write', () => {
  const ENTERED = '2025-05-06T03:04:05.678Z';
  const APP_PK = `APP#${accreditation.APP_ID}`;

  beforeAll(() => installTimeSource({ now: () => Date.parse(ENTERED) + 1000 }));
  afterAll(() => installTimeSource(undefined));

  beforeEach(async () => {
    await table.put(accreditation.membership(accreditation.APPLICANT, accreditation.CREDIT_CODE));
  });

  const refusal = { code: 'NOT_A_PILOT_COLLEGE', article: 'Art.3(2)', severity: 'blocking', path: 'institution.creditCode', zh: '不在试点院校名单中', en: 'not on the pilot register' };

  fault('a crash after a task’s database write and before its answer: the retry repeats no transition (deterministic audit keys)', async () => {
    // Each step runs to its write, then "crashes" (Lambda.ServiceException: Step Functions sees no answer) and is retried with the same payload.
    const steps: Array<{ name: string; status: string; extra?: Record<string, unknown>; run: () => Promise<unknown>; to: string }> = [
      {
        name: 'RefuseApplication',
        status: 'SCREENING',
        extra: { screening: { standardVersion: '2020-1', eligible: false, outcome: 'refuse', findings: [refusal] } },
        to: 'REJECTED',
        run: () => recordOutcome({ applicationId: accreditation.APP_ID, institutionId: accreditation.CREDIT_CODE, outcome: 'refuse', decision: null, audit: auditOf('RefuseApplication', ENTERED) }, lambdaContext),
      },
      {
        name: 'ActivateSite',
        status: 'DECISION',
        to: 'APPROVED',
        run: () =>
          activateSite(
            { applicationId: accreditation.APP_ID, institutionId: accreditation.CREDIT_CODE, decision: { outcome: 'approve', reason: 'meets the standard', findings: [] }, audit: auditOf('ActivateSite', ENTERED) },
            lambdaContext,
          ),
      },
    ];
    for (const step of steps) {
      await table.clear();
      sqs.resetHistory();
      await table.put(accreditation.membership(accreditation.APPLICANT, accreditation.CREDIT_CODE), accreditation.application(step.status, step.extra ?? {}));
      const first = await step.run();
      const written = { audit: await auditActions(APP_PK), app: await table.get(APP_PK, 'APP'), sites: (await table.withPk('SITE#')).filter((i) => i.sk === 'SITE').length };
      const mails = new Set(queued().map((m) => m.id));

      const retried = await step.run();

      expect((await table.get(APP_PK, 'APP'))!.status, step.name).toBe(step.to);
      expect(await table.get(APP_PK, 'APP'), step.name).toEqual(written.app);
      expect(await auditActions(APP_PK), step.name).toEqual(written.audit);
      expect(Object.values(written.audit).every((n) => n === 1), step.name).toBe(true);
      expect((await table.withPk('SITE#')).filter((i) => i.sk === 'SITE'), step.name).toHaveLength(written.sites);
      // The retry may queue its mail again, under the same id (send-mail sends an id once).
      expect(new Set(queued().map((m) => m.id)), step.name).toEqual(mails);
      expect(retried, step.name).toEqual(first);
    }
  });
});

// ── the mail queue ──────────────────────────────────────────────────────────

describe('mail: the provider failing and the queue redelivering', () => {
  const message = (id: string): MailMessage => ({ id, to: ['manager@college.example.cn'], subject: '申请已退回 / Application returned', text: '中文\n\nEnglish', html: '<p>中文</p><p>English</p>', tag: 'application-returned' });
  const sqsEvent = (...messages: Array<{ messageId: string; body: MailMessage }>): SQSEvent => ({
    Records: messages.map(({ messageId, body }) => ({
      messageId,
      receiptHandle: `r-${messageId}`,
      body: JSON.stringify(body),
      attributes: {} as never,
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws-cn:sqs:cn-north-1:000000000000:mail',
      awsRegion: 'cn-north-1',
    })),
  });
  const deliver = async (event: SQSEvent) => ((await sendMail(event, lambdaContext)) as { batchItemFailures: Array<{ itemIdentifier: string }> }).batchItemFailures;
  const mailLog = async (id: string) => table.get(`MAIL#${id}`, 'MAIL');

  fault('the SMTP server failing: the message is redelivered, then sent once', async () => {
    const tries = new Map<string, number>();
    smtpSend.mockImplementation(async (mail) => {
      const id = mail.headers['X-Exam-Site-Mail-Id']!;
      tries.set(id, (tries.get(id) ?? 0) + 1);
      if (id === 'smtp-retry-1' && tries.get(id)! <= 2) throw Object.assign(new Error('421 4.7.0 Try again later'), { responseCode: 421 });
      return { messageId: `<${id}@smtp.example.cn>` };
    });
    const failing = { messageId: 'q-1', body: message('smtp-retry-1') };

    // First receive: q-1 fails (reported alone, q-2 is sent); SQS redelivers q-1 until the server takes it.
    expect(await deliver(sqsEvent(failing, { messageId: 'q-2', body: message('smtp-ok-1') }))).toEqual([{ itemIdentifier: 'q-1' }]);
    expect(await deliver(sqsEvent(failing))).toEqual([{ itemIdentifier: 'q-1' }]);
    expect(await deliver(sqsEvent(failing))).toEqual([]);
    // A further redelivery (the delete of the message was lost) sends nothing.
    expect(await deliver(sqsEvent(failing))).toEqual([]);

    expect(Object.fromEntries(tries)).toEqual({ 'smtp-retry-1': 3, 'smtp-ok-1': 1 });
    expect(await mailLog('smtp-retry-1')).toMatchObject({ status: 'sent', providerMessageId: '<smtp-retry-1@smtp.example.cn>' });
    expect(await mailLog('smtp-ok-1')).toMatchObject({ status: 'sent' });
  });

  fault('the mail queue redelivering the same SQS message (and the same mail queued twice): one e-mail', async () => {
    smtpSend.mockResolvedValue({ messageId: '<once@smtp.example.cn>' });
    const record = { messageId: 'q-9', body: message('redelivered-1') };
    // The same message received twice at once (at-least-once delivery; two senders): one sends, the other is handed back, never sent.
    const answers = await Promise.all([deliver(sqsEvent(record)), deliver(sqsEvent(record))]);
    expect(answers.flat()).toEqual(answers.flat().length ? [{ itemIdentifier: 'q-9' }] : []);
    // Redelivered later, and the same mail queued again by a retried step: both dropped.
    expect(await deliver(sqsEvent(record, { messageId: 'q-10', body: message('redelivered-1') }))).toEqual([]);

    expect(smtpSend).toHaveBeenCalledTimes(1);
    expect(await mailLog('redelivered-1')).toMatchObject({ status: 'sent', providerMessageId: '<once@smtp.example.cn>' });
  });
});

// ── workflows: transient errors on every task (the ASL Retry paths) ──────────

describe('workflows: transient Lambda errors and DynamoDB throttling on every task', () => {
  interface State {
    Type: string;
    Resource?: string;
    Parameters?: { FunctionName?: string };
    Retry?: Array<{ ErrorEquals: string[]; MaxAttempts?: number }>;
    Branches?: Array<{ States: Record<string, State> }>;
    ItemProcessor?: { States: Record<string, State> };
  }
  const allStates = (states: Record<string, State>): Array<[string, State]> =>
    Object.entries(states).flatMap(([name, state]) => [
      [name, state] as [string, State],
      ...(state.Branches ?? []).flatMap((b) => allStates(b.States)),
      ...(state.ItemProcessor ? allStates(state.ItemProcessor.States) : []),
    ]);
  /** What each kind of Task must retry: the service's transient faults (and, for our functions, TransientError: a DynamoDB throttle or lost race). */
  const MUST_RETRY: Array<[RegExp, string[]]> = [
    [/:lambda:invoke(\.waitForTaskToken)?$/, ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException', 'TransientError']],
    [/:states:startExecution(\.sync(:2)?)?$/, ['StepFunctions.SdkClientException', 'StepFunctions.ExecutionLimitExceededException']],
    [/:events:putEvents$/, ['EventBridge.InternalException', 'EventBridge.ThrottlingException']],
  ];

  fault('every Task state of every workflow retries transient Lambda errors and DynamoDB throttling, and each Lambda task runs behind taskHandler', async () => {
    const checked: string[] = [];
    for (const { name: workflow, file } of workflowFiles()) {
      const definition = readJson<{ States: Record<string, State> }>(file);
      for (const [name, state] of allStates(definition.States).filter(([, st]) => st.Type === 'Task')) {
        const where = `${workflow}.${name}`;
        const rule = MUST_RETRY.find(([re]) => re.test(state.Resource ?? ''));
        expect(rule, `${where}: a Task of a known kind (${state.Resource})`).toBeDefined();
        for (const error of rule![1]) {
          const retrier = (state.Retry ?? []).find((r) => r.ErrorEquals.includes(error));
          expect(retrier, `${where} retries ${error}`).toBeDefined();
          expect(retrier!.MaxAttempts ?? 3, `${where} retries ${error} at least twice`).toBeGreaterThanOrEqual(2);
        }
        // A DynamoDB throttle inside the function reaches Step Functions as TransientError only through taskHandler (asTaskError).
        const fn = /^\$\{(\w+)FunctionArn\}$/.exec(state.Parameters?.FunctionName ?? '')?.[1];
        if (rule![1].includes('TransientError')) {
          expect(fn, `${where} names its function`).toBeDefined();
          const handler = `functions/handlers/${fn!.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}.handler.ts`;
          expect(readFileSync(handler, 'utf8'), `${handler} is a taskHandler`).toMatch(/\btaskHandler\(/);
        }
        checked.push(where);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(50);
    figure('taskStatesWithRetry', checked.length);
    for (const tripwire of ['accreditation.ScreenApplication', 'decision-task.WaitForDecision', 'evaluation-campaign.NotifySites', 'site-milestone.WarnSite', 'site-revocation.PublishSiteRevoked']) expect(checked).toContain(tripwire);
  });

  const review = (outcome: string, extra: Record<string, unknown> = {}) => ({ outcome, reason: 'checked all materials', findings: [], visitorSub: null, decidedBy: 'reviewer-a', ...extra });

  interface Run {
    status: string;
    output: unknown;
    states: string[];
    children: Array<{ status: string; states: string[] }>;
    events: unknown[];
    effects: Effects;
    calls: Record<string, number>;
  }

  async function run(
    workflow: string,
    input: unknown,
    functions: Record<string, FakeFunction>,
    effects: Effects,
    decisions: Array<[string, unknown]>,
    putEvents?: ReturnType<typeof putEventsFailingOnce>,
  ): Promise<Run> {
    const harness = new WorkflowTestHarness({ functions, ...(putEvents ? { putEvents } : {}) });
    try {
      const arn = await harness.start(workflow, input, `${workflow}-fault-matrix`);
      await harness.advance(RETRY_WINDOW);
      // `kind` names a decision task, or `callback:<State>` another callback of the execution.
      for (const [kind, body] of decisions) {
        const pending = kind.startsWith('callback:') ? await harness.nextCallback(kind.slice('callback:'.length), arn) : await harness.nextDecision(kind, arn);
        await harness.sendTaskSuccess(pending.token, body);
        await harness.advance(RETRY_WINDOW);
      }
      const result = await harness.result(arn);
      const calls: Record<string, number> = {};
      for (const i of harness.invocations) calls[i.functionName] = (calls[i.functionName] ?? 0) + 1;
      return {
        status: result.status,
        output: result.output,
        states: harness.statesEntered(arn),
        children: harness.engine.childExecutions(arn).map((c) => ({ status: c.status, states: harness.statesEntered(c.executionArn) })),
        events: harness.events.map((e) => ({ detailType: e.DetailType, detail: JSON.parse(String(e.Detail)) as unknown })),
        effects,
        calls,
      };
    } finally {
      await harness.close();
    }
  }

  let injectedFaults = 0;
  async function compareWithFaults(workflow: string, input: unknown, fakes: (effects: Effects) => Record<string, FakeFunction>, decisions: Array<[string, unknown]>) {
    const cleanEffects: Effects = [];
    const clean = await run(workflow, input, fakes(cleanEffects), cleanEffects, decisions);
    const injected: string[] = [];
    const effects: Effects = [];
    const faulted = await run(workflow, input, failingOnce(fakes(effects), injected), effects, decisions, putEventsFailingOnce(injected));

    expect(clean.status).toBe('SUCCEEDED');
    // Same end, same path, same events, each effect once: the retries are invisible but for the extra calls.
    expect(faulted.status).toBe(clean.status);
    expect(faulted.output).toEqual(clean.output);
    expect(faulted.states).toEqual(clean.states);
    expect(faulted.children).toEqual(clean.children);
    expect(faulted.events).toEqual(clean.events);
    expect(faulted.effects).toEqual(clean.effects);
    const invocations = Object.values(clean.calls).reduce((a, b) => a + b, 0);
    const published = new Set(clean.events.map((e) => JSON.stringify(e))).size;
    expect(injected.filter((i) => !i.startsWith('events:putEvents:'))).toHaveLength(invocations);
    expect(injected.filter((i) => i.startsWith('events:putEvents:'))).toHaveLength(published);
    for (const [fn, n] of Object.entries(clean.calls)) expect(faulted.calls[fn], fn).toBe(2 * n);
    // Every kind of transient error was met (a short run meets the first ones).
    for (const error of TRANSIENT_ERRORS.slice(0, Math.min(TRANSIENT_ERRORS.length, invocations))) expect(injected.some((i) => i.endsWith(`:${error}`)), error).toBe(true);
    injectedFaults += injected.length;
    figure('transientFaultsInjected', injectedFaults);
    return { clean, injected };
  }

  fault('the accreditation with a transient failure injected into every task invocation ends exactly as without faults (Art.4, Art.5)', async () => {
    const { clean } = await compareWithFaults('accreditation', ACCREDITATION_INPUT, accreditationFakes, [
      ['material-review', review('approve-for-visit', { visitorSub: 'reviewer-v' })],
      ['site-visit', { outcome: 'approve', recommendation: 'approve', findings: [], summary: 'venue as described', reason: 'venue as described', decidedBy: 'reviewer-v' }],
      ['final-decision', review('approve', { decidedBy: 'reviewer-b' })],
    ]);
    expect(clean.effects).toEqual(['screen-application', 'open-decision-task:material-review', 'open-decision-task:site-visit', 'open-decision-task:final-decision', 'activate-site']);
    // PublishSiteActivated and PublishApplicationDecided each failed once too (EventBridge.FailedEntry) and published once.
    expect(clean.events.map((e) => (e as { detailType: string }).detailType).sort()).toEqual(['ApplicationDecided', 'SiteActivated']);
  });

  fault('a site assessment and its rectification with a transient failure injected into every task invocation end exactly as without faults (Art.21)', async () => {
    const { clean } = await compareWithFaults('site-assessment', ASSESSMENT_INPUT, assessmentFakes, [
      ['assessment', review('suspend-and-rectify', { scores: {}, rubricVersion: '2026.1' })],
      ['sanction-confirmation', review('confirm', { decidedBy: 'reviewer-b' })],
    ]);
    expect(clean.effects).toEqual([
      'open-decision-task:assessment',
      'site-assessment-step:apply:suspend-and-rectify',
      'open-decision-task:sanction-confirmation',
      'site-assessment-step:confirm:confirm',
    ]);
    const rectification = await compareWithFaults('site-rectification', RECTIFICATION_INPUT, assessmentFakes, [
      ['callback:WaitForReport', { submittedAt: '2025-01-05T00:00:00.000Z' }],
      ['rectification-review', review('pass', { decidedBy: 'reviewer-b' })],
    ]);
    expect(rectification.clean).toMatchObject({ output: { status: 'passed' }, effects: ['site-rectification-step:await-report:', 'open-decision-task:rectification-review', 'site-rectification-step:review:pass'] });
  });

  fault('a site withdrawal and a site revocation with a transient failure injected into every task invocation end exactly as without faults (Art.22, Art.23(3))', async () => {
    const decided = (outcome: string) => ({ outcome, reason: 'read the file and the answer', findings: [], decidedBy: 'admin-b' });
    const withdrawal = await compareWithFaults('site-withdrawal', WITHDRAWAL_INPUT, siteExitFakes, [['withdrawal', decided('agree')]]);
    expect(withdrawal.clean).toMatchObject({ output: { status: 'withdrawn' }, effects: ['open-decision-task:withdrawal', 'site-withdrawal-step:agree'] });
    const revocation = await compareWithFaults('site-revocation', REVOCATION_INPUT, siteExitFakes, [
      ['callback:WaitForRepresentation', { answered: true }],
      ['revocation', decided('revoke')],
    ]);
    expect(revocation.clean).toMatchObject({ output: { status: 'revoked' }, effects: ['site-revocation-step:open-representation', 'open-decision-task:revocation', 'site-revocation-step:revoke'] });
    // PublishSiteRevoked failed once as well, and the event went out once.
    expect(revocation.clean.events).toHaveLength(1);
    expect(revocation.injected.filter((i) => i.startsWith('events:putEvents:'))).toEqual(['events:putEvents:SiteRevoked']);
  });
});

// ── a campaign starter interrupted half-way and resumed ─────────────────────

describe('evaluation campaign: the starter interrupted half-way and resumed (Art.19–20)', () => {
  const SITES = 40;
  const CAMPAIGN = 'C-FAULT';
  const START = '2027-03-01T02:00:00.000Z';
  const INPUT = { campaignId: CAMPAIGN, deadline: '2027-03-20T00:00:00.000Z', reminderAt: null };
  let harness: WorkflowTestHarness;
  afterAll(async () => harness?.close());

  fault('a campaign starter interrupted half-way (the mail queue down until its retries ran out) and started again: every site notified once', async () => {
    harness = new WorkflowTestHarness({ startAt: START, functions: { 'evaluation-campaign-step': (payload) => campaignStepHandler(payload, lambdaContext) } });
    await Promise.all(Array.from({ length: SITES }, (_, i) => {
      const n = String(i).padStart(4, '0');
      const siteId = `01JFAULTSITE0000000000${n}`;
      const creditCode = `12440100MA${n}000X`;
      const at = '2026-01-10T00:00:00.000Z';
      return table.put(
        siteItem({
          siteId, certificateNumber: `CBEC-440000-2026-${n}`, status: 'ACTIVE', version: 1, institutionId: creditCode, institutionName: `学院${n}`, provinceCode: '440000', cityCode: '440100',
          applicationId: `APP-${n}`, activatedAt: at, accreditedRooms: [{ name: 'A101', seats: 40, seatingArrangement: 'every-seat', capacity: 40 }], lastExamAt: null,
          inactivitySince: at, nextMilestoneAt: '2027-10-12T00:00:00.000Z', createdAt: at, updatedAt: at,
        }),
        { ...evidence.membership(`member-${n}`, creditCode), gsi3pk: `INST#${creditCode}#MEMBERS`, gsi3sk: `member-${n}` },
      );
    }));
    await createCampaign(
      { campaignId: CAMPAIGN, title: '2027 春季检查', selection: { kind: 'filter', provinceCode: '440000' }, deadline: INPUT.deadline, status: 'OPEN', siteCount: 0, createdAt: START, createdBy: 'admin-1' },
      { key: { at: START, key: 'campaign-opened' }, event: { actor: { kind: 'user', id: 'admin-1' }, action: 'campaign-opened' } },
    );
    // The mail queue takes 20 notices, then is down longer than the step's retries (2 + 4 + 8 + 16 s).
    const accepted: MailMessage[] = [];
    let down = true;
    sqs.on(SendMessageCommand).callsFake((input: { MessageBody: string }) => {
      if (down && accepted.length >= SITES / 2) throw serverFault('AWS.SimpleQueueService.ServiceUnavailable');
      accepted.push(JSON.parse(input.MessageBody) as MailMessage);
      return {};
    });
    // The campaign's steps queue their notices ten to a SendMessageBatch.
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: Array<{ Id: string; MessageBody: string }> }) => {
      if (down && accepted.length >= SITES / 2) throw serverFault('AWS.SimpleQueueService.ServiceUnavailable');
      accepted.push(...input.Entries.map((e) => JSON.parse(e.MessageBody) as MailMessage));
      return { Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}`, MD5OfMessageBody: '' })), Failed: [] };
    });

    const first = await harness.start('evaluation-campaign', INPUT, `campaign-${CAMPAIGN}`);
    await harness.advance(2 * RETRY_WINDOW);
    expect(await harness.result(first)).toMatchObject({ status: 'FAILED', error: 'CampaignFailed' });
    const evaluations = async () => (await table.withPk(`CAMPAIGN#${CAMPAIGN}`)).filter((i) => String(i.sk).startsWith('EVAL#'));
    const halfway = (await evaluations()).filter((e) => e.status === 'NOTIFIED').length;
    expect(halfway).toBeGreaterThan(0);
    expect(halfway).toBeLessThan(SITES);

    // The queue is back; the operator starts the campaign again with the same input (FailCampaign says so).
    down = false;
    const resumed = await harness.start('evaluation-campaign', INPUT, `campaign-${CAMPAIGN}-resumed`);
    await harness.advance(RETRY_WINDOW);
    expect(harness.describe(resumed).status).toBe('RUNNING');
    expect(harness.statesEntered(resumed)).toContain('WaitForDeadline');

    const all = await evaluations();
    expect(all).toHaveLength(SITES);
    expect(all.every((e) => e.status === 'NOTIFIED')).toBe(true);
    const notices = (await table.all()).filter((i) => i.type === 'audit' && i.action === 'evaluation-notified');
    expect(notices).toHaveLength(SITES);
    expect(new Set(notices.map((a) => a.pk)).size).toBe(SITES);
    expect((await readProgress(CAMPAIGN)).notified).toBe(SITES);
    // A notice queued before the crash may be queued again under its stable id; the sender sends each id once.
    const ids = new Set(accepted.map((m) => m.id));
    expect(ids.size).toBe(SITES);
    smtpSend.mockImplementation(async (mail) => ({ messageId: `<${mail.headers['X-Exam-Site-Mail-Id']}@smtp.example.cn>` }));
    for (let i = 0; i < accepted.length; i += 10) {
      const failures = await sendMailBatch(accepted.slice(i, i + 10));
      expect(failures).toEqual([]);
    }
    expect(smtpSend).toHaveBeenCalledTimes(SITES);
    expect(new Set(smtpSend.mock.calls.map(([mail]) => mail.to.join(','))).size).toBe(SITES);
  }, 120_000);
});

// ── the two-year timer: a scheduler firing late, twice, after a session ──────

describe('the two-year timer: late and repeated fires (Art.23(1))', () => {
  const DAY = 86_400_000;
  const ACTIVATED = '2025-01-01T00:00:00.000Z';
  const at = (days: number) => new Date(Date.parse(ACTIVATED) + days * DAY).toISOString();
  const SITE = '01JFAULTTIMER0000000000001';
  const CREDIT = '124401004558612F1X';
  let harness: WorkflowTestHarness;
  afterAll(async () => harness?.close());

  fault('the scheduler firing late (warn-90 after the warn-30 time), twice, then after the site held a session: each warning once, no revocation', async () => {
    // 65 days late: the T-90 fire arrives after the T-30 time.
    harness = new WorkflowTestHarness({ startAt: at(705), functions: { 'site-milestone': (payload) => siteMilestoneHandler(payload, lambdaContext) } });
    const site: SiteRecord = {
      siteId: SITE, certificateNumber: 'CBEC-440000-2025-FAULT1', status: 'ACTIVE', version: 0, institutionId: CREDIT, institutionName: '学院 F1', provinceCode: '440000', cityCode: '440100',
      applicationId: 'app-fault-1', activatedAt: ACTIVATED, accreditedRooms: [{ name: '机房A', seats: 40, seatingArrangement: 'every-seat', capacity: 40 }], lastExamAt: null,
      ...timerUpdateOf({ anchorAt: ACTIVATED, suspendedMs: 0, warned: [] }), createdAt: ACTIVATED, updatedAt: ACTIVATED,
    };
    expect((await runTransaction(siteCreationOps(site, { key: { at: ACTIVATED, key: 'seed' }, event: { actor: { kind: 'system', id: 'test' }, action: 'activate', article: 'Art.5' } }))).ok).toBe(true);
    await table.put({ ...evidence.membership('timer-member', CREDIT), gsi3pk: `INST#${CREDIT}#MEMBERS`, gsi3sk: 'timer-member' });
    const fire = async (kind: string, day: number, name: string) => {
      const arn = await harness.start('site-milestone', { siteId: SITE, milestone: { kind, at: at(day) } }, name);
      await harness.advance(RETRY_WINDOW);
      expect((await harness.result(arn)).status, name).toBe('SUCCEEDED');
      return harness.statesEntered(arn);
    };
    const warnings = async () => (await table.audits(`SITE#${SITE}`)).filter((a) => a.action === 'inactivity-warning').map((a) => (a.details as { milestone: string }).milestone);
    const mails = () => queued().filter((m) => m.tag === 'inactivity-warning');

    expect(await fire('warn-90', 640, 'late-warn-90')).toContain('WarnSite');
    expect(await warnings()).toEqual(['warn-90']);
    // Re-armed for the next milestone, already due: the warn-30 follows at once.
    expect(await getSite(SITE)).toMatchObject({ warnedMilestones: ['warn-90'], nextMilestoneKind: 'warn-30', nextMilestoneAt: at(700) });

    // The same late fire delivered again (another execution name: the scheduler's retry after a lost answer).
    expect(await fire('warn-90', 640, 'late-warn-90-again')).toContain('IgnoreDuplicate');
    expect(await fire('warn-30', 700, 'late-warn-30')).toContain('WarnSite');
    expect(await fire('warn-30', 700, 'late-warn-30-again')).toContain('IgnoreDuplicate');
    expect(await warnings()).toEqual(['warn-90', 'warn-30']);
    expect(mails().map((m) => m.subject)).toEqual([expect.stringContaining('剩余 90 天'), expect.stringContaining('剩余 30 天')]);

    // A session is held (a new two-year period starts); then the old deadline's fire arrives, late as well.
    const held = new Date(harness.clock.now()).toISOString();
    await updateSiteTimer((await getSite(SITE))!, { ...timerUpdateOf({ anchorAt: held, suspendedMs: 0, warned: [] }), lastExamAt: held });
    await harness.advance(30 * DAY);
    expect(await fire('revoke', 730, 'late-revoke-after-session')).toContain('RearmTimer');

    expect(await getSite(SITE)).toMatchObject({ status: 'ACTIVE', nextMilestoneKind: 'warn-90', nextMilestoneAt: new Date(Date.parse(held) + 640 * DAY).toISOString() });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    expect(await warnings()).toEqual(['warn-90', 'warn-30']);
    expect(mails()).toHaveLength(2);
  }, 60_000);
});

// ── faults proven elsewhere (the row checks the test is still there) ────────

describe('faults proven by other suites', () => {
  mapped(
    'SES failing: the message is retried, then sent once',
    'test/unit/platform/send-mail.test.ts',
    'sends again after a failed attempt: a claim without a send does not block the retry',
  );
  mapped(
    'DynamoDB throttling inside a task function: reported as TransientError (retried by the workflow), nothing written',
    'test/unit/accreditation/tasks/transient-errors.test.ts',
    'reports a DynamoDB throttle left after the SDK retries as TransientError, which the workflow retries, and writes nothing',
  );
  mapped(
    'the scheduler firing twice: the second fire does nothing more',
    'test/unit/site-operations/inactivity-timer.test.ts',
    'a duplicate fire of the same schedule starts nothing new; a second fire of a milestone already acted on sends nothing',
  );
  mapped(
    'the scheduler firing after the site held a session: stale, re-armed, nothing mailed',
    'test/unit/site-operations/inactivity-timer.test.ts',
    'after a held session re-anchored the period, the old warning is stale: it re-arms the new milestone and mails nothing',
  );
  mapped(
    'the scheduler firing after the site was suspended: paused, nothing mailed (Art.21)',
    'test/unit/site-operations/inactivity-timer.test.ts',
    'a fire for a SUSPENDED site (the timer is paused, Art.21) removes the schedule; a WITHDRAWN or REVOKED site is disarmed',
  );
});
