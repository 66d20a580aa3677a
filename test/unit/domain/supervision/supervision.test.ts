import { describe, expect, it } from 'vitest';
import { RUBRIC_VERSIONS, rubricByVersion, rubricInForce, scoreAssessment, scoreProblems } from '../../../../functions/domain/supervision/rubric.ts';
import {
  DEFAULT_SANCTION_LADDER,
  SUPERVISION_OUTCOMES,
  escalate,
  marksFor,
  minimumOutcome,
  needsSecondPerson,
  severityOf,
} from '../../../../functions/domain/supervision/sanction-ladder.ts';
import { refuseDeadline, reminderAt, selectSites, type SiteForSelection } from '../../../../functions/domain/supervision/campaign.ts';

const rubric = rubricInForce('2026-12-01');
const full = Object.fromEntries(rubric.criteria.map((c) => [c.id, c.max]));

describe('the assessment rubric (Art.20, Art.21 综合能力评估; policy, versioned)', () => {
  it('lists the contents Art.20 names, the work plan, and the duties of Art.15–16, each with its article', () => {
    expect(rubric.criteria.map((c) => c.id)).toEqual(['venue-and-equipment', 'exam-organisation', 'violations', 'incidents', 'work-plan', 'staff-training', 'work-summary']);
    expect(rubric.criteria.filter((c) => c.article === 'Art.20').map((c) => c.zh)).toEqual(['考试场地及设备设施情况', '考务组织情况', '考试违纪违规情况', '考试事故情况', '下一阶段工作计划']);
    expect(rubric.criteria.find((c) => c.id === 'staff-training')?.article).toBe('Art.15');
  });

  it('picks the version in force on a date and finds a version by name', () => {
    expect(rubricInForce('2030-01-01').version).toBe(RUBRIC_VERSIONS[RUBRIC_VERSIONS.length - 1]!.version);
    expect(rubricByVersion(rubric.version)).toBe(rubric);
    expect(rubricByVersion('1999.1')).toBeUndefined();
  });

  it('refuses unknown, missing and out-of-range scores, naming the path', () => {
    expect(scoreProblems(rubric, full)).toEqual([]);
    const problems = scoreProblems(rubric, { ...full, 'venue-and-equipment': 26, extra: 1, incidents: 1.5 } as Record<string, number>);
    expect(problems.map((p) => p.path).sort()).toEqual(['scores.extra', 'scores.incidents', 'scores.venue-and-equipment']);
    const { violations: _omitted, ...missing } = full;
    expect(scoreProblems(rubric, missing)).toEqual([{ path: 'scores.violations', message: 'required' }]);
  });

  it('passes a full score, warns below the warning line, fails below the pass line', () => {
    expect(scoreAssessment(rubric, full)).toMatchObject({ verdict: 'pass', total: 100, max: 100, failedCritical: [] });
    const warn = { ...full, violations: 0, incidents: 0 };
    expect(scoreAssessment(rubric, warn)).toMatchObject({ verdict: 'pass-with-warning', total: 70 });
    expect(scoreAssessment(rubric, { ...full, violations: 0, incidents: 5 })).toMatchObject({ verdict: 'pass', total: 75 });
    const failing = { ...full, violations: 0, incidents: 0, 'venue-and-equipment': 10, 'exam-organisation': 10 };
    expect(scoreAssessment(rubric, failing)).toMatchObject({ verdict: 'fail', total: 40 });
  });

  it('fails on a critical criterion scored 0 whatever the total', () => {
    const result = scoreAssessment(rubric, { ...full, 'work-plan': 0 });
    expect(result.total).toBe(90);
    expect(result).toMatchObject({ verdict: 'fail', failedCritical: ['work-plan'] });
  });
});

describe('outcomes and the sanction ladder (Art.21; ladder as data, policy)', () => {
  const at = '2027-06-01T00:00:00.000Z';

  it('orders the outcomes by severity and asks a second person for suspension and revocation', () => {
    expect(SUPERVISION_OUTCOMES.map(severityOf)).toEqual([0, 1, 2, 3, 4]);
    expect(SUPERVISION_OUTCOMES.filter(needsSecondPerson)).toEqual(['suspend-and-rectify', 'propose-revocation']);
  });

  it('never lets a failing verdict pass: the mildest outcome per verdict', () => {
    expect(minimumOutcome('pass')).toBe('pass');
    expect(minimumOutcome('pass-with-warning')).toBe('warning');
    expect(minimumOutcome('fail')).toBe('rectify');
  });

  it('leaves a first warning a warning', () => {
    expect(escalate('warning', [], at)).toEqual({ outcome: 'warning', steps: [] });
  });

  it('turns a second warning within 12 months into a suspension with rectification, citing Art.21', () => {
    const result = escalate('warning', [{ kind: 'warning', at: '2026-09-01T00:00:00.000Z' }], at);
    expect(result.outcome).toBe('suspend-and-rectify');
    expect(result.steps).toEqual([expect.objectContaining({ from: 'warning', to: 'suspend-and-rectify', article: 'Art.21' })]);
  });

  it('forgets marks older than the window, and ignores marks at or after the evaluation itself', () => {
    expect(escalate('warning', [{ kind: 'warning', at: '2026-05-31T00:00:00.000Z' }], at).outcome).toBe('warning');
    expect(escalate('warning', [{ kind: 'warning', at }], at).outcome).toBe('warning');
    expect(escalate('warning', [{ kind: 'warning', at: '2026-05-31T00:00:00.000Z' }], at, { ...DEFAULT_SANCTION_LADDER, windowMonths: 24 }).outcome).toBe('suspend-and-rectify');
  });

  it('climbs more than one rung when the record calls for it: a second warning after a suspension proposes revocation', () => {
    const marks = [
      { kind: 'warning' as const, at: '2026-08-01T00:00:00.000Z' },
      { kind: 'suspension' as const, at: '2026-10-01T00:00:00.000Z' },
    ];
    const result = escalate('warning', marks, at);
    expect(result.outcome).toBe('propose-revocation');
    expect(result.steps.map((s) => s.to)).toEqual(['suspend-and-rectify', 'propose-revocation']);
  });

  it('never escalates a pass, and never makes an outcome milder', () => {
    const marks = [{ kind: 'suspension' as const, at: '2027-01-01T00:00:00.000Z' }];
    expect(escalate('pass', marks, at).outcome).toBe('pass');
    for (const outcome of SUPERVISION_OUTCOMES) expect(severityOf(escalate(outcome, marks, at).outcome)).toBeGreaterThanOrEqual(severityOf(outcome));
  });

  it('records a failure, a missed deadline, a warning and a suspension as dated marks', () => {
    expect(marksFor('warning', 'pass-with-warning', at)).toEqual([{ kind: 'warning', at }]);
    expect(marksFor('suspend-and-rectify', 'fail', at)).toEqual([
      { kind: 'failure', at },
      { kind: 'suspension', at },
    ]);
    expect(marksFor('rectify', 'missed-deadline', at)).toEqual([{ kind: 'missed-deadline', at }]);
    expect(marksFor('pass', 'pass', at)).toEqual([]);
  });
});

describe('campaign selection and deadlines (Art.19–20: 不定期, 在规定的时间内)', () => {
  const now = '2027-06-01T00:00:00.000Z';
  const sites: SiteForSelection[] = [
    { siteId: 's1', provinceCode: '110000', cityCode: '110100', status: 'ACTIVE', lastEvaluatedAt: '2027-03-01T00:00:00.000Z' },
    { siteId: 's2', provinceCode: '110000', cityCode: '110100', status: 'SUSPENDED' },
    { siteId: 's3', provinceCode: '330000', cityCode: '330100', status: 'ACTIVE', lastEvaluatedAt: '2025-01-01T00:00:00.000Z' },
    { siteId: 's4', provinceCode: '330000', cityCode: '330200', status: 'REVOKED' },
    { siteId: 's5', provinceCode: '330000', cityCode: '330100', status: 'WITHDRAWN' },
  ];

  it('takes a list, skipping unknown sites and those with no duties left', () => {
    expect(selectSites(sites, { kind: 'sites', siteIds: ['s3', 's1', 's4', 'nope', 's1'] }, now)).toEqual({
      siteIds: ['s1', 's3'],
      skipped: [
        { siteId: 's4', reason: 'not-evaluable' },
        { siteId: 'nope', reason: 'unknown' },
      ],
    });
  });

  it('filters by province, city and status, never selecting a revoked or withdrawn site', () => {
    expect(selectSites(sites, { kind: 'filter' }, now).siteIds).toEqual(['s1', 's2', 's3']);
    expect(selectSites(sites, { kind: 'filter', provinceCode: '330000' }, now).siteIds).toEqual(['s3']);
    expect(selectSites(sites, { kind: 'filter', cityCode: '110100', statuses: ['SUSPENDED'] }, now).siteIds).toEqual(['s2']);
  });

  it('selects the sites not evaluated for N months (never evaluated counts)', () => {
    expect(selectSites(sites, { kind: 'filter', notEvaluatedForMonths: 6 }, now).siteIds).toEqual(['s2', 's3']);
  });

  it('draws a random sample that the same seed reproduces and another seed may change', () => {
    const many: SiteForSelection[] = Array.from({ length: 200 }, (_, i) => ({ siteId: `site-${String(i).padStart(3, '0')}`, provinceCode: '110000', cityCode: '110100', status: 'ACTIVE' }));
    const a = selectSites(many, { kind: 'filter', sample: { size: 10, seed: 'spring-2027' } }, now).siteIds;
    const b = selectSites(many, { kind: 'filter', sample: { size: 10, seed: 'spring-2027' } }, now).siteIds;
    const c = selectSites(many, { kind: 'filter', sample: { size: 10, seed: 'autumn-2027' } }, now).siteIds;
    expect(a).toHaveLength(10);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(new Set(a).size).toBe(10);
  });

  it('refuses a deadline too soon or too late with a stable code, both languages and Art.20', () => {
    expect(refuseDeadline('2027-06-15T00:00:00.000Z', now)).toBeUndefined();
    expect(refuseDeadline('2027-06-03T00:00:00.000Z', now)).toMatchObject({ code: 'CAMPAIGN_DEADLINE_TOO_SOON', article: 'Art.20' });
    expect(refuseDeadline('2028-06-03T00:00:00.000Z', now)).toMatchObject({ code: 'CAMPAIGN_DEADLINE_TOO_LATE' });
    expect(refuseDeadline('not a date', now)).toMatchObject({ code: 'CAMPAIGN_DEADLINE_INVALID' });
    expect(refuseDeadline('2027-06-03T00:00:00.000Z', now)?.zh).toContain('7');
  });

  it('reminds three days before the deadline, and not at all when that is past', () => {
    expect(reminderAt('2027-06-15T00:00:00.000Z', now)).toBe('2027-06-12T00:00:00.000Z');
    expect(reminderAt('2027-06-03T00:00:00.000Z', now)).toBeUndefined();
  });
});
