/**
 * The organisation's reports as pure figures: what the stores read is
 * grouped here by month, stage, reviewer, province and campaign. No I/O;
 * the use case (`use-cases/reports/reports.ts`) reads, this module counts.
 */

const DAY_MS = 86_400_000;
/** China Standard Time, the organisation's calendar: a month starts at 00:00 in Beijing. */
const CST_OFFSET_MS = 8 * 3_600_000;

/** The calendar month (China time) of an ISO instant, as `YYYY-MM`. */
export function monthOf(iso: string): string {
  return new Date(Date.parse(iso) + CST_OFFSET_MS).toISOString().slice(0, 7);
}

/** The `count` months ending with the month of `now`, oldest first (`YYYY-MM`). */
export function lastMonths(now: string, count: number): string[] {
  const end = new Date(Date.parse(now) + CST_OFFSET_MS);
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - i, 1));
    out.push(d.toISOString().slice(0, 7));
  }
  return out;
}

/**
 * Applications by the month they entered their current status, per status,
 * over the given months (older entries are left out; every month is listed,
 * zeros included, so a chart's axis is continuous).
 */
export function applicationsByMonth(entries: ReadonlyArray<{ status: string; since: string }>, months: readonly string[]): Array<{ month: string; counts: Record<string, number> }> {
  const rows = new Map(months.map((m) => [m, {} as Record<string, number>]));
  for (const e of entries) {
    const row = rows.get(monthOf(e.since));
    if (row) row[e.status] = (row[e.status] ?? 0) + 1;
  }
  return months.map((month) => ({ month, counts: rows.get(month) ?? {} }));
}

/** The value at quantile `q` (0..1) of sorted numbers, nearest rank; null for none. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (!sorted.length) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? null;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * The distribution of one review stage's decision times (days from the task
 * opened to the decision), in buckets scaled to the stage's deadline
 * (quarters up to it, then 1.5× and 2×, then beyond), with the count decided
 * within the deadline, the median and the 90th percentile.
 */
export function latencyDistribution<S extends string>(
  stage: S,
  decisions: ReadonlyArray<{ createdAt: string; decidedAt: string }>,
  deadlineDays: number,
): { stage: S; deadlineDays: number; decided: number; withinDeadline: number; medianDays: number | null; p90Days: number | null; buckets: Array<{ fromDays: number; toDays: number | null; count: number }> } {
  const days = decisions.map((d) => Math.max(0, (Date.parse(d.decidedAt) - Date.parse(d.createdAt)) / DAY_MS)).sort((a, b) => a - b);
  const edges = [0, 0.25, 0.5, 0.75, 1, 1.5, 2].map((f) => round1(f * deadlineDays));
  const buckets = edges.map((from, i) => {
    const to = edges[i + 1] ?? null;
    return { fromDays: from, toDays: to, count: days.filter((d) => d >= from && (to === null || d < to)).length };
  });
  const median = quantile(days, 0.5);
  const p90 = quantile(days, 0.9);
  return {
    stage,
    deadlineDays,
    decided: days.length,
    withinDeadline: days.filter((d) => d <= deadlineDays).length,
    medianDays: median === null ? null : round1(median),
    p90Days: p90 === null ? null : round1(p90),
    buckets,
  };
}

/** Overdue tasks by the person they are assigned to, most first (ties by name). */
export function overdueByReviewer(tasks: ReadonlyArray<{ assigneeSub: string }>, nameOf: (sub: string) => string): Array<{ reviewer: string; count: number }> {
  const counts = new Map<string, number>();
  for (const t of tasks) {
    const name = nameOf(t.assigneeSub);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts.entries()].map(([reviewer, count]) => ({ reviewer, count })).sort((a, b) => b.count - a.count || a.reviewer.localeCompare(b.reviewer));
}

/** Sites by province and status, provinces by code. */
export function sitesByProvince(entries: ReadonlyArray<{ status: string; provinceCode: string }>): Array<{ provinceCode: string; counts: Record<string, number> }> {
  const rows = new Map<string, Record<string, number>>();
  for (const e of entries) {
    const row = rows.get(e.provinceCode) ?? {};
    row[e.status] = (row[e.status] ?? 0) + 1;
    rows.set(e.provinceCode, row);
  }
  return [...rows.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([provinceCode, counts]) => ({ provinceCode, counts }));
}

/**
 * A site close to the two-year limit (Art.23(1)) on a timeline: the limit
 * and its T-90 and T-30 warnings, with the days left (whole days, rounded
 * down; negative once past).
 */
export function approachingSite<T extends object>(site: T, limitAt: string, now: string): T & { limitAt: string; warn90At: string; warn30At: string; daysLeft: number } {
  const limit = Date.parse(limitAt);
  return {
    ...site,
    limitAt,
    warn90At: new Date(limit - 90 * DAY_MS).toISOString(),
    warn30At: new Date(limit - 30 * DAY_MS).toISOString(),
    daysLeft: Math.floor((limit - Date.parse(now)) / DAY_MS),
  };
}

/** The sanction marks that count as each series of the chart (Art.21). */
const MARK_SERIES: Readonly<Record<string, 'warning' | 'suspension' | 'rectification'>> = {
  warning: 'warning',
  suspension: 'suspension',
  'rectification-passed': 'rectification',
  'rectification-failed': 'rectification',
};

/** Warnings, suspensions and rectifications (passed or failed) by month, over the given months. */
export function marksByMonth(marks: ReadonlyArray<{ kind: string; at: string }>, months: readonly string[]): Array<{ month: string; warning: number; suspension: number; rectification: number }> {
  const rows = new Map(months.map((m) => [m, { month: m, warning: 0, suspension: 0, rectification: 0 }]));
  for (const mark of marks) {
    const series = MARK_SERIES[mark.kind];
    const row = rows.get(monthOf(mark.at));
    if (series && row) row[series] += 1;
  }
  return months.map((m) => rows.get(m)!);
}

/**
 * A campaign's progress from its evaluations: notified, submitted, overdue
 * (missed the deadline, Art.20), decided (an outcome recorded) and the
 * outcomes. The evaluations are the truth; the campaign's running counters
 * are only a cache of them.
 */
export function campaignProgress(
  campaign: { campaignId: string; title: string; status: string; deadline: string; siteCount: number },
  evaluations: ReadonlyArray<{ status: string; notifiedAt?: string; missedAt?: string; outcome?: unknown; assessment?: { outcome?: unknown } }>,
): { campaignId: string; title: string; status: string; deadline: string; siteCount: number; notified: number; submitted: number; overdue: number; decided: number; outcomes: Record<string, number> } {
  const outcomes: Record<string, number> = {};
  let decided = 0;
  for (const e of evaluations) {
    // The assessment's applied outcome (Art.21); `outcome` on the evaluation itself in records made before it.
    const outcome = e.assessment?.outcome ?? e.outcome;
    if (typeof outcome === 'string' && outcome) {
      decided += 1;
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
  }
  return {
    campaignId: campaign.campaignId,
    title: campaign.title,
    status: campaign.status,
    deadline: campaign.deadline,
    siteCount: Math.max(campaign.siteCount, evaluations.length),
    notified: evaluations.filter((e) => e.status !== 'NOTICE_PENDING' || e.notifiedAt !== undefined).length,
    // An assessed evaluation had its report submitted first, or missed its deadline (then assessed as failed, Art.20).
    submitted: evaluations.filter((e) => e.status === 'SUBMITTED' || (e.status === 'ASSESSED' && e.missedAt === undefined)).length,
    overdue: evaluations.filter((e) => e.status === 'MISSED' || e.missedAt !== undefined).length,
    decided,
    outcomes,
  };
}
