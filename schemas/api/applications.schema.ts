import * as z from 'zod/mini';
import { APPLICATION_STATUSES } from '../statuses.ts';
import { creditCodeSchema, draftFormSchema } from '../application-form.schema.ts';
import { findingSchema, screeningResultSchema } from '../findings.schema.ts';
import type { ApiRouteSchemas } from './route-schemas.ts';
import { pageQuerySchema } from './page-query.schema.ts';

/** Bodies of the application routes (Art.3, Art.4: the applicant reads the result on the platform). */
const isoTime = z.iso.datetime();
export const applicationStatusSchema = z.enum(APPLICATION_STATUSES);

/** ULIDs: anything else cannot be an application id (404 without a read). Apart, so access checks do not carry the form schema. */
export { applicationIdSchema } from './application-id.schema.ts';

/**
 * PUT body of the form. `form` is parsed after `pruneEmpty` with
 * `draftFormSchema`; `version` may come from `If-Match` instead.
 */
export const saveFormBodySchema = z.object({
  version: z.optional(z.int().check(z.gte(1))),
  form: z.unknown(),
});

/** The same body as documented (the form as the draft schema describes it). */
const saveFormDocSchema = z.object({
  version: z.optional(z.int().check(z.gte(1))),
  form: draftFormSchema,
});

export const applicationSummarySchema = z.object({
  id: z.string(),
  creditCode: creditCodeSchema,
  institutionName: z.string(),
  provinceCode: z.string(),
  cityCode: z.string(),
  status: applicationStatusSchema,
  version: z.int(),
  round: z.int(),
  standardVersion: z.string(),
  createdAt: isoTime,
  updatedAt: isoTime,
});

export const applicationViewSchema = z.extend(applicationSummarySchema, {
  form: z.record(z.string(), z.unknown()),
});

export const applicationPageSchema = z.object({ items: z.array(applicationSummarySchema), cursor: z.optional(z.string()) });

export const listApplicationsQuerySchema = z.extend(pageQuerySchema, {
  /** Reviewers and admins list by status; applicants see their institution's applications and may omit it. */
  status: z.optional(applicationStatusSchema),
});

/** A form path the complete form still lacks or gets wrong, with its label for the portal. */
export const missingFieldSchema = z.object({
  path: z.string(),
  message: z.string(),
  label: z.optional(z.object({ zh: z.string(), en: z.string() })),
});

/**
 * The live pre-check returned with every saved draft: screening run on the
 * draft against the register. Not binding (the outcome is decided at
 * screening after submission); `findings` are shown beside their fields.
 */
export const precheckSchema = z.object({
  binding: z.literal(false),
  /** Whether the draft is a complete form (all of it was screened). */
  complete: z.boolean(),
  missing: z.array(missingFieldSchema),
  outcome: z.optional(z.enum(['pass', 'return', 'refuse'])),
  eligible: z.boolean(),
  standardVersion: z.string(),
  findings: z.array(findingSchema),
});
export type Precheck = z.infer<typeof precheckSchema>;

export const saveFormResponseSchema = z.object({ application: applicationViewSchema, precheck: precheckSchema });

export const actorViewSchema = z.object({
  kind: z.enum(['user', 'system']),
  id: z.string(),
  role: z.optional(z.string()),
  displayName: z.object({ zh: z.string(), en: z.string() }),
});

export const timelineEventSchema = z.object({
  at: isoTime,
  action: z.string(),
  actor: actorViewSchema,
  from: z.optional(z.string()),
  to: z.optional(z.string()),
  reason: z.optional(z.string()),
  article: z.optional(z.string()),
  /** Staff only. */
  details: z.optional(z.record(z.string(), z.unknown())),
});

export const applicationDetailSchema = z.object({
  application: applicationViewSchema,
  screening: z.optional(screeningResultSchema),
  /** The outcomes (returned, rejected, approved, closed) with their reasons and articles, newest last. */
  decisions: z.array(timelineEventSchema),
  timeline: z.array(timelineEventSchema),
});

export const auditPageSchema = z.object({ items: z.array(timelineEventSchema), cursor: z.optional(z.string()) });

export const dashboardSchema = z.object({
  generatedAt: isoTime,
  applicationsByStatus: z.record(z.string(), z.int()),
  applicationsByProvince: z.record(z.string(), z.record(z.string(), z.int())),
  overdueTasks: z.object({
    count: z.int(),
    items: z.array(
      z.object({ decisionId: z.optional(z.string()), applicationId: z.optional(z.string()), kind: z.optional(z.string()), assignee: z.optional(z.string()), deadline: z.optional(z.string()) }),
    ),
  }),
  sites: z.object({ active: z.int() }),
  coverage: z.object({
    article: z.literal('Art.8'),
    citiesWithPilotColleges: z.int(),
    coveredCities: z.int(),
    uncoveredCities: z.array(
      z.object({
        provinceCode: z.string(),
        cityCode: z.string(),
        pilotColleges: z.array(z.object({ creditCode: z.string(), name: z.string() })),
      }),
    ),
  }),
});

export const applicationsApiSchemas: Readonly<Record<string, ApiRouteSchemas>> = {
  'POST /v1/applications': {
    tag: 'applications',
    summary: 'Open a new application (draft) for my institution',
    description: 'One open application per institution (409 APPLICATION_ALREADY_OPEN). Eligibility (Art.3(2)) is decided at screening, from the pilot register.',
    headers: { 'idempotency-key': 'Replays the first response for 24 h' },
    response: applicationViewSchema,
    status: 201,
    errors: [409],
  },
  'GET /v1/applications': {
    tag: 'applications',
    summary: "My institution's applications, or (reviewers, admins) the applications in a status",
    query: listApplicationsQuerySchema,
    response: applicationPageSchema,
  },
  'GET /v1/applications/{applicationId}': {
    tag: 'applications',
    summary: 'An application with its screening result, decisions and timeline (Art.4)',
    response: applicationDetailSchema,
    errors: [404],
  },
  'PUT /v1/applications/{applicationId}/form': {
    tag: 'applications',
    summary: 'Save the draft form (DRAFT or RETURNED only) and get the live pre-check',
    headers: { 'if-match': 'The version the edit is based on (instead of `version` in the body)' },
    request: saveFormDocSchema,
    response: saveFormResponseSchema,
    errors: [404, 409],
  },
  'GET /v1/applications/{applicationId}/audit': {
    tag: 'applications',
    summary: 'The full audit trail of an application (reviewers, admins)',
    query: pageQuerySchema,
    response: auditPageSchema,
    errors: [404],
  },
  'GET /v1/admin/dashboard': {
    tag: 'applications',
    summary: 'Applications by status and province, overdue tasks, active sites, Art.8 coverage',
    response: dashboardSchema,
  },
};
