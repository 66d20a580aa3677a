import * as z from 'zod/mini';
import { evidenceListQuerySchema, evidenceMarksBodySchema, requestUploadBodySchema, resetAttemptsBodySchema } from '../evidence-api.schema.ts';
import { REVIEWER_MARKS } from '../evidence.schema.ts';
import type { ApiRouteSchemas } from './route-schemas.ts';

const isoTime = z.string();

/** `POST /v1/applications/{applicationId}/evidence` answer: the new item and its presigned POST. */
export const uploadGrantSchema = z.object({
  itemId: z.string(),
  upload: z.object({
    /** The bucket URL to POST the form to. */
    url: z.string(),
    /** Form fields to send before the file (policy, signature, exact key, Content-Type). */
    fields: z.record(z.string(), z.string()),
  }),
  expiresAt: isoTime,
});

/** A short-lived download link of the validated version (an attachment). */
export const downloadLinkSchema = z.object({ url: z.string(), expiresAt: isoTime });

const reasonSchema = z.object({ code: z.string(), zh: z.string(), en: z.string(), article: z.string() });

/** A file's reviewer marks after a change. */
export const evidenceMarksSchema = z.object({
  itemId: z.string(),
  kind: z.string(),
  status: z.enum(['valid', 'invalid']),
  marks: z.array(z.enum(REVIEWER_MARKS)),
  note: z.optional(z.string()),
  reasons: z.array(reasonSchema),
});

/** A kind's upload attempts after a reset. */
export const attemptsResetSchema = z.object({
  applicationId: z.string(),
  kind: z.string(),
  attemptLimit: z.int(),
  attemptsUsed: z.int(),
  reset: z.boolean(),
  resetAt: z.optional(isoTime),
  resetBy: z.optional(z.string()),
});

/** Evidence routes (Art.3) for the OpenAPI document. */
export const evidenceApiSchemas: Readonly<Record<string, ApiRouteSchemas>> = {
  'POST /v1/applications/{applicationId}/evidence': {
    tag: 'evidence',
    summary: 'Add an evidence file (Art.3): a new item and a presigned POST with the exact key, the size range and type of its kind, ≤ 15 min',
    description:
      "The application's kinds while it is a draft or returned (applicant), site-visit photos during the visit (the assigned reviewer). After approval, the site's later life (Art.20, Art.21, Art.23): `site-document` by the site's members and `case-evidence` by an admin, while the site is ACTIVE or SUSPENDED (SITE_NOT_ACCREDITED before approval, SITE_DOCUMENTS_CLOSED once WITHDRAWN or REVOKED); validated like every other file, then cited by `evidenceIds`.",
    request: requestUploadBodySchema,
    headers: { 'Idempotency-Key': 'Repeat-safe creation: the same key returns the first answer' },
    response: uploadGrantSchema,
    status: 201,
    errors: [404, 409],
  },
  'GET /v1/applications/{applicationId}/evidence': {
    tag: 'evidence',
    summary: 'Every required kind with its files and its status: missing / pending / valid / invalid, with reasons (Art.3); once approved, the site documents (and, for staff, case evidence) too',
    query: evidenceListQuerySchema,
    errors: [404],
  },
  'GET /v1/applications/{applicationId}/evidence/{itemId}/download': {
    tag: 'evidence',
    summary: 'A short-lived link to the validated version of a file, served as an attachment; each one audited',
    response: downloadLinkSchema,
    errors: [404, 409],
  },
  'DELETE /v1/applications/{applicationId}/evidence/{itemId}': {
    tag: 'evidence',
    summary: "Withdraw a file while the application is a draft or returned for correction (a site's documents and case evidence stay: SITE_RECORD_KEPT)",
    status: 204,
    errors: [404, 409],
  },
  'PUT /v1/applications/{applicationId}/evidence/{itemId}/marks': {
    tag: 'evidence',
    summary: 'Mark a file not stamped, illegible, not matching or expired during the material review (reviewers, admins; Art.3); a return carries the marks to the applicant',
    description: 'The marks replace the previous ones; an empty list clears them. A marked file is invalid. Audited.',
    request: evidenceMarksBodySchema,
    response: evidenceMarksSchema,
    errors: [404, 409],
  },
  'POST /v1/applications/{applicationId}/evidence-kinds/{kind}/reset-attempts': {
    tag: 'evidence',
    summary: "Reset a kind's upload-attempt count for one application (admin; audited with the reason); nothing to reset is a no-op",
    request: resetAttemptsBodySchema,
    response: attemptsResetSchema,
    errors: [404, 409],
  },
};
