import * as z from 'zod/mini';
import { ASSESSMENT_OUTCOMES, assessmentRecordSchema, EVALUATION_STATUSES } from '../records/evaluation.record.ts';
import { RECTIFICATION_STATUSES } from '../records/rectification.record.ts';
import { workflowAuditSchema } from './accreditation.schema.ts';
import type { ApiRouteSchemas } from './route-schemas.ts';

/**
 * Assessment and rectification (Art.21): the site's supervision record, the
 * rectification report, and the task inputs of the `site-assessment` and
 * `site-rectification` workflows.
 */

const id = z.string().check(z.minLength(1), z.maxLength(100));

/** `PUT /v1/sites/{siteId}/rectifications/{rectificationId}/report`: what the site did, and files already validated by the evidence pipeline. */
export const rectificationReportBodySchema = z.object({
  text: z.string().check(z.trim(), z.minLength(10), z.maxLength(5000)),
  evidenceIds: z._default(z.array(id).check(z.maxLength(20)), []),
});
export type RectificationReportBody = z.infer<typeof rectificationReportBodySchema>;

export const rectificationViewSchema = z.object({
  rectificationId: z.string(),
  siteId: z.string(),
  campaignId: z.string(),
  suspended: z.boolean(),
  outcome: z.string(),
  reason: z.string(),
  deadline: z.string(),
  openedAt: z.string(),
  status: z.enum(RECTIFICATION_STATUSES),
  report: z.optional(z.object({ text: z.string(), evidenceIds: z.array(z.string()), submittedAt: z.string() })),
  decidedAt: z.optional(z.string()),
  decisionReason: z.optional(z.string()),
  revocationId: z.optional(z.string()),
});

/** An assessment as the site and staff read it: never who assessed or confirmed. */
export const assessmentViewSchema = z.object({
  campaignId: z.string(),
  campaignTitle: z.string(),
  status: z.enum(EVALUATION_STATUSES),
  deadline: z.string(),
  rubricVersion: z.string(),
  scores: z.record(z.string(), z.number()),
  total: z.number(),
  max: z.number(),
  verdict: z.enum(['pass', 'pass-with-warning', 'fail']),
  decided: z.enum(ASSESSMENT_OUTCOMES),
  outcome: z.enum(ASSESSMENT_OUTCOMES),
  steps: assessmentRecordSchema.shape.steps,
  reason: z.string(),
  decidedAt: z.string(),
  confirmation: z.optional(z.object({ outcome: z.enum(['confirm', 'reject', 'overdue']), at: z.string() })),
});

export const sanctionMarkViewSchema = z.object({ kind: z.string(), at: z.string(), article: z.string(), reason: z.string(), campaignId: z.optional(z.string()) });

/** `GET /v1/sites/{siteId}/supervision`. */
export const siteSupervisionSchema = z.object({
  siteId: z.string(),
  status: z.string(),
  assessments: z.array(assessmentViewSchema),
  marks: z.array(sanctionMarkViewSchema),
  rectifications: z.array(rectificationViewSchema),
  openRectification: z.nullable(rectificationViewSchema),
  ladder: z.object({ version: z.string(), windowMonths: z.number() }),
});

/** The decision the workflow holds (the assessment's carries its scores and rubric version). */
const decision = z.optional(
  z.nullable(
    z.object({
      outcome: z.string(),
      reason: z.optional(z.string()),
      decidedBy: z.optional(z.string()),
      decisionId: z.optional(z.string()),
      scores: z.optional(z.record(z.string(), z.number())),
      rubricVersion: z.optional(z.string()),
    }),
  ),
);
const failure = z.optional(z.object({ Error: z.optional(z.string()), Cause: z.optional(z.string()) }));

/** Input of the `site-assessment-step` task function. */
export const assessmentStepSchema = z.object({
  action: z.enum(['apply', 'confirm', 'overdue', 'error']),
  campaignId: id,
  siteId: id,
  decision,
  failure,
  audit: workflowAuditSchema,
});
export type AssessmentStepInput = z.infer<typeof assessmentStepSchema>;

/** Input of the `site-rectification-step` task function. */
export const rectificationStepSchema = z.object({
  action: z.enum(['await-report', 'missed', 'review', 'error']),
  rectificationId: id,
  siteId: id,
  taskToken: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
  decision,
  failure,
  audit: workflowAuditSchema,
});
export type RectificationStepInput = z.infer<typeof rectificationStepSchema>;

export const rectificationApiSchemas: Readonly<Record<string, ApiRouteSchemas>> = {
  'GET /v1/sites/{siteId}/supervision': {
    tag: 'supervision',
    summary: "A site's supervision record (Art.21): its assessments with the rubric scores and the ladder's escalations, its dated marks, its rectifications (its members and staff)",
    response: siteSupervisionSchema,
    errors: [404],
  },
  'PUT /v1/sites/{siteId}/rectifications/{rectificationId}/report': {
    tag: 'supervision',
    summary: "The site's rectification report by its deadline (Art.21 限期整改): text and validated evidence files; a reviewer then re-assesses. Members of the site only; once.",
    description: 'After the deadline or once submitted: 409 `RECTIFICATION_CLOSED` (Art.21).',
    request: rectificationReportBodySchema,
    response: rectificationViewSchema,
    errors: [404, 409],
  },
};
