import * as z from 'zod/mini';

/**
 * Stored records of supervision (Art.19–21): evaluation campaigns, each
 * site's evaluation in a campaign, and the dated marks a site collects
 * (warnings, failures, missed deadlines, suspensions). Parsed on read.
 */

export const CAMPAIGN_STATUSES = ['OPEN', 'CLOSED'] as const;
/** `ASSESSED`: a reviewer assessed the report (Art.21); the outcome is on the evaluation. */
export const EVALUATION_STATUSES = ['NOTICE_PENDING', 'NOTIFIED', 'SUBMITTED', 'MISSED', 'ASSESSED'] as const;
export type EvaluationStatus = (typeof EVALUATION_STATUSES)[number];

export const campaignSelectionRecordSchema = z.union([
  z.object({ kind: z.literal('sites'), siteIds: z.array(z.string()) }),
  z.object({
    kind: z.literal('filter'),
    provinceCode: z.optional(z.string()),
    cityCode: z.optional(z.string()),
    statuses: z.optional(z.array(z.enum(['ACTIVE', 'SUSPENDED']))),
    notEvaluatedForMonths: z.optional(z.number()),
    sample: z.optional(z.object({ size: z.number(), seed: z.string() })),
  }),
]);

export const campaignRecordSchema = z.looseObject({
  campaignId: z.string(),
  title: z.string(),
  selection: campaignSelectionRecordSchema,
  deadline: z.string(),
  reminderAt: z.optional(z.string()),
  status: z.enum(CAMPAIGN_STATUSES),
  siteCount: z.number(),
  /** Running counts of campaigns opened before the sharded counters (items `PROGRESS#<n>`); no longer written here. */
  notified: z.optional(z.number()),
  submitted: z.optional(z.number()),
  missed: z.optional(z.number()),
  /** Bulk reminder rounds started by admins (each reminds a site at most once). */
  reminderRound: z.optional(z.number()),
  createdAt: z.string(),
  createdBy: z.string(),
  closedAt: z.optional(z.string()),
});
export type CampaignRecord = z.infer<typeof campaignRecordSchema>;

/** The report Art.20 asks for: "考试场地及设备设施情况、考务组织情况、考试违纪违规及考试事故等", and the next-stage work plan. */
export const evaluationReportRecordSchema = z.object({
  venueAndEquipment: z.string(),
  examOrganisation: z.string(),
  violations: z.string(),
  incidents: z.string(),
  workPlan: z.string(),
  evidenceIds: z.array(z.string()),
});

/** Outcomes of an assessment (Art.21), as `SUPERVISION_OUTCOMES` of the domain. */
export const ASSESSMENT_OUTCOMES = ['pass', 'warning', 'rectify', 'suspend-and-rectify', 'propose-revocation'] as const;

/** A reviewer's assessment of an evaluation (Art.21 "综合能力评估") and what followed. */
export const assessmentRecordSchema = z.object({
  rubricVersion: z.string(),
  scores: z.record(z.string(), z.number()),
  total: z.number(),
  max: z.number(),
  verdict: z.enum(['pass', 'pass-with-warning', 'fail']),
  /** What the reviewer chose. */
  decided: z.enum(ASSESSMENT_OUTCOMES),
  /** What applies after the sanction ladder. */
  outcome: z.enum(ASSESSMENT_OUTCOMES),
  steps: z.array(z.object({ from: z.string(), to: z.string(), article: z.string(), zh: z.string(), en: z.string() })),
  reason: z.string(),
  decidedBy: z.string(),
  decidedAt: z.string(),
  /** A suspension's confirmation by a second reviewer (four eyes). */
  confirmation: z.optional(z.object({ outcome: z.enum(['confirm', 'reject', 'overdue']), at: z.string(), by: z.optional(z.string()), reason: z.optional(z.string()) })),
  rectificationId: z.optional(z.string()),
  revocationId: z.optional(z.string()),
});
export type AssessmentRecord = z.infer<typeof assessmentRecordSchema>;

export const evaluationRecordSchema = z.looseObject({
  campaignId: z.string(),
  siteId: z.string(),
  institutionId: z.string(),
  institutionName: z.string(),
  provinceCode: z.string(),
  cityCode: z.string(),
  deadline: z.string(),
  status: z.enum(EVALUATION_STATUSES),
  notifiedAt: z.optional(z.string()),
  remindedAt: z.optional(z.string()),
  submittedAt: z.optional(z.string()),
  submittedBy: z.optional(z.string()),
  missedAt: z.optional(z.string()),
  report: z.optional(evaluationReportRecordSchema),
  assessment: z.optional(assessmentRecordSchema),
  version: z.number(),
  createdAt: z.string(),
});
export type EvaluationRecord = z.infer<typeof evaluationRecordSchema>;

export const sanctionMarkRecordSchema = z.looseObject({
  siteId: z.string(),
  kind: z.enum(['warning', 'failure', 'missed-deadline', 'suspension', 'rectification-passed', 'rectification-failed']),
  at: z.string(),
  article: z.string(),
  campaignId: z.optional(z.string()),
  reason: z.string(),
});
export type SanctionMarkRecord = z.infer<typeof sanctionMarkRecordSchema>;
