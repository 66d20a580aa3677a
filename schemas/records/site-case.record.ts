import * as z from 'zod/mini';
import { REVOCATION_CAUSE_VALUES } from '../events/site-revoked.schema.ts';

/**
 * The cases that end a site's accreditation, as stored under the site
 * (`SITE#<siteId>`): a withdrawal request (Art.22) and a revocation case
 * (Art.23, Art.21). A task token is kept only while the workflow waits for
 * the site's representation, and never leaves the store.
 */

export const WITHDRAWAL_STATUSES = ['pending', 'withdrawn', 'declined', 'refused', 'lapsed', 'failed'] as const;
export type WithdrawalStatus = (typeof WITHDRAWAL_STATUSES)[number];

export const withdrawalRecordSchema = z.looseObject({
  withdrawalId: z.string(),
  siteId: z.string(),
  status: z.enum(WITHDRAWAL_STATUSES),
  reason: z.string(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  executionName: z.string(),
  decidedBy: z.optional(z.string()),
  decidedAt: z.optional(z.string()),
  decisionReason: z.optional(z.string()),
  version: z.number(),
});
export type WithdrawalRecord = z.infer<typeof withdrawalRecordSchema>;

export const REVOCATION_STATUSES = ['open', 'representation', 'deciding', 'revoked', 'dismissed', 'spared', 'overdue', 'failed'] as const;
export type RevocationStatus = (typeof REVOCATION_STATUSES)[number];
/** The statuses of a case still running (one per site and cause at a time). */
export const OPEN_REVOCATION_STATUSES: readonly RevocationStatus[] = ['open', 'representation', 'deciding'];

export const representationSchema = z.object({
  text: z.string(),
  evidenceIds: z.array(z.string()),
  submittedBy: z.string(),
  submittedAt: z.string(),
});

export const revocationRecordSchema = z.looseObject({
  revocationId: z.string(),
  siteId: z.string(),
  cause: z.enum(REVOCATION_CAUSE_VALUES),
  article: z.string(),
  reason: z.string(),
  evidenceIds: z.array(z.string()),
  urgentReason: z.nullable(z.string()),
  /** `sub` of the admin who opened it, or `system:<timer>` for inactivity. */
  openedBy: z.string(),
  openedAt: z.string(),
  status: z.enum(REVOCATION_STATUSES),
  executionName: z.string(),
  windowEndsAt: z.optional(z.nullable(z.string())),
  representation: z.optional(z.nullable(representationSchema)),
  /** Only while the workflow waits for the representation; never returned by the API. */
  taskToken: z.optional(z.string()),
  decidedBy: z.optional(z.string()),
  decidedAt: z.optional(z.string()),
  decisionReason: z.optional(z.string()),
  sessionsCancelled: z.optional(z.number()),
  version: z.number(),
});
export type RevocationRecord = z.infer<typeof revocationRecordSchema>;
