import { deleteOneTimeSchedule, getOneTimeSchedule, putOneTimeSchedule } from '../../adapters/schedules.ts';
import { getSite, listSitesByMilestone, updateSiteTimer, type SiteRecord, type SiteTimerUpdate } from '../../adapters/stores/sites.ts';
import {
  DEFAULT_INACTIVITY_POLICY,
  inactivityDeadline,
  milestoneExecutionName,
  nextMilestone,
  type InactivityPolicy,
  type InactivityState,
  type Milestone,
  type MilestoneKind,
} from '../../domain/site-operations/inactivity.ts';
import { nowIso, nowMs } from '../../shared/clock.ts';
import { appConfig } from '../../shared/env.ts';
import { logger } from '../../shared/logger.ts';

/**
 * The two-year timer of a site (Art.23(1)): one EventBridge Scheduler
 * one-time schedule per site at its next milestone, starting the
 * `site-milestone` workflow with a deterministic execution name. The site's
 * state lives in DynamoDB (`inactivitySince`, `warnedMilestones`, `nextMilestoneAt`); the schedule is
 * derived from it, so arming is idempotent and drift can be repaired.
 */

/** The workflow a site's schedule starts. */
export const MILESTONE_WORKFLOW = 'site-milestone';

/** The schedule of a site (≤ 64 characters: `site-` + a 26-character ULID). */
export function scheduleNameOf(siteId: string): string {
  return `site-${siteId}`;
}

/** The policy: days from the config (`deadlines.inactivityDays`), warnings 90 and 30 days before. */
export function inactivityPolicy(): InactivityPolicy {
  return { ...DEFAULT_INACTIVITY_POLICY, inactivityDays: appConfig().deadlines.inactivityDays };
}

/**
 * The timer state of a site, from its flat fields: `inactivitySince` (the
 * anchor: the last held session, else the activation), `suspendedMs`,
 * `suspendedSince` (kept by suspension and restoration), `warnedMilestones`.
 */
export function inactivityStateOf(site: SiteRecord): InactivityState {
  return {
    anchorAt: site.inactivitySince,
    suspendedMs: site.suspendedMs ?? 0,
    ...(site.suspendedSince ? { suspendedSince: site.suspendedSince } : {}),
    warned: (site.warnedMilestones ?? []) as MilestoneKind[],
  };
}

/** When a milestone's schedule fires: at the milestone (rounded up to Scheduler's whole second), or a minute from now when it is already due. */
export function fireTimeOf(milestone: Milestone, now: number = nowMs()): string {
  const at = Math.ceil(Date.parse(milestone.at) / 1000) * 1000;
  return new Date(Math.max(at, Math.ceil((now + 60_000) / 1000) * 1000)).toISOString();
}

/** The milestone a site's schedule should be armed for now, or undefined when it should have none (not ACTIVE). */
export function dueMilestone(site: SiteRecord, policy: InactivityPolicy = inactivityPolicy()): Milestone | undefined {
  if (site.status !== 'ACTIVE') return undefined;
  return nextMilestone(inactivityStateOf(site), policy);
}

/** The timer fields a site should carry for a state (the milestone index sorts by `nextMilestoneAt`). */
export function timerUpdateOf(state: InactivityState, policy: InactivityPolicy = inactivityPolicy()): SiteTimerUpdate {
  const next = nextMilestone(state, policy);
  // Paused (SUSPENDED): the index keeps the deadline as it stood, the kind says why.
  const at = next?.at ?? inactivityDeadline({ ...state, suspendedSince: undefined }, policy) ?? state.anchorAt;
  return { inactivitySince: state.anchorAt, suspendedMs: state.suspendedMs, warnedMilestones: [...state.warned], nextMilestoneAt: at, nextMilestoneKind: next?.kind ?? 'paused' };
}

/**
 * The execution name of a milestone's fire: `milestoneExecutionName`, so a
 * duplicate fire starts nothing new; a repair of a lost fire adds `-r<day>`
 * (Step Functions keeps a used name for 90 days, also for a failed execution).
 */
export function fireExecutionName(siteId: string, milestone: Milestone, repairDay?: string): string {
  return `${milestoneExecutionName(siteId, milestone)}${repairDay ? `-r${repairDay}` : ''}`;
}

async function putSchedule(siteId: string, milestone: Milestone, repairDay?: string): Promise<void> {
  await putOneTimeSchedule({
    name: scheduleNameOf(siteId),
    at: fireTimeOf(milestone),
    workflow: MILESTONE_WORKFLOW,
    executionName: fireExecutionName(siteId, milestone, repairDay),
    input: { siteId, milestone: { kind: milestone.kind, at: milestone.at } },
    description: `Art.23(1) ${milestone.kind} of site ${siteId}`,
  });
}

/**
 * Arms the site's schedule for the milestone due now (create or replace),
 * and keeps the site's `nextMilestoneAt` in step; a site that is not ACTIVE
 * (SUSPENDED: paused; WITHDRAWN, REVOKED: ended) has its schedule removed.
 * Idempotent: arming twice arms the same schedule.
 */
export async function armInactivityTimer(siteId: string): Promise<void> {
  await armTimer(siteId);
}

async function armTimer(siteId: string, repairDay?: string): Promise<void> {
  const site = await getSite(siteId);
  const milestone = site ? dueMilestone(site) : undefined;
  if (!site || !milestone) {
    await deleteOneTimeSchedule(scheduleNameOf(siteId));
    return;
  }
  await putSchedule(siteId, milestone, repairDay);
  if (site.nextMilestoneAt !== milestone.at || site.nextMilestoneKind !== milestone.kind) {
    // A lost race only leaves the index behind; the next arm or the reconciliation catches up.
    await updateSiteTimer(site, timerUpdateOf(inactivityStateOf(site)));
  }
}

/** Removes the site's schedule (withdrawal, revocation); nothing when there is none. */
export async function disarmInactivityTimer(siteId: string): Promise<void> {
  await deleteOneTimeSchedule(scheduleNameOf(siteId));
}

/** One repair of the daily reconciliation. */
export interface TimerRepair {
  readonly siteId: string;
  readonly drift: 'missing' | 'stale' | 'early' | 'lost' | 'orphan' | 'index';
  /** The milestone armed now (absent when the schedule was removed). */
  readonly armed?: Milestone;
}

export interface ReconciliationReport {
  readonly at: string;
  readonly checked: number;
  readonly pages: number;
  readonly repaired: TimerRepair[];
}

/** A fire older than this that left the site where it was is taken as lost. */
const LOST_AFTER_MS = 86_400_000;

/**
 * What is wrong between a site and its schedule, or undefined when they
 * agree: the schedule starts the execution of the milestone due now, not
 * before it is due, and has not fired long ago without moving the site on.
 */
export function driftOf(site: SiteRecord, schedule: { at: string; executionName?: string } | undefined, now: number, policy: InactivityPolicy = inactivityPolicy()): TimerRepair['drift'] | undefined {
  const milestone = dueMilestone(site, policy);
  if (!milestone) return schedule ? 'orphan' : undefined;
  if (!schedule) return 'missing';
  if (!schedule.executionName?.startsWith(milestoneExecutionName(site.siteId, milestone))) return 'stale';
  const fireAt = Date.parse(schedule.at);
  if (fireAt < Math.floor(Date.parse(milestone.at) / 1000) * 1000) return 'early';
  if (fireAt < now - LOST_AFTER_MS) return 'lost';
  if (site.nextMilestoneAt !== milestone.at) return 'index';
  return undefined;
}

/**
 * The daily reconciliation: pages through the sites' milestone index (all
 * shards), compares each site with its schedule and repairs drift by arming
 * again (or removing the schedule of a site that is no longer ACTIVE).
 * Returns, and logs, what it repaired.
 */
export async function reconcileSiteTimers(options: { pageSize?: number } = {}): Promise<ReconciliationReport> {
  const at = nowIso();
  const policy = inactivityPolicy();
  const repaired: TimerRepair[] = [];
  let checked = 0;
  let pages = 0;
  let cursor: string | undefined;
  do {
    const page = await listSitesByMilestone({ cursor, limit: options.pageSize ?? 100 });
    pages += 1;
    for (const site of page.items) {
      checked += 1;
      const drift = driftOf(site, await getOneTimeSchedule(scheduleNameOf(site.siteId)), nowMs(), policy);
      if (!drift) continue;
      await armTimer(site.siteId, drift === 'lost' ? at.slice(0, 10).replaceAll('-', '') : undefined);
      const armed = dueMilestone(site, policy);
      repaired.push({ siteId: site.siteId, drift, ...(armed ? { armed } : {}) });
    }
    cursor = page.cursor;
  } while (cursor);
  const report: ReconciliationReport = { at, checked, pages, repaired };
  logger.info('site timers reconciled', { checked, pages, repairedCount: repaired.length, repaired });
  return report;
}
