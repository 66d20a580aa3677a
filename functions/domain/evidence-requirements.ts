import {
  EVIDENCE_KIND_SPECS,
  EVIDENCE_KINDS,
  type EvidenceKind,
  type EvidenceReasonCode,
  type EvidenceStatus,
  type EvidenceTag,
} from '../../schemas/evidence.schema.ts';

/**
 * Rules about supporting evidence (Art.3) that the upload API, the validator,
 * the screening and the portal share.
 */

/** What the requirement depends on: pilot colleges need no legal-person certificate (Art.3(2)). */
export interface EvidenceContext {
  readonly pilotCollege: boolean;
}

/** True when `kind` must be supplied by this applicant. */
export function isEvidenceRequired(kind: EvidenceKind, context: EvidenceContext): boolean {
  const { requiredFor } = EVIDENCE_KIND_SPECS[kind];
  return requiredFor === 'all' || (requiredFor === 'non-pilot' && !context.pilotCollege);
}

/** The kinds this applicant must supply, in catalogue order. */
export function requiredEvidenceKinds(context: EvidenceContext): EvidenceKind[] {
  return EVIDENCE_KINDS.filter((kind) => isEvidenceRequired(kind, context));
}

const MB = 1024 * 1024;

/** A size as users read it in messages and the README: `10 MB`, `1.5 MB`, `1 KB`. */
export function formatSize(bytes: number): string {
  if (bytes >= MB) return `${(bytes / MB).toFixed(bytes % MB === 0 ? 0 : 1)} MB`;
  return bytes >= 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${bytes} B`;
}

/**
 * Every upload of a kind stays in the application's partition, so the
 * uploads that arrive are bounded too, not only the valid files (policy):
 * five tries per allowed file.
 */
export const ATTEMPTS_PER_ALLOWED_FILE = 5;

/** How many uploads of a kind may arrive per application before an admin resets the count (policy). */
export function attemptLimit(spec: { readonly maxCount: number }): number {
  return spec.maxCount * ATTEMPTS_PER_ALLOWED_FILE;
}

/** What the validator learnt from the bytes of one object version. */
export interface EvidenceFileFacts {
  /** The type sniffed from the magic bytes, not the one the client declared. */
  readonly contentType: string;
  readonly sizeBytes: number;
  readonly width?: number;
  readonly height?: number;
}

/**
 * Checks one file against its kind's rules; an empty list means the file is
 * acceptable (a reviewer still checks the seal and legibility).
 */
export function checkEvidenceFile(kind: EvidenceKind, facts: EvidenceFileFacts): EvidenceReasonCode[] {
  const spec = EVIDENCE_KIND_SPECS[kind];
  const reasons: EvidenceReasonCode[] = [];
  if (!(spec.contentTypes as readonly string[]).includes(facts.contentType)) reasons.push('content-type-not-allowed');
  if (facts.sizeBytes < spec.minSizeBytes) reasons.push('too-small');
  if (facts.sizeBytes > spec.maxSizeBytes) reasons.push('too-large');
  if ((spec.minImage || spec.maxImage) && facts.contentType.startsWith('image/')) {
    const { width, height } = facts;
    if (width === undefined || height === undefined) {
      reasons.push('unreadable');
    } else {
      // A portrait photo of a landscape-minimum is as legible: compare long and short sides.
      const long = Math.max(width, height);
      const short = Math.min(width, height);
      const { minImage, maxImage } = spec;
      if (minImage && (long < minImage.width || short < minImage.height)) reasons.push('image-too-small');
      if (maxImage && (long > Math.max(maxImage.width, maxImage.height) || short > Math.min(maxImage.width, maxImage.height))) {
        reasons.push('image-too-large');
      }
    }
  }
  return reasons;
}

/** The minimum an evidence item must tell for the summary. */
export interface EvidenceItemView {
  readonly kind: EvidenceKind;
  readonly status: EvidenceStatus;
  readonly reasonCodes?: readonly EvidenceReasonCode[];
  readonly tags?: readonly EvidenceTag[];
}

export interface EvidenceKindSummary {
  readonly kind: EvidenceKind;
  readonly required: boolean;
  /** `valid` when enough valid items cover every required tag; otherwise the most telling state. */
  readonly status: EvidenceStatus;
  readonly minCount: number;
  readonly validCount: number;
  readonly pendingCount: number;
  readonly invalidCount: number;
  readonly reasonCodes: readonly EvidenceReasonCode[];
  /** Required tags no valid item covers yet. */
  readonly missingTags: readonly EvidenceTag[];
}

/**
 * Summarises the items of every applicant-uploaded kind. A kind counts as
 * valid only with at least `minCount` valid items covering its required tags;
 * an invalid upload next to enough valid ones does not matter.
 */
export function summariseEvidence(items: readonly EvidenceItemView[], context: EvidenceContext): EvidenceKindSummary[] {
  return EVIDENCE_KINDS.filter((kind) => EVIDENCE_KIND_SPECS[kind].uploadedBy === 'applicant').map((kind) => {
    const spec = EVIDENCE_KIND_SPECS[kind];
    const ofKind = items.filter((item) => item.kind === kind && item.status !== 'missing');
    const valid = ofKind.filter((item) => item.status === 'valid');
    const pending = ofKind.filter((item) => item.status === 'pending');
    const invalid = ofKind.filter((item) => item.status === 'invalid');
    const covered = new Set(valid.flatMap((item) => item.tags ?? []));
    const missingTags = spec.requiredTags.filter((tag) => !covered.has(tag));
    const complete = valid.length >= spec.minCount && missingTags.length === 0;
    const status: EvidenceStatus = complete
      ? 'valid'
      : pending.length > 0
        ? 'pending'
        : invalid.length > 0
          ? 'invalid'
          : 'missing';
    return {
      kind,
      required: isEvidenceRequired(kind, context),
      status,
      minCount: spec.minCount,
      validCount: valid.length,
      pendingCount: pending.length,
      invalidCount: invalid.length,
      reasonCodes: [...new Set(invalid.flatMap((item) => item.reasonCodes ?? []))],
      missingTags,
    };
  });
}

/** An upload the client never made stops holding a place this long after its grant expired. */
export const IN_FLIGHT_GRACE_MS = 5 * 60 * 1000;

/** The part of a stored evidence item these rules read. */
export interface EvidenceItemState {
  readonly status: string;
  readonly uploadExpiresAt: string;
  readonly createdAt?: string;
  /** Set by the validator once bytes arrived (the upload was made). */
  readonly lastSequencer?: string;
}

/**
 * True when an item takes one of the kind's places (at most `maxCount`): a
 * valid file, or an upload granted and still in flight (its grant not yet
 * expired, plus a grace): otherwise several uploads started at once could
 * all end valid beyond the maximum. Invalid and withdrawn files, and requests
 * never completed, take none.
 */
export function holdsPlace(item: EvidenceItemState, atMs: number): boolean {
  if (item.status === 'valid') return true;
  if (item.status !== 'pending') return false;
  return Date.parse(item.uploadExpiresAt) + IN_FLIGHT_GRACE_MS > atMs;
}

/**
 * True when an item uses up one of the kind's upload attempts
 * ({@link attemptLimit}, policy): an upload that arrived (valid, invalid, or
 * withdrawn after it arrived) or one still in flight, requested after the
 * last reset by an admin (`resetAt`, ISO time). A request never completed
 * uses none, so an abandoned upload leaves no trace in the count.
 */
export function usesAttempt(item: EvidenceItemState, atMs: number, resetAt?: string): boolean {
  if (resetAt && item.createdAt && item.createdAt <= resetAt) return false;
  if (item.lastSequencer) return true;
  return item.status === 'pending' && holdsPlace(item, atMs);
}

/**
 * True when an item is evidence the applicant has given: checked (valid or
 * invalid) or still being checked. Withdrawn files and upload grants nobody
 * used are not: counted as pending they would hide what is really missing.
 */
export function isSubmittedEvidence(item: EvidenceItemState, atMs: number): boolean {
  return item.status === 'valid' || item.status === 'invalid' || (item.status === 'pending' && holdsPlace(item, atMs));
}
