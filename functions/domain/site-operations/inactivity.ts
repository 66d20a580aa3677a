/**
 * The two-year rule, Art.23(1): a site that "has not operated normally for
 * two years" is revoked. Interpreted (policy, MISSION.md): no exam session
 * *held* for `inactivityDays` (730) counted from the last held session, or
 * from activation when none was held; time spent SUSPENDED by the
 * organisation does not count, so a suspension pushes the deadline back by
 * its length. Warnings go to the site before the deadline (policy: 90 and 30
 * days before).
 *
 * Pure: every instant is passed in, nothing is read from a clock.
 */

const DAY_MS = 86_400_000;

/** What the inactivity timer of a site depends on, as stored on the site. */
export interface InactivityState {
  /** Start of the current inactivity period: the last held session, else the activation (ISO-8601). */
  readonly anchorAt: string;
  /** Milliseconds spent SUSPENDED since `anchorAt`, closed suspensions only. */
  readonly suspendedMs: number;
  /** Set while the site is SUSPENDED: the timer is paused from this instant (ISO-8601). */
  readonly suspendedSince?: string;
  /** Warnings already sent in this period (a new period starts with none). */
  readonly warned: readonly MilestoneKind[];
}

export interface InactivityPolicy {
  /** Days without a held session before revocation (Art.23(1): two years = 730). */
  readonly inactivityDays: number;
  /** Days before the deadline at which the site is warned (policy), e.g. [90, 30]. */
  readonly warningDays: readonly number[];
}

export const DEFAULT_INACTIVITY_POLICY: InactivityPolicy = Object.freeze({ inactivityDays: 730, warningDays: Object.freeze([90, 30]) });

/** A point on the timer: a warning `daysBefore` the deadline, or the revocation itself. */
export type MilestoneKind = `warn-${number}` | 'revoke';

export interface Milestone {
  readonly kind: MilestoneKind;
  /** When it falls due (ISO-8601). */
  readonly at: string;
}

/**
 * The instant the site would be revoked for inactivity (ISO-8601), or
 * undefined while it is SUSPENDED (the timer is paused; Art.21 suspension is
 * the organisation's act, not the site's inactivity).
 */
export function inactivityDeadline(state: InactivityState, policy: InactivityPolicy): string | undefined {
  if (state.suspendedSince !== undefined) return undefined;
  return new Date(Date.parse(state.anchorAt) + policy.inactivityDays * DAY_MS + state.suspendedMs).toISOString();
}

/** Every milestone of the current period, earliest first (warnings that would fall before the anchor are dropped). */
export function milestones(state: InactivityState, policy: InactivityPolicy): Milestone[] {
  const deadline = inactivityDeadline(state, policy);
  if (deadline === undefined) return [];
  const end = Date.parse(deadline);
  const anchor = Date.parse(state.anchorAt);
  const warnings = [...new Set(policy.warningDays)]
    .filter((days) => days > 0 && end - days * DAY_MS > anchor)
    .sort((a, b) => b - a)
    .map((days): Milestone => ({ kind: `warn-${days}`, at: new Date(end - days * DAY_MS).toISOString() }));
  return [...warnings, { kind: 'revoke', at: deadline }];
}

/**
 * The milestone to arm next: the first one not yet done in this period. A warning
 * whose time has passed unsent (the site was suspended over it, or a fire was
 * lost) is still due: it is returned, and the caller fires it at once.
 */
export function nextMilestone(state: InactivityState, policy: InactivityPolicy): Milestone | undefined {
  return milestones(state, policy).find((m) => !state.warned.includes(m.kind));
}

/** What to do when a timer fires. */
export type FireVerdict =
  | { readonly action: 'warn'; readonly milestone: Milestone; readonly deadline: string }
  | { readonly action: 'revoke'; readonly milestone: Milestone }
  /** Not (or no longer) due: re-arm at `rearm` (absent when nothing is to be armed) and do nothing else. */
  | { readonly action: 'rearm'; readonly rearm?: Milestone; readonly reason: 'stale' | 'already-done' | 'paused' | 'not-due' | 'ended' };

/**
 * Decides what a fired timer does, from the site as stored NOW (never from
 * what the timer carried: the site may have held a session, been suspended
 * or ended since the timer was armed).
 *
 * - the site ended (REVOKED, WITHDRAWN): nothing, nothing to re-arm;
 * - SUSPENDED: paused, nothing to re-arm (restoring re-arms);
 * - the fired milestone is not the one due now (a session re-anchored the
 *   period, a suspension moved the deadline): stale, re-arm the right one;
 * - already acted on in this period (a duplicate fire): nothing more;
 * - fired early (clock skew, a late update): re-arm for its real time;
 * - otherwise warn, or revoke at the deadline.
 */
export function classifyFire(input: {
  readonly status: 'ACTIVE' | 'SUSPENDED' | 'REVOKED' | 'WITHDRAWN';
  readonly state: InactivityState;
  readonly policy: InactivityPolicy;
  readonly fired: Milestone;
  readonly now: string;
}): FireVerdict {
  const { status, state, policy, fired, now } = input;
  if (status === 'REVOKED' || status === 'WITHDRAWN') return { action: 'rearm', reason: 'ended' };
  if (status === 'SUSPENDED' || state.suspendedSince !== undefined) return { action: 'rearm', reason: 'paused' };
  const due = nextMilestone(state, policy);
  if (state.warned.includes(fired.kind) && milestones(state, policy).some((m) => m.kind === fired.kind && m.at === fired.at)) {
    return { action: 'rearm', ...(due ? { rearm: due } : {}), reason: 'already-done' };
  }
  if (!due) return { action: 'rearm', reason: 'already-done' };
  if (due.kind !== fired.kind || due.at !== fired.at) return { action: 'rearm', rearm: due, reason: 'stale' };
  if (Date.parse(now) < Date.parse(due.at)) return { action: 'rearm', rearm: due, reason: 'not-due' };
  if (due.kind === 'revoke') return { action: 'revoke', milestone: due };
  return { action: 'warn', milestone: due, deadline: inactivityDeadline(state, policy)! };
}

/** The state after a session was held at `heldAt` (Art.14): a new period starts. */
export function afterSessionHeld(state: InactivityState, heldAt: string): InactivityState {
  if (Date.parse(heldAt) <= Date.parse(state.anchorAt)) return state;
  return { anchorAt: heldAt, suspendedMs: 0, warned: [] };
}

/** The state after the warning `kind` was sent. */
export function afterWarned(state: InactivityState, kind: MilestoneKind): InactivityState {
  return state.warned.includes(kind) ? state : { ...state, warned: [...state.warned, kind] };
}

/** The state after the site was suspended at `at` (Art.21): the timer pauses. */
export function afterSuspended(state: InactivityState, at: string): InactivityState {
  if (state.suspendedSince !== undefined) return state;
  return { ...state, suspendedSince: at };
}

/** The state after the suspension was lifted at `at`: the paused time is added to the period. */
export function afterRestored(state: InactivityState, at: string): InactivityState {
  if (state.suspendedSince === undefined) return state;
  const paused = Math.max(0, Date.parse(at) - Math.max(Date.parse(state.suspendedSince), Date.parse(state.anchorAt)));
  return { anchorAt: state.anchorAt, suspendedMs: state.suspendedMs + paused, warned: state.warned };
}

/**
 * A deterministic name for the execution a milestone starts, so a duplicate
 * fire of the same schedule cannot start it twice (StartExecution is
 * idempotent by name). ≤ 80 characters, `[0-9A-Za-z_-]`.
 */
export function milestoneExecutionName(siteId: string, milestone: Milestone): string {
  const at = milestone.at.replace(/[^0-9]/g, '').slice(0, 14);
  return `inactivity-${siteId}-${milestone.kind}-${at}`.replace(/[^0-9A-Za-z_-]/g, '_').slice(0, 80);
}
