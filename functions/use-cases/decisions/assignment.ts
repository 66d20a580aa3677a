import { countPendingDecisions } from '../../adapters/stores/decisions.ts';
import { getStaff, listActiveAdmins, listActiveReviewers, type StaffRecord } from '../../adapters/stores/staff.ts';
import { isSiteDecisionKind, type DecisionKind } from '../../../schemas/api/accreditation.schema.ts';
import { NoReviewerAvailableError } from './decision-errors.ts';

/**
 * The active reviewer with the fewest pending decision tasks, leaving out
 * `excluded` (the visitor, for the final decision). Ties go to the earliest
 * `sub`, so the choice is reproducible.
 */
export async function leastLoadedReviewer(kind: string, excluded: readonly (string | null | undefined)[] = []): Promise<StaffRecord> {
  // A site's withdrawal or revocation is decided by an admin (Art.22, Art.23), not by a reviewer.
  const pool = isSiteDecisionKind(kind as DecisionKind) ? await listActiveAdmins() : await listActiveReviewers();
  const candidates = pool.filter((r) => r.active && !excluded.includes(r.sub));
  if (candidates.length === 0) throw new NoReviewerAvailableError(kind);
  const loads = await Promise.all(candidates.map(async (r) => ({ reviewer: r, pending: await countPendingDecisions(r.sub) })));
  loads.sort((a, b) => a.pending - b.pending || (a.reviewer.sub < b.reviewer.sub ? -1 : a.reviewer.sub > b.reviewer.sub ? 1 : 0));
  return loads[0]!.reviewer;
}

/** The staff record of `sub` when it may take a decision of `kind`: an active admin for a site's withdrawal or revocation, else an active reviewer. */
export async function activeDecider(sub: string, kind: DecisionKind): Promise<StaffRecord | undefined> {
  if (!isSiteDecisionKind(kind)) return activeReviewer(sub);
  const staff = await getStaff(sub);
  return staff && staff.active && staff.role === 'admin' ? staff : undefined;
}

/** The staff record of `sub` when it is an active reviewer. */
export async function activeReviewer(sub: string): Promise<StaffRecord | undefined> {
  const staff = await getStaff(sub);
  return staff && staff.active && staff.role === 'reviewer' ? staff : undefined;
}
