/**
 * The evaluation report prefilled from the site's own records (Art.20: "考试
 * 场地及设备设施情况、考务组织情况、考试违纪违规及考试事故等"): the sessions
 * held since the last evaluation, with their attendance, and the violations
 * and incidents recorded when each was held (Art.14). The site reads the
 * drafts, corrects and completes them, and submits; nothing is submitted for it.
 *
 * Pure: the sessions and the period's start are passed in.
 */

/** What the prefill needs of a session (a subset of the stored session). */
export interface SessionForReport {
  readonly sessionId: string;
  readonly title?: string;
  readonly status: string;
  readonly startsAt: string;
  readonly held?: {
    readonly at: string;
    readonly present: number;
    readonly absent: number;
    readonly countsAsHeld: boolean;
    readonly violations: ReadonlyArray<{ readonly description: string }>;
    readonly incidents: ReadonlyArray<{ readonly description: string }>;
  };
}

export interface HeldSessionLine {
  readonly sessionId: string;
  readonly title?: string;
  readonly startsAt: string;
  readonly present: number;
  readonly absent: number;
  readonly violations: number;
  readonly incidents: number;
}

export interface ReportPrefill {
  /** Start of the period reported on: the last evaluation's submission, else the site's activation. */
  readonly since: string;
  readonly sessionsHeld: readonly HeldSessionLine[];
  readonly totals: { readonly sessions: number; readonly present: number; readonly absent: number; readonly violations: number; readonly incidents: number };
  /** Drafts of the report's fields from the records (zh-CN, as the report is written); the site edits them. */
  readonly draft: { readonly examOrganisation: string; readonly violations: string; readonly incidents: string };
}

const day = (iso: string) => iso.slice(0, 10);
const MAX_LINES = 50;

/** The prefill of a site's report from its sessions held since `since` (sessions held before are left out). */
export function prefillReport(sessions: readonly SessionForReport[], since: string): ReportPrefill {
  const held = sessions
    .filter((s) => s.status === 'HELD' && s.held && s.held.at >= since)
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const lines: HeldSessionLine[] = held.map((s) => ({
    sessionId: s.sessionId,
    ...(s.title ? { title: s.title } : {}),
    startsAt: s.startsAt,
    present: s.held!.present,
    absent: s.held!.absent,
    violations: s.held!.violations.length,
    incidents: s.held!.incidents.length,
  }));
  const totals = {
    sessions: lines.length,
    present: lines.reduce((n, l) => n + l.present, 0),
    absent: lines.reduce((n, l) => n + l.absent, 0),
    violations: lines.reduce((n, l) => n + l.violations, 0),
    incidents: lines.reduce((n, l) => n + l.incidents, 0),
  };
  const name = (s: SessionForReport) => `${day(s.startsAt)}${s.title ? `「${s.title}」` : ''}`;
  const listed = <T>(items: readonly T[], line: (item: T) => string) => {
    const shown = items.slice(0, MAX_LINES).map(line);
    return items.length > MAX_LINES ? [...shown, `……另有 ${items.length - MAX_LINES} 条，见考试记录。`] : shown;
  };
  const examOrganisation =
    lines.length === 0
      ? `自 ${day(since)} 以来本站点未组织考试。`
      : [`自 ${day(since)} 以来本站点共组织考试 ${totals.sessions} 场，实到考生 ${totals.present} 人，缺考 ${totals.absent} 人：`, ...listed(held, (s) => `- ${name(s)}：实到 ${s.held!.present} 人，缺考 ${s.held!.absent} 人`)].join('\n');
  const notes = (kind: 'violations' | 'incidents') => held.flatMap((s) => s.held![kind].map((n) => ({ session: s, description: n.description })));
  const violations = notes('violations');
  const incidents = notes('incidents');
  return {
    since,
    sessionsHeld: lines,
    totals,
    draft: {
      examOrganisation,
      violations: violations.length === 0 ? '无' : [`共记录违纪违规 ${violations.length} 起：`, ...listed(violations, (v) => `- ${name(v.session)}：${v.description}`)].join('\n'),
      incidents: incidents.length === 0 ? '无' : [`共记录考试事故 ${incidents.length} 起：`, ...listed(incidents, (i) => `- ${name(i.session)}：${i.description}`)].join('\n'),
    },
  };
}
