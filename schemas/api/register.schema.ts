import * as z from 'zod/mini';
import { cityCodeSchema, provinceCodeSchema } from '../form-fields.ts';
import { pageQuerySchema } from './page-query.schema.ts';
import type { ApiRouteSchemas } from './route-schemas.ts';

/**
 * The public register of exam sites (考核站点名录): read without signing in,
 * so it carries no personal data: no person's name, e-mail or phone, no
 * institution id, no application. Cacheable (`Cache-Control` + `ETag`; a
 * matching `If-None-Match` answers 304).
 */

/** An ACTIVE exam site as anyone may read it. */
export const registerEntrySchema = z.object({
  siteId: z.string(),
  certificateNumber: z.string(),
  institutionName: z.string(),
  provinceCode: z.string(),
  cityCode: z.string(),
  activatedAt: z.string(),
  /** Art.9(2): the accredited exam rooms. */
  accreditedRooms: z.int(),
  /** Exam seats in the accredited rooms. */
  accreditedSeats: z.int(),
  /** Candidates the accredited rooms seat at once (with alternate seating, half the seats). */
  accreditedCapacity: z.int(),
});

export const registerQuerySchema = z.extend(pageQuerySchema, {
  province: z.optional(provinceCodeSchema),
  city: z.optional(cityCodeSchema),
});

export const registerPageSchema = z.object({ items: z.array(registerEntrySchema), cursor: z.optional(z.string()) });

/** Art.8: a prefecture-level city with pilot colleges, and whether an ACTIVE site serves it. */
export const coverageCitySchema = z.object({
  provinceCode: z.string(),
  cityCode: z.string(),
  pilotColleges: z.int(),
  activeSites: z.int(),
  covered: z.boolean(),
});

export const publicCoverageSchema = z.object({
  article: z.literal('Art.8'),
  citiesWithPilotColleges: z.int(),
  coveredCities: z.int(),
  cities: z.array(coverageCitySchema),
});

const CACHE_HEADERS = { 'if-none-match': 'The ETag of an earlier answer: 304 Not Modified while the answer is the same' };

export const registerApiSchemas: Readonly<Record<string, ApiRouteSchemas>> = {
  'GET /v1/register/sites': {
    tag: 'register',
    summary: 'Public register of exam sites (no sign-in): ACTIVE sites by province and city, with certificate number and accredited capacity',
    description:
      'Ordered by province and city. No personal data. Cache-Control public, ETag; If-None-Match answers 304. `city` must lie in `province` when both are given.',
    query: registerQuerySchema,
    headers: CACHE_HEADERS,
    response: registerPageSchema,
    errors: [304],
  },
  'GET /v1/register/coverage': {
    tag: 'register',
    summary: 'Art.8 coverage (no sign-in): prefecture-level cities with pilot colleges, with and without an ACTIVE exam site',
    description: 'Counts only (no college is named). Cache-Control public, ETag; If-None-Match answers 304.',
    headers: CACHE_HEADERS,
    response: publicCoverageSchema,
    errors: [304],
  },
};
