import { countPendingDecisions } from '../../adapters/stores/decisions.ts';
import { stableIndex } from '../../adapters/stores/table.ts';
import { getStaff, listActiveAdmins, listActiveReviewers, type StaffRecord } from '../../adapters/stores/staff.ts';
import { isSiteDecisionKind, type DecisionKind } from '../../../schemas/api/accreditation.schema.ts';
import { NoReviewerAvailableError } from './decision-errors.ts';

/**
 * Open tasks counted per candidate, at most: a reviewer with this many is
 * fully loaded. Counting stops there, so choosing costs the same however
 * many tasks are open (a campaign's deadline opens one assessment per site
 * at once: counting every open task each time made opening n tasks cost
 * n² index reads).
 */
export const LOAD_CAP = 100;

/**
 * The active reviewer with the fewest pending decision tasks, leaving out
 * `excluded` (the visitor, for the final decision). Ties go to the earliest
 * `sub`, so the choice is reproducible; when every candidate is fully
 * loaded ({@link LOAD_CAP}), the task goes to one of them by a stable hash
 * of `spreadKey` (the step's key), which spreads a campaign's assessments
 * evenly and gives a retried step the same reviewer.
 */
export async function leastLoadedReviewer(kind: string, excluded: readonly (string | null | undefined)[] = [], spreadKey = ''): Promise<StaffRecord> {
  // A site's withdrawal or revocation is decided by an admin (Art.22, Art.23), not by a reviewer.
  const pool = isSiteDecisionKind(kind as DecisionKind) ? await listActiveAdmins() : await listActiveReviewers();
  const candidates = pool.filter((r) => r.active && !excluded.includes(r.sub));
  if (candidates.length === 0) throw new NoReviewerAvailableError(kind);
  const loads = await Promise.all(candidates.map(async (r) => ({ reviewer: r, pending: await countPendingDecisions(r.sub, LOAD_CAP) })));
  loads.sort((a, b) => a.pending - b.pending || (a.reviewer.sub < b.reviewer.sub ? -1 : a.reviewer.sub > b.reviewer.sub ? 1 : 0));
  if (loads[0]!.pending < LOAD_CAP) return loads[0]!.reviewer;
  return loads[stableIndex(spreadKey, loads.length)]!.reviewer;
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
