import * as z from 'zod/mini';
import { CAMPAIGN_STATUSES, EVALUATION_STATUSES } from '../records/evaluation.record.ts';
import { cityCodeSchema, provinceCodeSchema } from '../form-fields.ts';
import { pageQuerySchema } from './page-query.schema.ts';
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
  /** Every running count, summed from the campaign's counter shards: `notified`, `submitted`, `missed`, and those the assessment adds (`decided`, `outcome_<kind>`). */
  progress: z.record(z.string(), z.number()),
  reminderRound: z.optional(z.int()),
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

/** `POST /v1/admin/campaign-previews`: the selection to count before opening. */
export const campaignPreviewBodySchema = z.object({ selection: campaignSelectionSchema });
export const campaignPreviewSchema = z.object({
  /** Sites the campaign would cover now (a sample's size when fewer match). */
  count: z.int(),
  /** Sites matching the filter before a sample is drawn. */
  matching: z.int(),
});

/** `POST /v1/admin/campaigns/{campaignId}/deadline`: a later deadline for every site, or for the listed ones. */
export const extendCampaignDeadlineBodySchema = z.object({
  deadline: z.iso.datetime({ offset: true }),
  siteIds: z.optional(z.array(text(100)).check(z.minLength(1), z.maxLength(500))),
  reason: text(500),
});
export type ExtendCampaignDeadlineBody = z.infer<typeof extendCampaignDeadlineBodySchema>;
export const campaignDeadlineResultSchema = z.object({
  deadline: z.string(),
  /** Sites whose deadline moved (all the campaign's when none were listed). */
  extended: z.int(),
  /** Listed sites that were not extended, with why. */
  refused: z.array(z.object({ siteId: z.string(), reason: z.enum(['not-in-campaign', 'already-missed', 'concurrent-update']) })),
});

/** `POST /v1/admin/campaigns/{campaignId}/reminders`: the round started. */
export const campaignRemindersSchema = z.object({ campaignId: z.string(), round: z.int(), executionName: z.string() });

/** The report prefilled from the site's records (Art.20), for `GET …/evaluations/{campaignId}/report`. */
export const reportPrefillSchema = z.object({
  since: z.string(),
  sessionsHeld: z.array(
    z.object({ sessionId: z.string(), title: z.optional(z.string()), startsAt: z.string(), present: z.int(), absent: z.int(), violations: z.int(), incidents: z.int() }),
  ),
  totals: z.object({ sessions: z.int(), present: z.int(), absent: z.int(), violations: z.int(), incidents: z.int() }),
  draft: z.object({ examOrganisation: z.string(), violations: z.string(), incidents: z.string() }),
});
export const evaluationWithPrefillSchema = z.extend(evaluationViewSchema, { prefill: reportPrefillSchema });

/** Input of the `evaluation-campaign-step` task function. */
export const campaignStepSchema = z.object({
  action: z.enum(['populate', 'notify', 'remind', 'close', 'finish']),
  campaignId: text(100),
  cursor: z.optional(z.nullable(z.string().check(z.maxLength(4000)))),
  /** A bulk reminder round (its own mail ids); absent for the scheduled reminder. */
  round: z.optional(z.nullable(z.int().check(z.gte(1)))),
  /** `close`: the earliest deadline still ahead seen on the pages before. */
  until: z.optional(z.nullable(z.string().check(z.maxLength(40)))),
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
  [`POST /v1/admin/campaign-previews`]: {
    tag: 'supervision',
    summary: 'Counts the sites a selection covers now, before a campaign is opened (admins)',
    description: 'Read from the status lists by index queries only (Select COUNT per shard, by region), never a Scan.',
    request: campaignPreviewBodySchema,
    response: campaignPreviewSchema,
  },
  [`POST ${CAMPAIGNS}/{campaignId}/deadline`]: {
    tag: 'supervision',
    summary: "Extends an open campaign's deadline for all its sites or for the listed ones (admins; audited)",
    description: 'A site that has already missed its deadline keeps its MISSED evaluation (Art.20). Refusals: `CAMPAIGN_DEADLINE_NOT_LATER`, `CAMPAIGN_DEADLINE_TOO_LATE`, 409 `CAMPAIGN_CLOSED`.',
    request: extendCampaignDeadlineBodySchema,
    response: campaignDeadlineResultSchema,
    errors: [404, 409],
  },
  [`POST ${CAMPAIGNS}/{campaignId}/reminders`]: {
    tag: 'supervision',
    summary: 'Reminds every site of an open campaign that has not submitted, through the mail queue (admins)',
    description: 'Starts a reminder round (a workflow execution reading the evaluations page by page); each round reminds a site at most once.',
    response: campaignRemindersSchema,
    status: 202,
    errors: [404, 409],
  },
  [`GET ${CAMPAIGNS}/{campaignId}/results`]: {
    tag: 'supervision',
    summary: "The campaign's evaluations and outcomes as CSV (staff), up to 1,000 rows a page",
    description: '`text/csv; charset=utf-8`, one row per site, header row on every page; the next page’s cursor is in the `x-next-cursor` header (absent on the last page).',
    query: pageQuerySchema,
    errors: [404],
  },
  ['GET /v1/sites/{siteId}/evaluations/{campaignId}/report']: {
    tag: 'supervision',
    summary: "The site's evaluation with its report prefilled from the site's records since its last evaluation (Art.20); its members and staff",
    response: evaluationWithPrefillSchema,
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
