import * as z from 'zod/mini';
import { CAMPAIGN_STATUSES, EVALUATION_STATUSES } from '../records/evaluation.record.ts';
import { cityCodeSchema, provinceCodeSchema } from '../application-form.schema.ts';
import { pageQuerySchema } from './registry.schema.ts';
import type { ApiRouteSchemas } from './route-schemas.ts';

/** Evaluation campaigns (Art.19–20): bodies, views and the campaign workflow's task input. */

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const longText = (min: number, max: number) => z.string().check(z.trim(), z.minLength(min), z.maxLength(max));

export const campaignSelectionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sites'), siteIds: z.array(text(100)).check(z.minLength(1), z.maxLength(1000)) }),
  z.object({
    kind: z.literal('filter'),
    provinceCode: z.optional(provinceCodeSchema),
    cityCode: z.optional(cityCodeSchema),
    statuses: z.optional(z.array(z.enum(['ACTIVE', 'SUSPENDED'])).check(z.maxLength(2))),
    notEvaluatedForMonths: z.optional(z.int().check(z.gte(1), z.lte(120))),
    sample: z.optional(z.object({ size: z.int().check(z.gte(1), z.lte(100_000)), seed: text(64) })),
  }),
]);

/** `POST /v1/admin/campaigns`. */
export const openCampaignBodySchema = z.object({
  title: text(100),
  /** By when each site submits its report and work plan (Art.20 "在规定的时间内"). */
  deadline: z.iso.datetime({ offset: true }),
  selection: campaignSelectionSchema,
});
export type OpenCampaignBody = z.infer<typeof openCampaignBodySchema>;

export const campaignViewSchema = z.object({
  campaignId: z.string(),
  title: z.string(),
  deadline: z.string(),
  reminderAt: z.optional(z.string()),
  status: z.enum(CAMPAIGN_STATUSES),
  selection: campaignSelectionSchema,
  siteCount: z.int(),
  notified: z.int(),
  submitted: z.int(),
  missed: z.int(),
  /** Assessments decided (Art.21) and their applied outcomes. */
  decided: z.int(),
  outcomes: z.record(z.string(), z.int()),
  createdAt: z.string(),
  createdBy: z.string(),
});

/** `PUT /v1/sites/{siteId}/evaluations/{campaignId}/report`: the report Art.20 asks for and the next-stage work plan. */
export const evaluationReportBodySchema = z.object({
  venueAndEquipment: longText(10, 5000),
  examOrganisation: longText(10, 5000),
  violations: longText(1, 5000),
  incidents: longText(1, 5000),
  workPlan: longText(10, 5000),
  evidenceIds: z._default(z.array(text(100)).check(z.maxLength(20)), []),
});
export type EvaluationReportBody = z.infer<typeof evaluationReportBodySchema>;

export const evaluationViewSchema = z.object({
  campaignId: z.string(),
  campaignTitle: z.string(),
  siteId: z.string(),
  institutionName: z.string(),
  provinceCode: z.string(),
  cityCode: z.string(),
  deadline: z.string(),
  status: z.enum(EVALUATION_STATUSES),
  notifiedAt: z.optional(z.string()),
  submittedAt: z.optional(z.string()),
  missedAt: z.optional(z.string()),
  report: z.optional(evaluationReportBodySchema),
});

export const campaignDetailSchema = z.extend(campaignViewSchema, {
  evaluations: z.array(evaluationViewSchema),
  cursor: z.optional(z.string()),
});

/** Input of the `evaluation-campaign-step` task function. */
export const campaignStepSchema = z.object({
  action: z.enum(['populate', 'notify', 'remind', 'close', 'finish']),
  campaignId: text(100),
  cursor: z.optional(z.nullable(z.string().check(z.maxLength(4000)))),
});
export type CampaignStepInput = z.infer<typeof campaignStepSchema>;

const CAMPAIGNS = '/v1/admin/campaigns';

export const supervisionApiSchemas: Readonly<Record<string, ApiRouteSchemas>> = {
  [`POST ${CAMPAIGNS}`]: {
    tag: 'supervision',
    summary: 'Opens an evaluation campaign for one site, a list or a selection, with a deadline (Art.19–20); admins only',
    description:
      'Starts the `evaluation-campaign` workflow: the sites are selected page by page, each is notified once through the mail queue, reminded before the deadline, and a site that has not submitted by the deadline is recorded as failing (Art.20 "在规定的时间内"). Deadline refusals: `CAMPAIGN_DEADLINE_TOO_SOON`, `CAMPAIGN_DEADLINE_TOO_LATE`.',
    request: openCampaignBodySchema,
    response: campaignViewSchema,
    status: 202,
    errors: [409],
  },
  [`GET ${CAMPAIGNS}`]: { tag: 'supervision', summary: 'Lists evaluation campaigns, newest first, with their progress (staff)', query: pageQuerySchema, response: z.object({ items: z.array(campaignViewSchema), cursor: z.optional(z.string()) }) },
  [`GET ${CAMPAIGNS}/{campaignId}`]: {
    tag: 'supervision',
    summary: "One campaign's progress (notified, submitted, missed) and a page of its sites' evaluations (staff)",
    query: pageQuerySchema,
    response: campaignDetailSchema,
    errors: [404],
  },
  ['GET /v1/sites/{siteId}/evaluations']: {
    tag: 'supervision',
    summary: "A site's evaluations, latest deadline first (its members and staff)",
    response: z.object({ items: z.array(evaluationViewSchema) }),
    errors: [404],
  },
  ['PUT /v1/sites/{siteId}/evaluations/{campaignId}/report']: {
    tag: 'supervision',
    summary: 'Submits (or, before the deadline, replaces) the evaluation report and next-stage work plan (Art.20); members of the site only',
    description: 'After the deadline: 409 `EVALUATION_DEADLINE_PASSED` (Art.20).',
    request: evaluationReportBodySchema,
    response: evaluationViewSchema,
    errors: [404, 409],
  },
};
