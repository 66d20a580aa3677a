import * as z from 'zod/mini';

/**
 * A site's rectification (Art.21 "限期整改"): opened by an assessment, with
 * or without an exam suspension, a deadline, the site's report, and the
 * reviewer's re-assessment. Parsed on read; the task token never leaves the
 * server.
 */
export const RECTIFICATION_STATUSES = ['awaiting-report', 'under-review', 'passed', 'failed', 'missed', 'review-overdue'] as const;
export type RectificationStatus = (typeof RECTIFICATION_STATUSES)[number];
/** Statuses in which a rectification is still open (the site's lock is held). */
export const OPEN_RECTIFICATION_STATUSES = ['awaiting-report', 'under-review'] as const satisfies readonly RectificationStatus[];

export const rectificationReportRecordSchema = z.object({
  text: z.string(),
  evidenceIds: z.array(z.string()),
  submittedAt: z.string(),
  submittedBy: z.string(),
});

export const rectificationRecordSchema = z.looseObject({
  rectificationId: z.string(),
  siteId: z.string(),
  campaignId: z.string(),
  institutionId: z.string(),
  /** The site was suspended from exams for the rectification (SUSPENDED until it passes). */
  suspended: z.boolean(),
  /** Why: the assessment's outcome and reason. */
  outcome: z.string(),
  reason: z.string(),
  deadline: z.string(),
  openedAt: z.string(),
  status: z.enum(RECTIFICATION_STATUSES),
  executionName: z.string(),
  taskToken: z.optional(z.string()),
  report: z.optional(rectificationReportRecordSchema),
  decidedAt: z.optional(z.string()),
  decidedBy: z.optional(z.string()),
  decisionReason: z.optional(z.string()),
  revocationId: z.optional(z.string()),
  version: z.number(),
});
export type RectificationRecord = z.infer<typeof rectificationRecordSchema>;
