import * as z from 'zod/mini';

/** Stored status of an evidence item; `withdrawn` items are kept for the record but count nowhere. */
export const STORED_EVIDENCE_STATUSES = ['pending', 'valid', 'invalid', 'withdrawn'] as const;
export type StoredEvidenceStatus = (typeof STORED_EVIDENCE_STATUSES)[number];

const reasonSchema = z.object({ code: z.string(), zh: z.string(), en: z.string(), article: z.string() });

/** An evidence item as stored (one per upload grant; its validation per object version). */
export const evidenceRecordSchema = z.looseObject({
  applicationId: z.string(),
  kind: z.string(),
  itemId: z.string(),
  creditCode: z.string(),
  status: z.enum(STORED_EVIDENCE_STATUSES),
  version: z.number(),
  objectKey: z.string(),
  declaredContentType: z.string(),
  declaredSize: z.number(),
  /** Display only, sanitised. */
  fileName: z.string(),
  tags: z.array(z.string()),
  uploaderSub: z.string(),
  createdAt: z.string(),
  uploadExpiresAt: z.string(),
  updatedAt: z.optional(z.string()),
  /** Normalised (fixed-width) sequencer of the last object event recorded. */
  lastSequencer: z.optional(z.string()),
  /** False between recording a result and finishing its side effects (quarantine, domain event). */
  settled: z.optional(z.boolean()),
  /** The status a recorded result replaced, until the settling step has appended its audit event to the application's trail. */
  auditFrom: z.optional(z.string()),
  validatedVersionId: z.optional(z.string()),
  sha256: z.optional(z.string()),
  size: z.optional(z.number()),
  detectedType: z.optional(z.string()),
  width: z.optional(z.number()),
  height: z.optional(z.number()),
  reasons: z.optional(z.array(reasonSchema)),
  reasonCodes: z.optional(z.array(z.string())),
  duplicateOf: z.optional(z.array(z.object({ applicationId: z.string() }))),
  uploadedAt: z.optional(z.string()),
  validatedAt: z.optional(z.string()),
  withdrawnAt: z.optional(z.string()),
  /** The applicant confirmed the file carries its seal (Art.3), for the kinds that must be stamped. */
  sealConfirmed: z.optional(z.boolean()),
  /** A reviewer's marks on the validated version (Art.3); an empty list is a cleared mark. Removed when a new version is validated. */
  reviewMarks: z.optional(z.object({ marks: z.array(z.string()), note: z.optional(z.string()), by: z.string(), at: z.string() })),
  withdrawnBy: z.optional(z.string()),
  expiresAt: z.optional(z.number()),
});
export type EvidenceRecord = z.infer<typeof evidenceRecordSchema>;

/** An admin's reset of a kind's upload-attempt count for one application. */
export const evidenceAttemptsResetSchema = z.object({
  applicationId: z.string(),
  kind: z.string(),
  resetAt: z.string(),
  resetBy: z.string(),
  reason: z.string(),
});
