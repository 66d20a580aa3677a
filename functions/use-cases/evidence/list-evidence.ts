import {
  EVIDENCE_KIND_SPECS,
  EVIDENCE_KINDS,
  type EvidenceKind,
  type EvidenceReasonCode,
  type EvidenceStatus,
  type EvidenceTag,
  type ReviewerMark,
  isSiteLifeKind,
} from '../../../schemas/evidence.schema.ts';
import { marksOf } from './mark-evidence.ts';
import { listEvidenceAttemptsResets, listEvidenceRecords, type EvidenceRecord } from '../../adapters/stores/evidence.ts';
import type { EvidenceReason } from '../../domain/evidence-inspection.ts';
import { summariseEvidence, type EvidenceItemView as DomainItemView, type EvidenceKindSummary } from '../../domain/evidence-requirements.ts';
import { nowMs } from '../../shared/clock.ts';
import type { Principal } from '../../shared/identity.ts';
import { authoriseRead, isPilotCollege, kindSpec, type ReaderRole } from './access.ts';
import { attemptLimit, isSubmittedEvidence, usesAttempt } from '../../domain/evidence-requirements.ts';

/** One file as the portal shows it. */
export interface EvidenceItemView {
  readonly itemId: string;
  readonly kind: EvidenceKind;
  readonly status: Exclude<EvidenceStatus, 'missing'>;
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
  readonly tags: readonly string[];
  readonly width?: number;
  readonly height?: number;
  readonly reasons: readonly EvidenceReason[];
  /** A reviewer's marks (Art.3: not stamped, illegible, …) with the reviewer's note; the labelled ones are among `reasons`. */
  readonly marks: readonly ReviewerMark[];
  readonly markNote?: string;
  /** The applicant confirmed the seal when uploading (Art.3). */
  readonly sealConfirmed: boolean;
  /** The same file is in another institution's application (reviewers check it). */
  readonly duplicate: boolean;
  /** Which applications: reviewers and admins only (an applicant never learns about another institution). */
  readonly duplicateOf?: ReadonlyArray<{ applicationId: string }>;
  readonly createdAt: string;
  readonly uploadedAt?: string;
  readonly validatedAt?: string;
}

/** One kind of evidence with its files and what it still lacks. */
export interface EvidenceKindView extends EvidenceKindSummary {
  readonly zh: string;
  readonly en: string;
  readonly article: string;
  readonly maxCount: number;
  /** Upload attempts (policy): how many the kind allows per application, and how many were used since an admin's last reset. */
  readonly attemptLimit: number;
  readonly attemptsUsed: number;
  /** Valid files still needed (0 when the kind is complete or not required). */
  readonly stillNeeded: number;
  readonly reasons: readonly EvidenceReason[];
  readonly duplicate: boolean;
  readonly items: readonly EvidenceItemView[];
}

export interface EvidenceListView {
  readonly applicationId: string;
  readonly applicationStatus: string;
  readonly pilotCollege: boolean;
  /** Every required kind is valid. */
  readonly complete: boolean;
  readonly kinds: readonly EvidenceKindView[];
  readonly stillNeeded: ReadonlyArray<{ kind: EvidenceKind; zh: string; en: string; article: string; count: number; missingTags: readonly EvidenceTag[] }>;
}

function itemView(item: EvidenceRecord, role: ReaderRole): EvidenceItemView {
  const duplicateOf = item.status === 'valid' ? (item.duplicateOf ?? []) : [];
  return {
    itemId: item.itemId,
    kind: item.kind as EvidenceKind,
    status: item.status as EvidenceItemView['status'],
    fileName: item.fileName,
    contentType: item.detectedType ?? item.declaredContentType,
    size: item.size ?? item.declaredSize,
    tags: item.tags ?? [],
    ...(item.width !== undefined && item.height !== undefined ? { width: item.width, height: item.height } : {}),
    reasons: (item.reasons ?? []) as EvidenceReason[],
    marks: marksOf(item),
    ...(marksOf(item).length > 0 && item.reviewMarks?.note ? { markNote: item.reviewMarks.note } : {}),
    sealConfirmed: item.sealConfirmed === true,
    duplicate: duplicateOf.length > 0,
    ...(role === 'staff' && duplicateOf.length > 0 ? { duplicateOf } : {}),
    createdAt: item.createdAt,
    ...(item.uploadedAt ? { uploadedAt: item.uploadedAt } : {}),
    ...(item.validatedAt ? { validatedAt: item.validatedAt } : {}),
  };
}

function uniqueReasons(items: readonly EvidenceItemView[]): EvidenceReason[] {
  const byCode = new Map<string, EvidenceReason>();
  for (const item of items) for (const reason of item.reasons) byCode.set(reason.code, reason);
  return [...byCode.values()];
}

/**
 * The evidence of an application by kind (Art.3): each kind with its files,
 * a status `missing | pending | valid | invalid` and what is still needed,
 * for the applicant (its own institution), reviewers and admins. Site-visit
 * photos (Art.4) are listed for reviewers and admins only. Withdrawn files
 * and upload grants nobody used are left out. Once the application is
 * APPROVED, the kinds of the site's later life follow (site documents for
 * the site and staff, case evidence for staff): never required. `only`
 * narrows `kinds` to one kind (`?kind=site-document`); `complete` and
 * `stillNeeded` still describe the whole checklist.
 */
export async function listEvidence(principal: Principal, applicationId: string, only?: string): Promise<EvidenceListView> {
  if (only !== undefined) kindSpec(only);
  const { application, role } = await authoriseRead(principal, applicationId);
  const pilotCollege = await isPilotCollege(application);
  const atMs = nowMs();
  const [records, resets] = await Promise.all([listEvidenceRecords(applicationId), listEvidenceAttemptsResets(applicationId)]);
  const resetAt = new Map(resets.map((r) => [r.kind, r.resetAt]));
  const items = records.filter((item) => isSubmittedEvidence(item, atMs));
  const views = items.map((item) => itemView(item, role));
  const domainViews: DomainItemView[] = items.map((item) => ({
    kind: item.kind as EvidenceKind,
    status: item.status as EvidenceStatus,
    reasonCodes: (item.reasonCodes ?? []) as EvidenceReasonCode[],
    tags: (item.tags ?? []) as EvidenceTag[],
  }));
  const summaries = new Map(summariseEvidence(domainViews, { pilotCollege }).map((s) => [s.kind, s]));

  const shown = (kind: EvidenceKind): boolean => {
    const by = EVIDENCE_KIND_SPECS[kind].uploadedBy;
    if (isSiteLifeKind(kind) && application.status !== 'APPROVED') return false;
    return role === 'staff' || by === 'applicant' || by === 'site';
  };
  const kinds: EvidenceKindView[] = EVIDENCE_KINDS.filter(shown).map((kind) => {
    const spec = EVIDENCE_KIND_SPECS[kind];
    const ofKind = views.filter((v) => v.kind === kind);
    const counts = {
      validCount: ofKind.filter((v) => v.status === 'valid').length,
      pendingCount: ofKind.filter((v) => v.status === 'pending').length,
      invalidCount: ofKind.filter((v) => v.status === 'invalid').length,
    };
    const summary = summaries.get(kind);
    // Site-visit photos are not the applicant's and have no minimum: their status only describes the files.
    const status: EvidenceStatus =
      summary?.status ??
      (ofKind.length === 0 ? 'missing' : counts.pendingCount > 0 ? 'pending' : counts.validCount > 0 ? 'valid' : 'invalid');
    const required = summary?.required ?? false;
    return {
      kind,
      zh: spec.zh,
      en: spec.en,
      article: spec.article,
      required,
      status,
      minCount: spec.minCount,
      maxCount: spec.maxCount,
      attemptLimit: attemptLimit(spec),
      attemptsUsed: records.filter((r) => r.kind === kind && usesAttempt(r, atMs, resetAt.get(kind))).length,
      ...counts,
      stillNeeded: required ? Math.max(0, spec.minCount - counts.validCount) : 0,
      missingTags: required ? (summary?.missingTags ?? []) : [],
      reasonCodes: summary?.reasonCodes ?? [],
      reasons: uniqueReasons(ofKind.filter((v) => v.status === 'invalid')),
      duplicate: ofKind.some((v) => v.duplicate),
      items: ofKind,
    };
  });
  const stillNeeded = kinds
    .filter((k) => k.required && k.status !== 'valid')
    .map((k) => ({ kind: k.kind, zh: k.zh, en: k.en, article: k.article, count: k.stillNeeded, missingTags: k.missingTags }));
  return {
    applicationId,
    applicationStatus: application.status,
    pilotCollege,
    complete: kinds.every((k) => !k.required || k.status === 'valid'),
    // `complete` and `stillNeeded` stay the application's whole checklist when one kind is asked for.
    kinds: only === undefined ? kinds : kinds.filter((k) => k.kind === only),
    stillNeeded,
  };
}
