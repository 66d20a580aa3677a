import * as z from 'zod/mini';
import { FINDING_SEVERITIES } from '../findings.schema.ts';

/**
 * Bodies of the accreditation API (decisions from e-mail links, submission)
 * and the payloads the accreditation workflow hands its task functions.
 * `zod/mini`: handlers import this file.
 */

export const DECISION_KINDS = [
  'applicant-correction',
  'material-review',
  'site-visit',
  'final-decision',
  'withdrawal',
  'revocation',
  'assessment',
  'sanction-confirmation',
  'rectification-review',
] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];
export const decisionKindSchema = z.enum(DECISION_KINDS);

/** `reassigned`: an admin moved the task to someone else under a new decision id; the old link says so. */
export const DECISION_STATUSES = ['pending', 'decided', 'expired', 'reassigned'] as const;
export type DecisionStatus = (typeof DECISION_STATUSES)[number];

/** Outcomes a decision of each kind may have (the site visit's outcome is the visitor's recommendation). */
export const DECISION_OUTCOMES: Readonly<Record<DecisionKind, readonly string[]>> = Object.freeze({
  'applicant-correction': ['resubmitted'],
  'material-review': ['approve-for-visit', 'return', 'reject'],
  'site-visit': ['approve', 'reject'],
  'final-decision': ['approve', 'reject'],
  // Art.22: an admin agrees to a site's withdrawal or declines it.
  withdrawal: ['agree', 'decline'],
  // Art.23, Art.21: an admin other than the one who opened the case revokes or dismisses it.
  revocation: ['revoke', 'dismiss'],
  // Art.21 "综合能力评估": a reviewer assesses a site's evaluation against the rubric (the sanction ladder may escalate the outcome).
  assessment: ['pass', 'warning', 'rectify', 'suspend-and-rectify', 'propose-revocation'],
  // Art.21, four eyes (policy): a second reviewer confirms an exam suspension; rejected, the site rectifies without one.
  'sanction-confirmation': ['confirm', 'reject'],
  // Art.21 "整改后仍不符合要求的": a reviewer re-assesses the rectification report.
  'rectification-review': ['pass', 'fail'],
});

/** Decisions about an accredited site, taken by an admin (not a reviewer): the site's later life. */
export const SITE_DECISION_KINDS = ['withdrawal', 'revocation'] as const satisfies readonly DecisionKind[];
export type SiteDecisionKind = (typeof SITE_DECISION_KINDS)[number];

/** True for a decision about an accredited site (decided by an admin; its subject names the site). */
export function isSiteDecisionKind(kind: DecisionKind): kind is SiteDecisionKind {
  return (SITE_DECISION_KINDS as readonly string[]).includes(kind);
}

const sub = z.string().check(z.minLength(1), z.maxLength(200));
const reason = z.string().check(z.trim(), z.minLength(5), z.maxLength(2000));

/** A finding a reviewer records (material review, site visit); stored and mailed like a screening finding. */
export const reviewerFindingSchema = z.object({
  article: z.string().check(z.regex(/^Art\.\d{1,2}(\(\d{1,2}\))?$/)),
  severity: z._default(z.enum(FINDING_SEVERITIES), 'blocking'),
  zh: z.string().check(z.minLength(1), z.maxLength(1000)),
  en: z._default(z.string().check(z.maxLength(1000)), ''),
  /** Dotted path into the form, or `evidence.<kind>`, when the finding is about one field. */
  path: z._default(z.string().check(z.maxLength(200)), ''),
});
export type ReviewerFinding = z.infer<typeof reviewerFindingSchema>;

/** Decisions of supervision (Art.21): about an accredited site, taken by reviewers; the subject names the site and the case (a campaign or a rectification). */
export const SUPERVISION_DECISION_KINDS = ['assessment', 'sanction-confirmation', 'rectification-review'] as const satisfies readonly DecisionKind[];
export type SupervisionDecisionKind = (typeof SUPERVISION_DECISION_KINDS)[number];

/** True for a decision of supervision (assessment, confirmation of a suspension, review of a rectification). */
export function isSupervisionDecisionKind(kind: DecisionKind): kind is SupervisionDecisionKind {
  return (SUPERVISION_DECISION_KINDS as readonly string[]).includes(kind);
}

/** The kinds a reviewer decides through `POST /v1/decisions/{decisionId}` (the applicant's correction is a resubmission). */
export const REVIEWER_DECISION_KINDS = ['material-review', 'site-visit', 'final-decision'] as const satisfies readonly DecisionKind[];
export type ReviewerDecisionKind = (typeof REVIEWER_DECISION_KINDS)[number];

/** Every outcome a reviewer's decision may have, whatever its kind. */
export const REVIEWER_OUTCOMES = [...new Set([...REVIEWER_DECISION_KINDS, ...SITE_DECISION_KINDS, ...SUPERVISION_DECISION_KINDS].flatMap((kind) => DECISION_OUTCOMES[kind]))] as [
  string,
  ...string[],
];

const decisionFindings = z.optional(z.array(reviewerFindingSchema).check(z.maxLength(100)));
/** Material review approving for a visit may name the visiting reviewer. */
const visitorSub = z.optional(sub);
/** Site visit: the visitor's recommendation (defaults to `outcome`). */
const recommendation = z.optional(z.enum(['approve', 'reject']));
/** Assessment: a score per criterion of the rubric in force (Art.21 "综合能力评估"; checked against the rubric by the use case). */
const scores = z.optional(z.record(z.string().check(z.maxLength(50)), z.int().check(z.gte(0), z.lte(1000))));

/**
 * The body of a decision of one kind, its outcomes an enum: the OpenAPI
 * document offers one of these per kind.
 */
export function decisionBodySchemaFor(kind: ReviewerDecisionKind | SiteDecisionKind | SupervisionDecisionKind) {
  const extra = kind === 'material-review' ? { visitorSub } : kind === 'site-visit' ? { recommendation } : kind === 'assessment' ? { scores } : {};
  return z.object({ outcome: z.enum(DECISION_OUTCOMES[kind] as [string, ...string[]]), reason, findings: decisionFindings, ...extra });
}

/**
 * `POST /v1/decisions/{decisionId}`. The kind is the decision's (the client
 * reads it with `GET /v1/decisions/{decisionId}`), so the edge checks the
 * outcome against every reviewer outcome and the use case against the
 * decision's kind (`DECISION_OUTCOMES`).
 */
export const decisionBodySchema = z.object({ outcome: z.enum(REVIEWER_OUTCOMES), reason, findings: decisionFindings, visitorSub, recommendation, scores });
export type DecisionBody = z.infer<typeof decisionBodySchema>;

/** The decision body as the OpenAPI document gives it: any of the per-kind bodies, each titled by its kind. */
export const decisionBodyByKindSchema = z.union(
  [...REVIEWER_DECISION_KINDS, ...SITE_DECISION_KINDS, ...SUPERVISION_DECISION_KINDS].map((kind) =>
    decisionBodySchemaFor(kind).register(z.globalRegistry, {
      title: kind,
      description: `The body when the decision's kind (GET /v1/decisions/{decisionId}) is ${kind}: outcome one of ${DECISION_OUTCOMES[kind].join(', ')}.`,
    }),
  ),
);

/** `POST /v1/decisions/{decisionId}/reassign` (admin). */
export const reassignBodySchema = z.object({ assigneeSub: sub, reason });
export type ReassignBody = z.infer<typeof reassignBodySchema>;

/** What the workflow passes into every task so audit keys are deterministic (a retried task writes once). */
export const workflowAuditSchema = z.object({
  executionName: z.string().check(z.minLength(1), z.maxLength(80)),
  stateName: z.string().check(z.minLength(1), z.maxLength(80)),
  enteredTime: z.iso.datetime({ offset: true }),
});
export type WorkflowAudit = z.infer<typeof workflowAuditSchema>;

const id = z.string().check(z.minLength(1), z.maxLength(100));
const seconds = z.int().check(z.gte(1));

/** The decision the workflow holds in `$.decision` (null after screening). */
export const workflowDecisionSchema = z.nullable(
  z.object({
    outcome: z.string(),
    reason: z.optional(z.string()),
    findings: z._default(z.array(reviewerFindingSchema), []),
    decidedBy: z.optional(z.string()),
    decisionId: z.optional(z.string()),
  }),
);

export const screenTaskSchema = z.object({ applicationId: id, institutionId: id, audit: workflowAuditSchema });
export type ScreenTaskInput = z.infer<typeof screenTaskSchema>;

export const openDecisionTaskSchema = z.object({
  taskToken: z.string().check(z.minLength(1), z.maxLength(2048)),
  kind: decisionKindSchema,
  applicationId: id,
  institutionId: id,
  timeoutSeconds: seconds,
  reminderSeconds: z.optional(z.int().check(z.gte(0))),
  preferredAssigneeSub: z.optional(z.nullable(sub)),
  excludedSub: z.optional(z.nullable(sub)),
  /** What is decided on; `siteId` for a decision about an accredited site (withdrawal, revocation). */
  subject: z.optional(z.object({ applicationId: id, institutionId: id, siteId: z.optional(id), caseId: z.optional(id) })),
  audit: workflowAuditSchema,
});
export type OpenDecisionTaskInput = z.infer<typeof openDecisionTaskSchema>;

export const recordOutcomeSchema = z.object({
  applicationId: id,
  institutionId: z.optional(id),
  outcome: z.enum(['refuse', 'return', 'close', 'reject', 'error', 'stall']),
  decision: z.optional(workflowDecisionSchema),
  returnSeconds: z.optional(seconds),
  failure: z.optional(z.object({ Error: z.optional(z.string()), Cause: z.optional(z.string()) })),
  audit: workflowAuditSchema,
});
export type RecordOutcomeInput = z.infer<typeof recordOutcomeSchema>;

export const ESCALATION_STAGES = ['materialReview', 'siteVisit', 'finalDecision'] as const;
export type EscalationStage = (typeof ESCALATION_STAGES)[number];

/**
 * `EscalateDecision` of the decision-task workflow: the kind of the task that
 * timed out and the bound; the function counts this task's timeouts from the
 * stored decisions (those opened by the same decision-task execution).
 */
export const escalateDecisionTaskSchema = z.object({
  applicationId: id,
  institutionId: id,
  kind: decisionKindSchema,
  /** The parent's stage (`materialReview`), echoed in reports. */
  stage: z.string().check(z.minLength(1), z.maxLength(40)),
  maxEscalations: z.int().check(z.gte(0)),
  audit: workflowAuditSchema,
});
export type EscalateDecisionTaskInput = z.infer<typeof escalateDecisionTaskSchema>;

/** Stages of an accreditation where it can stall; the review stages can be resumed, the others only closed. */
export const STALL_STAGES = ['screening', 'correction', 'materialReview', 'siteVisit', 'finalDecision'] as const;
export type StallStage = (typeof STALL_STAGES)[number];
export const RESUMABLE_STAGES: readonly StallStage[] = ['materialReview', 'siteVisit', 'finalDecision'];

/**
 * The mark of an accreditation that cannot go on by itself: a review overdue
 * after its escalations (`decision-overdue`) or an execution that failed
 * (`workflow-error`). Cleared by an admin's resume or close.
 */
export const stalledMarkSchema = z.object({
  stage: z.enum(STALL_STAGES),
  since: z.iso.datetime({ offset: true }),
  reason: z.enum(['decision-overdue', 'workflow-error']),
  why: z.string(),
  executionName: z.string(),
});
export type StalledMark = z.infer<typeof stalledMarkSchema>;

/** `POST /v1/admin/applications/{applicationId}/resume` (admin). */
export const resumeBodySchema = z.object({
  reason,
  /** The reviewer the reopened decision goes to (default: the least-loaded active reviewer). */
  assigneeSub: z.optional(sub),
});
export type ResumeBody = z.infer<typeof resumeBodySchema>;

/** `POST /v1/admin/applications/{applicationId}/close` (admin). */
export const closeStalledBodySchema = z.object({ reason });
export type CloseStalledBody = z.infer<typeof closeStalledBodySchema>;

export const remindTaskSchema = z.object({ decisionId: id, audit: workflowAuditSchema });
export type RemindTaskInput = z.infer<typeof remindTaskSchema>;

export const activateSiteTaskSchema = z.object({ applicationId: id, institutionId: id, decision: workflowDecisionSchema, audit: workflowAuditSchema });
export type ActivateSiteTaskInput = z.infer<typeof activateSiteTaskSchema>;

/** The accreditation routes for the OpenAPI document (to be spread into `apiSchemas` in schemas/api/index.ts). */
export const accreditationApiSchemas: Readonly<Record<string, import('./route-schemas.ts').ApiRouteSchemas>> = {
  'GET /v1/decisions/{decisionId}': {
    tag: 'decisions',
    summary: 'What a decision task asks (assignee or admin); changes nothing, so mail scanners may open the link',
    description: 'Status pending | decided | expired | reassigned (200 in every case, so the page can say it). Never contains the task token.',
    errors: [404],
  },
  'POST /v1/decisions/{decisionId}': {
    tag: 'decisions',
    summary: 'Decide (the assigned reviewer only; the visitor may not take the final decision: 403 FOUR_EYES_REQUIRED)',
    description:
      "The allowed outcomes depend on the decision's kind (GET /v1/decisions/{decisionId} gives it): material-review approve-for-visit | return | reject; site-visit approve | reject (the visitor's recommendation); final-decision approve | reject. Another outcome is refused with 400 VALIDATION_FAILED.",
    request: decisionBodyByKindSchema,
    headers: { 'Idempotency-Key': 'A retry with the same key after a lost answer gets the first answer again (not 409)' },
    errors: [404, 409, 410, 503],
  },
  'POST /v1/decisions/{decisionId}/reassign': {
    tag: 'decisions',
    summary: 'Reassign a pending decision task to another reviewer (admin); the old link then says reassigned',
    request: reassignBodySchema,
    errors: [404, 409, 410],
  },
  'GET /v1/tasks': { tag: 'decisions', summary: 'My pending decision tasks with their deadlines' },
  'GET /v1/admin/stalled-applications': {
    tag: 'applications',
    summary: 'Stalled accreditations (a review overdue after its escalations) and failed ones, with stage, since when and why (admin)',
  },
  'POST /v1/admin/applications/{applicationId}/resume': {
    tag: 'applications',
    summary: 'Resume a stalled accreditation from its stage: a new execution (one per stall, by name) reopens the decision for the named or least-loaded reviewer (admin)',
    request: resumeBodySchema,
    errors: [404, 409],
  },
  'POST /v1/admin/applications/{applicationId}/close': {
    tag: 'applications',
    summary: 'Close a stalled or failed accreditation (policy, Art.4): the institution may apply again; audited; the applicant is told by e-mail (admin)',
    request: closeStalledBodySchema,
    errors: [404, 409],
  },
  'POST /v1/applications/{applicationId}/submit': {
    tag: 'applications',
    summary: 'Submit a DRAFT (starts the accreditation workflow) or resubmit a RETURNED application (Art.4)',
    headers: { 'idempotency-key': 'Replays the first response for 24 h' },
    status: 202,
    errors: [404, 409, 410],
  },
};
