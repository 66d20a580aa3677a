import * as z from 'zod/mini';
import { SITE_STATUSES } from '../statuses.ts';
import { SEATING_ARRANGEMENTS } from '../form-fields.ts';

/** An accredited exam site as stored. */
export const siteRecordSchema = z.looseObject({
  siteId: z.string(),
  certificateNumber: z.string(),
  status: z.enum(SITE_STATUSES),
  version: z.number(),
  institutionId: z.string(),
  institutionName: z.string(),
  provinceCode: z.string(),
  cityCode: z.string(),
  applicationId: z.string(),
  activatedAt: z.string(),
  /**
   * Art.9(2): the rooms the site is accredited for (those that met the
   * standard at approval) with the candidates each seats at once. Absent on
   * sites stored before rooms were recorded.
   */
  accreditedRooms: z.optional(z.array(z.object({ name: z.string(), seats: z.number(), seatingArrangement: z.enum(SEATING_ARRANGEMENTS), capacity: z.number() }))),
  /** Art.23(1): the last exam session held; none yet. */
  lastExamAt: z.nullable(z.string()),
  /** Start of the inactivity period the timer measures (Art.23(1)). */
  inactivitySince: z.string(),
  /** The next inactivity milestone (first: the T-90 days warning). */
  nextMilestoneAt: z.string(),
  /** Its kind (`warn-90`, `warn-30`, `revoke`; `paused` while SUSPENDED); absent before the timer was armed. */
  nextMilestoneKind: z.optional(z.string()),
  /** Art.23(1): milliseconds spent SUSPENDED in the current period (closed suspensions); time suspended does not count. */
  suspendedMs: z.optional(z.number()),
  /** Set while SUSPENDED: the timer is paused from this instant. */
  suspendedSince: z.optional(z.string()),
  /** Warnings of the two-year timer already sent in the current period. */
  warnedMilestones: z.optional(z.array(z.string())),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SiteRecord = z.infer<typeof siteRecordSchema>;
