import type { AssessmentStepInput } from '../../../schemas/api/rectification.schema.ts';
import type { DecisionBody } from '../../../schemas/api/accreditation.schema.ts';
import type { AssessmentRecord } from '../../../schemas/records/evaluation.record.ts';
import { addSanctionMark, getCampaign, getEvaluation, listSanctionMarks, moveEvaluation, type EvaluationRecord } from '../../adapters/stores/evaluations.ts';
import type { DecisionRecord } from '../../adapters/stores/decisions.ts';
import { getSite, type SiteRecord } from '../../adapters/stores/sites.ts';
import { startWorkflow } from '../../adapters/workflows.ts';
import { DomainError, NotFoundError, ValidationError } from '../../domain/errors.ts';
import { assessmentOutcomeMail } from '../../domain/mail-templates/rectification.ts';
import { applyAssessment, judged, OUTCOME_LABELS, refuseOutcome } from '../../domain/supervision/assessment.ts';
import { rubricByVersion, rubricInForce, scoreAssessment, scoreProblems } from '../../domain/supervision/rubric.ts';
import type { SupervisionOutcome } from '../../domain/supervision/sanction-ladder.ts';
import { logger } from '../../shared/logger.ts';
import { mailIdOf, portalLink, sendMail, stepAuditKey, stepKeyOf, workflowDeadlines } from '../accreditation/workflow-step.ts';
import { startRevocation } from '../site-operations/revocation.ts';
import { mustGetSite, siteEmails } from '../site-operations/site-exit-shared.ts';
import { openRectification } from './rectification.ts';

/** The workflow that carries one site's assessment in a campaign (Art.21). */
export const ASSESSMENT_WORKFLOW = 'site-assessment';
/** One per campaign and site (≤ 80 characters: two 26-character ULIDs). */
export const assessmentExecutionName = (campaignId: string, siteId: string) => `assess-${campaignId}-${siteId}`;

/** The reviewer chose an outcome milder than the rubric's verdict allows (400, Art.21). */
export class AssessmentOutcomeError extends DomainError {
  constructor(refusal: { code: string; zh: string; en: string; article: string }) {
    super(refusal.code, 'invalid', refusal.zh, refusal.en, refusal.article);
  }
}

/**
 * Starts the assessment of a submitted evaluation (from the campaign's
 * deadline step, which may hand over the site it read with its page); a
 * second start of the same one joins it.
 */
export async function startAssessment(evaluation: EvaluationRecord, known?: SiteRecord): Promise<void> {
  const site = known ?? (await getSite(evaluation.siteId));
  if (!site) return;
  const d = workflowDeadlines();
  await startWorkflow(ASSESSMENT_WORKFLOW, assessmentExecutionName(evaluation.campaignId, evaluation.siteId), {
    campaignId: evaluation.campaignId,
    siteId: site.siteId,
    applicationId: site.applicationId,
    institutionId: site.institutionId,
    deadlines: { decisionSeconds: d.reviewSeconds, reminderSeconds: d.reminderSeconds },
  }).catch((error: unknown) => {
    if (!(error instanceof Error && error.name === 'ExecutionAlreadyExists')) throw error;
  });
}

/**
 * What an assessment decision hands the workflow (from `POST
 * /v1/decisions/{id}`): the scores checked against the rubric in force when
 * the task opened, and an outcome no milder than the verdict (Art.21).
 */
export async function assessmentOutput(decision: Pick<DecisionRecord, 'createdAt' | 'siteId' | 'caseId'>, body: DecisionBody): Promise<{ scores: Record<string, number>; rubricVersion: string }> {
  const rubric = rubricInForce(decision.createdAt);
  const scores = body.scores ?? {};
  const problems = scoreProblems(rubric, scores);
  if (problems.length > 0) throw new ValidationError(problems);
  const evaluation = decision.siteId && decision.caseId ? await getEvaluation(decision.caseId, decision.siteId) : undefined;
  const refusal = refuseOutcome(scoreAssessment(rubric, scores), body.outcome as SupervisionOutcome, evaluation?.status === 'MISSED');
  if (refusal) throw new AssessmentOutcomeError(refusal);
  return { scores, rubricVersion: rubric.version };
}

const siteRef = (site: SiteRecord) => ({ institutionName: site.institutionName, certificateNumber: site.certificateNumber });
const systemActor = (audit: AssessmentStepInput['audit']) => ({ kind: 'system' as const, id: 'workflow:site-assessment', role: audit.stateName });
const reviewerActor = (sub: string) => ({ kind: 'user' as const, id: sub, role: 'reviewer' as const });

async function mustGetEvaluation(campaignId: string, siteId: string): Promise<EvaluationRecord> {
  const evaluation = await getEvaluation(campaignId, siteId);
  if (!evaluation) throw new NotFoundError('Evaluation', '检查评估');
  return evaluation;
}

/**
 * The steps of `workflows/site-assessment`, each idempotent (a retried step
 * finds the evaluation assessed, the marks keyed by time and kind, the
 * rectification and revocation opened once).
 * - `apply`: the reviewer's decision, the ladder applied; the evaluation
 *   becomes ASSESSED with its campaign's counts; pass and warning end here,
 *   rectification opens, a suspension waits for its confirmation, a
 *   revocation is proposed to the revocation workflow (its own due process
 *   and a second person's decision).
 * - `confirm`: a second reviewer confirmed the suspension (SUSPENDED with
 *   the rectification), or rejected it or let it lapse (rectification
 *   without suspension).
 */
export async function assessmentStep(input: AssessmentStepInput): Promise<Record<string, unknown>> {
  if (input.action === 'error') {
    // Before any read: the failure may be a missing evaluation or site, which a read here would throw again.
    logger.error('assessment step failed', { campaignId: input.campaignId, siteId: input.siteId, error: input.failure?.Error ?? 'error' });
    return { failed: true };
  }
  const key = stepAuditKey(input.audit);
  const at = key.at;
  const evaluation = await mustGetEvaluation(input.campaignId, input.siteId);
  const campaign = await getCampaign(input.campaignId);
  const title = campaign?.title ?? input.campaignId;
  const site = await mustGetSite(input.siteId);
  const link = portalLink(`/sites/${site.siteId}/supervision`);

  switch (input.action) {
    case 'overdue':
      // No reviewer decided after the escalations: the report stays submitted and unassessed; the admins were told by each escalation.
      logger.warn('assessment overdue', { campaignId: input.campaignId, siteId: input.siteId });
      return { route: 'done', outcome: null };

    case 'apply': {
      const decision = input.decision;
      if (!decision?.decidedBy || !decision.scores || !decision.rubricVersion) throw new ValidationError([{ path: 'decision', message: 'an assessment decision with scores' }]);
      if (evaluation.status === 'ASSESSED' && evaluation.assessment) {
        return { route: evaluation.assessment.outcome === 'suspend-and-rectify' ? 'confirm' : 'done', outcome: evaluation.assessment.outcome, assessorSub: evaluation.assessment.decidedBy };
      }
      const rubric = rubricByVersion(decision.rubricVersion);
      if (!rubric) throw new ValidationError([{ path: 'decision.rubricVersion', message: 'unknown rubric' }]);
      const missedDeadline = evaluation.status === 'MISSED';
      const result = judged(scoreAssessment(rubric, decision.scores), missedDeadline);
      // The ladder reads the marks of earlier evaluations; this one's own (its missed deadline) is what is being assessed.
      const marks = (await listSanctionMarks(site.siteId)).filter((m) => m.campaignId !== input.campaignId).map((m) => ({ kind: m.kind, at: m.at }));
      const applied = applyAssessment(result, decision.outcome as SupervisionOutcome, marks, at);
      const assessment: AssessmentRecord = {
        rubricVersion: result.rubricVersion,
        scores: decision.scores,
        total: result.total,
        max: result.max,
        verdict: result.verdict,
        decided: applied.decided,
        outcome: applied.outcome,
        steps: [...applied.steps],
        reason: decision.reason ?? '',
        decidedBy: decision.decidedBy,
        decidedAt: at,
      };
      const moved = await moveEvaluation(
        evaluation,
        { from: ['SUBMITTED', 'MISSED'], to: 'ASSESSED', set: { assessment }, counts: { decided: 1, [`outcome_${applied.outcome}`]: 1 } },
        {
          key,
          event: {
            actor: reviewerActor(decision.decidedBy),
            action: 'evaluation-assessed',
            article: 'Art.21',
            reason: decision.reason ?? '',
            details: { campaignId: input.campaignId, total: result.total, verdict: result.verdict, decided: applied.decided, outcome: applied.outcome, escalated: applied.steps.length, ...(missedDeadline ? { missedDeadline: true } : {}) },
          },
        },
      );
      if (!moved) throw new ValidationError([{ path: 'evaluation', message: `not awaiting an assessment (${evaluation.status})` }]);
      for (const mark of applied.marks) {
        await addSanctionMark({ siteId: site.siteId, kind: mark.kind, at: mark.at, article: 'Art.21', campaignId: input.campaignId, reason: `${title}：${OUTCOME_LABELS[applied.outcome].zh} / ${OUTCOME_LABELS[applied.outcome].en}` });
      }
      await sendMail(
        await siteEmails(site),
        assessmentOutcomeMail({
          ...siteRef(site),
          campaignTitle: title,
          outcome: OUTCOME_LABELS[applied.outcome],
          escalations: applied.steps.map((s) => ({ zh: s.zh, en: s.en })),
          reason: decision.reason ?? '',
          pendingConfirmation: applied.route === 'confirm',
          link,
        }),
        mailIdOf('assessment-outcome', stepKeyOf(input.audit)),
        'assessment-outcome',
      );
      if (applied.route === 'rectify') {
        await openRectification({ evaluation, site, suspended: false, outcome: applied.outcome, reason: assessment.reason, at, auditKey: `${key.key}#rectification`, actor: reviewerActor(decision.decidedBy) });
      } else if (applied.route === 'revoke') {
        const { revocationId } = await startRevocation({
          siteId: site.siteId,
          cause: 'failed-rectification',
          reason: `${title}: ${assessment.reason}`,
          openedBy: reviewerActor(decision.decidedBy),
          auditKey: { at, key: `${key.key}#revocation` },
        });
        await moveEvaluation(
          { ...evaluation, version: evaluation.version + 1 },
          { from: ['ASSESSED'], to: 'ASSESSED', set: { assessment: { ...assessment, revocationId } } },
          { key: { at, key: `${key.key}#revocation-linked` }, event: { actor: systemActor(input.audit), action: 'revocation-proposed', article: 'Art.21', reason: title, details: { campaignId: input.campaignId, revocationId } } },
        );
      }
      logger.info('assessment applied', { campaignId: input.campaignId, siteId: site.siteId, outcome: applied.outcome, route: applied.route });
      return { route: applied.route === 'confirm' ? 'confirm' : 'done', outcome: applied.outcome, assessorSub: decision.decidedBy };
    }

    case 'confirm': {
      const assessment = evaluation.assessment;
      if (!assessment || assessment.outcome !== 'suspend-and-rectify') throw new ValidationError([{ path: 'evaluation', message: 'no suspension to confirm' }]);
      if (assessment.confirmation) return { confirmation: assessment.confirmation.outcome };
      const decision = input.decision;
      const outcome = decision?.outcome === 'confirm' ? 'confirm' : decision?.outcome === 'reject' ? 'reject' : 'overdue';
      const confirmation = { outcome, at, ...(decision?.decidedBy ? { by: decision.decidedBy } : {}), ...(decision?.reason ? { reason: decision.reason } : {}) } as const;
      const actor = decision?.decidedBy ? reviewerActor(decision.decidedBy) : systemActor(input.audit);
      const recorded = await moveEvaluation(
        evaluation,
        { from: ['ASSESSED'], to: 'ASSESSED', set: { assessment: { ...assessment, confirmation } } },
        { key, event: { actor, action: `suspension-${outcome === 'confirm' ? 'confirmed' : outcome === 'reject' ? 'rejected' : 'unconfirmed'}`, article: 'Art.21', reason: decision?.reason ?? 'no confirmation in time', details: { campaignId: input.campaignId } } },
      );
      if (!recorded) return { confirmation: (await mustGetEvaluation(input.campaignId, input.siteId)).assessment?.confirmation?.outcome ?? outcome };
      const suspended = outcome === 'confirm';
      if (suspended) await addSanctionMark({ siteId: site.siteId, kind: 'suspension', at, article: 'Art.21', campaignId: input.campaignId, reason: `${title}：暂停考试已确认 / suspension confirmed` });
      await openRectification({ evaluation, site, suspended, outcome: suspended ? 'suspend-and-rectify' : 'rectify', reason: assessment.reason, at, auditKey: `${key.key}#rectification`, actor });
      return { confirmation: outcome };
    }
  }
}
