/**
 * The assessment rubric of an evaluation (Art.21 "综合能力评估"), kept as
 * data and versioned like the accreditation standard: an assessment records
 * the version it used, so a later change of the rubric never rewrites an
 * earlier result. The criteria are what Art.20 lists ("考试场地及设备设施情况、
 * 考务组织情况、考试违纪违规及考试事故"), the next-stage work plan Art.20 asks
 * for, and the duties on record (Art.15 staff training, Art.16 summaries).
 *
 * Pure: no clock, no I/O.
 */

export type CriterionId =
  | 'venue-and-equipment'
  | 'exam-organisation'
  | 'violations'
  | 'incidents'
  | 'work-plan'
  | 'staff-training'
  | 'work-summary';

export interface Criterion {
  readonly id: CriterionId;
  readonly article: string;
  readonly zh: string;
  readonly en: string;
  /** Highest score. */
  readonly max: number;
  /** A score of 0 fails the whole assessment, whatever the total. */
  readonly critical: boolean;
}

export interface Rubric {
  readonly version: string;
  /** From when new assessments use it (ISO date). */
  readonly effectiveFrom: string;
  readonly basis: 'policy';
  readonly criteria: readonly Criterion[];
  /** Lowest total (of the sum of maxima) that passes. */
  readonly passTotal: number;
  /** A passing total below this carries a warning (Art.21 "给予警告"). */
  readonly warnBelow: number;
}

const c = (id: CriterionId, article: string, zh: string, en: string, max: number, critical: boolean): Criterion => Object.freeze({ id, article, zh, en, max, critical });

export const RUBRIC_VERSIONS: readonly Rubric[] = Object.freeze([
  Object.freeze({
    version: '2026.1',
    effectiveFrom: '2026-01-01',
    basis: 'policy' as const,
    criteria: Object.freeze([
      c('venue-and-equipment', 'Art.20', '考试场地及设备设施情况', 'Exam venue and equipment', 25, true),
      c('exam-organisation', 'Art.20', '考务组织情况', 'Organisation of the exams', 25, true),
      c('violations', 'Art.20', '考试违纪违规情况', 'Violations of exam rules', 15, false),
      c('incidents', 'Art.20', '考试事故情况', 'Exam incidents', 15, false),
      c('work-plan', 'Art.20', '下一阶段工作计划', 'Next-stage work plan', 10, true),
      c('staff-training', 'Art.15', '考务人员培训', 'Training of exam staff', 5, false),
      c('work-summary', 'Art.16', '定期工作总结', 'Periodic work summary', 5, false),
    ]),
    passTotal: 60,
    warnBelow: 75,
  }),
]);

/** The rubric in force on `date` (ISO), the latest whose `effectiveFrom` is not after it. */
export function rubricInForce(date: string): Rubric {
  const day = date.slice(0, 10);
  const eligible = RUBRIC_VERSIONS.filter((r) => r.effectiveFrom <= day);
  return eligible[eligible.length - 1] ?? RUBRIC_VERSIONS[0]!;
}

export function rubricByVersion(version: string): Rubric | undefined {
  return RUBRIC_VERSIONS.find((r) => r.version === version);
}

export interface ScoreProblem {
  readonly path: string;
  readonly message: string;
}

/** What is wrong with a set of scores for `rubric`: unknown or missing criteria, scores out of range. */
export function scoreProblems(rubric: Rubric, scores: Readonly<Record<string, number>>): ScoreProblem[] {
  const problems: ScoreProblem[] = [];
  for (const key of Object.keys(scores)) {
    if (!rubric.criteria.some((x) => x.id === key)) problems.push({ path: `scores.${key}`, message: `not a criterion of rubric ${rubric.version}` });
  }
  for (const criterion of rubric.criteria) {
    const score = scores[criterion.id];
    if (score === undefined) problems.push({ path: `scores.${criterion.id}`, message: 'required' });
    else if (!Number.isInteger(score) || score < 0 || score > criterion.max) problems.push({ path: `scores.${criterion.id}`, message: `an integer from 0 to ${criterion.max}` });
  }
  return problems;
}

/** The rubric's verdict: pass, pass with a warning, or fail (with why). */
export type RubricVerdict = 'pass' | 'pass-with-warning' | 'fail';

export interface RubricResult {
  readonly rubricVersion: string;
  readonly total: number;
  readonly max: number;
  readonly verdict: RubricVerdict;
  /** Critical criteria scored 0 (each fails the assessment on its own). */
  readonly failedCritical: readonly CriterionId[];
}

/** Scores an assessment. Call `scoreProblems` first: this assumes valid scores. */
export function scoreAssessment(rubric: Rubric, scores: Readonly<Record<string, number>>): RubricResult {
  const total = rubric.criteria.reduce((sum, x) => sum + (scores[x.id] ?? 0), 0);
  const max = rubric.criteria.reduce((sum, x) => sum + x.max, 0);
  const failedCritical = rubric.criteria.filter((x) => x.critical && (scores[x.id] ?? 0) === 0).map((x) => x.id);
  const verdict: RubricVerdict = failedCritical.length > 0 || total < rubric.passTotal ? 'fail' : total < rubric.warnBelow ? 'pass-with-warning' : 'pass';
  return { rubricVersion: rubric.version, total, max, verdict, failedCritical };
}
