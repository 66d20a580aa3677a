import type { z } from 'zod/mini';
import type { dashboardSchema } from '../../../schemas/api/applications.schema.ts';
import { allPilotColleges } from '../../adapters/stores/register.ts';
import { countApplicationsInStatus, provincesOfApplicationsInStatus } from '../../adapters/stores/applications.ts';
import { overdueDecisions } from '../../adapters/stores/decisions.ts';
import { siteCitiesInStatus } from '../../adapters/stores/sites.ts';
import { APPLICATION_STATUSES } from '../../domain/application-lifecycle.ts';
import { coverageReport } from '../../domain/screening/coverage-report.ts';
import { nowIso } from '../../shared/clock.ts';
import { type Caller, requireGroup } from '../../shared/identity.ts';

export type Dashboard = z.infer<typeof dashboardSchema>;

/** Overdue tasks listed on the dashboard (all are counted). */
const OVERDUE_LISTED = 50;

/**
 * The admin dashboard, from index queries only (no Scan): applications per
 * status (Select COUNT over each status partition) and per province, overdue
 * decision tasks (pending with a deadline before now), active sites, and the
 * Art.8 coverage report: prefecture-level cities with pilot colleges but no
 * active site (a goal of the organisation, never a reason to refuse).
 */
export async function getDashboard(caller: Caller): Promise<Dashboard> {
  requireGroup(caller, 'admin');
  const generatedAt = nowIso();
  const [counts, provinces, overdue, activeSites, register] = await Promise.all([
    Promise.all(APPLICATION_STATUSES.map((status) => countApplicationsInStatus(status))),
    Promise.all(APPLICATION_STATUSES.map((status) => provincesOfApplicationsInStatus(status))),
    overdueDecisions(generatedAt, OVERDUE_LISTED),
    siteCitiesInStatus('ACTIVE'),
    allPilotColleges(),
  ]);
  const applicationsByStatus: Record<string, number> = {};
  const applicationsByProvince: Record<string, Record<string, number>> = {};
  APPLICATION_STATUSES.forEach((status, i) => {
    applicationsByStatus[status] = counts[i] ?? 0;
    for (const province of provinces[i] ?? []) {
      const row = (applicationsByProvince[province] ??= {});
      row[status] = (row[status] ?? 0) + 1;
    }
  });
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    generatedAt,
    applicationsByStatus,
    applicationsByProvince,
    overdueTasks: {
      count: overdue.count,
      items: overdue.items.map((t) => ({
        decisionId: t.decisionId,
        applicationId: t.applicationId,
        kind: t.kind,
        assignee: t.assigneeSub,
        deadline: t.deadline,
      })),
    },
    sites: { active: activeSites.length },
    coverage: coverageReport(
      register,
      activeSites.filter((s) => typeof s.cityCode === 'string').map((s) => ({ cityCode: String(s.cityCode), siteId: str(s.siteId) })),
    ) as Dashboard['coverage'],
  };
}
