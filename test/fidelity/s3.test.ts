import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { createPresignedPost, type PresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { S3ObjectCreatedNotificationEvent, SQSEvent } from 'aws-lambda';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { VirtualClock } from '../../local/clock.ts';
import { LocalS3 } from '../../local/s3/local-s3.ts';

const BUCKET = 'evidence-bucket';
const REGION = 'eu-central-1';
const ACCESS_KEY = 'AKIALOCALEXAMPLE';
const SECRET = 'local/secret/key';
const PORTAL = 'http://127.0.0.1:4510';
const MAX_BYTES = 1024;

const clock = new VirtualClock();
const batches: SQSEvent[] = [];
let listener: (event: SQSEvent) => unknown = (event) => batches.push(event);
let s3: LocalS3;

/** A real SDK client whose clock is the virtual clock (as a handler's is after its first response). */
function client(secretAccessKey = SECRET): S3Client {
  return new S3Client({
    endpoint: s3.endpoint,
    forcePathStyle: true,
    region: REGION,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    systemClockOffset: clock.now() - Date.now(),
  });
}

/** The policy the evidence adapter issues: exact key, 1..MAX_BYTES, exact Content-Type, 600 s. */
function presignUpload(key: string, contentType = 'application/pdf'): Promise<PresignedPost> {
  return createPresignedPost(client(), {
    Bucket: BUCKET,
    Key: key,
    Conditions: [
      ['content-length-range', 1, MAX_BYTES],
      ['eq', '$Content-Type', contentType],
    ],
    Fields: { 'Content-Type': contentType },
    Expires: 600,
  });
}

/** What a browser sends: the presigned fields (optionally altered), then `file` last. */
async function upload(post: PresignedPost, body: Buffer, change: Record<string, string> = {}): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...post.fields, ...change })) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(body)], { type: 'application/pdf' }), 'evidence.pdf');
  return fetch(post.url, { method: 'POST', body: form, headers: { Origin: PORTAL } });
}

async function errorCode(response: Response): Promise<{ code: string; message: string }> {
  const xml = await response.text();
  return { code: /<Code>(.*?)<\/Code>/.exec(xml)?.[1] ?? '', message: /<Message>(.*?)<\/Message>/.exec(xml)?.[1] ?? '' };
}

function pdf(size: number, seed = 'a'): Buffer {
  const head = Buffer.from(`%PDF-1.7 ${seed}\n`);
  return Buffer.concat([head, Buffer.alloc(Math.max(0, size - head.length), 0x20)]).subarray(0, size);
}

function createdEvents(): S3ObjectCreatedNotificationEvent[] {
  return batches.flatMap((b) => b.Records.map((r) => JSON.parse(r.body) as S3ObjectCreatedNotificationEvent));
}

async function bodyOf(key: string, versionId?: string): Promise<Buffer> {
  const out = await client().send(new GetObjectCommand({ Bucket: BUCKET, Key: key, VersionId: versionId }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

async function sdkError(promise: Promise<unknown>): Promise<S3ServiceException> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(S3ServiceException);
  return error as S3ServiceException;
}

beforeAll(async () => {
  s3 = await LocalS3.start({
    port: 0,
    clock,
    accessKeyId: ACCESS_KEY,
    secretAccessKey: SECRET,
    region: REGION,
    buckets: [BUCKET],
    corsOrigins: [PORTAL],
    accountId: '111122223333',
    onObjectCreated: (event) => listener(event),
  });
});

afterAll(async () => {
  await s3.close();
  clock.dispose();
});

beforeEach(async () => {
  await s3.eventsDelivered();
  batches.length = 0;
  listener = (event) => batches.push(event);
});

describe('LocalS3', () => {
  describe('presigned POST upload', () => {
    it('stores an upload within the policy (204) and serves it by version id to the SDK', async () => {
      const key = 'evidence/app-1/licence.pdf';
      const body = pdf(700);
      const response = await upload(await presignUpload(key), body);

      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(PORTAL);
      const versionId = response.headers.get('x-amz-version-id');
      expect(versionId).toMatch(/^[A-Za-z0-9._]{32}$/);
      const got = await client().send(new GetObjectCommand({ Bucket: BUCKET, Key: key, VersionId: versionId! }));
      expect(got.VersionId).toBe(versionId);
      expect(got.ContentType).toBe('application/pdf');
      expect(got.ETag).toBe(`"${createHash('md5').update(body).digest('hex')}"`);
      expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);
    });

    it('refuses a file over content-length-range with 400 EntityTooLarge, stores nothing and announces nothing', async () => {
      const key = 'evidence/app-1/too-big.pdf';
      const response = await upload(await presignUpload(key), pdf(MAX_BYTES + 1));

      expect(response.status).toBe(400);
      expect((await errorCode(response)).code).toBe('EntityTooLarge');
      await s3.eventsDelivered();
      expect(batches).toHaveLength(0);
      expect(s3.listVersions(BUCKET, key)).toEqual([]);
    });

    it('refuses an empty file with 400 EntityTooSmall (the range starts at 1)', async () => {
      const key = 'evidence/app-1/empty.pdf';
      const response = await upload(await presignUpload(key), Buffer.alloc(0));

      expect(response.status).toBe(400);
      expect((await errorCode(response)).code).toBe('EntityTooSmall');
      expect(s3.listVersions(BUCKET, key)).toEqual([]);
    });

    it('refuses a policy past its expiration on the virtual clock with 403 AccessDenied "Policy expired."', async () => {
      const key = 'evidence/app-1/late.pdf';
      const post = await presignUpload(key);
      clock.advance(601_000);

      const response = await upload(post, pdf(100));

      expect(response.status).toBe(403);
      expect(await errorCode(response)).toEqual({ code: 'AccessDenied', message: 'Invalid according to Policy: Policy expired.' });
      expect(s3.listVersions(BUCKET, key)).toEqual([]);
    });

    it('refuses a key other than the policy names with 403 AccessDenied', async () => {
      const post = await presignUpload('evidence/app-1/allowed.pdf');

      const response = await upload(post, pdf(100), { key: 'evidence/app-2/stolen.pdf' });

      expect(response.status).toBe(403);
      const error = await errorCode(response);
      expect(error.code).toBe('AccessDenied');
      expect(error.message).toContain('Policy Condition failed');
      expect(s3.listVersions(BUCKET, 'evidence/app-2/stolen.pdf')).toEqual([]);
    });

    it('refuses a Content-Type other than the policy names with 403 AccessDenied', async () => {
      const key = 'evidence/app-1/typed.pdf';
      const response = await upload(await presignUpload(key), pdf(100), { 'Content-Type': 'text/html' });

      expect(response.status).toBe(403);
      expect((await errorCode(response)).code).toBe('AccessDenied');
      expect(s3.listVersions(BUCKET, key)).toEqual([]);
    });

    it('refuses a field no condition covers with 403 "Extra input fields"', async () => {
      const key = 'evidence/app-1/extra.pdf';
      const response = await upload(await presignUpload(key), pdf(100), { 'x-amz-meta-owner': 'someone' });

      expect(response.status).toBe(403);
      expect((await errorCode(response)).message).toBe('Invalid according to Policy: Extra input fields: x-amz-meta-owner');
    });

    it('refuses a tampered policy with 403 SignatureDoesNotMatch before reading it', async () => {
      const key = 'evidence/app-1/tampered.pdf';
      const post = await presignUpload(key);
      const policy = JSON.parse(Buffer.from(post.fields.Policy!, 'base64').toString('utf8')) as { conditions: unknown[] };
      policy.conditions = policy.conditions.map((c) => (Array.isArray(c) && c[0] === 'content-length-range' ? ['content-length-range', 1, 10 * MAX_BYTES] : c));
      const forged = Buffer.from(JSON.stringify(policy)).toString('base64');

      const response = await upload(post, pdf(2 * MAX_BYTES), { Policy: forged });

      expect(response.status).toBe(403);
      expect((await errorCode(response)).code).toBe('SignatureDoesNotMatch');
      expect(s3.listVersions(BUCKET, key)).toEqual([]);
    });

    it('refuses a tampered signature with 403 SignatureDoesNotMatch', async () => {
      const post = await presignUpload('evidence/app-1/sig.pdf');
      const signature = post.fields['X-Amz-Signature']!;
      const flipped = `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`;

      const response = await upload(post, pdf(100), { 'X-Amz-Signature': flipped });

      expect(response.status).toBe(403);
      expect((await errorCode(response)).code).toBe('SignatureDoesNotMatch');
    });

    it('answers 201 with a PostResponse document when success_action_status is 201 and the policy allows it', async () => {
      const key = 'evidence/app-1/created.pdf';
      const post = await createPresignedPost(client(), {
        Bucket: BUCKET,
        Key: key,
        Conditions: [['content-length-range', 1, MAX_BYTES]],
        Fields: { success_action_status: '201' },
        Expires: 600,
      });

      const response = await upload(post, pdf(50));

      expect(response.status).toBe(201);
      const xml = await response.text();
      expect(xml).toContain(`<Key>${key}</Key>`);
      expect(xml).toContain(`<Bucket>${BUCKET}</Bucket>`);
    });
  });

  describe('object versions', () => {
    it('keeps the first version readable when the same policy is used again for a second upload', async () => {
      const key = 'evidence/app-3/id-card.pdf';
      const post = await presignUpload(key);
      const first = await upload(post, pdf(200, 'first'));
      const second = await upload(post, pdf(300, 'second'));
      const v1 = first.headers.get('x-amz-version-id')!;
      const v2 = second.headers.get('x-amz-version-id')!;

      expect(second.status).toBe(204);
      expect(v2).not.toBe(v1);
      expect((await bodyOf(key, v1)).equals(pdf(200, 'first'))).toBe(true);
      expect((await bodyOf(key)).equals(pdf(300, 'second'))).toBe(true);
      expect(s3.listVersions(BUCKET, key).map((v) => v.versionId)).toEqual([v1, v2]);
    });

    it('serves a Range of a given version, including a suffix range', async () => {
      const key = 'evidence/app-3/ranged.pdf';
      const put = await client().send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'old-content', ContentType: 'application/pdf' }));
      await client().send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: '%PDF-1.7 newer ... %%EOF', ContentType: 'application/pdf' }));

      const head = await client().send(new GetObjectCommand({ Bucket: BUCKET, Key: key, VersionId: put.VersionId, Range: 'bytes=0-2' }));
      const tail = await client().send(new GetObjectCommand({ Bucket: BUCKET, Key: key, Range: 'bytes=-5' }));

      expect(head.ContentRange).toBe('bytes 0-2/11');
      expect(await head.Body!.transformToString()).toBe('old');
      expect(await tail.Body!.transformToString()).toBe('%%EOF');
    });

    it('hides a key behind a delete marker and deletes one version by id', async () => {
      const key = 'evidence/app-3/deleted.pdf';
      const put = await client().send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'x' }));
      const marker = await client().send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));

      expect(marker.DeleteMarker).toBe(true);
      expect((await sdkError(client().send(new GetObjectCommand({ Bucket: BUCKET, Key: key })))).name).toBe('NoSuchKey');
      expect(await (await client().send(new GetObjectCommand({ Bucket: BUCKET, Key: key, VersionId: put.VersionId }))).Body!.transformToString()).toBe('x');

      await client().send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key, VersionId: marker.VersionId }));
      expect(await bodyOf(key)).toEqual(Buffer.from('x'));
      await client().send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key, VersionId: put.VersionId }));
      expect(s3.listVersions(BUCKET, key)).toEqual([]);
    });

    it('copies a version into a new version of another key and announces it as CopyObject', async () => {
      const put = await client().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'quarantine/a.pdf', Body: 'copied', ContentType: 'application/pdf' }));
      const copy = await client().send(
        new CopyObjectCommand({ Bucket: BUCKET, Key: 'clean/a.pdf', CopySource: `${BUCKET}/quarantine/a.pdf?versionId=${encodeURIComponent(put.VersionId!)}` }),
      );
      await s3.eventsDelivered();

      expect(copy.CopySourceVersionId).toBe(put.VersionId);
      const head = await client().send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'clean/a.pdf' }));
      expect(head.VersionId).toBe(copy.VersionId);
      expect(head.ContentType).toBe('application/pdf');
      expect(createdEvents().map((e) => e.detail.reason)).toEqual(['PutObject', 'CopyObject']);
    });
  });

  describe('object-created events', () => {
    it('delivers each upload as an SQS batch wrapping the EventBridge "Object Created" event, key not URL-encoded', async () => {
      const key = 'evidence/app-4/营业执照 copy:1.pdf';
      const post = await presignUpload(key);
      const first = await upload(post, pdf(120, 'one'));
      await s3.eventsDelivered();
      const second = await upload(post, pdf(130, 'two'));
      await s3.eventsDelivered();

      expect(batches).toHaveLength(2);
      const record = batches[0]!.Records[0]!;
      expect(record).toMatchObject({ eventSource: 'aws:sqs', awsRegion: REGION, eventSourceARN: `arn:aws:sqs:${REGION}:111122223333:evidence-events`, messageAttributes: {} });
      expect(record.md5OfBody).toBe(createHash('md5').update(record.body).digest('hex'));
      const [e1, e2] = createdEvents() as [S3ObjectCreatedNotificationEvent, S3ObjectCreatedNotificationEvent];
      expect(e1).toMatchObject({
        version: '0',
        'detail-type': 'Object Created',
        source: 'aws.s3',
        account: '111122223333',
        region: REGION,
        resources: [`arn:aws:s3:::${BUCKET}`],
        detail: { version: '0', bucket: { name: BUCKET }, object: { key, size: 120 }, requester: '111122223333', reason: 'POST Object' },
      });
      expect(e1.detail.object.etag).toBe(createHash('md5').update(pdf(120, 'one')).digest('hex'));
      const got = await client().send(new GetObjectCommand({ Bucket: BUCKET, Key: key, VersionId: e1.detail.object['version-id'] }));
      expect(got.VersionId).toBe(first.headers.get('x-amz-version-id'));
      expect(e2.detail.object['version-id']).toBe(second.headers.get('x-amz-version-id'));
      expect(e2.detail.object.sequencer).toHaveLength(e1.detail.object.sequencer.length);
      expect(e2.detail.object.sequencer > e1.detail.object.sequencer).toBe(true);
    });

    it('batches writes made in the same tick into one SQS event of at most ten records', async () => {
      const post = await createPresignedPost(client(), {
        Bucket: BUCKET,
        Key: 'evidence/app-5/${filename}',
        Conditions: [['content-length-range', 1, MAX_BYTES]],
        Expires: 600,
      });
      const responses = await Promise.all(Array.from({ length: 12 }, (_, i) => upload(post, pdf(40 + i))));
      await s3.eventsDelivered();

      expect(responses.every((r) => r.status === 204)).toBe(true);
      expect(batches.every((b) => b.Records.length <= 10)).toBe(true);
      expect(batches.reduce((n, b) => n + b.Records.length, 0)).toBe(12);
    });

    it('keeps the upload a success when the listener throws, and logs the failure', async () => {
      const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      listener = () => {
        throw new Error('validator down');
      };

      const response = await upload(await presignUpload('evidence/app-6/a.pdf'), pdf(60));
      await s3.eventsDelivered();

      expect(response.status).toBe(204);
      expect(logged).toHaveBeenCalledWith(expect.stringContaining('object-created listener failed'));
      logged.mockRestore();
    });
  });

  describe('request authentication', () => {
    it('serves a presigned GET within its expiry as an attachment, and refuses it with 403 once expired', async () => {
      const key = 'evidence/app-7/report.pdf';
      const put = await client().send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'report', ContentType: 'application/pdf' }));
      const url = await getSignedUrl(
        client(),
        new GetObjectCommand({ Bucket: BUCKET, Key: key, VersionId: put.VersionId, ResponseContentDisposition: 'attachment; filename="report.pdf"' }),
        { expiresIn: 300, signingDate: new Date(clock.now()) },
      );

      const fresh = await fetch(url);
      expect(fresh.status).toBe(200);
      expect(fresh.headers.get('content-disposition')).toBe('attachment; filename="report.pdf"');
      expect(await fresh.text()).toBe('report');

      clock.advance(301_000);
      const stale = await fetch(url);
      expect(stale.status).toBe(403);
      expect(await errorCode(stale)).toEqual({ code: 'AccessDenied', message: 'Request has expired' });
    });

    it('refuses a header-signed request made with another secret (SignatureDoesNotMatch) and an unsigned one (AccessDenied)', async () => {
      const wrong = await sdkError(client('not-the-secret').send(new ListObjectsV2Command({ Bucket: BUCKET })));
      const anonymous = await fetch(`${s3.endpoint}/${BUCKET}/evidence/app-1/licence.pdf`);

      expect(wrong.name).toBe('SignatureDoesNotMatch');
      expect(anonymous.status).toBe(403);
      expect((await errorCode(anonymous)).code).toBe('AccessDenied');
    });

    it('refuses a PutObject whose body does not match its signed x-amz-content-sha256', async () => {
      const c = client();
      c.middlewareStack.add(
        (next) => async (args) => {
          const request = args.request as { body?: unknown };
          request.body = 'tampered';
          return next(args);
        },
        { step: 'finalizeRequest', priority: 'low', name: 'tamperBody' },
      );

      const error = await sdkError(c.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'evidence/app-8/x.txt', Body: 'original' })));

      expect(error.name).toBe('XAmzContentSHA256Mismatch');
      expect(s3.listVersions(BUCKET, 'evidence/app-8/x.txt')).toEqual([]);
    });

    it('answers a CORS preflight for the portal origin and refuses other origins', async () => {
      const allowed = await fetch(`${s3.endpoint}/${BUCKET}`, { method: 'OPTIONS', headers: { Origin: PORTAL, 'Access-Control-Request-Method': 'POST' } });
      const other = await fetch(`${s3.endpoint}/${BUCKET}`, { method: 'OPTIONS', headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST' } });

      expect(allowed.status).toBe(200);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(PORTAL);
      expect(allowed.headers.get('access-control-expose-headers')).toContain('x-amz-version-id');
      expect(other.status).toBe(403);
    });
  });

  describe('listing', () => {
    it('pages ListObjectsV2 with continuation tokens and common prefixes', async () => {
      for (const name of ['a', 'b', 'c']) await client().send(new PutObjectCommand({ Bucket: BUCKET, Key: `list/${name}.txt`, Body: name }));
      await client().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'list/sub/d.txt', Body: 'd' }));

      const page1 = await client().send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'list/', Delimiter: '/', MaxKeys: 2 }));
      const page2 = await client().send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'list/', Delimiter: '/', MaxKeys: 2, ContinuationToken: page1.NextContinuationToken }));

      expect(page1.Contents?.map((o) => o.Key)).toEqual(['list/a.txt', 'list/b.txt']);
      expect(page1.IsTruncated).toBe(true);
      expect(page2.Contents?.map((o) => o.Key)).toEqual(['list/c.txt']);
      expect(page2.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['list/sub/']);
      expect(page2.IsTruncated).toBe(false);
    });
  });

  describe('virtual clock', () => {
    it('lets an SDK client signing with the real clock work after the virtual clock jumps two years (clock-skew correction)', async () => {
      clock.advance(2 * 365 * 24 * 3600 * 1000);
      const realClockClient = (maxAttempts: number) =>
        new S3Client({
          endpoint: s3.endpoint,
          forcePathStyle: true,
          region: REGION,
          credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET },
          requestChecksumCalculation: 'WHEN_REQUIRED',
          maxAttempts,
        });
      const list = new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'evidence/app-1/' });

      const skewed = await sdkError(realClockClient(1).send(list));
      const out = await realClockClient(3).send(list);

      expect(skewed.name).toBe('RequestTimeTooSkewed');
      expect(out.Contents?.map((o) => o.Key)).toContain('evidence/app-1/licence.pdf');
    });
  });
});
