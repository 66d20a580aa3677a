import type { RubricVerdict } from './rubric.ts';

/**
 * What an evaluation decides for a site (Art.21): "对于评估不合格的考核站点给予
 * 警告、暂停考试、限期整改等，整改后仍不符合要求的，取消其考核站点认证资质".
 * A warning is a dated mark; an exam suspension is the SUSPENDED status;
 * rectification is a process with a deadline, with or without suspension;
 * a revocation is proposed and handed to the revocation workflow with its
 * due process (MISSION.md, interpretations).
 */
export const SUPERVISION_OUTCOMES = ['pass', 'warning', 'rectify', 'suspend-and-rectify', 'propose-revocation'] as const;
export type SupervisionOutcome = (typeof SUPERVISION_OUTCOMES)[number];

const SEVERITY: Readonly<Record<SupervisionOutcome, number>> = Object.freeze({
  pass: 0,
  warning: 1,
  rectify: 2,
  'suspend-and-rectify': 3,
  'propose-revocation': 4,
});

export function severityOf(outcome: SupervisionOutcome): number {
  return SEVERITY[outcome];
}

/** Outcomes that change a site's status or end it: a second person confirms them (four eyes). */
export function needsSecondPerson(outcome: SupervisionOutcome): boolean {
  return outcome === 'suspend-and-rectify' || outcome === 'propose-revocation';
}

/** The mildest outcome the rubric's verdict allows: a failing site is not passed. */
export function minimumOutcome(verdict: RubricVerdict): SupervisionOutcome {
  return verdict === 'pass' ? 'pass' : verdict === 'pass-with-warning' ? 'warning' : 'rectify';
}

/** A dated mark in a site's supervision record. */
export type SanctionMarkKind = 'warning' | 'failure' | 'missed-deadline' | 'suspension' | 'rectification-passed' | 'rectification-failed';

export interface SanctionMark {
  readonly kind: SanctionMarkKind;
  /** ISO-8601. */
  readonly at: string;
}

/** One rung of the ladder: an outcome that becomes a harsher one when the site already has certain marks within the window. */
export interface LadderRung {
  readonly outcome: SupervisionOutcome;
  readonly priorMarks: readonly SanctionMarkKind[];
  readonly becomes: SupervisionOutcome;
  readonly article: 'Art.21';
  readonly zh: string;
  readonly en: string;
}

export interface SanctionLadder {
  readonly version: string;
  readonly basis: 'policy';
  /** Marks older than this many months do not count. */
  readonly windowMonths: number;
  readonly rungs: readonly LadderRung[];
}

/** The organisation's ladder (policy, Art.21): repeats within the window escalate. */
export const DEFAULT_SANCTION_LADDER: SanctionLadder = Object.freeze({
  version: '2026.1',
  basis: 'policy' as const,
  windowMonths: 12,
  rungs: Object.freeze([
    Object.freeze({
      outcome: 'warning' as const,
      priorMarks: Object.freeze(['warning', 'failure', 'missed-deadline'] as const),
      becomes: 'suspend-and-rectify' as const,
      article: 'Art.21' as const,
      zh: '评估期内再次被警告或不合格：暂停考试并限期整改',
      en: 'Warned or failed again within the window: exam suspension with a rectification deadline',
    }),
    Object.freeze({
      outcome: 'rectify' as const,
      priorMarks: Object.freeze(['suspension', 'rectification-failed'] as const),
      becomes: 'suspend-and-rectify' as const,
      article: 'Art.21' as const,
      zh: '评估期内曾被暂停考试，再次不合格：暂停考试并限期整改',
      en: 'Failing again after a suspension within the window: exam suspension with a rectification deadline',
    }),
    Object.freeze({
      outcome: 'suspend-and-rectify' as const,
      priorMarks: Object.freeze(['suspension'] as const),
      becomes: 'propose-revocation' as const,
      article: 'Art.21' as const,
      zh: '评估期内第二次暂停考试：提请取消考核站点资质',
      en: 'A second suspension within the window: revocation proposed',
    }),
  ]),
});

function monthsBefore(iso: string, months: number): string {
  const d = new Date(iso);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString();
}

export interface LadderStep {
  readonly from: SupervisionOutcome;
  readonly to: SupervisionOutcome;
  readonly article: 'Art.21';
  readonly zh: string;
  readonly en: string;
}

export interface LadderResult {
  /** What applies after escalation (never milder than what was decided). */
  readonly outcome: SupervisionOutcome;
  /** The rungs taken, in order (empty when nothing escalated). */
  readonly steps: readonly LadderStep[];
}

/**
 * Applies the ladder to a decided outcome, given the site's marks before
 * `at` (marks at or after `at` are ignored: they are this evaluation's own).
 * Rungs apply until none does, each at most once.
 */
export function escalate(decided: SupervisionOutcome, marks: readonly SanctionMark[], at: string, ladder: SanctionLadder = DEFAULT_SANCTION_LADDER): LadderResult {
  const since = monthsBefore(at, ladder.windowMonths);
  const recent = new Set(marks.filter((m) => m.at >= since && m.at < at).map((m) => m.kind));
  const steps: LadderStep[] = [];
  const used = new Set<LadderRung>();
  let outcome = decided;
  for (;;) {
    const rung = ladder.rungs.find((r) => !used.has(r) && r.outcome === outcome && r.priorMarks.some((k) => recent.has(k)));
    if (!rung) break;
    used.add(rung);
    steps.push({ from: outcome, to: rung.becomes, article: rung.article, zh: rung.zh, en: rung.en });
    outcome = rung.becomes;
  }
  return { outcome, steps };
}

/** The marks an applied outcome leaves on the site's record. */
export function marksFor(outcome: SupervisionOutcome, verdict: RubricVerdict | 'missed-deadline', at: string): SanctionMark[] {
  const marks: SanctionMark[] = [];
  if (verdict === 'missed-deadline') marks.push({ kind: 'missed-deadline', at });
  else if (verdict === 'fail') marks.push({ kind: 'failure', at });
  if (outcome === 'warning') marks.push({ kind: 'warning', at });
  if (outcome === 'suspend-and-rectify') marks.push({ kind: 'suspension', at });
  return marks;
}
