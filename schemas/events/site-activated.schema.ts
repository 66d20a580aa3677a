import * as z from 'zod/mini';

/**
 * Domain event `SiteActivated` (source `exam-site.accreditation`), version 1:
 * an application was approved and its site is ACTIVE (Art.4, Art.5). The
 * inactivity timer (Art.23(1)) arms its first milestone from it. Add fields
 * only as optional; a breaking change is a new `version`.
 */
export const SITE_ACTIVATED = 'SiteActivated';

export const siteActivatedSchema = z.object({
  version: z.literal(1),
  /** Deterministic (`<executionName>#<stateName>`): consumers dedupe redeliveries by it. */
  eventId: z.string().check(z.minLength(1)),
  siteId: z.string().check(z.minLength(1)),
  certificateNumber: z.string().check(z.regex(/^CBEC-\d{6}-\d{4}-[0-9A-Z]{6}$/)),
  applicationId: z.string().check(z.minLength(1)),
  institutionId: z.string().check(z.minLength(1)),
  institutionName: z.string(),
  provinceCode: z.string(),
  cityCode: z.string(),
  activatedAt: z.iso.datetime(),
  /** When the inactivity timer first acts (activatedAt + inactivityDays − 90 days). */
  nextMilestoneAt: z.iso.datetime(),
});
export type SiteActivated = z.infer<typeof siteActivatedSchema>;
