import * as z from 'zod/mini';
import { EVIDENCE_CONTENT_TYPES, EVIDENCE_TAGS, REVIEWER_MARKS } from './evidence.schema.ts';

/**
 * Bodies and events of the evidence API (Art.3). The limits per kind (types,
 * sizes, counts) are checked by the use case against `EVIDENCE_KIND_SPECS`,
 * so that each refusal cites the kind's article.
 */

/** `POST /v1/applications/{applicationId}/evidence`. */
export const requestUploadBodySchema = z.object({
  /** The evidence kind (Art.3); checked against `EVIDENCE_KIND_SPECS` by the use case, so an unknown kind cites the article. */
  kind: z.string().check(z.minLength(1), z.maxLength(60)),
  /** Display only: sanitised, never part of the object key. */
  fileName: z.string().check(z.minLength(1), z.maxLength(255)),
  contentType: z.string().check(z.minLength(1), z.maxLength(100)),
  size: z.int().check(z.gte(0), z.lte(1024 * 1024 * 1024)),
  /** Subjects the file covers (venue photos: exam room, equipment, exam-affairs office). */
  tags: z.optional(z.array(z.enum(EVIDENCE_TAGS)).check(z.maxLength(EVIDENCE_TAGS.length))),
  /**
   * SHA-256 of the file, hex (required): the upload policy pins it, so S3
   * refuses other bytes and keeps the checksum, and validation never reads
   * the whole file.
   */
  sha256: z.string().check(z.regex(/^[0-9a-fA-F]{64}$/)),
  /**
   * The applicant confirms that this file carries its official seal (Art.3:
   * 需加盖申请单位公章). Required (`true`) for the kinds that are documents
   * (`mustBeStamped`); a reviewer still checks it and may mark the file not stamped.
   */
  sealConfirmed: z.optional(z.boolean()),
});
export type RequestUploadBody = z.infer<typeof requestUploadBodySchema>;

export const evidenceContentTypeSchema = z.enum(EVIDENCE_CONTENT_TYPES);

/** `PUT /v1/applications/{applicationId}/evidence/{itemId}/marks` (reviewer, admin): the marks replace the previous ones; none clears them. */
export const evidenceMarksBodySchema = z.object({
  marks: z.array(z.enum(REVIEWER_MARKS)).check(z.maxLength(REVIEWER_MARKS.length)),
  /** What the applicant should do, in the reviewer's words (shown to the applicant). */
  note: z.optional(z.string().check(z.trim(), z.maxLength(500))),
});
export type EvidenceMarksBody = z.infer<typeof evidenceMarksBodySchema>;

/** `POST /v1/applications/{applicationId}/evidence-kinds/{kind}/reset-attempts` (admin): why, for the audit trail. */
export const resetAttemptsBodySchema = z.object({ reason: z.string().check(z.trim(), z.minLength(5), z.maxLength(1000)) });
export type ResetAttemptsBody = z.infer<typeof resetAttemptsBodySchema>;

/** Path parameters of the evidence routes. */
export const applicationIdSchema = z.string().check(z.regex(/^[0-9A-Za-z_-]{1,64}$/));
export const itemIdSchema = z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/));
/** An evidence kind in a path; checked against the catalogue by the use case (400 citing Art.3). */
export const evidenceKindParamSchema = z.string().check(z.regex(/^[a-z-]{1,60}$/));

/** `GET /v1/applications/{applicationId}/evidence?kind=site-document`: one kind only (checked against the catalogue by the use case). */
export const evidenceListQuerySchema = z.object({ kind: z.optional(evidenceKindParamSchema) });

/** An `Idempotency-Key` header value. */
export const idempotencyKeySchema = z.string().check(z.regex(/^[A-Za-z0-9_.:-]{8,128}$/));

/**
 * The EventBridge "Object Created" event S3 sends (`eventBridgeEnabled`), as
 * the SQS message body the validator receives. `detail.object.key` is the raw
 * key (not URL-encoded, unlike S3 event notifications).
 */
export const objectCreatedEventSchema = z.object({
  source: z.literal('aws.s3'),
  'detail-type': z.literal('Object Created'),
  time: z.string().check(z.minLength(1)),
  detail: z.object({
    bucket: z.object({ name: z.string().check(z.minLength(1)) }),
    object: z.object({
      key: z.string().check(z.minLength(1), z.maxLength(1024)),
      size: z.int().check(z.gte(0)),
      'version-id': z.string().check(z.minLength(1), z.maxLength(1024)),
      sequencer: z.string().check(z.minLength(1), z.maxLength(64)),
    }),
  }),
});
export type ObjectCreatedEvent = z.infer<typeof objectCreatedEventSchema>;
