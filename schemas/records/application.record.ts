import * as z from 'zod/mini';
import { APPLICATION_STATUSES } from '../statuses.ts';
import { findingSchema, screeningResultSchema } from '../findings.schema.ts';
import { stalledMarkSchema } from '../api/accreditation.schema.ts';

/**
 * The stored application, split by how often each part changes (DESIGN.md,
 * "items small"): the status record (under 1 KB, rewritten at each status
 * change), the form (~5 KB, written only when the applicant saves it) and
 * the latest screening result (written by the screening step).
 */

const returnedSchema = z.object({
  findings: z.array(findingSchema),
  reason: z.optional(z.string()),
  source: z.enum(['review', 'screening']),
  at: z.string(),
});

const decisionSchema = z.looseObject({
  outcome: z.string(),
  article: z.string(),
  reason: z.optional(z.string()),
  findings: z.optional(z.array(findingSchema)),
  decidedBy: z.optional(z.nullable(z.string())),
});

export const applicationRecordSchema = z.looseObject({
  id: z.string(),
  creditCode: z.string(),
  institutionName: z.string(),
  provinceCode: z.string(),
  cityCode: z.string(),
  status: z.enum(APPLICATION_STATUSES),
  version: z.number(),
  /** The standard version in force at creation; screening judges against it. */
  standardVersion: z.string(),
  /** Submission round, 1 for the first; incremented on resubmission. */
  round: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string(),
  updatedBy: z.optional(z.string()),
  /** Version of the form item (the draft's optimistic lock). */
  formVersion: z.optional(z.number()),
  submittedAt: z.optional(z.string()),
  screenedAt: z.optional(z.string()),
  /** The screening outcome in short (the findings live in the screening item). */
  screeningOutcome: z.optional(z.string()),
  returnCount: z.optional(z.number()),
  returnDeadline: z.optional(z.string()),
  lastReturn: z.optional(returnedSchema),
  closedFor: z.optional(z.string()),
  decision: z.optional(decisionSchema),
  decidedAt: z.optional(z.string()),
  siteId: z.optional(z.string()),
  /** A stalled accreditation's mark (stage, since, why); null once the stall ended. */
  stalled: z.optional(z.nullable(stalledMarkSchema)),
  resumeCount: z.optional(z.number()),
  lastResume: z.optional(z.object({ executionName: z.string(), at: z.string(), stage: z.string() })),
});
export type ApplicationRecord = z.infer<typeof applicationRecordSchema>;

/** The application form as saved (a draft may be incomplete: checked at submission). */
export const applicationFormRecordSchema = z.looseObject({
  /** Brotli-compressed JSON of the form (see the applications store). */
  formGz: z.optional(z.instanceof(Uint8Array)),
  /** The form inline, as items written before compression hold it. */
  form: z.optional(z.record(z.string(), z.unknown())),
  formVersion: z.number(),
});

export const screeningRecordSchema = z.object({ screening: screeningResultSchema });

/** The status record with its form and latest screening (one query of the application's head items). */
export type ApplicationWithBodies = ApplicationRecord & { readonly form: Record<string, unknown>; readonly screening?: z.infer<typeof screeningResultSchema> };
