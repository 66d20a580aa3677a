import {
  ChecksumMode,
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectTaggingCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  EVIDENCE_EVENT_SOURCE,
  EVIDENCE_VALIDATED_DETAIL_TYPE,
  evidenceValidatedDetailSchema,
  type EvidenceValidatedDetail,
} from '../../schemas/events/evidence-validated.schema.ts';
import { attachmentDisposition, QUARANTINE_TAG, RETENTION_TAG } from '../domain/evidence-keys.ts';
import { now, nowMs } from '../shared/clock.ts';
import { requireEnv } from '../shared/env.ts';
import { eventsClient, s3Client } from './aws-clients.ts';

/**
 * The evidence bucket (the only code that talks to S3 about evidence): the
 * presigned POST an applicant uploads with, the validator's reads of one
 * object version, quarantine, the presigned GET a reviewer downloads with,
 * and the `EvidenceValidated` domain event.
 *
 * Presigned URLs and POST policies carry signatures: they are returned to the
 * caller and never logged.
 */

/** The tag of quarantined copies (the bucket's lifecycle expires them). */
const QUARANTINE_TAGGING = `${QUARANTINE_TAG.key}=${QUARANTINE_TAG.value}`;

export function evidenceBucket(): string {
  return requireEnv('EVIDENCE_BUCKET');
}

/**
 * Keeps the client's idea of "now" on the one clock. On AWS the offset is
 * zero; in the local stack the virtual clock may be years ahead, and the
 * local S3 judges policy expiry and signatures by it. `createPresignedPost`
 * takes its time from this offset only.
 */
function clockedClient() {
  const client = s3Client();
  client.config.systemClockOffset = nowMs() - Date.now();
  return client;
}

export interface PresignUploadInput {
  readonly key: string;
  readonly contentType: string;
  /** Inclusive bounds for `content-length-range`. */
  readonly minSize: number;
  readonly maxSize: number;
  readonly expiresSeconds: number;
  /** SHA-256 (hex) the client says the file has; S3 then refuses any other bytes and keeps the checksum. */
  readonly sha256?: string;
}

export interface PresignedUpload {
  readonly url: string;
  readonly fields: Record<string, string>;
  readonly expiresAt: string;
}

/**
 * A presigned POST for exactly one key, one content type and a size range
 * (a presigned PUT cannot bound the size). The bucket's default SSE-KMS
 * applies, so no encryption field is asked of the browser.
 */
export async function presignUpload(input: PresignUploadInput): Promise<PresignedUpload> {
  const fields: Record<string, string> = { 'Content-Type': input.contentType };
  const conditions: Array<['eq', string, string] | ['content-length-range', number, number]> = [
    ['eq', '$key', input.key],
    ['content-length-range', input.minSize, input.maxSize],
    ['eq', '$Content-Type', input.contentType],
  ];
  if (input.sha256) {
    const checksum = Buffer.from(input.sha256, 'hex').toString('base64');
    fields['x-amz-checksum-algorithm'] = 'SHA256';
    fields['x-amz-checksum-sha256'] = checksum;
  }
  const issuedAt = nowMs();
  const post = await createPresignedPost(clockedClient(), {
    Bucket: evidenceBucket(),
    Key: input.key,
    Conditions: conditions,
    Fields: fields,
    Expires: input.expiresSeconds,
  });
  return { url: post.url, fields: post.fields, expiresAt: new Date(issuedAt + input.expiresSeconds * 1000).toISOString() };
}

/** What S3 says about one object version. */
export interface VersionHead {
  readonly size: number;
  /** Hex SHA-256 of the whole object, when S3 verified one at upload (never for a composite multipart checksum). */
  readonly sha256?: string;
}

function isMissing(error: unknown): boolean {
  if (error instanceof NotFound || error instanceof NoSuchKey) return true;
  return error instanceof S3ServiceException && ['NoSuchVersion', 'NotFound', 'NoSuchKey'].includes(error.name);
}

/** HeadObject of one version with its checksum; `undefined` when the version no longer exists. */
export async function headVersion(key: string, versionId: string): Promise<VersionHead | undefined> {
  try {
    const out = await s3Client().send(
      new HeadObjectCommand({ Bucket: evidenceBucket(), Key: key, VersionId: versionId, ChecksumMode: ChecksumMode.ENABLED }),
    );
    const checksum = out.ChecksumSHA256;
    // A composite (multipart) checksum is a checksum of checksums ("…-N"): useless as the file's hash.
    const fullObject = checksum && !checksum.includes('-') && (out.ChecksumType === undefined || out.ChecksumType === 'FULL_OBJECT');
    return {
      size: Number(out.ContentLength ?? 0),
      ...(fullObject ? { sha256: Buffer.from(checksum, 'base64').toString('hex') } : {}),
    };
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

const readTally = { bytes: 0, requests: 0 };

/** Bytes and ranged GETs of evidence read by this process so far (`npm run bench` prints them per object). */
export function evidenceReadTally(): { readonly bytes: number; readonly requests: number } {
  return { ...readTally };
}

/** Bytes of a version: `bytes=0-65535`, or `bytes=-1024` for the last 1024. */
export async function readRange(key: string, versionId: string, range: string): Promise<Uint8Array> {
  const out = await s3Client().send(new GetObjectCommand({ Bucket: evidenceBucket(), Key: key, VersionId: versionId, Range: range }));
  readTally.requests++;
  if (!out.Body) return new Uint8Array();
  const bytes = await out.Body.transformToByteArray();
  readTally.bytes += bytes.length;
  return bytes;
}

/**
 * Moves an invalid version out of reviewers' reach: copies that version to
 * the quarantine key, then deletes the version from the evidence key. Safe to
 * repeat: when the version is already gone the copy was made earlier (this is
 * the only code that deletes evidence versions), and deleting a missing
 * version succeeds.
 */
export async function quarantineVersion(key: string, versionId: string, targetKey: string): Promise<void> {
  const bucket = evidenceBucket();
  const source = `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}?versionId=${encodeURIComponent(versionId)}`;
  try {
    // REPLACE: the copy carries only the quarantine tag, and the source's tags need not be read.
    await s3Client().send(
      new CopyObjectCommand({ Bucket: bucket, Key: targetKey, CopySource: source, MetadataDirective: 'COPY', TaggingDirective: 'REPLACE', Tagging: QUARANTINE_TAGGING }),
    );
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  await s3Client().send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
}

export interface PresignDownloadInput {
  readonly key: string;
  readonly versionId: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly expiresSeconds: number;
}

/**
 * A short-lived presigned GET of exactly one version, served as an
 * attachment with the validated type (never rendered inline by the browser).
 */
export async function presignDownload(input: PresignDownloadInput): Promise<{ url: string; expiresAt: string }> {
  const signedAt = now();
  const url = await getSignedUrl(
    s3Client(),
    new GetObjectCommand({
      Bucket: evidenceBucket(),
      Key: input.key,
      VersionId: input.versionId,
      ResponseContentDisposition: attachmentDisposition(input.fileName),
      ResponseContentType: input.contentType,
      ResponseCacheControl: 'no-store',
    }),
    { expiresIn: input.expiresSeconds, signingDate: signedAt },
  );
  return { url, expiresAt: new Date(signedAt.getTime() + input.expiresSeconds * 1000).toISOString() };
}

/**
 * Puts `EvidenceValidated` on the domain-event bus. Lives here until a shared
 * domain-event adapter exists. A rejected entry throws, so the SQS message is
 * retried.
 */
export async function publishEvidenceValidated(detail: EvidenceValidatedDetail): Promise<void> {
  const checked = evidenceValidatedDetailSchema.parse(detail);
  const out = await eventsClient().send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: requireEnv('EVENT_BUS_NAME'),
          Source: EVIDENCE_EVENT_SOURCE,
          DetailType: EVIDENCE_VALIDATED_DETAIL_TYPE,
          Detail: JSON.stringify(checked),
          Time: now(),
        },
      ],
    }),
  );
  if ((out.FailedEntryCount ?? 0) > 0) {
    throw new Error(`EvidenceValidated was not accepted: ${out.Entries?.[0]?.ErrorCode ?? 'unknown'}`);
  }
}

/**
 * Tags the current version of each object for expiry (`RETENTION_TAG`): the
 * bucket lifecycle deletes it `evidenceRetentionDays` later. Re-tagging is
 * harmless, so a retried workflow step may call it again.
 */
export async function tagForRetention(keys: readonly string[]): Promise<void> {
  for (const key of keys) {
    try {
      await s3Client().send(
        new PutObjectTaggingCommand({
          Bucket: evidenceBucket(),
          Key: key,
          Tagging: { TagSet: [{ Key: RETENTION_TAG.key, Value: RETENTION_TAG.value }] },
        }),
      );
    } catch (error) {
      // A file withdrawn or never uploaded has no current object: nothing to keep, nothing to tag.
      if (!isMissing(error)) throw error;
    }
  }
}
