import * as z from 'zod/mini';

/**
 * Domain event `ApplicationDecided` (source `exam-site.accreditation`),
 * version 1: an application reached an end (APPROVED, REJECTED, CLOSED).
 * Add fields only as optional; a breaking change is a new `version`.
 */
export const APPLICATION_DECIDED = 'ApplicationDecided';

export const applicationDecidedSchema = z.object({
  version: z.literal(1),
  /** Deterministic (`<executionName>#<stateName>`): consumers dedupe redeliveries by it. */
  eventId: z.string().check(z.minLength(1)),
  applicationId: z.string().check(z.minLength(1)),
  institutionId: z.string().check(z.minLength(1)),
  status: z.enum(['APPROVED', 'REJECTED', 'CLOSED']),
  /** refuse: not a pilot college (Art.3(2)); reject: after review or final decision; close: policy; approve. */
  outcome: z.enum(['approve', 'reject', 'refuse', 'close']),
  article: z.string(),
  decidedAt: z.iso.datetime(),
  siteId: z.optional(z.string()),
});
export type ApplicationDecided = z.infer<typeof applicationDecidedSchema>;
