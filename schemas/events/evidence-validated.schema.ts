import * as z from 'zod/mini';

/**
 * Domain event `EvidenceValidated`, put on the domain-event bus each time the
 * validator decides on an uploaded evidence version (Art.3). Consumers match
 * on `source` + `detail-type` and read `detail.schemaVersion` first: a new
 * field is added compatibly; a change of meaning is a new schemaVersion.
 */
export const EVIDENCE_EVENT_SOURCE = 'exam-site.evidence';
export const EVIDENCE_VALIDATED_DETAIL_TYPE = 'EvidenceValidated';

/**
 * The kinds v1 names: the application's files (Art.3, Art.4). The site's
 * later-life files (site documents, case evidence) came after v1 was
 * published; a consumer that checks the enum would refuse them, so they are
 * not published under v1 (their validation is in the audit trail and the
 * evidence list).
 */
export const EVIDENCE_VALIDATED_V1_KINDS = ['application-form', 'legal-person-certificate', 'manager-id-copy', 'venue-photo', 'policies', 'exam-experience', 'site-visit-photo'] as const;

export const evidenceValidatedDetailSchema = z.object({
  schemaVersion: z.literal(1),
  applicationId: z.string().check(z.minLength(1), z.maxLength(64)),
  itemId: z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/)),
  kind: z.enum(EVIDENCE_VALIDATED_V1_KINDS),
  status: z.enum(['valid', 'invalid']),
});
export type EvidenceValidatedDetail = z.infer<typeof evidenceValidatedDetailSchema>;
