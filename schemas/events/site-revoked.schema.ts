import * as z from 'zod/mini';

/**
 * Domain event `SiteRevoked` (source `exam-site.revocation`), version 1: a
 * site's accreditation was revoked (Art.23(1)–(3), Art.21). It is the notice
 * to the relevant platforms ("有关平台", Art.21): on AWS a rule forwards it to
 * the configured API destination. No personal data: no names of people, no
 * staff ids, no e-mail addresses, no reason text (it may name people).
 * Add fields only as optional; a breaking change is a new `version`.
 */
export const SITE_REVOKED = 'SiteRevoked';

export const REVOCATION_CAUSE_VALUES = ['inactivity', 'standards-breach', 'misconduct', 'failed-rectification'] as const;

export const siteRevokedSchema = z.object({
  version: z.literal(1),
  /** Deterministic (`<executionName>#<stateName>`): consumers dedupe redeliveries by it. */
  eventId: z.string().check(z.minLength(1)),
  siteId: z.string().check(z.minLength(1)),
  certificateNumber: z.string().check(z.minLength(1)),
  /** The institution's unified social credit code (public register data). */
  institutionId: z.string().check(z.minLength(1)),
  provinceCode: z.string(),
  cityCode: z.string(),
  revocationId: z.string().check(z.minLength(1)),
  cause: z.enum(REVOCATION_CAUSE_VALUES),
  /** The article of the lifecycle row taken: Art.23(1), Art.23(2), Art.23(3) or Art.21. */
  article: z.string().check(z.regex(/^Art\.\d{1,2}(\(\d\))?$/)),
  revokedAt: z.iso.datetime(),
  /** Exam sessions that were scheduled and are now cancelled (their candidates are told by the site). */
  sessionsCancelled: z.int().check(z.gte(0)),
});
export type SiteRevoked = z.infer<typeof siteRevokedSchema>;
