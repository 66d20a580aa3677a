import { createHash } from 'node:crypto';

/**
 * Evaluation campaigns (Art.19–20): the organisation evaluates its sites "不定期"
 * (at any time), one site, a list, or a selection, with a deadline by which
 * each site submits its report and next-stage work plan ("在规定的时间内").
 *
 * Pure: the sites and every instant are passed in.
 */

/** Statuses a site can be evaluated in: a WITHDRAWN or REVOKED site has no duties left. */
export const EVALUABLE_STATUSES = ['ACTIVE', 'SUSPENDED'] as const;

/** What a campaign needs to know of a site to select it. */
export interface SiteForSelection {
  readonly siteId: string;
  readonly provinceCode: string;
  readonly cityCode: string;
  readonly status: string;
  /** The last evaluation's decision (ISO), if any. */
  readonly lastEvaluatedAt?: string;
}

export type CampaignSelection =
  | { readonly kind: 'sites'; readonly siteIds: readonly string[] }
  | {
      readonly kind: 'filter';
      readonly provinceCode?: string;
      readonly cityCode?: string;
      readonly statuses?: ReadonlyArray<(typeof EVALUABLE_STATUSES)[number]>;
      /** Sites whose last evaluation is older than this many months, or never evaluated. */
      readonly notEvaluatedForMonths?: number;
      /** A random sample of this many of the matching sites, reproducible from the seed. */
      readonly sample?: { readonly size: number; readonly seed: string };
    };

function monthsBefore(iso: string, months: number): string {
  const d = new Date(iso);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString();
}

/** A stable pseudo-random rank of a site for a seed: the same seed draws the same sample (the lowest ranks). */
export function sampleRank(seed: string, siteId: string): string {
  return createHash('sha256').update(`${seed}\u0000${siteId}`).digest('hex');
}

export interface SelectionResult {
  /** The sites the campaign covers, in a stable order (by id). */
  readonly siteIds: readonly string[];
  /** Sites named in a list that cannot be evaluated, with why. */
  readonly skipped: ReadonlyArray<{ readonly siteId: string; readonly reason: 'unknown' | 'not-evaluable' }>;
}

type FilterSelection = Extract<CampaignSelection, { kind: 'filter' }>;

/** The statuses a filter reads (all evaluable ones when it names none). */
export function filterStatuses(selection: FilterSelection): ReadonlyArray<(typeof EVALUABLE_STATUSES)[number]> {
  return selection.statuses && selection.statuses.length > 0 ? selection.statuses : EVALUABLE_STATUSES;
}

/** Sites evaluated (report submitted) on or after this instant are left out by `notEvaluatedForMonths`; undefined when the filter does not ask. */
export function notEvaluatedCutoff(selection: FilterSelection, now: string): string | undefined {
  return selection.notEvaluatedForMonths !== undefined ? monthsBefore(now, selection.notEvaluatedForMonths) : undefined;
}

/**
 * Whether one site matches a filter (before any sample is drawn): the
 * campaign's selection reads the register page by page and asks this of each
 * site, so nothing is held but the page.
 */
export function matchesFilter(site: SiteForSelection, selection: FilterSelection, cutoff: string | undefined): boolean {
  return (
    (EVALUABLE_STATUSES as readonly string[]).includes(site.status) &&
    (!selection.provinceCode || site.provinceCode === selection.provinceCode) &&
    (!selection.cityCode || site.cityCode === selection.cityCode) &&
    (filterStatuses(selection) as readonly string[]).includes(site.status) &&
    (cutoff === undefined || site.lastEvaluatedAt === undefined || site.lastEvaluatedAt < cutoff)
  );
}

/**
 * A site's deadline in a campaign: its own (extended for it alone) or the
 * campaign's (extended for all), whichever is later.
 */
export function effectiveDeadline(evaluationDeadline: string, campaignDeadline: string): string {
  return evaluationDeadline > campaignDeadline ? evaluationDeadline : campaignDeadline;
}

/** Why a deadline extension is refused, or undefined: later than the current deadline and within the campaign's bounds. */
export function refuseExtension(deadline: string, current: string, now: string, timing: CampaignTiming = DEFAULT_CAMPAIGN_TIMING): { code: string; zh: string; en: string; article: string } | undefined {
  const at = Date.parse(deadline);
  if (!Number.isFinite(at)) return { code: 'CAMPAIGN_DEADLINE_INVALID', zh: '截止时间格式不正确。', en: 'The deadline is not a valid time.', article: 'Art.20' };
  if (at <= Date.parse(current) || at <= Date.parse(now)) {
    return { code: 'CAMPAIGN_DEADLINE_NOT_LATER', zh: '延长后的截止时间须晚于当前截止时间和现在。', en: 'An extended deadline must be later than the current deadline and than now.', article: 'Art.20' };
  }
  if ((at - Date.parse(now)) / DAY_MS > timing.maxDays) {
    return { code: 'CAMPAIGN_DEADLINE_TOO_LATE', zh: `截止时间不能晚于 ${timing.maxDays} 天之后。`, en: `The deadline may be at most ${timing.maxDays} days ahead.`, article: 'Art.20' };
  }
  return undefined;
}

/** Applies a selection to the register of sites at `now`. */
export function selectSites(sites: readonly SiteForSelection[], selection: CampaignSelection, now: string): SelectionResult {
  const evaluable = (s: SiteForSelection) => (EVALUABLE_STATUSES as readonly string[]).includes(s.status);
  if (selection.kind === 'sites') {
    const byId = new Map(sites.map((s) => [s.siteId, s]));
    const chosen: string[] = [];
    const skipped: Array<{ siteId: string; reason: 'unknown' | 'not-evaluable' }> = [];
    for (const id of new Set(selection.siteIds)) {
      const site = byId.get(id);
      if (!site) skipped.push({ siteId: id, reason: 'unknown' });
      else if (!evaluable(site)) skipped.push({ siteId: id, reason: 'not-evaluable' });
      else chosen.push(id);
    }
    return { siteIds: chosen.sort(), skipped };
  }
  const cutoff = notEvaluatedCutoff(selection, now);
  let matching = sites.filter((s) => matchesFilter(s, selection, cutoff));
  if (selection.sample) {
    const { size, seed } = selection.sample;
    matching = [...matching].sort((a, b) => (sampleRank(seed, a.siteId) < sampleRank(seed, b.siteId) ? -1 : 1)).slice(0, size);
  }
  return { siteIds: matching.map((s) => s.siteId).sort(), skipped: [] };
}

const DAY_MS = 86_400_000;

export interface CampaignTiming {
  /** Fewest days a site is given to submit (policy). */
  readonly minDays: number;
  /** Most days (a Standard execution lives at most a year, and the assessment and a rectification follow). */
  readonly maxDays: number;
  /** Days before the deadline a reminder goes to sites that have not submitted. */
  readonly reminderDaysBefore: number;
}

export const DEFAULT_CAMPAIGN_TIMING: CampaignTiming = Object.freeze({ minDays: 7, maxDays: 90, reminderDaysBefore: 3 });

/** Why a deadline is refused, or undefined when it is acceptable. */
export function refuseDeadline(deadline: string, now: string, timing: CampaignTiming = DEFAULT_CAMPAIGN_TIMING): { code: string; zh: string; en: string; article: string } | undefined {
  const days = (Date.parse(deadline) - Date.parse(now)) / DAY_MS;
  if (!Number.isFinite(days)) return { code: 'CAMPAIGN_DEADLINE_INVALID', zh: '截止时间格式不正确。', en: 'The deadline is not a valid time.', article: 'Art.20' };
  if (days < timing.minDays) {
    return {
      code: 'CAMPAIGN_DEADLINE_TOO_SOON',
      zh: `截止时间须至少在 ${timing.minDays} 天之后，以便考核站点准备汇报材料。`,
      en: `The deadline must be at least ${timing.minDays} days ahead so that sites can prepare their report.`,
      article: 'Art.20',
    };
  }
  if (days > timing.maxDays) {
    return {
      code: 'CAMPAIGN_DEADLINE_TOO_LATE',
      zh: `截止时间不能晚于 ${timing.maxDays} 天之后。`,
      en: `The deadline may be at most ${timing.maxDays} days ahead.`,
      article: 'Art.20',
    };
  }
  return undefined;
}

/** When the reminder goes out (ISO), or undefined when that instant is already past. */
export function reminderAt(deadline: string, now: string, timing: CampaignTiming = DEFAULT_CAMPAIGN_TIMING): string | undefined {
  const at = Date.parse(deadline) - timing.reminderDaysBefore * DAY_MS;
  return at > Date.parse(now) ? new Date(at).toISOString() : undefined;
}
