import type { z } from 'zod/mini';
import type { publicCoverageSchema, registerEntrySchema } from '../../../schemas/api/register.schema.ts';
import { allPilotColleges } from '../../adapters/stores/register.ts';
import { searchSites, siteCitiesInStatus, type SiteRecord } from '../../adapters/stores/sites.ts';
import type { Page } from '../../adapters/stores/table.ts';
import { cityCoverage } from '../../domain/screening/coverage-report.ts';
import { checkRegion } from './read-sites.ts';

export type RegisterEntry = z.infer<typeof registerEntrySchema>;
export type PublicCoverage = z.infer<typeof publicCoverageSchema>;

/**
 * An ACTIVE site as the public register shows it: only what identifies the
 * accreditation (certificate number, institution, where, the accredited
 * rooms' seats and capacity). Nothing about a person, no institution id,
 * no application, no inactivity deadline.
 */
export function registerEntry(site: SiteRecord): RegisterEntry {
  const rooms = site.accreditedRooms ?? [];
  return {
    siteId: site.siteId,
    certificateNumber: site.certificateNumber,
    institutionName: site.institutionName,
    provinceCode: site.provinceCode,
    cityCode: site.cityCode,
    activatedAt: site.activatedAt,
    accreditedRooms: rooms.length,
    accreditedSeats: rooms.reduce((sum, r) => sum + r.seats, 0),
    accreditedCapacity: rooms.reduce((sum, r) => sum + r.capacity, 0),
  };
}

/** The public register (no sign-in): ACTIVE sites by province and city, paged by index queries. */
export async function listRegister(query: { provinceCode?: string; cityCode?: string; cursor?: string; limit?: number }): Promise<Page<RegisterEntry>> {
  checkRegion(query.provinceCode, query.cityCode);
  const page = await searchSites({ statuses: ['ACTIVE'], provinceCode: query.provinceCode, cityCode: query.cityCode, cursor: query.cursor, limit: query.limit });
  return { items: page.items.map(registerEntry), cursor: page.cursor };
}

/**
 * Art.8 coverage for the public register: every prefecture-level city with
 * active pilot colleges, with its count of ACTIVE sites. Counts only: the
 * colleges are not named here (the admin dashboard names the uncovered ones).
 * No generation time either, so that an unchanged report keeps its ETag.
 */
export async function publicCoverage(): Promise<PublicCoverage> {
  const [register, active] = await Promise.all([allPilotColleges(), siteCitiesInStatus('ACTIVE')]);
  const cities = cityCoverage(
    register,
    active.filter((s): s is { siteId?: string; cityCode: string } => typeof s.cityCode === 'string'),
  );
  return {
    article: 'Art.8',
    citiesWithPilotColleges: cities.length,
    coveredCities: cities.filter((c) => c.covered).length,
    cities,
  };
}
