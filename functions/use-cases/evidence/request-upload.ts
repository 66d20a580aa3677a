import { ulid } from 'ulid';
import type { RequestUploadBody } from '../../../schemas/evidence-api.schema.ts';
import type { EvidenceKindSpec } from '../../../schemas/evidence.schema.ts';
import { presignUpload } from '../../adapters/evidence-store.ts';
import { createEvidenceItem, getEvidenceAttemptsReset, listEvidenceRecords, type EvidenceRecord } from '../../adapters/stores/evidence.ts';
import { evidenceObjectKey, sanitiseFileName } from '../../domain/evidence-keys.ts';
import { attemptLimit, holdsPlace, usesAttempt } from '../../domain/evidence-requirements.ts';
import { nowIso, nowMs } from '../../shared/clock.ts';
import { appConfig } from '../../shared/env.ts';
import type { Principal } from '../../shared/identity.ts';
import { authoriseChange, kindSpec, loadApplication } from './access.ts';
import {
  EvidenceAttemptsExceededError,
  EvidenceCountExceededError,
  EvidenceSealNotConfirmedError,
  EvidenceTagNotAllowedError,
  EvidenceTooLargeError,
  EvidenceTooSmallError,
  EvidenceTypeNotAllowedError,
} from './evidence-errors.ts';

export interface RequestUploadInput {
  readonly principal: Principal;
  readonly applicationId: string;
  readonly kind: string;
  readonly body: RequestUploadBody;
}

export interface RequestUploadResult {
  readonly itemId: string;
  readonly upload: { readonly url: string; readonly fields: Record<string, string> };
  readonly expiresAt: string;
}

/** A pending item nobody uploaded to is deleted by TTL this long after its grant expired. */
const ABANDONED_TTL_MS = 7 * 24 * 3600 * 1000;

function checkDeclaration(spec: EvidenceKindSpec, body: RequestUploadBody): void {
  if (!(spec.contentTypes as readonly string[]).includes(body.contentType)) throw new EvidenceTypeNotAllowedError(spec, body.contentType);
  if (body.size > spec.maxSizeBytes) throw new EvidenceTooLargeError(spec, body.size);
  if (body.size < spec.minSizeBytes) throw new EvidenceTooSmallError(spec, body.size);
  for (const tag of body.tags ?? []) {
    if (!(spec.allowedTags as readonly string[]).includes(tag)) throw new EvidenceTagNotAllowedError(spec, tag);
  }
  // Art.3: every material carries the applicant's seal; the applicant confirms it per file (photos excepted).
  if (spec.mustBeStamped && body.sealConfirmed !== true) throw new EvidenceSealNotConfirmedError(spec);
}

async function grant(spec: EvidenceKindSpec, item: EvidenceRecord, expiresSeconds: number, sha256?: string): Promise<RequestUploadResult> {
  const post = await presignUpload({
    key: item.objectKey,
    contentType: item.declaredContentType,
    minSize: spec.minSizeBytes,
    maxSize: spec.maxSizeBytes,
    expiresSeconds,
    sha256,
  });
  return { itemId: item.itemId, upload: { url: post.url, fields: post.fields }, expiresAt: post.expiresAt };
}

/**
 * Grants one presigned POST upload of evidence (Art.3; site-visit photos
 * Art.4): checks who asks and when, that the declared type and size fit the
 * kind, and that the kind has a place left (invalid and withdrawn files and
 * requests never completed take none) and an upload attempt left (uploads
 * that arrived since an admin's last reset); then records the item as `pending` with the key the upload must
 * land on. The POST policy pins the key, the size range and the type; the
 * validator later checks the bytes themselves.
 */
export async function requestEvidenceUpload(input: RequestUploadInput): Promise<RequestUploadResult> {
  const spec = kindSpec(input.kind);
  const application = await loadApplication(input.applicationId);
  const actor = await authoriseChange(input.principal, application, spec);
  checkDeclaration(spec, input.body);

  const atMs = nowMs();
  const [items, reset] = await Promise.all([listEvidenceRecords(input.applicationId, spec.kind), getEvidenceAttemptsReset(input.applicationId, spec.kind)]);
  if (items.filter((item) => holdsPlace(item, atMs)).length >= spec.maxCount) throw new EvidenceCountExceededError(spec);
  if (items.filter((item) => usesAttempt(item, atMs, reset?.resetAt)).length >= attemptLimit(spec)) throw new EvidenceAttemptsExceededError(spec);

  const expiresSeconds = appConfig().deadlines.uploadExpirySeconds;
  const itemId = ulid(atMs);
  const createdAt = nowIso();
  const uploadExpiresAt = new Date(atMs + expiresSeconds * 1000).toISOString();
  const record: EvidenceRecord = {
    applicationId: input.applicationId,
    kind: spec.kind,
    itemId,
    creditCode: application.creditCode,
    status: 'pending',
    version: 0,
    objectKey: evidenceObjectKey({ applicationId: input.applicationId, kind: spec.kind, itemId }),
    declaredContentType: input.body.contentType,
    declaredSize: input.body.size,
    fileName: sanitiseFileName(input.body.fileName, input.body.contentType),
    tags: [...new Set(input.body.tags ?? [])],
    ...(spec.mustBeStamped ? { sealConfirmed: true } : {}),
    uploaderSub: input.principal.sub,
    createdAt,
    uploadExpiresAt,
    // TTL (epoch seconds): a grant nobody used disappears; the validator removes it on the first upload.
    expiresAt: Math.floor((atMs + expiresSeconds * 1000 + ABANDONED_TTL_MS) / 1000),
  };
  await createEvidenceItem(
    record,
    {
      key: { at: createdAt, key: `evidence-upload#${itemId}` },
      event: {
        actor,
        action: 'evidence-upload-requested',
        article: spec.article,
        details: { itemId, kind: spec.kind, contentType: input.body.contentType, size: input.body.size, ...(spec.mustBeStamped ? { sealConfirmed: true } : {}) },
      },
    },
  );
  return grant(spec, record, expiresSeconds, input.body.sha256?.toLowerCase());
}
