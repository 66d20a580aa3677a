import { EVIDENCE_KIND_SPECS, REVIEWER_MARKS, type EvidenceKind, type ReviewerMark } from '../../../schemas/evidence.schema.ts';
import type { ReviewerFinding } from '../../../schemas/api/accreditation.schema.ts';
import type { EvidenceMarksBody } from '../../../schemas/evidence-api.schema.ts';
import { findEvidenceItem, listEvidenceRecords, markEvidenceItem, type EvidenceRecord } from '../../adapters/stores/evidence.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { REVIEWER_MARK_CODES, evidenceReason, isReviewerMarkReason, reasonCodesOf, type EvidenceReason } from '../../domain/evidence-inspection.ts';
import { nowIso } from '../../shared/clock.ts';
import { actorOf, requireGroup, type Principal } from '../../shared/identity.ts';
import { kindSpec, loadApplication } from './access.ts';
import { EvidenceNotMarkableError, EvidenceReviewNotInProgressError } from './evidence-errors.ts';

export interface MarkEvidenceInput {
  readonly principal: Principal;
  readonly applicationId: string;
  readonly itemId: string;
  readonly body: EvidenceMarksBody;
  readonly requestId: string;
}

/** A file's marks as the API returns them. */
export interface EvidenceMarksView {
  readonly itemId: string;
  readonly kind: string;
  readonly status: string;
  readonly marks: readonly ReviewerMark[];
  readonly note?: string;
  readonly reasons: readonly EvidenceReason[];
}

/** The marks standing on an item (none when cleared or never set). */
export function marksOf(item: Pick<EvidenceRecord, 'reviewMarks'>): ReviewerMark[] {
  return (item.reviewMarks?.marks ?? []).filter((m): m is ReviewerMark => (REVIEWER_MARKS as readonly string[]).includes(m));
}

/** A marked file: its bytes passed validation, a reviewer found the document wanting. */
export function isReviewerMarked(item: Pick<EvidenceRecord, 'status' | 'reviewMarks'>): boolean {
  return item.status === 'invalid' && marksOf(item).length > 0;
}

function view(item: EvidenceRecord): EvidenceMarksView {
  return {
    itemId: item.itemId,
    kind: item.kind,
    status: item.status,
    marks: marksOf(item),
    ...(item.reviewMarks?.note ? { note: item.reviewMarks.note } : {}),
    reasons: (item.reasons ?? []) as EvidenceReason[],
  };
}

/**
 * `PUT /v1/applications/{applicationId}/evidence/{itemId}/marks` (reviewer,
 * admin) during the material review: marks a file the validator accepted as
 * not stamped (Art.3), illegible, not the document asked for, or expired. A
 * marked file is `invalid` with the marks among its reasons: it fills no
 * place of its kind, screening after a resubmission finds it, and a `return`
 * decision carries the marks to the applicant. The marks replace the
 * previous ones; an empty list clears them (the file is valid again). The
 * same marks again change nothing (idempotent); each change is audited.
 */
export async function markEvidence(input: MarkEvidenceInput): Promise<EvidenceMarksView> {
  requireGroup(input.principal, 'reviewer', 'admin');
  const application = await loadApplication(input.applicationId);
  const item = await findEvidenceItem(input.applicationId, input.itemId);
  if (!item) throw new NotFoundError('Evidence item', '支撑材料');
  const spec = kindSpec(item.kind);
  if (application.status !== 'UNDER_REVIEW') throw new EvidenceReviewNotInProgressError(application.status);
  if (spec.uploadedBy !== 'applicant' || !(item.status === 'valid' || isReviewerMarked(item))) throw new EvidenceNotMarkableError(item.status);

  const marks = REVIEWER_MARKS.filter((m) => input.body.marks.includes(m));
  const note = input.body.note || undefined;
  const current = marksOf(item);
  if (marks.join() === current.join() && note === (item.reviewMarks?.note || undefined)) return view(item);

  const kind = item.kind as EvidenceKind;
  const reasons = [...((item.reasons ?? []) as EvidenceReason[]).filter((r) => !isReviewerMarkReason(r)), ...marks.map((m) => evidenceReason(kind, REVIEWER_MARK_CODES[m]))];
  const at = nowIso();
  const status = marks.length > 0 ? 'invalid' : 'valid';
  const set = { reviewMarks: { marks, ...(note ? { note } : {}), by: input.principal.sub, at }, reasons, reasonCodes: reasonCodesOf(reasons) };
  await markEvidenceItem({ ...item, version: Number(item.version ?? 0) }, { to: status, set }, {
    key: { at, key: `evidence-marks#${item.itemId}#${input.requestId}` },
    event: {
      actor: actorOf(input.principal, input.principal.groups.includes('reviewer') ? 'reviewer' : 'admin'),
      action: marks.length > 0 ? 'evidence-marked' : 'evidence-marks-cleared',
      article: marks.includes('not-stamped') ? 'Art.3' : spec.article,
      reason: marks.length > 0 ? [...marks.map((m) => evidenceReason(kind, REVIEWER_MARK_CODES[m]).zh), ...(note ? [note] : [])].join('；') : '标注已撤销 / marks cleared',
      details: { itemId: item.itemId, kind: item.kind, marks, previous: current },
    },
  });
  return view({ ...item, ...set, status });
}

/**
 * The marked files of an application as reviewer findings: what a material
 * review's `return` tells the applicant, one finding per file, with the
 * article (Art.3 for a missing seal) and the reviewer's note.
 */
export async function evidenceMarkFindings(applicationId: string): Promise<ReviewerFinding[]> {
  const items = (await listEvidenceRecords(applicationId)).filter(isReviewerMarked);
  return items.map((item) => {
    const kind = item.kind as EvidenceKind;
    const spec = EVIDENCE_KIND_SPECS[kind];
    const marks = marksOf(item).map((m) => evidenceReason(kind, REVIEWER_MARK_CODES[m]));
    const note = item.reviewMarks?.note;
    return {
      article: marks.some((r) => r.code === 'EVIDENCE_NOT_STAMPED') ? 'Art.3' : spec.article,
      severity: 'blocking' as const,
      path: `evidence.${kind}`,
      zh: `${item.fileName}：${marks.map((r) => r.zh).join('；')}${note ? `（${note}）` : ''}`.slice(0, 1000),
      en: `${item.fileName}: ${marks.map((r) => r.en).join('; ')}${note ? ` (${note})` : ''}`.slice(0, 1000),
    };
  });
}
