import * as z from 'zod/mini';
import { DECISION_KINDS, DECISION_STATUSES } from '../api/accreditation.schema.ts';

/**
 * A decision task as stored. The task token is in it: never return this
 * record as is (see `decisionView`). Deadlines are `deadline` (ISO) and
 * `deadlineMs`, not the TTL attribute: expired decisions must keep saying so.
 */
export const decisionRecordSchema = z.looseObject({
  decisionId: z.string(),
  kind: z.enum(DECISION_KINDS),
  applicationId: z.string(),
  institutionId: z.string(),
  institutionName: z.string(),
  /** The assigned person's `sub`; for `applicant-correction` the institution (`INST#<creditCode>`). */
  assigneeSub: z.string(),
  /** Final decision: the visitor, who may not decide (four-eyes). */
  excludedSub: z.optional(z.nullable(z.string())),
  status: z.enum(DECISION_STATUSES),
  createdAt: z.string(),
  deadline: z.string(),
  deadlineMs: z.number(),
  stepKey: z.string(),
  taskToken: z.optional(z.string()),
  findingsCount: z.optional(z.number()),
  outcome: z.optional(z.string()),
  reason: z.optional(z.string()),
  decidedBy: z.optional(z.string()),
  decidedAt: z.optional(z.string()),
  /** The JSON sent with SendTaskSuccess (kept so an interrupted delivery can be repeated). */
  output: z.optional(z.record(z.string(), z.unknown())),
  delivered: z.optional(z.boolean()),
  /** The last delivery failed (Step Functions unreachable): the reviewer's next POST may repeat it. */
  deliveryFailedAt: z.optional(z.string()),
  /** A repeat of an interrupted delivery started then (one at a time). */
  redeliveringAt: z.optional(z.string()),
  reassignedTo: z.optional(z.string()),
  reassignedFrom: z.optional(z.string()),
  expiredAt: z.optional(z.string()),
  /** A decision about an accredited site (withdrawal, revocation): the site and its case. */
  siteId: z.optional(z.string()),
  caseId: z.optional(z.string()),
  remindedAt: z.optional(z.string()),
  escalatedAt: z.optional(z.string()),
});
export type DecisionRecord = z.infer<typeof decisionRecordSchema>;
