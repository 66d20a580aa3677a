import * as z from 'zod/mini';
import { requestUploadBodySchema } from '../evidence-api.schema.ts';
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

/** Evidence routes (Art.3) for the OpenAPI document. */
export const evidenceApiSchemas: Readonly<Record<string, ApiRouteSchemas>> = {
  'POST /v1/applications/{applicationId}/evidence': {
    tag: 'evidence',
    summary: 'Add an evidence file (Art.3): a new item and a presigned POST with the exact key, the size range and type of its kind, ≤ 15 min',
    request: requestUploadBodySchema,
    headers: { 'Idempotency-Key': 'Repeat-safe creation: the same key returns the first answer' },
    response: uploadGrantSchema,
    status: 201,
    errors: [404, 409],
  },
  'GET /v1/applications/{applicationId}/evidence': {
    tag: 'evidence',
    summary: 'Every required kind with its files and its status: missing / pending / valid / invalid, with reasons (Art.3)',
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
    summary: 'Withdraw a file while the application is a draft or returned for correction',
    status: 204,
    errors: [404, 409],
  },
};
