import { findEvidenceItem, withdrawEvidenceItem } from '../../adapters/stores/evidence.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { nowIso } from '../../shared/clock.ts';
import type { Principal } from '../../shared/identity.ts';
import { authoriseChange, kindSpec, loadApplication } from './access.ts';
import { NotUploaderError, SiteRecordKeptError } from './evidence-errors.ts';
import { isSiteLifeKind } from '../../../schemas/evidence.schema.ts';

export interface WithdrawEvidenceInput {
  readonly principal: Principal;
  readonly applicationId: string;
  readonly itemId: string;
  readonly requestId: string;
}

/**
 * Removes a file from the application (a replacement is a new upload): the
 * item becomes `withdrawn`, with its audit event, and takes no place of its
 * kind any more. Same rules as uploading; removing a removed file is a no-op.
 */
export async function withdrawEvidence(input: WithdrawEvidenceInput): Promise<void> {
  const application = await loadApplication(input.applicationId);
  const item = await findEvidenceItem(input.applicationId, input.itemId);
  // Another institution's applicant gets 404 either way: here, or from authoriseChange.
  if (!item) throw new NotFoundError('Evidence item', '支撑材料');
  const spec = kindSpec(item.kind);
  const actor = await authoriseChange(input.principal, application, spec);
  // A site's later-life files may be cited by reports and cases: they stay.
  if (isSiteLifeKind(spec.kind)) throw new SiteRecordKeptError(spec);
  if (spec.uploadedBy === 'reviewer' && item.uploaderSub !== input.principal.sub) throw new NotUploaderError();
  if (item.status === 'withdrawn') return;
  const at = nowIso();
  await withdrawEvidenceItem(item, { at, by: input.principal.sub }, {
    key: { at, key: `evidence-withdraw#${input.requestId}` },
    event: { actor, action: 'evidence-withdrawn', article: spec.article, details: { itemId: item.itemId, kind: item.kind } },
  });
}
