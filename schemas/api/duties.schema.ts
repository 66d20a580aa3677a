import * as z from 'zod/mini';
import { STAFF_ROLES } from '../form-fields.ts';
import { TRAINING_ORGANISERS } from '../records/duties.record.ts';
import { pageQuerySchema } from './page-query.schema.ts';
import type { ApiRouteSchemas } from './route-schemas.ts';

/**
 * The site's duties on record: staff training (Art.15) and periodic work
 * summaries (Art.16). The site's own members record them; reviewers and
 * admins read them (the supervision of Art.18–20 evaluates them).
 */

/** A run of 15 or more digits (with an optional final X) reads as an ID number: a trainee is named, never identified by one. */
const LOOKS_LIKE_ID_NUMBER = /\d{14,}[\dXx]/;
const personName = z.string().check(
  z.trim(),
  z.minLength(1),
  z.maxLength(50),
  z.refine((v) => !LOOKS_LIKE_ID_NUMBER.test(v), 'A name only: no ID number'),
);
const date = z.iso.date();

export const recordTrainingSchema = z.object({
  traineeName: personName,
  traineeRole: z.optional(z.enum(STAFF_ROLES)),
  title: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  trainedOn: date,
  /** `site`: the site's own training in exam business and professional conduct; `organisation`: the organisation's exam-organisation training (Art.15). */
  organiser: z.enum(TRAINING_ORGANISERS),
  hours: z.optional(z.number().check(z.gte(0.5), z.lte(200))),
});

export const trainingViewSchema = z.object({
  trainingId: z.string(),
  siteId: z.string(),
  traineeName: z.string(),
  traineeRole: z.optional(z.enum(STAFF_ROLES)),
  title: z.string(),
  trainedOn: z.string(),
  organiser: z.enum(TRAINING_ORGANISERS),
  hours: z.optional(z.number()),
  recordedAt: z.string(),
});

export const submitWorkSummarySchema = z.object({
  periodStart: date,
  periodEnd: date,
  /** Text only: files are not taken with a summary. */
  text: z.string().check(z.trim(), z.minLength(10), z.maxLength(10_000)),
});

export const workSummaryViewSchema = z.object({
  summaryId: z.string(),
  siteId: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  text: z.string(),
  recordedAt: z.string(),
});

export const dutiesApiSchemas: Readonly<Record<string, ApiRouteSchemas>> = {
  'POST /v1/sites/{siteId}/trainings': {
    tag: 'duties',
    summary: "Record a staff training (Art.15): the site's own members",
    description:
      'Who (a name, never an ID number), which training, when (not in the future), organised by the site or by the organisation. Refused for a WITHDRAWN (Art.22) or REVOKED (Art.23) site. Audited on the site timeline.',
    request: recordTrainingSchema,
    headers: { 'idempotency-key': 'Replays the first response for 24 h' },
    response: trainingViewSchema,
    status: 201,
    errors: [404, 409],
  },
  'GET /v1/sites/{siteId}/trainings': {
    tag: 'duties',
    summary: "The site's staff training records, newest first (the site's members, reviewers, admins)",
    query: pageQuerySchema,
    response: z.object({ items: z.array(trainingViewSchema), cursor: z.optional(z.string()) }),
    errors: [404],
  },
  'POST /v1/sites/{siteId}/work-summaries': {
    tag: 'duties',
    summary: "Submit a periodic work summary (Art.16): the site's own members",
    description: 'Text only (10 to 10,000 characters), for a period that has ended by the day of submission. Refused for a WITHDRAWN (Art.22) or REVOKED (Art.23) site. Audited on the site timeline.',
    request: submitWorkSummarySchema,
    headers: { 'idempotency-key': 'Replays the first response for 24 h' },
    response: workSummaryViewSchema,
    status: 201,
    errors: [404, 409],
  },
  'GET /v1/sites/{siteId}/work-summaries': {
    tag: 'duties',
    summary: "The site's work summaries, newest first (the site's members, reviewers, admins)",
    query: pageQuerySchema,
    response: z.object({ items: z.array(workSummaryViewSchema), cursor: z.optional(z.string()) }),
    errors: [404],
  },
};
