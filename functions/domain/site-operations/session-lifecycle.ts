import { SESSION_STATUSES } from '../../../schemas/statuses.ts';
import { type Lifecycle, type Transition, assertLifecycleTransition } from '../lifecycle-table.ts';

export { SESSION_STATUSES };

/**
 * An exam session's life (Art.13–14): scheduled by an ACTIVE site, then
 * recorded as held (attendance, violations, incidents: what Art.20 evaluates)
 * or cancelled (by the site, or by the system when the site is revoked).
 * `IN_PROGRESS` is not stored: a SCHEDULED session between its start and end
 * is shown as in progress.
 */
export type StoredSessionStatus = (typeof SESSION_STATUSES)[number];

export const SESSION_TRIGGERS = ['record-held', 'cancel', 'cancel-site-ended'] as const;
export type SessionTrigger = (typeof SESSION_TRIGGERS)[number];

const t = (from: StoredSessionStatus, to: StoredSessionStatus, trigger: SessionTrigger, article: string, basis: 'regulation' | 'policy'): Transition<StoredSessionStatus, SessionTrigger> =>
  Object.freeze({ from, to, trigger, article, basis });

export const SESSION_LIFECYCLE: Lifecycle<StoredSessionStatus, SessionTrigger> = Object.freeze({
  entity: 'session',
  states: SESSION_STATUSES,
  initial: 'SCHEDULED',
  terminal: Object.freeze(['HELD', 'CANCELLED'] as const),
  transitions: Object.freeze([
    t('SCHEDULED', 'HELD', 'record-held', 'Art.14', 'regulation'),
    t('SCHEDULED', 'CANCELLED', 'cancel', 'Art.13', 'policy'),
    t('SCHEDULED', 'CANCELLED', 'cancel-site-ended', 'Art.23', 'policy'),
  ]),
});

/** The row of a session status change (throws INVALID_TRANSITION when the table has none). */
export function sessionTransition(from: StoredSessionStatus, to: StoredSessionStatus, trigger: SessionTrigger) {
  return assertLifecycleTransition(SESSION_LIFECYCLE, from, to, trigger);
}

/** What a reader sees: a SCHEDULED session between its start and end is in progress. */
export function sessionStatusAt(stored: StoredSessionStatus, startsAt: string, endsAt: string, now: string): 'SCHEDULED' | 'IN_PROGRESS' | 'HELD' | 'CANCELLED' {
  if (stored !== 'SCHEDULED') return stored;
  const t0 = Date.parse(now);
  return t0 >= Date.parse(startsAt) && t0 < Date.parse(endsAt) ? 'IN_PROGRESS' : 'SCHEDULED';
}
