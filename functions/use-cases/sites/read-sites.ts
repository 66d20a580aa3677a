import type * as z from 'zod/mini';
import type { siteViewSchema } from '../../../schemas/api/sites.schema.ts';
import { getSite, listSitesByStatus, listSitesOfInstitution, type SiteRecord } from '../../adapters/stores/sites.ts';
import { type Page } from '../../adapters/stores/table.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { appConfig } from '../../shared/env.ts';
import { isStaff } from '../applications/access.ts';
import type { Caller } from '../../shared/identity.ts';
import { requireMembership } from '../registry/membership.ts';

export type SiteView = z.infer<typeof siteViewSchema>;

const DAY_MS = 86_400_000;

/** What a reader sees of a site: its accreditation, and when Art.23(1) would revoke it without an exam. */
export function siteView(site: SiteRecord): SiteView {
  // Art.23(1) (policy): the inactivity period runs from the last exam held, or from activation.
  const since = Date.parse(site.lastExamAt ?? site.inactivitySince);
  return {
    siteId: site.siteId,
    certificateNumber: site.certificateNumber,
    status: site.status,
    institutionId: site.institutionId,
    institutionName: site.institutionName,
    provinceCode: site.provinceCode,
    cityCode: site.cityCode,
    applicationId: site.applicationId,
    activatedAt: site.activatedAt,
    accreditedRooms: (site.accreditedRooms ?? []).map((r) => ({ name: r.name, seats: r.seats, seatingArrangement: r.seatingArrangement, capacity: r.capacity })),
    lastExamAt: site.lastExamAt,
    inactiveRevocationAt: new Date(since + appConfig().deadlines.inactivityDays * DAY_MS).toISOString(),
  };
}

/** Lists sites: an applicant its institution's (from the membership, gsi1); staff one status at a time (gsi2). Never a Scan. */
export async function listSites(caller: Caller, query: { status?: SiteRecord['status']; cursor?: string; limit?: number }): Promise<Page<SiteView>> {
  if (isStaff(caller)) {
    const page = await listSitesByStatus(query.status ?? 'ACTIVE', query);
    return { items: page.items.map(siteView), cursor: page.cursor };
  }
  const membership = await requireMembership(caller);
  const sites = await listSitesOfInstitution(membership.creditCode);
  return { items: sites.filter((s) => !query.status || s.status === query.status).map(siteView) };
}

/** One site; another institution's answers 404, as if it did not exist. */
export async function getSiteView(caller: Caller, siteId: string): Promise<SiteView> {
  const site = await getSite(siteId);
  if (!site) throw new NotFoundError('Site', '考核站点');
  if (!isStaff(caller)) {
    const membership = await requireMembership(caller);
    if (membership.creditCode !== site.institutionId) throw new NotFoundError('Site', '考核站点');
  }
  return siteView(site);
}
