import type { Refusal } from './operating-rules.ts';

/**
 * Art.14: the site checks each candidate's eligibility to register
 * ("考生报名资格审核") against the organisation's rule. The rule is data,
 * versioned: a session records the version it checked its candidates with,
 * so a later change of the rule does not rewrite how earlier candidates were
 * admitted. Its content is the organisation's policy, not the regulation's.
 */

/** Who may sit the exam: a college's own students or members of the public (Art.5). */
export const CANDIDATE_CATEGORIES = ['student', 'public'] as const;
export type CandidateCategory = (typeof CANDIDATE_CATEGORIES)[number];

export interface EligibilityRule {
  readonly version: string;
  /** Policy: the youngest age at the session's start. */
  readonly minAgeYears: number;
  readonly categories: readonly CandidateCategory[];
  readonly basis: 'policy';
}

/** Every version of the rule, oldest first; the last one applies to new sessions. */
export const ELIGIBILITY_RULES: readonly EligibilityRule[] = Object.freeze([
  Object.freeze({ version: '2026-1', minAgeYears: 16, categories: Object.freeze([...CANDIDATE_CATEGORIES]), basis: 'policy' as const }),
]);

/** The rule new sessions are checked with. */
export function currentEligibilityRule(): EligibilityRule {
  return ELIGIBILITY_RULES[ELIGIBILITY_RULES.length - 1]!;
}

/** A version of the rule, or undefined when there is no such version. */
export function eligibilityRule(version: string): EligibilityRule | undefined {
  return ELIGIBILITY_RULES.find((r) => r.version === version);
}

/** Birth date (YYYY-MM-DD) from a canonical 18-character ID number (GB 11643: characters 7–14). */
export function birthDateOf(canonicalId: string): string {
  return `${canonicalId.slice(6, 10)}-${canonicalId.slice(10, 12)}-${canonicalId.slice(12, 14)}`;
}

/** Whole years between a birth date and an instant (Beijing calendar day). */
export function ageOn(birthDate: string, at: string): number {
  const day = new Date(Date.parse(at) + 8 * 3600_000).toISOString().slice(0, 10);
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/**
 * The reasons a candidate may not register for a session starting at
 * `startsAt` under `rule` (empty when eligible). The ID number must already
 * be canonical (valid); it is read here for the birth date only.
 */
export function refuseCandidate(rule: EligibilityRule, candidate: { readonly canonicalId: string; readonly category: string }, startsAt: string): Refusal[] {
  const refusals: Refusal[] = [];
  if (!(rule.categories as readonly string[]).includes(candidate.category)) {
    refusals.push({
      code: 'CANDIDATE_CATEGORY_NOT_ELIGIBLE',
      article: 'Art.14',
      zh: `考生类别须为 ${rule.categories.join('、')} 之一（报名资格规则 ${rule.version}）。`,
      en: `The candidate category must be one of ${rule.categories.join(', ')} (eligibility rule ${rule.version}).`,
    });
  }
  const age = ageOn(birthDateOf(candidate.canonicalId), startsAt);
  if (age < rule.minAgeYears) {
    refusals.push({
      code: 'CANDIDATE_TOO_YOUNG',
      article: 'Art.14',
      zh: `考生在考试开始时须年满 ${rule.minAgeYears} 周岁（报名资格规则 ${rule.version}，培训评价组织规定）。`,
      en: `A candidate must be at least ${rule.minAgeYears} when the session starts (eligibility rule ${rule.version}, the organisation's policy).`,
    });
  }
  return refusals;
}
