import * as z from 'zod/mini';
import { coverageCitySchema } from './register.schema.ts';
import type { ApiRouteSchemas } from './route-schemas.ts';

/**
 * The organisation's reports (`GET /v1/admin/reports`) and exports
 * (`GET /v1/admin/exports/…`): admins only. Figures are counts and dates;
 * the only names are institutions' and staff members' (no applicant person,
 * no ID number, no e-mail).
 */

const count = z.int();

/** The review stages whose decision latency is reported (each a decision task with its own deadline). */
export const REPORT_STAGES = ['material-review', 'site-visit', 'final-decision'] as const;
export type ReportStage = (typeof REPORT_STAGES)[number];

/** The exports there are; `campaign` and the audit trails take an id in the path. */
export const EXPORT_REPORTS = ['register', 'coverage', 'campaign', 'site-audit', 'application-audit'] as const;
export type ExportReport = (typeof EXPORT_REPORTS)[number];
export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** `?format=csv|xlsx&lang=zh|en`: CSV by default, Chinese headers by default. */
export const exportQuerySchema = z.object({
  format: z._default(z.enum(EXPORT_FORMATS), 'csv'),
  lang: z._default(z.enum(['zh', 'en']), 'zh'),
});

/** `?refresh=true`: compute the reports now instead of serving the snapshot (at most a minute old). */
export const reportsQuerySchema = z.object({
  refresh: z._default(z.enum(['true', 'false']), 'false'),
});

/** Art.8 for the organisation: every city with pilot colleges (counts), and the colleges of the uncovered ones. */
export const reportCoverageSchema = z.object({
  article: z.literal('Art.8'),
  citiesWithPilotColleges: count,
  coveredCities: count,
  cities: z.array(coverageCitySchema),
  uncoveredCities: z.array(
    z.object({ provinceCode: z.string(), cityCode: z.string(), pilotColleges: z.array(z.object({ creditCode: z.string(), name: z.string() })) }),
  ),
});

export const latencyBucketSchema = z.object({ fromDays: z.number(), toDays: z.nullable(z.number()), count });

export const stageLatencySchema = z.object({
  stage: z.enum(REPORT_STAGES),
  /** The stage's deadline in days (configuration): the line drawn on the distribution. */
  deadlineDays: z.number(),
  decided: count,
  withinDeadline: count,
  medianDays: z.nullable(z.number()),
  p90Days: z.nullable(z.number()),
  buckets: z.array(latencyBucketSchema),
});

export const pipelineReportSchema = z.object({
  /** Applications by the month they entered their current status, per status. */
  byMonth: z.array(z.object({ month: z.string(), counts: z.record(z.string(), count) })),
  latency: z.array(stageLatencySchema),
  overdueTotal: count,
  /** Pending decision tasks past their deadline, by the person they are assigned to (staff name or role). */
  overdueByReviewer: z.array(z.object({ reviewer: z.string(), count })),
  /** Applications whose decisions were read for the latency (the most recent first, at most the cap). */
  applicationsRead: count,
});

export const approachingSiteSchema = z.object({
  siteId: z.string(),
  certificateNumber: z.string(),
  institutionName: z.string(),
  provinceCode: z.string(),
  cityCode: z.string(),
  /** Art.23(1): the day the site would be revoked without an exam held. */
  limitAt: z.string(),
  warn90At: z.string(),
  warn30At: z.string(),
  daysLeft: z.int(),
});

export const siteHealthReportSchema = z.object({
  byProvince: z.array(z.object({ provinceCode: z.string(), counts: z.record(z.string(), count) })),
  approaching: z.array(approachingSiteSchema),
  /** Sanction marks (Art.21) by month: warnings, suspensions, rectifications (passed or failed). */
  marksByMonth: z.array(z.object({ month: z.string(), warning: count, suspension: count, rectification: count })),
});

export const campaignProgressSchema = z.object({
  campaignId: z.string(),
  title: z.string(),
  status: z.string(),
  deadline: z.string(),
  siteCount: count,
  notified: count,
  submitted: count,
  /** Missed the deadline (Art.20). */
  overdue: count,
  /** Evaluations with an outcome recorded. */
  decided: count,
  outcomes: z.record(z.string(), count),
});

export const reportsSchema = z.object({
  generatedAt: z.string(),
  coverage: reportCoverageSchema,
  pipeline: pipelineReportSchema,
  siteHealth: siteHealthReportSchema,
  campaigns: z.array(campaignProgressSchema),
});

/** 202 from `GET /v1/admin/reports` when there is no snapshot yet and computing one takes longer than the request may wait. */
export const reportsComputingSchema = z.object({
  status: z.literal('computing'),
  retryAfterSeconds: count,
  message: z.object({ zh: z.string(), en: z.string() }),
});

const EXPORT_DESCRIPTION =
  'CSV (UTF-8 with a byte-order mark, so that Excel reads Chinese) or an Excel workbook (`format=xlsx`); Chinese column headers, English with `lang=en`. Built in memory up to a row cap: a larger export answers 413 EXPORT_TOO_LARGE.';
const EXPORT_ERRORS = [404, 413];

export const reportsApiSchemas: Readonly<Record<string, ApiRouteSchemas>> = {
  'GET /v1/admin/reports': {
    tag: 'reports',
    summary: 'Reports: Art.8 coverage by city, the pipeline and review times, site health, campaign progress (admins)',
    description:
      'Served from a snapshot at most 60 s old (`generatedAt` says when it was computed): past that, one request recomputes while the others get the last snapshot; a recomputation that takes longer than 12 s goes on in the background and the last snapshot is answered. `refresh=true` computes now (or answers the last snapshot after 12 s). With no snapshot yet and a computation longer than 12 s: 202 with `Retry-After`.',
    query: reportsQuerySchema,
    response: reportsSchema,
    otherResponses: { 202: { description: 'No snapshot yet: the reports are being computed; ask again after `Retry-After` seconds.', schema: reportsComputingSchema } },
  },
  'GET /v1/admin/exports/register': { tag: 'reports', summary: 'Export: the register of ACTIVE exam sites', description: EXPORT_DESCRIPTION, query: exportQuerySchema, errors: EXPORT_ERRORS },
  'GET /v1/admin/exports/coverage': { tag: 'reports', summary: 'Export: the Art.8 coverage report by city', description: EXPORT_DESCRIPTION, query: exportQuerySchema, errors: EXPORT_ERRORS },
  'GET /v1/admin/exports/campaigns/{campaignId}': { tag: 'reports', summary: "Export: a campaign's results, one row per site", description: EXPORT_DESCRIPTION, query: exportQuerySchema, errors: EXPORT_ERRORS },
  'GET /v1/admin/exports/sites/{siteId}/audit': { tag: 'reports', summary: "Export: a site's audit trail", description: EXPORT_DESCRIPTION, query: exportQuerySchema, errors: EXPORT_ERRORS },
  'GET /v1/admin/exports/applications/{applicationId}/audit': {
    tag: 'reports',
    summary: "Export: an application's audit trail",
    description: EXPORT_DESCRIPTION,
    query: exportQuerySchema,
    errors: EXPORT_ERRORS,
  },
};
