import * as z from 'zod/mini';
import { SITE_STATUSES } from '../statuses.ts';
import { pageQuerySchema } from './page-query.schema.ts';
import type { ApiRouteSchemas } from './route-schemas.ts';
import { SEATING_ARRANGEMENTS, cityCodeSchema, provinceCodeSchema } from '../form-fields.ts';

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

/**
 * Staff search (reviewers, admins): any combination of province, city,
 * status, part of the institution's name and a next inactivity milestone
 * (Art.23(1)) before a time. An applicant's own list takes `status` only.
 */
export const listSitesQuerySchema = z.extend(pageQuerySchema, {
  status: z.optional(siteStatusSchema),
  province: z.optional(provinceCodeSchema),
  city: z.optional(cityCodeSchema),
  name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
  milestoneBefore: z.optional(z.iso.datetime({ offset: true })),
});

/** Who acted on a site, as its timeline shows it: a role, and a name only for the organisation's staff (no id, no e-mail). */
export const siteTimelineActorSchema = z.object({
  kind: z.enum(['user', 'system']),
  role: z.optional(z.string()),
  displayName: z.object({ zh: z.string(), en: z.string() }),
});

/** One change of a site: who, when, what, from → to, the article and the reason. */
export const siteTimelineEventSchema = z.object({
  at: z.string(),
  action: z.string(),
  actor: siteTimelineActorSchema,
  from: z.optional(z.string()),
  to: z.optional(z.string()),
  article: z.optional(z.string()),
  reason: z.optional(z.string()),
});

export const sitesApiSchemas: Readonly<Record<string, ApiRouteSchemas>> = {
  'GET /v1/sites': {
    tag: 'sites',
    summary: "Exam sites: an applicant gets its institution's; reviewers and admins search by province, city, status, name and upcoming milestone",
    description:
      'Staff: every status unless `status` is given; ordered by province and city (by milestone with `milestoneBefore`); `name` matches part of the institution name. Paged by index queries (no Scan); a page may hold fewer than `limit` items while `cursor` is returned. `city` must lie in `province` when both are given.',
    query: listSitesQuerySchema,
    response: z.object({ items: z.array(siteViewSchema), cursor: z.optional(z.string()) }),
  },
  'GET /v1/sites/{siteId}': {
    tag: 'sites',
    summary: 'One exam site with its certificate number, status, accredited rooms and their capacity (Art.9(2)) and the Art.23(1) inactivity deadline',
    response: siteViewSchema,
    errors: [404],
  },
  'GET /v1/sites/{siteId}/timeline': {
    tag: 'sites',
    summary: "The site's timeline: every change with who, when, from → to, article and reason (staff and the site's own members)",
    description: 'Oldest first, paged. Actors appear as their role, staff with their name; nothing else about a person.',
    query: pageQuerySchema,
    response: z.object({ items: z.array(siteTimelineEventSchema), cursor: z.optional(z.string()) }),
    errors: [404],
  },
};
