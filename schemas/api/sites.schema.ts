import * as z from 'zod/mini';
import { SITE_STATUSES } from '../statuses.ts';
import { pageQuerySchema } from './registry.schema.ts';
import type { ApiRouteSchemas } from './route-schemas.ts';
import { SEATING_ARRANGEMENTS } from '../application-form.schema.ts';

export const siteStatusSchema = z.enum(SITE_STATUSES);

/** Art.9(2): a room the site is accredited for; exam sessions are scheduled only in these. */
export const accreditedRoomSchema = z.object({
  name: z.string(),
  /** Exam seats in the room. */
  seats: z.int(),
  seatingArrangement: z.enum(SEATING_ARRANGEMENTS),
  /** Candidates who can sit at once (with alternate seating, half the seats; never more than the candidate PCs). */
  capacity: z.int(),
});

/** An accredited exam site as the college and the organisation read it (Art.5). */
export const siteViewSchema = z.object({
  siteId: z.string(),
  certificateNumber: z.string(),
  status: siteStatusSchema,
  institutionId: z.string(),
  institutionName: z.string(),
  provinceCode: z.string(),
  cityCode: z.string(),
  applicationId: z.string(),
  activatedAt: z.string(),
  /** Art.9(2): the accredited rooms (empty for a site recorded before rooms were kept). */
  accreditedRooms: z.array(accreditedRoomSchema),
  /** Art.23(1): the last exam session held, if any. */
  lastExamAt: z.nullable(z.string()),
  /** Art.23(1) (policy: `inactivityDays`): when the site is revoked without an exam held before then. */
  inactiveRevocationAt: z.string(),
});

export const listSitesQuerySchema = z.extend(pageQuerySchema, { status: z.optional(siteStatusSchema) });

export const sitesApiSchemas: Readonly<Record<string, ApiRouteSchemas>> = {
  'GET /v1/sites': {
    tag: 'sites',
    summary: "Exam sites: an applicant gets its institution's; reviewers and admins list one status at a time (?status=, default ACTIVE)",
    query: listSitesQuerySchema,
    response: z.object({ items: z.array(siteViewSchema), cursor: z.optional(z.string()) }),
  },
  'GET /v1/sites/{siteId}': {
    tag: 'sites',
    summary: 'One exam site with its certificate number, status, accredited rooms and their capacity (Art.9(2)) and the Art.23(1) inactivity deadline',
    response: siteViewSchema,
    errors: [404],
  },
};
