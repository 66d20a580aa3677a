import { EVIDENCE_KINDS, EVIDENCE_KIND_SPECS, SITE_LIFE_KINDS, type EvidenceKind } from '../../../schemas/evidence.schema.ts';
import { listEvidenceRecords } from '../../adapters/stores/evidence.ts';
import { EvidenceNotCitableError } from './evidence-errors.ts';

/**
 * Which files each place of the site's later life may cite (`evidenceIds`),
 * all from the site's own record (its application's prefix):
 * - what the site writes, its evaluation report (Art.20), rectification
 *   report (Art.21) and representation (Art.23): its site documents;
 * - a manual revocation case an admin opens (Art.23): the case evidence, the
 *   site's documents and the files of its accreditation.
 */
export const CITABLE_KINDS = {
  site: ['site-document'],
  revocation: [...SITE_LIFE_KINDS, ...EVIDENCE_KINDS.filter((kind) => !SITE_LIFE_KINDS.includes(kind))],
} as const satisfies Record<string, readonly EvidenceKind[]>;

/**
 * Every cited id must name a file of the site's application, of one of the
 * `kinds`, that the validator accepted (`valid`): a file still pending, an
 * invalid or withdrawn one, another site's or another kind's is refused
 * (400 `EVIDENCE_NOT_CITABLE`, with one problem per id).
 */
export async function checkCitedEvidence(applicationId: string, ids: readonly string[], kinds: readonly EvidenceKind[], article: string): Promise<void> {
  const problems: Array<{ path: string; itemId: string; reason: 'not-found' | 'not-validated' | 'wrong-kind' }> = [];
  if (ids.length === 0) return;
  // One read of the site's files (bounded by the kinds' counts), not one per id.
  const byId = new Map((await listEvidenceRecords(applicationId)).map((item) => [item.itemId, item]));
  for (const [i, id] of ids.entries()) {
    const item = byId.get(id);
    const path = `evidenceIds.${i}`;
    const itemId = id.slice(0, 100);
    if (!item || item.status === 'withdrawn') problems.push({ path, itemId, reason: 'not-found' });
    else if (!(kinds as readonly string[]).includes(item.kind)) problems.push({ path, itemId, reason: 'wrong-kind' });
    else if (item.status !== 'valid') problems.push({ path, itemId, reason: 'not-validated' });
  }
  if (problems.length) throw new EvidenceNotCitableError(problems, kinds.map((k) => EVIDENCE_KIND_SPECS[k].en), article);
}
