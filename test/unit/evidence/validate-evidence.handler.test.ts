import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { evidenceValidatedDetailSchema } from '../../../schemas/events/evidence-validated.schema.ts';
import { normaliseSequencer } from '../../../functions/domain/evidence-keys.ts';
import { READ_BUDGET_BYTES } from '../../../functions/domain/evidence-inspection.ts';
import { resetConfigCache } from '../../../functions/shared/env.ts';
import { APP_ID, CREDIT_CODE, OTHER_APP_ID, OTHER_CREDIT_CODE, evidenceItem } from './fixtures.ts';
import { buildJpeg, buildPdf, buildPng, lambdaContext, setEvidenceEnv, sha256Hex } from './helpers.ts';
import { useTestTable } from '../../support/table.ts';
import { fakeEvidenceBucket, type FakeEvidenceBucket } from '../../support/fake-evidence-bucket.ts';

setEvidenceEnv();
const { handler } = await import('../../../functions/handlers/validate-evidence.handler.ts');

const table = useTestTable();
const s3 = mockClient(S3Client);
const events = mockClient(EventBridgeClient);
const BUCKET = 'evidence-test';
const ITEM = '01JB0000000000000000000T0A';
const ITEM_2 = '01JB0000000000000000000T0B';
let bucket: FakeEvidenceBucket;

function keyOf(kind: string, itemId = ITEM): string {
  return `applications/${APP_ID}/${kind}/${itemId}`;
}

/** Stores an object version and the pending item the upload was granted for. */
async function uploaded(kind: string, bytes: Uint8Array, declaredContentType: string, options: { itemId?: string; versionId?: string; checksum?: boolean } = {}) {
  const itemId = options.itemId ?? ITEM;
  const versionId = options.versionId ?? 'v1';
  const key = keyOf(kind, itemId);
  bucket.put(key, versionId, bytes, { checksum: options.checksum ?? true });
  if (!(await table.get(`APP#${APP_ID}`, `EVIDENCE#${kind}#${itemId}`))) {
    await table.put(evidenceItem(kind, itemId, { declaredContentType, declaredSize: bytes.length }));
  }
  return { key, versionId, size: bytes.length };
}

let messageNo = 0;
function sqsBatch(...objectsCreated: Array<{ key: string; versionId: string; size: number; sequencer: string }>): SQSEvent {
  return {
    Records: objectsCreated.map((o) => ({
      messageId: `m-${++messageNo}`,
      receiptHandle: 'r',
      body: JSON.stringify({
        version: '0',
        id: 'e',
        'detail-type': 'Object Created',
        source: 'aws.s3',
        account: '111122223333',
        time: '2025-03-01T08:01:00Z',
        region: 'cn-north-1',
        resources: [],
        detail: { version: '0', bucket: { name: BUCKET }, object: { key: o.key, size: o.size, etag: 'x', 'version-id': o.versionId, sequencer: o.sequencer }, reason: 'POST Object' },
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

async function validate(event: SQSEvent) {
  return (await handler(event, lambdaContext)) as { batchItemFailures: Array<{ itemIdentifier: string }> };
}

/** The item the validator's conditional update wrote, as stored. */
async function recorded(): Promise<Record<string, unknown>> {
  const key = table.sent(UpdateCommand)[0]?.Key;
  return (key && (await table.get(String(key.pk), String(key.sk)))) ?? {};
}

/** Bytes the validator read from S3, over every ranged GET of the test. */
function bytesRead(): number {
  return bucket.bytesRead();
}

function published() {
  return events.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries?.[0]);
}

describe('validate-evidence handler', () => {
  beforeEach(async () => {
    s3.reset();
    events.reset();
    resetConfigCache();
    bucket = fakeEvidenceBucket(s3);
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'event-1' }] });
  });

  it('records a well-formed PDF as valid with its SHA-256, type and size, and publishes EvidenceValidated (Art.3(1))', async () => {
    const pdf = buildPdf({ padTo: 3000 });
    const o = await uploaded('application-form', pdf, 'application/pdf');
    const out = await validate(sqsBatch({ ...o, sequencer: '0055AED6DCD90281E5' }));
    expect(out.batchItemFailures).toEqual([]);
    expect(await recorded()).toMatchObject({ status: 'valid', validatedVersionId: 'v1', sha256: sha256Hex(pdf), size: pdf.length, detectedType: 'application/pdf' });
    // No reasons: an empty list is not stored (the item stays under 1 KB, one write unit a rewrite).
    expect(await recorded()).not.toHaveProperty('reasons');
    // One conditional UpdateItem, no transaction (half the write units); the audit event follows it, once.
    expect(table.sent(TransactWriteCommand)).toHaveLength(0);
    expect(table.sent(UpdateCommand)[0]?.ConditionExpression).toContain('#seq < :seq');
    expect((await table.audits(`APP#${APP_ID}`)).filter((a) => a.action === 'evidence-validated')).toEqual([expect.objectContaining({ from: 'pending', to: 'valid', article: expect.any(String) })]);
    expect(await recorded()).toMatchObject({ settled: true });
    expect(await recorded()).not.toHaveProperty('auditFrom');
    const [entry] = published();
    expect(entry).toMatchObject({ Source: 'exam-site.evidence', DetailType: 'EvidenceValidated', EventBusName: 'exam-site-test-bus' });
    expect(evidenceValidatedDetailSchema.parse(JSON.parse(String(entry?.Detail)))).toEqual({ schemaVersion: 1, applicationId: APP_ID, itemId: ITEM, kind: 'application-form', status: 'valid' });
    expect(s3.commandCalls(CopyObjectCommand)).toHaveLength(0);
    expect(table.sent(UpdateCommand)[0]?.ExpressionAttributeValues).toMatchObject({ ':seq': normaliseSequencer('0055AED6DCD90281E5') });
  });

  it("validates a site's document but does not announce it as EvidenceValidated v1, whose published contract names the application's kinds only", async () => {
    const pdf = buildPdf({ padTo: 3000 });
    const o = await uploaded('site-document', pdf, 'application/pdf');
    const out = await validate(sqsBatch({ ...o, sequencer: '0055AED6DCD90281E5' }));
    expect(out.batchItemFailures).toEqual([]);
    expect(await recorded()).toMatchObject({ status: 'valid', settled: true });
    expect((await table.audits(`APP#${APP_ID}`)).filter((a) => a.action === 'evidence-validated')).toHaveLength(1);
    expect(published()).toEqual([]);
  });

  it('quarantines a PDF with no %%EOF: copies that version out, then deletes it from the evidence key (Art.3(4))', async () => {
    const pdf = buildPdf({ padTo: 100_000, withoutEof: true });
    const o = await uploaded('policies', pdf, 'application/pdf', { versionId: 'v7' });
    await validate(sqsBatch({ ...o, sequencer: '0055AED6DCD90281E5' }));
    expect(await recorded()).toMatchObject({ status: 'invalid', validatedVersionId: 'v7' });
    expect(((await recorded()).reasons as Array<{ code: string; article: string }>).map((r) => [r.code, r.article])).toEqual([['EVIDENCE_PDF_TRUNCATED', 'Art.3(4)']]);
    expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Range)).toContain('bytes=-1024');
    const copy = s3.commandCalls(CopyObjectCommand)[0]?.args[0].input;
    expect(copy).toMatchObject({ Bucket: BUCKET, Key: `quarantine/${o.key}/v7`, CopySource: `${BUCKET}/${o.key}?versionId=v7`, Tagging: 'quarantine=true' });
    expect(s3.commandCalls(DeleteObjectCommand)[0]?.args[0].input).toEqual({ Bucket: BUCKET, Key: o.key, VersionId: 'v7' });
    expect(JSON.parse(String(published()[0]?.Detail))).toMatchObject({ status: 'invalid' });
  });

  it('refuses a JPEG declared as a PDF, whatever the client said (Art.3(1))', async () => {
    const o = await uploaded('application-form', buildJpeg(1024, 768), 'application/pdf');
    await validate(sqsBatch({ ...o, sequencer: '0055AED6DCD90281E5' }));
    expect(await recorded()).toMatchObject({ status: 'invalid', detectedType: 'image/jpeg' });
    expect(((await recorded()).reasons as Array<{ code: string }>).map((r) => r.code)).toContain('EVIDENCE_CONTENT_MISMATCH');
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(1);
  });

  it('refuses an 800×600 venue photo (Art.3(3): at least 1024×768)', async () => {
    const o = await uploaded('venue-photo', buildJpeg(800, 600), 'image/jpeg');
    await validate(sqsBatch({ ...o, sequencer: '0055AED6DCD90281E5' }));
    expect(await recorded()).toMatchObject({ status: 'invalid', width: 800, height: 600, reasonCodes: ['image-too-small'] });
  });

  it('finds the size of a JPEG whose frame header lies beyond a 100 KB EXIF segment by hopping over it, reading under 64 KiB (Art.3(3))', async () => {
    const o = await uploaded('venue-photo', buildJpeg(1600, 1200, { app1Bytes: 100_000 }), 'image/jpeg');
    await validate(sqsBatch({ ...o, sequencer: '0055AED6DCD90281E5' }));
    expect(await recorded()).toMatchObject({ status: 'valid', width: 1600, height: 1200 });
    expect(bytesRead()).toBeLessThanOrEqual(READ_BUDGET_BYTES);
    expect(s3.commandCalls(GetObjectCommand).every((c) => c.args[0].input.Range !== undefined)).toBe(true);
  });

  it('reads at most 64 KiB of a 50 MB file, head and tail together, whatever its size', async () => {
    const pdf = buildPdf({ padTo: 50 * 1024 * 1024 });
    const o = await uploaded('exam-experience', pdf, 'application/pdf');
    await validate(sqsBatch({ ...o, sequencer: '0055AED6DCD90281E5' }));
    expect(await recorded()).toMatchObject({ sha256: sha256Hex(pdf), size: pdf.length });
    expect(bytesRead()).toBeLessThanOrEqual(READ_BUDGET_BYTES);
  });

  it('refuses an object S3 holds without a verified SHA-256 (not uploaded through the policy), without reading it whole', async () => {
    const pdf = buildPdf({ padTo: 200_000 });
    const o = await uploaded('policies', pdf, 'application/pdf', { checksum: false });
    await validate(sqsBatch({ ...o, sequencer: '0055AED6DCD90281E5' }));
    const item = await recorded();
    expect(item).toMatchObject({ status: 'invalid' });
    expect(item.sha256).toBeUndefined();
    expect((item.reasons as Array<{ code: string }>).map((r) => r.code)).toContain('EVIDENCE_CHECKSUM_MISSING');
    expect(bytesRead()).toBeLessThanOrEqual(READ_BUDGET_BYTES);
  });

  it('ignores an event older than the last one recorded: no read, no write, no event', async () => {
    const o = await uploaded('policies', buildPdf({ padTo: 2000 }), 'application/pdf');
    await table.put(evidenceItem('policies', ITEM, { status: 'valid', lastSequencer: normaliseSequencer('0055AED6DCD90281F0'), settled: true, validatedVersionId: 'v2' }));
    const out = await validate(sqsBatch({ ...o, sequencer: '0055AED6DCD90281E5' }));
    expect(out.batchItemFailures).toEqual([]);
    expect(s3.calls()).toHaveLength(0);
    expect(table.sent(TransactWriteCommand)).toHaveLength(0);
    expect(table.sent(UpdateCommand)).toHaveLength(0);
    expect(events.calls()).toHaveLength(0);
  });

  it('finishes what a failed try left undone when the same event comes again, without recording twice', async () => {
    const o = await uploaded('policies', buildPdf({ padTo: 2000, withoutEof: true }), 'application/pdf', { versionId: 'v3' });
    await table.put(evidenceItem('policies', ITEM, { status: 'invalid', lastSequencer: normaliseSequencer('0055AED6DCD90281E5'), settled: false, validatedVersionId: 'v3' }));
    await validate(sqsBatch({ ...o, sequencer: '0055AED6DCD90281E5' }));
    expect(table.sent(TransactWriteCommand)).toHaveLength(0);
    expect(table.sent(UpdateCommand).every((u) => !String(u.ConditionExpression).includes('#seq < :seq'))).toBe(true);
    expect(s3.commandCalls(DeleteObjectCommand)[0]?.args[0].input).toMatchObject({ VersionId: 'v3' });
    expect(published()).toHaveLength(1);
  });

  it('appends the audit event a crashed try left pending, once, however often the event comes again', async () => {
    const o = await uploaded('policies', buildPdf({ padTo: 2000, withoutEof: true }), 'application/pdf', { versionId: 'v3' });
    await table.put(evidenceItem('policies', ITEM, { status: 'invalid', lastSequencer: normaliseSequencer('0055AED6DCD90281E5'), settled: false, validatedVersionId: 'v3', uploadedAt: '2025-06-01T08:00:00.000Z', reasonCodes: ['EVIDENCE_PDF_NO_EOF'], auditFrom: 'pending' }));
    await validate(sqsBatch({ ...o, sequencer: '0055AED6DCD90281E5' }));
    await validate(sqsBatch({ ...o, sequencer: '0055AED6DCD90281E5' }));
    expect((await table.audits(`APP#${APP_ID}`)).filter((a) => a.action === 'evidence-validated')).toEqual([
      expect.objectContaining({ from: 'pending', to: 'invalid', details: expect.objectContaining({ versionId: 'v3', reasons: ['EVIDENCE_PDF_NO_EOF'] }) }),
    ]);
    expect(await table.get(`APP#${APP_ID}`, `EVIDENCE#policies#${ITEM}`)).toMatchObject({ settled: true });
    expect(await table.get(`APP#${APP_ID}`, `EVIDENCE#policies#${ITEM}`)).not.toHaveProperty('auditFrom');
  });

  it('flags a valid file already used by another institution for reviewers, from gsi3 (Art.3(2))', async () => {
    const scan = buildPng(1200, 900);
    const o = await uploaded('manager-id-copy', scan, 'image/png');
    const sha = sha256Hex(scan);
    await table.put({ pk: `APP#${OTHER_APP_ID}`, sk: `EVIDENCE#manager-id-copy#${ITEM_2}`, applicationId: OTHER_APP_ID, creditCode: OTHER_CREDIT_CODE, status: 'valid', gsi3pk: `SHA#${sha}`, gsi3sk: `${OTHER_CREDIT_CODE}#${OTHER_APP_ID}` });
    await table.put({ pk: 'APP#01JAPP0000000000000000000C', sk: `EVIDENCE#manager-id-copy#${ITEM_2}`, applicationId: '01JAPP0000000000000000000C', creditCode: CREDIT_CODE, status: 'valid', gsi3pk: `SHA#${sha}`, gsi3sk: `${CREDIT_CODE}#01JAPP0000000000000000000C` });
    await validate(sqsBatch({ ...o, sequencer: '0055AED6DCD90281E5' }));
    expect(await recorded()).toMatchObject({ status: 'valid', duplicateOf: [{ applicationId: OTHER_APP_ID }], gsi3pk: `SHA#${sha}`, gsi3sk: `${CREDIT_CODE}#${APP_ID}` });
    expect(((await recorded()).reasons as Array<{ code: string }>).map((r) => r.code)).toEqual(['EVIDENCE_DUPLICATE_OF_OTHER_INSTITUTION']);
  });

  it('takes the SHA-256 from the checksum S3 verified at upload instead of reading the whole object', async () => {
    const pdf = buildPdf({ padTo: 200_000 });
    const o = await uploaded('policies', pdf, 'application/pdf');
    await validate(sqsBatch({ ...o, sequencer: '0055AED6DCD90281E5' }));
    expect(await recorded()).toMatchObject({ sha256: sha256Hex(pdf) });
    expect(s3.commandCalls(GetObjectCommand).every((c) => c.args[0].input.Range !== undefined)).toBe(true);
  });

  it('reports only the record that failed, so SQS retries that one alone', async () => {
    const good = await uploaded('policies', buildPdf({ padTo: 2000 }), 'application/pdf');
    const bad = await uploaded('exam-experience', buildPdf({ padTo: 2000 }), 'application/pdf', { itemId: ITEM_2 });
    s3.on(HeadObjectCommand, { Key: bad.key }).rejects(new S3ServiceException({ name: 'InternalError', $fault: 'server', $metadata: { httpStatusCode: 500 } }));
    const batch = sqsBatch({ ...good, sequencer: '0055AED6DCD90281E5' }, { ...bad, sequencer: '0055AED6DCD90281E6' });
    const out = await validate(batch);
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: batch.Records[1]?.messageId }]);
    expect(published()).toHaveLength(1);
  });

  it('ignores objects outside applications/, such as its own quarantine copies', async () => {
    const out = await validate(sqsBatch({ key: `quarantine/${keyOf('policies')}/v1`, versionId: 'v9', size: 2000, sequencer: '0055AED6DCD90281E5' }));
    expect(out.batchItemFailures).toEqual([]);
    expect(s3.calls()).toHaveLength(0);
    expect(table.sent()).toHaveLength(0);
  });

  it('quarantines an upload to a key nobody was granted', async () => {
    const key = keyOf('policies');
    bucket.put(key, 'v1', buildPdf(), { checksum: false });
    await validate(sqsBatch({ key, versionId: 'v1', size: 10, sequencer: '0055AED6DCD90281E5' }));
    expect(s3.commandCalls(DeleteObjectCommand)[0]?.args[0].input).toMatchObject({ Key: key, VersionId: 'v1' });
    expect(table.sent(TransactWriteCommand)).toHaveLength(0);
  });
});
