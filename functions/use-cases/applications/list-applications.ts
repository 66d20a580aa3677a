import { type Page } from '../../adapters/stores/table.ts';
import { listApplicationsByStatus, listApplicationsOfInstitution } from '../../adapters/stores/applications.ts';
import type { ApplicationStatus } from '../../domain/application-lifecycle.ts';
import { ValidationError } from '../../domain/errors.ts';
import type { Caller } from '../../shared/identity.ts';
import { requireMembership } from '../registry/membership.ts';
import { applicationSummary, type ApplicationSummary, isStaff } from './access.ts';

/**
 * Lists applications. An applicant gets their institution's (gsi1, the
 * institution from the membership); reviewers and admins list one status at
 * a time (gsi2), never a Scan.
 */
export async function listApplications(
  caller: Caller,
  query: { status?: ApplicationStatus; cursor?: string; limit?: number },
): Promise<Page<ApplicationSummary>> {
  if (isStaff(caller)) {
    if (!query.status) {
      throw new ValidationError([{ path: 'status', message: 'required for reviewers and admins' }], 'Give ?status= to list applications.', '请指定要查询的申请状态（status）。');
    }
    const page = await listApplicationsByStatus(query.status, query);
    return { items: page.items.map(applicationSummary), cursor: page.cursor };
  }
  const membership = await requireMembership(caller);
  const page = await listApplicationsOfInstitution(membership.creditCode, query);
  return { items: page.items.map(applicationSummary), cursor: page.cursor };
}
