import { countPendingDecisions } from '../../adapters/stores/decisions.ts';
import { getStaff, listActiveReviewers, type StaffRecord } from '../../adapters/stores/staff.ts';
import { NoReviewerAvailableError } from './decision-errors.ts';

/**
 * The active reviewer with the fewest pending decision tasks, leaving out
 * `excluded` (the visitor, for the final decision). Ties go to the earliest
 * `sub`, so the choice is reproducible.
 */
export async function leastLoadedReviewer(kind: string, excluded: readonly (string | null | undefined)[] = []): Promise<StaffRecord> {
  const candidates = (await listActiveReviewers()).filter((r) => r.active && !excluded.includes(r.sub));
  if (candidates.length === 0) throw new NoReviewerAvailableError(kind);
  const loads = await Promise.all(candidates.map(async (r) => ({ reviewer: r, pending: await countPendingDecisions(r.sub) })));
  loads.sort((a, b) => a.pending - b.pending || (a.reviewer.sub < b.reviewer.sub ? -1 : a.reviewer.sub > b.reviewer.sub ? 1 : 0));
  return loads[0]!.reviewer;
}

/** The staff record of `sub` when it is an active reviewer. */
export async function activeReviewer(sub: string): Promise<StaffRecord | undefined> {
  const staff = await getStaff(sub);
  return staff && staff.active && staff.role === 'reviewer' ? staff : undefined;
}
