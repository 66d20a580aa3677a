import type { Item } from '../../adapters/stores/table.ts';
import { appendApplicationAudit } from '../../adapters/stores/applications.ts';
import { claimDecision, claimRedelivery, expireDecision, getDecision, markDecisionDelivered, markDeliveryFailed, type DecisionRecord } from '../../adapters/stores/decisions.ts';
import { sendTaskSuccess } from '../../adapters/workflows.ts';
import { ValidationError } from '../../domain/errors.ts';
import { DECISION_OUTCOMES, type DecisionBody } from '../../../schemas/api/accreditation.schema.ts';
import { nowIso, nowMs } from '../../shared/clock.ts';
import { actorOf, type Principal } from '../../shared/identity.ts';
import { logger } from '../../shared/logger.ts';
import { businessMetrics } from '../../shared/metrics.ts';
import { reviewerFinding } from '../accreditation/record-outcome.ts';
import { activeReviewer } from './assignment.ts';
import {
  DecisionAlreadyMadeError,
  DecisionExpiredError,
  DecisionReassignedError,
  DeliveryPendingError,
} from './decision-errors.ts';
import { loadDecisionFor } from './decision-view.ts';
import { EvidenceMarkedError } from '../evidence/evidence-errors.ts';
import { evidenceMarkFindings } from '../evidence/mark-evidence.ts';
import { assessmentOutput } from '../supervision/assessment.ts';

/** The output the waiting workflow state receives, per kind (every key always present: the ASL reads them by path). */
async function workflowOutput(decision: DecisionRecord, body: DecisionBody, decidedBy: string): Promise<Item> {
  const allowed = DECISION_OUTCOMES[decision.kind];
  if (decision.kind === 'applicant-correction' || !allowed.includes(body.outcome)) {
    throw new ValidationError([{ path: 'outcome', message: `must be one of ${allowed.join(', ')} for a ${decision.kind} decision` }]);
  }
  // Art.3: the files a reviewer marked (not stamped, illegible, …) are the applicant's to correct.
  const marked = decision.kind === 'material-review' ? await evidenceMarkFindings(decision.applicationId) : [];
  if (marked.length > 0 && body.outcome === 'approve-for-visit') throw new EvidenceMarkedError(marked.length);
  const findings = [...(body.findings ?? []), ...(body.outcome === 'return' ? marked : [])].map(reviewerFinding);
  const base = { outcome: body.outcome, reason: body.reason, findings, decidedBy, decisionId: decision.decisionId };
  if (decision.kind === 'material-review') {
    if (body.visitorSub && body.outcome !== 'approve-for-visit') {
      throw new ValidationError([{ path: 'visitorSub', message: 'only when approving for a site visit' }]);
    }
    if (body.visitorSub && !(await activeReviewer(body.visitorSub))) {
      throw new ValidationError([{ path: 'visitorSub', message: 'not an active reviewer' }]);
    }
    return { ...base, visitorSub: body.visitorSub ?? null };
  }
  if (decision.kind === 'assessment') return { ...base, ...(await assessmentOutput(decision, body)) };
  if (decision.kind === 'site-visit') {
    const recommendation = body.recommendation ?? body.outcome;
    if (recommendation !== body.outcome) throw new ValidationError([{ path: 'recommendation', message: 'must equal outcome' }]);
    return { ...base, recommendation, summary: body.reason };
  }
  return base;
}

/** Longer than any API request runs (API Gateway gives up after 30 s): a decision saved before that has no delivery under way. */
const IN_FLIGHT_MS = 30_000;

/** Tells the workflow; a task that no longer waits makes the decision expired (410). */
async function deliver(decision: DecisionRecord, output: Item): Promise<void> {
  if (!decision.taskToken) throw new DecisionExpiredError();
  let answer;
  try {
    answer = await sendTaskSuccess(decision.taskToken, output);
  } catch (error) {
    logger.warn('decision saved, workflow not resumed yet', { kind: decision.kind, error: error instanceof Error ? error.name : 'unknown' });
    // Without the mark (DynamoDB failing too) the repeat waits until the save is IN_FLIGHT_MS old.
    await markDeliveryFailed(decision, nowIso()).catch(() => undefined);
    throw new DeliveryPendingError();
  }
  if (answer === 'closed') {
    await expireDecision(decision, nowIso());
    throw new DecisionExpiredError();
  }
  await markDecisionDelivered(decision);
}

/** The decision in the application's audit trail, once the workflow has it (idempotent by the decision). */
async function auditDecision(decision: DecisionRecord, principal: Principal, output: Item, at: string, requestId: string): Promise<void> {
  await appendApplicationAudit(decision.applicationId, {
    key: { at, key: `decision#${decision.stepKey}` },
    event: {
    actor: actorOf(principal, 'reviewer'),
    action: `decision-${decision.kind}`,
    article: 'Art.4',
    reason: String(output.reason ?? ''),
    details: { kind: decision.kind, outcome: String(output.outcome ?? ''), findings: Array.isArray(output.findings) ? output.findings.length : 0, requestId },
  } });
}

/**
 * `POST /v1/decisions/{decisionId}` by the assigned reviewer (the visitor may
 * not take the final decision: 403 FOUR_EYES_REQUIRED). Single use: the
 * decision is claimed by a conditional update (pending and before its
 * deadline), then the waiting workflow receives it through SendTaskSuccess.
 * A decision saved whose delivery failed (or died) is delivered by the same
 * person's next POST; a second POST while the first still delivers is 409.
 */
export async function decide(principal: Principal, decisionId: string, body: DecisionBody, requestId: string) {
  const decision = await loadDecisionFor(principal, decisionId, false);
  if (decision.status === 'decided') {
    // A repeat of a delivery that failed or died, never of one still under way (the same reviewer's second POST at once).
    if (
      decision.delivered === false &&
      decision.decidedBy === principal.sub &&
      decision.output &&
      (await claimRedelivery(decision, nowIso(), new Date(nowMs() - IN_FLIGHT_MS).toISOString()))
    ) {
      await deliver(decision, decision.output);
      await auditDecision(decision, principal, decision.output, decision.decidedAt ?? nowIso(), requestId);
      return { decisionId, kind: decision.kind, status: 'decided' as const, outcome: decision.outcome };
    }
    throw new DecisionAlreadyMadeError();
  }
  if (decision.status === 'expired') throw new DecisionExpiredError();
  if (decision.status === 'reassigned') throw new DecisionReassignedError();
  if (decision.deadlineMs <= nowMs()) throw new DecisionExpiredError();

  const output = await workflowOutput(decision, body, principal.sub);
  const decidedAt = nowIso();
  const claimed = await claimDecision(decision, nowMs(), { outcome: body.outcome, reason: body.reason, decidedBy: principal.sub, decidedAt, output });
  if (!claimed) {
    const latest = await getDecision(decisionId);
    if (latest?.status === 'decided') throw new DecisionAlreadyMadeError();
    if (latest?.status === 'reassigned') throw new DecisionReassignedError();
    throw new DecisionExpiredError();
  }
  await deliver({ ...decision, status: 'decided', delivered: false }, output);
  await auditDecision(decision, principal, output, decidedAt, requestId);
  logger.info('decision recorded', { kind: decision.kind, outcome: body.outcome, applicationId: decision.applicationId });
  businessMetrics.decisionMade(decision.kind, body.outcome, Date.parse(decidedAt) - Date.parse(decision.createdAt));
  return { decisionId, kind: decision.kind, status: 'decided' as const, outcome: body.outcome };
}
