import type { PilotCollege } from '../../../schemas/pilot-college.schema.ts';
import { provinceOfCity } from '../../../schemas/validators/region-codes.ts';

/** A site counted for coverage: where it is. The caller passes the sites it counts as active. */
export interface CoverageSite {
  readonly cityCode: string;
  readonly siteId?: string;
}

export interface UncoveredCity {
  readonly provinceCode: string;
  readonly cityCode: string;
  readonly pilotColleges: ReadonlyArray<{ readonly creditCode: string; readonly name: string }>;
}

export interface CoverageReport {
  readonly article: 'Art.8';
  /** Prefecture-level cities with at least one active pilot college. */
  readonly citiesWithPilotColleges: number;
  /** Of those, the cities with at least one active site. */
  readonly coveredCities: number;
  /** The others, by city code. */
  readonly uncoveredCities: readonly UncoveredCity[];
}

/**
 * Art.8: in principle every prefecture-level city with pilot colleges has at
 * least one site. A coverage goal of the organisation, reported here; it is
 * never a reason to refuse an application.
 */
export function coverageReport(pilotRegister: readonly PilotCollege[], activeSites: readonly CoverageSite[]): CoverageReport {
  const covered = new Set(activeSites.map((site) => site.cityCode));
  const byCity = new Map<string, PilotCollege[]>();
  for (const college of pilotRegister) {
    if (!college.active) continue;
    const list = byCity.get(college.cityCode) ?? [];
    list.push(college);
    byCity.set(college.cityCode, list);
  }
  const uncoveredCities = [...byCity.entries()]
    .filter(([cityCode]) => !covered.has(cityCode))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([cityCode, colleges]) => ({
      provinceCode: provinceOfCity(cityCode),
      cityCode,
      pilotColleges: colleges
        .map((c) => ({ creditCode: c.creditCode, name: c.name }))
        .sort((a, b) => a.creditCode.localeCompare(b.creditCode)),
    }));
  return {
    article: 'Art.8',
    citiesWithPilotColleges: byCity.size,
    coveredCities: byCity.size - uncoveredCities.length,
    uncoveredCities,
  };
}

/** A prefecture-level city with pilot colleges, for the public register: counts only, no college named. */
export interface CityCoverage {
  readonly provinceCode: string;
  readonly cityCode: string;
  readonly pilotColleges: number;
  readonly activeSites: number;
  readonly covered: boolean;
}

/**
 * Art.8, as the public register shows it: every prefecture-level city with
 * active pilot colleges, covered or not, with how many colleges and ACTIVE
 * sites it has, ordered by city code. Sites in cities without pilot colleges
 * are not listed (Art.8 speaks of those cities only).
 */
export function cityCoverage(pilotRegister: readonly PilotCollege[], activeSites: readonly CoverageSite[]): CityCoverage[] {
  const colleges = new Map<string, number>();
  for (const college of pilotRegister) if (college.active) colleges.set(college.cityCode, (colleges.get(college.cityCode) ?? 0) + 1);
  const sites = new Map<string, number>();
  for (const site of activeSites) sites.set(site.cityCode, (sites.get(site.cityCode) ?? 0) + 1);
  return [...colleges.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([cityCode, pilotColleges]) => {
      const activeSites = sites.get(cityCode) ?? 0;
      return { provinceCode: provinceOfCity(cityCode), cityCode, pilotColleges, activeSites, covered: activeSites > 0 };
    });
}
