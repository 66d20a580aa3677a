import * as z from 'zod/mini';
import { REVOCATION_CAUSE_VALUES } from '../events/site-revoked.schema.ts';
import { REVOCATION_STATUSES, WITHDRAWAL_STATUSES } from '../records/site-case.record.ts';
import { workflowAuditSchema } from './accreditation.schema.ts';
import type { ApiRouteSchemas } from './route-schemas.ts';

/** Withdrawal (Art.22) and revocation (Art.23, Art.21): bodies, views, workflow step inputs. */

const reason = z.string().check(z.trim(), z.minLength(5), z.maxLength(2000));
const id = z.string().check(z.minLength(1), z.maxLength(100));
const evidenceIds = z.optional(z.array(id).check(z.maxLength(20)));

/** `POST /v1/sites/{siteId}/withdrawal`: why the site asks to withdraw. */
export const withdrawalBodySchema = z.object({ reason });
export type WithdrawalBody = z.infer<typeof withdrawalBodySchema>;

/** The causes an admin opens by hand (Art.23(2), Art.23(3)); inactivity is the timer's, failed rectification the supervision workflow's. */
export const MANUAL_REVOCATION_CAUSES = ['standards-breach', 'misconduct'] as const;

/** `POST /v1/admin/sites/{siteId}/revocations`. */
export const openRevocationBodySchema = z.object({
  cause: z.enum(MANUAL_REVOCATION_CAUSES),
  reason,
  /** Evidence items already uploaded and validated (the evidence pipeline). */
  evidenceIds,
  /** Skips the representation window (policy: due process), with its reason. */
  urgent: z.optional(z.object({ reason })),
});
export type OpenRevocationBody = z.infer<typeof openRevocationBodySchema>;

/** `POST /v1/sites/{siteId}/revocations/{revocationId}/representation`: the site's answer (陈述申辩). */
export const representationBodySchema = z.object({
  text: z.string().check(z.trim(), z.minLength(5), z.maxLength(10_000)),
  evidenceIds,
});
export type RepresentationBody = z.infer<typeof representationBodySchema>;

export const withdrawalViewSchema = z.object({
  withdrawalId: z.string(),
  siteId: z.string(),
  status: z.enum(WITHDRAWAL_STATUSES),
  reason: z.string(),
  requestedAt: z.string(),
  decidedAt: z.optional(z.string()),
  decisionReason: z.optional(z.string()),
});

export const revocationViewSchema = z.object({
  revocationId: z.string(),
  siteId: z.string(),
  cause: z.enum(REVOCATION_CAUSE_VALUES),
  article: z.string(),
  reason: z.string(),
  evidenceIds: z.array(z.string()),
  urgentReason: z.nullable(z.string()),
  openedAt: z.string(),
  status: z.enum(REVOCATION_STATUSES),
  windowEndsAt: z.nullable(z.string()),
  representation: z.nullable(z.object({ text: z.string(), evidenceIds: z.array(z.string()), submittedAt: z.string() })),
  decidedAt: z.optional(z.string()),
  decisionReason: z.optional(z.string()),
});

const decision = z.optional(
  z.nullable(z.object({ outcome: z.string(), reason: z.optional(z.string()), decidedBy: z.optional(z.string()), decisionId: z.optional(z.string()) })),
);
const failure = z.optional(z.object({ Error: z.optional(z.string()), Cause: z.optional(z.string()) }));

/** Input of the `site-withdrawal-step` task function. */
export const withdrawalStepSchema = z.object({
  action: z.enum(['agree', 'decline', 'lapse', 'error']),
  withdrawalId: id,
  siteId: id,
  decision,
  failure,
  audit: workflowAuditSchema,
});
export type WithdrawalStepInput = z.infer<typeof withdrawalStepSchema>;

/** Input of the `site-revocation-step` task function. */
export const revocationStepSchema = z.object({
  action: z.enum(['recheck', 'open-representation', 'window-lapsed', 'notify-urgent', 'revoke', 'dismiss', 'overdue', 'error']),
  revocationId: id,
  siteId: id,
  taskToken: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
  windowSeconds: z.optional(z.int().check(z.gte(1))),
  decision,
  failure,
  audit: workflowAuditSchema,
});
export type RevocationStepInput = z.infer<typeof revocationStepSchema>;

export const siteExitApiSchemas: Readonly<Record<string, ApiRouteSchemas>> = {
  'POST /v1/sites/{siteId}/withdrawal': {
    tag: 'sites',
    summary: "The site's member asks to withdraw (Art.22): refused while a session is scheduled or in progress (EXAM_SESSION_OPEN) or the site is not ACTIVE; an admin decides through a decision task. Asking again while one is pending returns it.",
    request: withdrawalBodySchema,
    status: 202,
    headers: { 'Idempotency-Key': 'Optional: a retried POST with the same key answers the first result.' },
    response: z.extend(withdrawalViewSchema, { alreadyPending: z.boolean() }),
    errors: [404, 409],
  },
  'POST /v1/admin/sites/{siteId}/revocations': {
    tag: 'sites',
    summary: 'An admin opens a revocation case (Art.23(2) standards breach, Art.23(3) misconduct) with reason and evidence; the site gets a representation window unless urgent; another admin decides. One open case per site and cause: opening again returns it.',
    request: openRevocationBodySchema,
    status: 202,
    headers: { 'Idempotency-Key': 'Optional: a retried POST with the same key answers the first result.' },
    response: z.object({ revocationId: z.string(), alreadyOpen: z.boolean() }),
    errors: [404, 409],
  },
  'GET /v1/sites/{siteId}/cases': {
    tag: 'sites',
    summary: "The site's withdrawal requests and revocation cases, newest first (its members and staff)",
    response: z.object({ withdrawals: z.array(withdrawalViewSchema), revocations: z.array(revocationViewSchema) }),
    errors: [404],
  },
  'POST /v1/sites/{siteId}/revocations/{revocationId}/representation': {
    tag: 'sites',
    summary: "The site's representation (陈述申辩, text and validated files) within its window; once only (REPRESENTATION_CLOSED after the window, an answer or an urgent case)",
    request: representationBodySchema,
    headers: { 'Idempotency-Key': 'Optional: a retried POST with the same key answers the first result.' },
    response: revocationViewSchema,
    errors: [404, 409],
  },
};
