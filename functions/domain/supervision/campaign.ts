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

/** A stable pseudo-random rank of a site for a seed: the same seed draws the same sample. */
function rank(seed: string, siteId: string): string {
  return createHash('sha256').update(`${seed}\u0000${siteId}`).digest('hex');
}

export interface SelectionResult {
  /** The sites the campaign covers, in a stable order (by id). */
  readonly siteIds: readonly string[];
  /** Sites named in a list that cannot be evaluated, with why. */
  readonly skipped: ReadonlyArray<{ readonly siteId: string; readonly reason: 'unknown' | 'not-evaluable' }>;
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
  const cutoff = selection.notEvaluatedForMonths !== undefined ? monthsBefore(now, selection.notEvaluatedForMonths) : undefined;
  let matching = sites.filter(
    (s) =>
      evaluable(s) &&
      (!selection.provinceCode || s.provinceCode === selection.provinceCode) &&
      (!selection.cityCode || s.cityCode === selection.cityCode) &&
      (!selection.statuses || selection.statuses.length === 0 || (selection.statuses as readonly string[]).includes(s.status)) &&
      (cutoff === undefined || s.lastEvaluatedAt === undefined || s.lastEvaluatedAt < cutoff),
  );
  if (selection.sample) {
    const { size, seed } = selection.sample;
    matching = [...matching].sort((a, b) => (rank(seed, a.siteId) < rank(seed, b.siteId) ? -1 : 1)).slice(0, size);
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
