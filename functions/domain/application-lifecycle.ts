import { APPLICATION_STATUSES, type ApplicationStatus } from '../../schemas/statuses.ts';
import { type Lifecycle, type Transition, assertLifecycleTransition, lifecycleToMermaid } from './lifecycle-table.ts';

export { APPLICATION_STATUSES, type ApplicationStatus };

export const APPLICATION_TRIGGERS = [
  'submit',
  'start-screening',
  'screening-passed',
  'screening-returned',
  'screening-refused',
  'review-passed',
  'review-returned',
  'review-rejected',
  'resubmit',
  'resubmission-too-late',
  'return-deadline-expired',
  'return-rounds-exhausted',
  'site-visit-recorded',
  'approve',
  'reject',
  'stalled-closed',
] as const;
export type ApplicationTrigger = (typeof APPLICATION_TRIGGERS)[number];

const t = (
  from: ApplicationStatus,
  to: ApplicationStatus,
  trigger: ApplicationTrigger,
  article: string,
  basis: 'regulation' | 'policy' = 'regulation',
): Transition<ApplicationStatus, ApplicationTrigger> => Object.freeze({ from, to, trigger, article, basis });

/**
 * The application lifecycle (MISSION.md). Art.4: the organisation reviews the
 * materials and visits the site, and the result is published on the platform;
 * Art.3(2): only pilot colleges may apply during the pilot. The closing of a
 * returned application (deadline, number of rounds) is policy, configured in
 * `deadlines.returnDays` and `deadlines.maxReturnRounds`. Closing a stalled
 * or failed accreditation (`stalled-closed`) is an admin's act (policy).
 */
export const APPLICATION_LIFECYCLE: Lifecycle<ApplicationStatus, ApplicationTrigger> = Object.freeze({
  entity: 'application',
  states: APPLICATION_STATUSES,
  initial: 'DRAFT',
  terminal: Object.freeze(['APPROVED', 'REJECTED', 'CLOSED'] as const),
  transitions: Object.freeze([
    t('DRAFT', 'SUBMITTED', 'submit', 'Art.4'),
    t('SUBMITTED', 'SCREENING', 'start-screening', 'Art.3'),
    t('SCREENING', 'UNDER_REVIEW', 'screening-passed', 'Art.4'),
    t('SCREENING', 'RETURNED', 'screening-returned', 'Art.3'),
    t('SCREENING', 'REJECTED', 'screening-refused', 'Art.3(2)'),
    t('UNDER_REVIEW', 'SITE_VISIT', 'review-passed', 'Art.4'),
    t('UNDER_REVIEW', 'RETURNED', 'review-returned', 'Art.4'),
    t('UNDER_REVIEW', 'REJECTED', 'review-rejected', 'Art.7'),
    t('RETURNED', 'SUBMITTED', 'resubmit', 'Art.4'),
    // A resubmission accepted in the last instant whose correction task timed out before it was delivered is undone.
    t('SUBMITTED', 'RETURNED', 'resubmission-too-late', 'Art.4', 'policy'),
    t('RETURNED', 'CLOSED', 'return-deadline-expired', 'Art.4', 'policy'),
    t('RETURNED', 'CLOSED', 'return-rounds-exhausted', 'Art.4', 'policy'),
    t('SITE_VISIT', 'DECISION', 'site-visit-recorded', 'Art.4'),
    t('DECISION', 'APPROVED', 'approve', 'Art.5'),
    t('DECISION', 'REJECTED', 'reject', 'Art.7'),
    // No dead ends: an accreditation stalled (a review overdue after its escalations) or failed may be closed by an admin.
    t('SUBMITTED', 'CLOSED', 'stalled-closed', 'Art.4', 'policy'),
    t('SCREENING', 'CLOSED', 'stalled-closed', 'Art.4', 'policy'),
    t('UNDER_REVIEW', 'CLOSED', 'stalled-closed', 'Art.4', 'policy'),
    t('SITE_VISIT', 'CLOSED', 'stalled-closed', 'Art.4', 'policy'),
    t('DECISION', 'CLOSED', 'stalled-closed', 'Art.4', 'policy'),
  ]),
});

/**
 * Checks a status change of an application against the table and returns the
 * transition (with its trigger and article).
 * @throws InvalidTransitionError (409, `INVALID_TRANSITION`) otherwise.
 */
export function assertTransition(from: ApplicationStatus, to: ApplicationStatus, trigger?: ApplicationTrigger) {
  return assertLifecycleTransition(APPLICATION_LIFECYCLE, from, to, trigger);
}

/** True when the table allows `from` → `to`. */
export function canTransition(from: ApplicationStatus, to: ApplicationStatus): boolean {
  return APPLICATION_LIFECYCLE.transitions.some((x) => x.from === from && x.to === to);
}

/** The application lifecycle as a Mermaid state diagram. */
export function applicationLifecycleMermaid(): string {
  return lifecycleToMermaid(APPLICATION_LIFECYCLE);
}
