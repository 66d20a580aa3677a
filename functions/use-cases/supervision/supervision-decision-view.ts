import type { DecisionRecord } from '../../adapters/stores/decisions.ts';
import { getCampaign, getEvaluation, listSanctionMarks } from '../../adapters/stores/evaluations.ts';
import { getRectification } from '../../adapters/stores/rectifications.ts';
import { getSite } from '../../adapters/stores/sites.ts';
import type { RenderedMail } from '../../domain/mail-templates/layout.ts';
import { supervisionDecisionRequestMail } from '../../domain/mail-templates/rectification.ts';
import { OUTCOME_LABELS } from '../../domain/supervision/assessment.ts';
import { rubricInForce } from '../../domain/supervision/rubric.ts';
import { DEFAULT_SANCTION_LADDER } from '../../domain/supervision/sanction-ladder.ts';
import { portalLink } from '../accreditation/workflow-step.ts';
import { rectificationView } from './rectification.ts';

type SupervisionDecision = Pick<DecisionRecord, 'kind' | 'decisionId' | 'deadline' | 'createdAt'> & { siteId?: unknown; caseId?: unknown };

const idOf = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
const isSupervision = (kind: string): kind is 'assessment' | 'sanction-confirmation' | 'rectification-review' =>
  kind === 'assessment' || kind === 'sanction-confirmation' || kind === 'rectification-review';

/**
 * What the reviewer reads beside an assessment, a suspension's confirmation
 * or a rectification review (Art.21): the site, the evaluation report, the
 * rubric in force (criteria, maxima, thresholds), the site's marks and the
 * ladder, the proposed assessment (for the confirmation), the rectification
 * and its report (for the review). Undefined for other decisions. Never who
 * assessed, never a task token.
 */
export async function supervisionCaseOfDecision(decision: SupervisionDecision) {
  const siteId = idOf(decision.siteId);
  const caseId = idOf(decision.caseId);
  if (!siteId || !caseId || !isSupervision(decision.kind)) return undefined;
  const site = await getSite(siteId);
  if (!site) return undefined;
  const rubric = rubricInForce(decision.createdAt);
  const marks = await listSanctionMarks(siteId);
  const base = {
    site: { siteId, certificateNumber: site.certificateNumber, institutionName: site.institutionName, status: site.status, provinceCode: site.provinceCode, cityCode: site.cityCode },
    rubric: { version: rubric.version, passTotal: rubric.passTotal, warnBelow: rubric.warnBelow, criteria: rubric.criteria.map((c) => ({ id: c.id, article: c.article, zh: c.zh, en: c.en, max: c.max, critical: c.critical })) },
    ladder: { version: DEFAULT_SANCTION_LADDER.version, windowMonths: DEFAULT_SANCTION_LADDER.windowMonths, rungs: DEFAULT_SANCTION_LADDER.rungs.map((r) => ({ outcome: r.outcome, priorMarks: r.priorMarks, becomes: r.becomes, article: r.article, zh: r.zh, en: r.en })) },
    marks: marks.map((m) => ({ kind: m.kind, at: m.at, article: m.article, reason: m.reason })),
    outcomes: OUTCOME_LABELS,
  };
  if (decision.kind === 'rectification-review') {
    const rectification = await getRectification(siteId, caseId);
    return { ...base, ...(rectification ? { rectification: rectificationView(rectification) } : {}) };
  }
  const [evaluation, campaign] = await Promise.all([getEvaluation(caseId, siteId), getCampaign(caseId)]);
  const a = evaluation?.assessment;
  return {
    ...base,
    ...(evaluation
      ? {
          evaluation: {
            campaignId: evaluation.campaignId,
            campaignTitle: campaign?.title ?? evaluation.campaignId,
            deadline: evaluation.deadline,
            status: evaluation.status,
            ...(evaluation.submittedAt ? { submittedAt: evaluation.submittedAt } : {}),
            ...(evaluation.report ? { report: evaluation.report } : {}),
          },
        }
      : {}),
    ...(decision.kind === 'sanction-confirmation' && a
      ? { proposal: { scores: a.scores, total: a.total, max: a.max, verdict: a.verdict, decided: a.decided, outcome: a.outcome, steps: a.steps, reason: a.reason, rubricVersion: a.rubricVersion } }
      : {}),
  };
}

/** The e-mail asking a reviewer to decide, with the link to its page (never the task token). */
export async function supervisionDecisionRequestMailFor(decision: SupervisionDecision): Promise<RenderedMail> {
  const siteId = idOf(decision.siteId);
  const site = siteId ? await getSite(siteId) : undefined;
  return supervisionDecisionRequestMail({
    kind: isSupervision(decision.kind) ? decision.kind : 'assessment',
    institutionName: site?.institutionName ?? '',
    certificateNumber: site?.certificateNumber ?? '',
    deadline: decision.deadline,
    link: portalLink(`/decisions/${decision.decisionId}`),
  });
}
