import type * as z from 'zod/mini';
import type { siteViewSchema } from '../../../schemas/api/sites.schema.ts';
import { listSitesOfInstitution, searchSites, type SiteRecord } from '../../adapters/stores/sites.ts';
import type { Page } from '../../adapters/stores/table.ts';
import { ValidationError } from '../../domain/errors.ts';
import { SITE_STATUSES } from '../../domain/site-lifecycle.ts';
import { inactivityDeadline } from '../../domain/site-operations/inactivity.ts';
import { inactivityPolicy, inactivityStateOf } from '../site-operations/inactivity-timer.ts';
import { isStaff } from '../applications/access.ts';
import type { Caller } from '../../shared/identity.ts';
import { requireMembership } from '../registry/membership.ts';
import { cityBelongsToProvince } from '../../../schemas/validators/region-codes.ts';
import { readableSite } from './site-access.ts';

export type SiteView = z.infer<typeof siteViewSchema>;

const DAY_MS = 86_400_000;

/** What a reader sees of a site: its accreditation, and when Art.23(1) would revoke it without an exam. */
export function siteView(site: SiteRecord): SiteView {
  // Art.23(1) (policy): the inactivity period runs from the last exam held, or from activation, plus the time
  // suspended (Art.21); while SUSPENDED the limit is shown as it stood, the clock paused. The timer's own state.
  const state = inactivityStateOf(site);
  const policy = inactivityPolicy();
  const limit = inactivityDeadline({ ...state, suspendedSince: undefined }, policy) ?? new Date(Date.parse(state.anchorAt) + policy.inactivityDays * DAY_MS).toISOString();
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
    inactiveRevocationAt: limit,
  };
}

/** What a site list may ask for (`GET /v1/sites`). */
export interface SiteQuery {
  readonly status?: SiteRecord['status'];
  readonly provinceCode?: string;
  readonly cityCode?: string;
  readonly name?: string;
  readonly milestoneBefore?: string;
  readonly cursor?: string;
  readonly limit?: number;
}

/** A city must lie in the province it is asked with (GB/T 2260): otherwise no site could match, which is a mistake to say. */
export function checkRegion(provinceCode: string | undefined, cityCode: string | undefined): void {
  if (provinceCode && cityCode && !cityBelongsToProvince(cityCode, provinceCode)) {
    throw new ValidationError(
      [{ path: 'city', code: 'CITY_NOT_IN_PROVINCE', message: 'The city does not lie in the province.' }],
      'The city does not lie in the province.',
      '所选城市不属于所选省份。',
    );
  }
}

/**
 * Lists sites. Reviewers and admins search every site by province, city,
 * status (all statuses unless one is given), part of the institution name
 * and next milestone before a time, paged, by index queries (never a Scan).
 * An applicant gets its own institution's sites (from the membership), with
 * the same filters applied.
 */
export async function listSites(caller: Caller, query: SiteQuery): Promise<Page<SiteView>> {
  checkRegion(query.provinceCode, query.cityCode);
  if (isStaff(caller)) {
    const page = await searchSites({
      statuses: query.status ? [query.status] : SITE_STATUSES,
      provinceCode: query.provinceCode,
      cityCode: query.cityCode,
      name: query.name,
      milestoneBefore: query.milestoneBefore ? new Date(query.milestoneBefore).toISOString() : undefined,
      cursor: query.cursor,
      limit: query.limit,
    });
    return { items: page.items.map(siteView), cursor: page.cursor };
  }
  const membership = await requireMembership(caller);
  const sites = await listSitesOfInstitution(membership.creditCode);
  const name = query.name?.toLowerCase();
  return {
    items: sites
      .filter(
        (s) =>
          (!query.status || s.status === query.status) &&
          (!query.provinceCode || s.provinceCode === query.provinceCode) &&
          (!query.cityCode || s.cityCode === query.cityCode) &&
          (!name || s.institutionName.toLowerCase().includes(name)) &&
          (!query.milestoneBefore || s.nextMilestoneAt < new Date(query.milestoneBefore).toISOString()),
      )
      .map(siteView),
  };
}

/** One site; another institution's answers 404, as if it did not exist. */
export async function getSiteView(caller: Caller, siteId: string): Promise<SiteView> {
  return siteView((await readableSite(caller, siteId)).site);
}
