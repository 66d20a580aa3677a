import type { z } from 'zod/mini';
import type { reportsSchema, ReportStage } from '../../../schemas/api/reports.schema.ts';
import { applicationsInStatusSince } from '../../adapters/stores/applications.ts';
import { listDecisionsOfApplication, overdueDecisions } from '../../adapters/stores/decisions.ts';
import { listCampaigns, listEvaluations, listSanctionMarks, type EvaluationRecord } from '../../adapters/stores/evaluations.ts';
import { allPilotColleges } from '../../adapters/stores/register.ts';
import { searchSites, siteCitiesInStatus, siteRegionsInStatus, type SiteRecord } from '../../adapters/stores/sites.ts';
import { claimReportRefresh, getReportSnapshot, saveReportSnapshot } from '../../adapters/stores/reports.ts';
import { getStaff } from '../../adapters/stores/staff.ts';
import { APPLICATION_STATUSES } from '../../domain/application-lifecycle.ts';
import {
  applicationsByMonth,
  approachingSite,
  campaignProgress,
  lastMonths,
  latencyDistribution,
  marksByMonth,
  overdueByReviewer,
  sitesByProvince,
} from '../../domain/reports/reports.ts';
import { cityCoverage, coverageReport } from '../../domain/screening/coverage-report.ts';
import { inactivityDeadline } from '../../domain/site-operations/inactivity.ts';
import { SITE_STATUSES } from '../../domain/site-lifecycle.ts';
import { nowIso, nowMs } from '../../shared/clock.ts';
import { appConfig } from '../../shared/env.ts';
import { logger } from '../../shared/logger.ts';
import { type Caller, requireGroup } from '../../shared/identity.ts';
import { inactivityPolicy, inactivityStateOf } from '../site-operations/inactivity-timer.ts';

export type Reports = z.infer<typeof reportsSchema>;

const DAY_MS = 86_400_000;
/** Months on the time axes. */
const MONTHS = 12;
/** Applications (the most recent past screening) whose decisions are read for the review times. */
export const LATENCY_APPLICATIONS = 300;
/** Overdue tasks grouped by reviewer (all are counted). */
const OVERDUE_GROUPED = 1000;
/** Sites whose sanction marks are read (the first by id), and campaigns shown (newest first). */
export const MARK_SITES = 500;
const CAMPAIGNS = 12;
/** Sites whose next two-year milestone falls within this many days are on the timeline. */
const APPROACHING_DAYS = 90;
/** Index reads at once (the table is on demand; this keeps one report's burst modest). */
const PARALLEL = 8;

/** Statuses after screening: an application in one of them has had (or has) a review task. */
const REVIEWED_STATUSES = ['UNDER_REVIEW', 'RETURNED', 'SITE_VISIT', 'DECISION', 'APPROVED', 'REJECTED', 'CLOSED'] as const;

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

/** The deadline of each review stage in days, as the workflow sets it (configuration). */
function stageDeadlines(): Record<ReportStage, number> {
  const d = appConfig().deadlines;
  return { 'material-review': d.reviewDays, 'site-visit': d.siteVisitDays, 'final-decision': d.decisionDays };
}

async function pipeline(now: string, months: readonly string[]): Promise<Reports['pipeline']> {
  const [byStatus, overdue] = await Promise.all([
    Promise.all(APPLICATION_STATUSES.map(async (status) => (await applicationsInStatusSince(status)).map((e) => ({ ...e, status })))),
    overdueDecisions(now, OVERDUE_GROUPED),
  ]);
  const entries = byStatus.flat();
  const reviewed = entries
    .filter((e) => (REVIEWED_STATUSES as readonly string[]).includes(e.status))
    .sort((a, b) => b.since.localeCompare(a.since))
    .slice(0, LATENCY_APPLICATIONS);
  const decisions = (await mapLimit(reviewed, PARALLEL, (e) => listDecisionsOfApplication(e.applicationId))).flat();
  const deadlines = stageDeadlines();
  const latency = (Object.keys(deadlines) as ReportStage[]).map((stage) =>
    latencyDistribution(
      stage,
      decisions
        .filter((d) => d.kind === stage && d.status === 'decided' && d.decidedAt)
        .map((d) => ({ createdAt: d.createdAt, decidedAt: d.decidedAt! })),
      deadlines[stage],
    ),
  );
  const assignees = [...new Set(overdue.items.map((t) => t.assigneeSub))];
  const names = new Map(await mapLimit(assignees, PARALLEL, async (sub) => [sub, (await getStaff(sub))?.name] as const));
  return {
    byMonth: applicationsByMonth(entries, months),
    latency,
    overdueTotal: overdue.count,
    // A task of the applicant (a correction) is assigned to the institution: shown as such, never by its id.
    overdueByReviewer: overdueByReviewer(overdue.items, (sub) => names.get(sub) ?? (sub.startsWith('INST#') ? '申请单位 Applicant' : '未登记人员 Unregistered')),
    applicationsRead: reviewed.length,
  };
}

/** ACTIVE sites whose next two-year milestone (Art.23(1)) falls within the horizon, read from the milestone index page by page. */
async function approachingSites(now: string): Promise<SiteRecord[]> {
  const before = new Date(Date.parse(now) + APPROACHING_DAYS * DAY_MS).toISOString();
  const found: SiteRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await searchSites({ statuses: ['ACTIVE'], milestoneBefore: before, cursor, limit: 200 });
    found.push(...page.items);
    cursor = page.cursor;
  } while (cursor && found.length < MARK_SITES);
  return found;
}

async function siteHealth(now: string, months: readonly string[]): Promise<Reports['siteHealth']> {
  const [regions, approaching] = await Promise.all([
    Promise.all(SITE_STATUSES.map(async (status) => (await siteRegionsInStatus(status)).map((s) => ({ ...s, status })))),
    approachingSites(now),
  ]);
  const sites = regions.flat();
  const marked = [...sites].sort((a, b) => a.siteId.localeCompare(b.siteId)).slice(0, MARK_SITES);
  const marks = (await mapLimit(marked, PARALLEL, (s) => listSanctionMarks(s.siteId))).flat();
  const policy = inactivityPolicy();
  return {
    byProvince: sitesByProvince(sites),
    approaching: approaching
      .flatMap((site) => {
        const limitAt = inactivityDeadline(inactivityStateOf(site), policy);
        if (!limitAt) return [];
        const { siteId, certificateNumber, institutionName, provinceCode, cityCode } = site;
        return [approachingSite({ siteId, certificateNumber, institutionName, provinceCode, cityCode }, limitAt, now)];
      })
      .sort((a, b) => a.limitAt.localeCompare(b.limitAt)),
    marksByMonth: marksByMonth(marks, months),
  };
}

/** Every evaluation of a campaign, page by page. */
export async function allEvaluations(campaignId: string): Promise<EvaluationRecord[]> {
  const out: EvaluationRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await listEvaluations(campaignId, { cursor, limit: 200 });
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return out;
}

async function campaigns(): Promise<Reports['campaigns']> {
  const page = await listCampaigns({ limit: CAMPAIGNS });
  return mapLimit(page.items, 4, async (c) => campaignProgress(c, await allEvaluations(c.campaignId)));
}

/** Art.8 for the organisation: every city with pilot colleges and its ACTIVE sites, the colleges of the uncovered ones named. */
export async function adminCoverage(): Promise<Reports['coverage']> {
  const [register, active] = await Promise.all([allPilotColleges(), siteCitiesInStatus('ACTIVE')]);
  const sites = active.filter((s): s is { siteId?: string; cityCode: string } => typeof s.cityCode === 'string');
  const report = coverageReport(register, sites);
  return {
    article: 'Art.8',
    citiesWithPilotColleges: report.citiesWithPilotColleges,
    coveredCities: report.coveredCities,
    cities: cityCoverage(register, sites),
    uncoveredCities: report.uncoveredCities.map((c) => ({ provinceCode: c.provinceCode, cityCode: c.cityCode, pilotColleges: c.pilotColleges.map((p) => ({ creditCode: p.creditCode, name: p.name })) })),
  };
}

/**
 * The organisation's reports, computed now: Art.8 coverage by city,
 * applications by status over the last twelve months, review times per
 * stage against their deadlines, overdue tasks by reviewer, sites by status
 * and province, sites near the two-year limit (Art.23(1)), sanction marks
 * by month (Art.21) and each recent campaign's progress (Art.19–20). Index
 * queries only (no Scan), each list bounded (the caps above).
 */
export async function computeReports(): Promise<Reports> {
  const generatedAt = nowIso();
  const months = lastMonths(generatedAt, MONTHS);
  const [coverage, pipelineReport, health, campaignReport] = await Promise.all([adminCoverage(), pipeline(generatedAt, months), siteHealth(generatedAt, months), campaigns()]);
  return { generatedAt, coverage, pipeline: pipelineReport, siteHealth: health, campaigns: campaignReport };
}

/** A snapshot younger than this is served as it is (the page says when it was computed). */
export const REPORT_MAX_AGE_MS = 60_000;
/** How long a refresh lease holds: past it, another caller may recompute (a refresher that died). */
const REFRESH_LEASE_MS = 30_000;
/** How long (real time) a request waits for a computation before answering without it: well within the function's 29 s. */
export const REPORT_WAIT_MS = 12_000;

/** The computation running in this process, shared by the callers that arrive meanwhile. */
let running: Promise<Reports> | undefined;

/** Computes and stores the reports: one computation per process at a time. */
function shared(): Promise<Reports> {
  running ??= (async () => {
    const reports = await computeReports();
    await saveReportSnapshot(reports);
    return reports;
  })().finally(() => {
    running = undefined;
  });
  return running;
}

/**
 * The computation's result if it ends within `waitMs`; else
 * undefined, and the computation goes on (its result becomes the snapshot;
 * its failure is logged, and the lapsed lease lets another caller retry).
 */
async function within(computation: Promise<Reports>, waitMs: number): Promise<Reports | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), Math.max(0, waitMs));
  });
  try {
    return await Promise.race([computation, late]);
  } finally {
    clearTimeout(timer);
    computation.catch((error: unknown) => logger.error('reports computation failed', { error: error instanceof Error ? error.message : String(error) }));
  }
}

/** The reports, or `computing` when there is no snapshot yet and the first one is still being computed. */
export type ReportsAnswer = { readonly reports: Reports } | { readonly computing: true };

/**
 * The organisation's reports (admins), at most a minute old: a dashboard
 * that a few hundred requests at once would otherwise each recompute from
 * about a thousand index reads. The stored snapshot is served while it is
 * younger than {@link REPORT_MAX_AGE_MS}; past that, one caller takes the
 * refresh lease and recomputes while the others get the last snapshot, and
 * callers in one process share one computation. `refresh` (the portal's
 * button) computes now, whatever the snapshot's age. No caller waits more
 * than {@link REPORT_WAIT_MS} (or `waitMs`, what its function has left) for a computation: it gets the last snapshot,
 * or, when there is none yet, `computing` (202).
 */
export async function getReports(caller: Caller, options: { readonly refresh?: boolean; readonly waitMs?: number } = {}): Promise<ReportsAnswer> {
  requireGroup(caller, 'admin');
  const now = nowMs();
  const stored = await getReportSnapshot();
  const waitMs = Math.min(options.waitMs ?? REPORT_WAIT_MS, REPORT_WAIT_MS);
  const answer = (fresh: Reports | undefined): ReportsAnswer => {
    const reports = fresh ?? stored?.reports;
    return reports ? { reports } : { computing: true };
  };
  if (options.refresh) return answer(await within(shared(), waitMs));
  if (stored) {
    const age = now - Date.parse(stored.generatedAt);
    if (age >= 0 && age < REPORT_MAX_AGE_MS) return { reports: stored.reports };
    if (!running && !(await claimReportRefresh(new Date(now).toISOString(), new Date(now + REFRESH_LEASE_MS).toISOString()))) return { reports: stored.reports };
  }
  return answer(await within(shared(), waitMs));
}
