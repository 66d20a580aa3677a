import * as z from 'zod/mini';
import { evidenceKindSchema } from '../evidence.schema.ts';

/**
 * Domain event `EvidenceValidated`, put on the domain-event bus each time the
 * validator decides on an uploaded evidence version (Art.3). Consumers match
 * on `source` + `detail-type` and read `detail.schemaVersion` first: a new
 * field is added compatibly; a change of meaning is a new schemaVersion.
 */
export const EVIDENCE_EVENT_SOURCE = 'exam-site.evidence';
export const EVIDENCE_VALIDATED_DETAIL_TYPE = 'EvidenceValidated';

export const evidenceValidatedDetailSchema = z.object({
  schemaVersion: z.literal(1),
  applicationId: z.string().check(z.minLength(1), z.maxLength(64)),
  itemId: z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/)),
  kind: evidenceKindSchema,
  status: z.enum(['valid', 'invalid']),
});
export type EvidenceValidatedDetail = z.infer<typeof evidenceValidatedDetailSchema>;
