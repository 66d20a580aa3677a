import { EVIDENCE_KIND_SPECS } from '../../../schemas/evidence.schema.ts';
import { EVIDENCE_VALIDATED_V1_KINDS } from '../../../schemas/events/evidence-validated.schema.ts';
import {
  evidenceBucket,
  headVersion,
  publishEvidenceValidated,
  quarantineVersion,
  readRange,
} from '../../adapters/evidence-store.ts';
import { findEvidenceOfOtherInstitutions, getEvidenceItem, markEvidenceSettled, recordEvidenceValidation, type EvidenceRecord } from '../../adapters/stores/evidence.ts';
import { appendApplicationAudit } from '../../adapters/stores/applications.ts';
import { type Item } from '../../adapters/stores/table.ts';
import {
  HEAD_WINDOW_BYTES,
  JPEG_HOP_BYTES,
  JPEG_MAX_HOPS,
  PDF_HEAD_BYTES,
  READ_BUDGET_BYTES,
  jpegScan,
  type ByteWindow,
  PDF_WINDOW_BYTES,
  assessEvidence,
  evidenceReason,
  jpegDimensions,
  sniffContentType,
  type Assessment,
  type EvidenceReason,
} from '../../domain/evidence-inspection.ts';
import { compareSequencers, evidenceObjectKey, normaliseSequencer, parseEvidenceKey, quarantineKey, type EvidenceKeyParts } from '../../domain/evidence-keys.ts';
import { nowIso } from '../../shared/clock.ts';
import { logger } from '../../shared/logger.ts';
import { businessMetrics } from '../../shared/metrics.ts';

/** One "Object Created" event, as the validator needs it. */
export interface ObjectCreated {
  readonly bucket: string;
  /** Raw key (EventBridge events do not URL-encode it). */
  readonly key: string;
  readonly size: number;
  readonly versionId: string;
  readonly sequencer: string;
  /** Event time: the upload time, and the sort time of the audit event. */
  readonly time: string;
}

/** What happened to one event, for the log line and the tests. */
export type ValidationOutcome =
  | 'ignored-foreign-key'
  | 'ignored-bad-sequencer'
  | 'ignored-stale'
  | 'ignored-duplicate'
  | 'ignored-withdrawn'
  | 'ignored-version-gone'
  | 'quarantined-orphan'
  | 'lost-to-newer-event'
  | 'quarantined-replacement'
  | 'recorded'
  | 'resumed';


const SYSTEM_ACTOR = { kind: 'system', id: 'validate-evidence' } as const;

/**
 * Validates one uploaded object version (Art.3), trusting nothing the client
 * said, and is idempotent:
 * - keys outside `applications/` (quarantine copies, anything else) are ignored;
 * - an event whose sequencer is older than the item's last recorded one is
 *   ignored with no reads and no writes; the same event again only finishes
 *   side effects a failed earlier try left undone;
 * - the result is recorded under a condition on the sequencer, so a late
 *   older event can never overwrite a newer result;
 * - once a version is recorded, a later version under the same key (the
 *   upload policy used again before it expired) is quarantined and audited:
 *   reviewers keep the version that was validated (Art.3), and an upload
 *   attempt stays one file;
 * - an invalid version is quarantined (copied out, then deleted from the
 *   evidence key), so reviewers never get it;
 * - `EvidenceValidated` is published once the result is recorded.
 */
export async function validateEvidenceObject(event: ObjectCreated): Promise<ValidationOutcome> {
  const parts = event.bucket === evidenceBucket() ? parseEvidenceKey(event.key) : undefined;
  if (!parts) return 'ignored-foreign-key';
  const sequencer = normaliseSequencer(event.sequencer);
  if (!sequencer) {
    logger.error('evidence event with a malformed sequencer ignored', { itemId: parts.itemId });
    return 'ignored-bad-sequencer';
  }
  const item = await getEvidenceItem(parts.applicationId, parts.kind, parts.itemId);
  if (!item) {
    // Nobody was granted this key (or the grant expired long ago): keep the bytes away from reviewers.
    await quarantineVersion(event.key, event.versionId, quarantineKey(parts, event.versionId));
    logger.warn('upload without an evidence item quarantined', { itemId: parts.itemId, kind: parts.kind });
    return 'quarantined-orphan';
  }
  if (item.status === 'withdrawn') return 'ignored-withdrawn';
  if (item.lastSequencer) {
    const order = compareSequencers(sequencer, item.lastSequencer);
    if (order < 0) return 'ignored-stale';
    if (order === 0) {
      if (item.settled !== false || item.validatedVersionId !== event.versionId) return 'ignored-duplicate';
      await settle(parts, item, event.versionId, sequencer);
      return 'resumed';
    }
    if (item.validatedVersionId && item.validatedVersionId !== event.versionId) return refuseReplacement(parts, item, event, sequencer);
  }

  const head = await headVersion(event.key, event.versionId);
  if (!head) return 'ignored-version-gone';
  // The upload policy pins a SHA-256 that S3 verified and keeps: the object is never read whole.
  const sha256 = head.sha256;
  const assessment = await inspect(event, item, head.size, sha256 !== undefined);
  const spec = EVIDENCE_KIND_SPECS[parts.kind];
  const duplicateOf =
    assessment.status === 'valid' && sha256 ? (await findEvidenceOfOtherInstitutions(sha256, item.creditCode)).map((d) => ({ applicationId: d.applicationId })) : [];
  const reasons: EvidenceReason[] = [...assessment.reasons, ...(duplicateOf.length > 0 ? [evidenceReason(parts.kind, 'EVIDENCE_DUPLICATE_OF_OTHER_INSTITUTION')] : [])];

  const validatedAt = nowIso();
  const set: Item = {
    status: assessment.status,
    validatedVersionId: event.versionId,
    size: head.size,
    reasons,
    reasonCodes: [...assessment.reasonCodes],
    duplicateOf,
    uploadedAt: event.time,
    validatedAt,
    ...(assessment.detectedType ? { detectedType: assessment.detectedType } : {}),
    ...(assessment.width !== undefined ? { width: assessment.width, height: assessment.height } : {}),
    ...(sha256 ? { sha256 } : {}),
  };
  const remove = [
    'expiresAt',
    // New bytes: a reviewer's marks were about the version they saw.
    'reviewMarks',
    ...(assessment.detectedType ? [] : ['detectedType']),
    ...(assessment.width !== undefined ? [] : ['width', 'height']),
    ...(sha256 ? [] : ['sha256']),
  ];
  const recorded = await recordEvidenceValidation({ item, sequencer, set, remove, from: item.status }, item.creditCode);
  if (!recorded) return 'lost-to-newer-event';
  await settle(parts, { ...item, ...set, auditFrom: item.status } as EvidenceRecord, event.versionId, sequencer);
  logger.info('evidence validated', { itemId: item.itemId, kind: item.kind, status: assessment.status, reasons: reasons.map((r) => r.code) });
  if (assessment.status === 'invalid') businessMetrics.evidenceInvalid(item.kind);
  return 'recorded';
}

/**
 * A second version under a key whose first version was recorded: the same
 * presigned POST used again before it expired, to swap the file after it was
 * validated (and maybe screened or reviewed). The new version is moved out
 * of reviewers' reach like an invalid one; the item, its validated version
 * and its attempt count stay as they were. Safe to repeat (quarantine and
 * the audit item are idempotent).
 */
async function refuseReplacement(parts: EvidenceKeyParts, item: EvidenceRecord, event: ObjectCreated, sequencer: string): Promise<ValidationOutcome> {
  await quarantineVersion(event.key, event.versionId, quarantineKey(parts, event.versionId));
  await appendApplicationAudit(item.applicationId, {
    key: { at: event.time, key: `evidence-replacement-refused#${item.itemId}#${sequencer}` },
    event: {
      actor: SYSTEM_ACTOR,
      action: 'evidence-replacement-refused',
      article: EVIDENCE_KIND_SPECS[parts.kind].article,
      details: { itemId: item.itemId, kind: item.kind, versionId: event.versionId, keptVersionId: item.validatedVersionId },
    },
  });
  logger.warn('a second upload under a recorded evidence key quarantined', { itemId: item.itemId, kind: item.kind });
  return 'quarantined-replacement';
}

/**
 * Reads at most {@link READ_BUDGET_BYTES} of the object whatever its size:
 * the first bytes; for a PDF more of its head and its last 1024 bytes; for
 * a JPEG whose frame header lies past the head (an EXIF thumbnail before
 * it), the segment headers hop by hop, skipping the segments' bodies. Then
 * judges what was read.
 */
async function inspect(event: ObjectCreated, item: EvidenceRecord, size: number, checksumVerified: boolean): Promise<Assessment> {
  let head = size > 0 ? await readRange(event.key, event.versionId, `bytes=0-${Math.min(size, HEAD_WINDOW_BYTES) - 1}`) : new Uint8Array();
  const type = sniffContentType(head);
  const segments: ByteWindow[] = [];
  if (type === 'image/jpeg') {
    let read = head.length;
    for (let hop = 0; hop < JPEG_MAX_HOPS; hop++) {
      const found = jpegScan([{ offset: 0, bytes: head }, ...segments]);
      if (!found || !('need' in found) || found.need >= size || read + JPEG_HOP_BYTES > READ_BUDGET_BYTES) break;
      const end = Math.min(size, found.need + JPEG_HOP_BYTES) - 1;
      const bytes = await readRange(event.key, event.versionId, `bytes=${found.need}-${end}`);
      segments.push({ offset: found.need, bytes });
      read += bytes.length;
    }
  }
  if (type === 'application/pdf' && size > head.length) {
    const more = await readRange(event.key, event.versionId, `bytes=${head.length}-${Math.min(size, PDF_HEAD_BYTES) - 1}`);
    head = Buffer.concat([head, more]);
  }
  const tail =
    type === 'application/pdf' && size > head.length
      ? await readRange(event.key, event.versionId, `bytes=-${PDF_WINDOW_BYTES}`)
      : head.subarray(Math.max(0, head.length - PDF_WINDOW_BYTES));
  return assessEvidence({
    kind: item.kind as EvidenceKeyParts['kind'],
    declaredContentType: item.declaredContentType,
    declaredSize: item.declaredSize,
    eventSize: event.size,
    storedSize: size,
    head,
    segments,
    tail,
    checksumVerified,
  });
}

function isPublishedKind(kind: string): kind is (typeof EVIDENCE_VALIDATED_V1_KINDS)[number] {
  return (EVIDENCE_VALIDATED_V1_KINDS as readonly string[]).includes(kind);
}

/** The side effects of a recorded result: quarantine an invalid version, publish the event, append its audit event and mark it done. */
async function settle(parts: EvidenceKeyParts, item: EvidenceRecord, versionId: string, sequencer: string): Promise<void> {
  const status = item.status === 'valid' ? 'valid' : 'invalid';
  if (status === 'invalid') {
    await quarantineVersion(evidenceObjectKey(parts), versionId, quarantineKey(parts, versionId));
  }
  // EvidenceValidated v1 names the application's kinds only (its published contract); a site's later-life file is not announced under it.
  const kind = parts.kind;
  if (isPublishedKind(kind)) await publishEvidenceValidated({ schemaVersion: 1, applicationId: parts.applicationId, itemId: parts.itemId, kind, status });
  await markEvidenceSettled(item, sequencer, EVIDENCE_KIND_SPECS[parts.kind].article);
}
