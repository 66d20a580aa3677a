import type { RubricResult } from './rubric.ts';
import { escalate, marksFor, minimumOutcome, needsSecondPerson, severityOf, type LadderStep, type SanctionLadder, type SanctionMark, type SupervisionOutcome, DEFAULT_SANCTION_LADDER } from './sanction-ladder.ts';

/**
 * From a reviewer's assessment to what happens to the site (Art.21): the
 * outcome the reviewer chose is checked against the rubric's verdict (a
 * failing site is not passed), the sanction ladder escalates a repeat within
 * its window, and the applied outcome says what follows: nothing more, a
 * rectification, a second person's confirmation of a suspension, or a
 * revocation case with its due process.
 *
 * Pure: marks and instants are passed in.
 */

/** Why a chosen outcome is refused, or undefined when the rubric allows it. */
export function refuseOutcome(result: RubricResult, chosen: SupervisionOutcome, missedDeadline = false): { code: string; zh: string; en: string; article: string } | undefined {
  const minimum = minimumOutcome(judged(result, missedDeadline).verdict);
  if (severityOf(chosen) >= severityOf(minimum)) return undefined;
  if (missedDeadline) {
    return {
      code: 'ASSESSMENT_OUTCOME_TOO_MILD',
      zh: `站点未在规定的时间内提交检查评估材料，视为检查评估不合格（第二十条），结论至少为“${OUTCOME_LABELS[minimum].zh}”。`,
      en: `The site sent no evaluation report by the deadline, which counts as a failed evaluation (Art.20): the outcome must be at least "${OUTCOME_LABELS[minimum].en}".`,
      article: 'Art.20',
    };
  }
  return {
    code: 'ASSESSMENT_OUTCOME_TOO_MILD',
    zh: `评分 ${result.total}/${result.max}（评估标准 ${result.rubricVersion}）的结论至少为“${OUTCOME_LABELS[minimum].zh}”。`,
    en: `A score of ${result.total}/${result.max} (rubric ${result.rubricVersion}) calls for at least "${OUTCOME_LABELS[minimum].en}".`,
    article: 'Art.21',
  };
}

/**
 * The verdict that counts: an evaluation whose report did not come by the
 * deadline fails whatever the scores (Art.20 "在规定的时间内"); the
 * reviewer still scores the site from its records.
 */
export function judged(result: RubricResult, missedDeadline: boolean): RubricResult {
  return missedDeadline ? { ...result, verdict: 'fail' } : result;
}

/** What follows an applied outcome. */
export type AssessmentRoute = 'done' | 'rectify' | 'confirm' | 'revoke';

export function routeOf(applied: SupervisionOutcome): AssessmentRoute {
  if (applied === 'propose-revocation') return 'revoke';
  if (needsSecondPerson(applied)) return 'confirm';
  return applied === 'rectify' ? 'rectify' : 'done';
}

export interface AppliedAssessment {
  /** What the reviewer chose. */
  readonly decided: SupervisionOutcome;
  /** What applies after the ladder. */
  readonly outcome: SupervisionOutcome;
  readonly steps: readonly LadderStep[];
  readonly route: AssessmentRoute;
  /** Marks left now; a suspension's mark waits for its confirmation. */
  readonly marks: readonly SanctionMark[];
}

/** Applies the ladder to the reviewer's outcome, given the site's earlier marks. */
export function applyAssessment(result: RubricResult, decided: SupervisionOutcome, priorMarks: readonly SanctionMark[], at: string, ladder: SanctionLadder = DEFAULT_SANCTION_LADDER): AppliedAssessment {
  const { outcome, steps } = escalate(decided, priorMarks, at, ladder);
  const marks = marksFor(outcome, result.verdict, at).filter((m) => m.kind !== 'suspension');
  return { decided, outcome, steps, route: routeOf(outcome), marks };
}

/** Rectification (Art.21 "限期整改"): how long a site has to put things right (policy). */
export interface RectificationPolicy {
  readonly days: number;
  readonly basis: 'policy';
}

export const DEFAULT_RECTIFICATION_POLICY: RectificationPolicy = Object.freeze({ days: 30, basis: 'policy' as const });

/** The deadline of a rectification opened at `at`. */
export function rectificationDeadline(at: string, policy: RectificationPolicy = DEFAULT_RECTIFICATION_POLICY): string {
  return new Date(Date.parse(at) + policy.days * 86_400_000).toISOString();
}

/** The outcomes as the site and the reviewers read them. */
export const OUTCOME_LABELS: Readonly<Record<SupervisionOutcome, { zh: string; en: string }>> = Object.freeze({
  pass: { zh: '合格', en: 'pass' },
  warning: { zh: '合格，给予警告', en: 'pass with a warning' },
  rectify: { zh: '限期整改', en: 'rectification with a deadline' },
  'suspend-and-rectify': { zh: '暂停考试并限期整改', en: 'exam suspension with a rectification deadline' },
  'propose-revocation': { zh: '提请取消考核站点资质', en: 'revocation proposed' },
});
