import * as z from 'zod/mini';
import { SESSION_VIEW_STATUSES } from '../statuses.ts';
import { pageQuerySchema } from './page-query.schema.ts';
import type { ApiRouteSchemas } from './route-schemas.ts';

/**
 * Exam sessions of a site (Art.13–14) and the task input of the two-year
 * timer (Art.23(1)). Candidates' ID numbers come in (checked, then kept only
 * as a keyed hash and a masked form) and never go out unmasked.
 */

const isoInstant = z.iso.datetime({ offset: true });
const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

/** Schedule a session: when, in which accredited rooms, for how many candidates at once (Art.9(2)). */
export const scheduleSessionSchema = z.object({
  title: z.optional(text(100)),
  startsAt: isoInstant,
  endsAt: isoInstant,
  /** Names of the site's accredited rooms. */
  rooms: z.array(text(100)).check(z.minLength(1), z.maxLength(20)),
  capacity: z.int().check(z.gte(1), z.lte(2000)),
});
export type ScheduleSessionInput = z.infer<typeof scheduleSessionSchema>;

export const cancelSessionSchema = z.object({ reason: text(500) });

/** A candidate as registered: the ID number is checked and never stored or returned as given. */
export const candidateInputSchema = z.object({
  name: text(50),
  idNumber: z.string().check(z.minLength(1), z.maxLength(30)),
  /** `student` (the college's own) or `public` (Art.5); checked against the eligibility rule. */
  category: z.string().check(z.maxLength(20)),
});
export type CandidateInput = z.infer<typeof candidateInputSchema>;

/** Register candidates: one (the form) or many (`{ candidates: [...] }`, or `text/csv` with the header `name,idNumber,category`). */
export const registerCandidatesSchema = z.object({ candidates: z.array(z.unknown()).check(z.minLength(1), z.maxLength(500)) });

export const candidateViewSchema = z.object({
  candidateId: z.string(),
  name: z.string(),
  /** `110***********123X`: the first 3 and last 4 characters. */
  idNumberMasked: z.string(),
  category: z.string(),
  registeredAt: z.string(),
  /** After the session was recorded as held. */
  present: z.optional(z.boolean()),
});

export const rowErrorSchema = z.object({
  /** 1-based row of the import (the CSV header is row 0). */
  row: z.int(),
  code: z.string(),
  message: z.object({ zh: z.string(), en: z.string() }),
  article: z.optional(z.string()),
});

export const registerCandidatesReportSchema = z.object({
  registered: z.array(candidateViewSchema),
  rowErrors: z.array(rowErrorSchema),
  /** Candidates registered for the session now, and its capacity. */
  registeredCount: z.int(),
  capacity: z.int(),
  eligibilityRule: z.string(),
});

const noteSchema = z.object({ description: text(1000), candidateId: z.optional(z.string().check(z.maxLength(40))) });

/** Record a session as held (Art.14): attendance of every registered candidate, violations and incidents (Art.20). */
export const recordHeldSchema = z.object({
  attendance: z.array(z.object({ candidateId: z.string().check(z.maxLength(40)), present: z.boolean() })).check(z.maxLength(2000)),
  violations: z._default(z.array(noteSchema).check(z.maxLength(200)), []),
  incidents: z._default(z.array(z.object({ description: text(1000) })).check(z.maxLength(100)), []),
});
export type RecordHeldInput = z.infer<typeof recordHeldSchema>;

export const sessionViewSchema = z.object({
  sessionId: z.string(),
  siteId: z.string(),
  title: z.optional(z.string()),
  status: z.enum(SESSION_VIEW_STATUSES),
  /** Whether it has started (server time): registration is closed, it may be recorded as held. */
  started: z.boolean(),
  startsAt: z.string(),
  endsAt: z.string(),
  rooms: z.array(z.string()),
  capacity: z.int(),
  registeredCount: z.int(),
  eligibilityRule: z.string(),
  createdAt: z.string(),
  cancelled: z.optional(z.object({ at: z.string(), reason: z.string() })),
  held: z.optional(
    z.object({
      at: z.string(),
      present: z.int(),
      absent: z.int(),
      /** Whether it re-anchored the two-year timer (Art.23(1), policy: at least one candidate present). */
      countsAsHeld: z.boolean(),
      violations: z.array(noteSchema),
      incidents: z.array(z.object({ description: z.string() })),
    }),
  ),
  /** Until when the records are kept (the retention setting). */
  expiresAt: z.string(),
});

export const sessionDetailSchema = z.extend(sessionViewSchema, { candidates: z.array(candidateViewSchema) });

const SESSIONS = '/v1/sites/{siteId}/sessions';
const ONE = `${SESSIONS}/{sessionId}`;
const refusals = 'Refused for a SUSPENDED site with Art.21 (SITE_SUSPENDED), a WITHDRAWN one with Art.22, a REVOKED one with Art.23.';

export const sessionsApiSchemas: Readonly<Record<string, ApiRouteSchemas>> = {
  [`POST ${SESSIONS}`]: {
    tag: 'sessions',
    summary: 'Schedule an exam session in accredited rooms, capacity at most their seats at once (Art.9(2), Art.13); members of the site only',
    description: refusals,
    request: scheduleSessionSchema,
    response: sessionViewSchema,
    status: 201,
    errors: [404, 409],
  },
  [`GET ${SESSIONS}`]: {
    tag: 'sessions',
    summary: "The site's exam sessions, newest first (its members and staff)",
    query: pageQuerySchema,
    response: z.object({ items: z.array(sessionViewSchema), cursor: z.optional(z.string()) }),
    errors: [404],
  },
  [`GET ${ONE}`]: {
    tag: 'sessions',
    summary: 'One exam session with its candidates (ID numbers masked)',
    response: sessionDetailSchema,
    errors: [404],
  },
  [`POST ${ONE}/cancel`]: {
    tag: 'sessions',
    summary: 'Cancel a scheduled session (members of the site)',
    request: cancelSessionSchema,
    response: sessionViewSchema,
    errors: [404, 409],
  },
  [`POST ${ONE}/candidates`]: {
    tag: 'sessions',
    summary: 'Register candidates one by one or by CSV import (Art.14): ID number checked, a candidate once per session, the eligibility rule applied; per-row errors',
    description: `Rows with errors are reported and not registered; the others are. ${refusals}`,
    request: registerCandidatesSchema,
    requestAlternatives: { 'text/csv': z.string() },
    response: registerCandidatesReportSchema,
    errors: [404, 409],
  },
  [`POST ${ONE}/held`]: {
    tag: 'sessions',
    summary: 'Record the session as held: attendance, violations, incidents (Art.14, Art.20); re-arms the two-year timer (Art.23(1))',
    description: refusals,
    request: recordHeldSchema,
    response: sessionViewSchema,
    errors: [404, 409],
  },
};

/** What a site's one-time schedule passes to the site-milestone workflow, and each of its steps to the task function. */
export const milestoneSchema = z.object({
  kind: z.string().check(z.regex(/^(warn-\d{1,4}|revoke)$/)),
  at: isoInstant,
});

export const siteMilestoneTaskSchema = z.object({
  step: z.enum(['classify', 'warn', 'rearm', 'revoke']),
  siteId: z.string().check(z.minLength(1), z.maxLength(40)),
  milestone: milestoneSchema,
  audit: z.object({
    executionName: z.string().check(z.minLength(1), z.maxLength(80)),
    stateName: z.string().check(z.minLength(1), z.maxLength(80)),
    enteredTime: isoInstant,
  }),
});
export type SiteMilestoneTaskInput = z.infer<typeof siteMilestoneTaskSchema>;
