import { EVIDENCE_KIND_SPECS, type EvidenceKind } from '../../../schemas/evidence.schema.ts';
import { presignDownload } from '../../adapters/evidence-store.ts';
import { appendApplicationAudit } from '../../adapters/stores/applications.ts';
import { findEvidenceItem } from '../../adapters/stores/evidence.ts';
import { listCasesOfSite } from '../../adapters/stores/site-cases.ts';
import { sanitiseFileName } from '../../domain/evidence-keys.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { nowIso } from '../../shared/clock.ts';
import { appConfig } from '../../shared/env.ts';
import { actorOf, type Principal } from '../../shared/identity.ts';
import { authoriseRead, readerGroup } from './access.ts';
import { EvidenceInvalidError, EvidenceNotValidatedError, EvidenceWithdrawnError } from './evidence-errors.ts';
import { isReviewerMarked } from './mark-evidence.ts';

export interface DownloadEvidenceInput {
  readonly principal: Principal;
  readonly applicationId: string;
  readonly itemId: string;
  readonly requestId: string;
}

/**
 * What the applicant institution reads: its own files (the application's and
 * its site's documents) and the case evidence an admin cited in a revocation
 * case against its site (Art.23: the site answers what it is accused of);
 * never site-visit photos, nor case evidence not (yet) cited.
 */
async function applicantReads(uploadedBy: string, itemId: string, siteId: string | undefined): Promise<boolean> {
  if (uploadedBy === 'applicant' || uploadedBy === 'site') return true;
  if (uploadedBy !== 'admin' || !siteId) return false;
  const { revocations } = await listCasesOfSite(siteId);
  return revocations.some((r) => r.evidenceIds.includes(itemId));
}

/**
 * A short-lived presigned GET of the validated version of one file, served
 * as an attachment, for reviewers and admins (and the applicant, for its own
 * institution's files). Each one is written to the application's audit trail
 * (who, which file, which version) before the URL is handed out; the URL
 * itself is never stored or logged.
 */
export async function downloadEvidence(input: DownloadEvidenceInput): Promise<{ url: string; expiresAt: string }> {
  const { application, role } = await authoriseRead(input.principal, input.applicationId);
  const item = await findEvidenceItem(input.applicationId, input.itemId);
  const spec = item ? EVIDENCE_KIND_SPECS[item.kind as EvidenceKind] : undefined;
  // Site-visit photos are the organisation's record, not the applicant's files; case evidence only once cited against the site.
  if (!item || !spec || (role === 'applicant' && !(await applicantReads(spec.uploadedBy, item.itemId, application.siteId)))) {
    throw new NotFoundError('Evidence item', '支撑材料');
  }
  if (item.status === 'withdrawn') throw new EvidenceWithdrawnError();
  // A file a reviewer marked (not stamped, …) passed validation: its bytes stay readable, for the reviewer and the applicant.
  const marked = isReviewerMarked(item);
  if (item.status === 'invalid' && !marked) throw new EvidenceInvalidError();
  if ((item.status !== 'valid' && !marked) || !item.validatedVersionId || !item.detectedType) throw new EvidenceNotValidatedError();

  const download = await presignDownload({
    key: item.objectKey,
    versionId: item.validatedVersionId,
    fileName: sanitiseFileName(item.fileName, item.detectedType),
    contentType: item.detectedType,
    expiresSeconds: appConfig().deadlines.downloadExpirySeconds,
  });
  await appendApplicationAudit(input.applicationId, {
    key: { at: nowIso(), key: `evidence-download#${input.requestId}` },
    event: {
      actor: actorOf(input.principal, readerGroup(input.principal, role)),
      action: 'evidence-downloaded',
      article: spec.article,
      details: { itemId: item.itemId, kind: item.kind, versionId: item.validatedVersionId, expiresAt: download.expiresAt },
    },
  });
  return download;
}
