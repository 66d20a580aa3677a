import { SITE_STATUSES, type SiteStatus } from '../../schemas/statuses.ts';
import { type Lifecycle, type Transition, assertLifecycleTransition, lifecycleToMermaid } from './lifecycle-table.ts';

export { SITE_STATUSES, type SiteStatus };

export const SITE_TRIGGERS = [
  'suspend',
  'rectification-passed',
  'revoke-failed-rectification',
  'revoke-inactivity',
  'revoke-standards-breach',
  'revoke-misconduct',
  'withdraw',
] as const;
export type SiteTrigger = (typeof SITE_TRIGGERS)[number];

const t = (from: SiteStatus, to: SiteStatus, trigger: SiteTrigger, article: string): Transition<SiteStatus, SiteTrigger> =>
  Object.freeze({ from, to, trigger, article, basis: 'regulation' as const });

/**
 * The site lifecycle. Art.21: a failing site is warned, suspended or given a
 * rectification deadline, and revoked when it still fails. Art.22: a site
 * with no exam may withdraw. Art.23: revocation for two years of inactivity,
 * for not following the standards, or for misconduct. Inactivity is not a
 * cause while SUSPENDED: time suspended by the organisation does not count.
 */
export const SITE_LIFECYCLE: Lifecycle<SiteStatus, SiteTrigger> = Object.freeze({
  entity: 'site',
  states: SITE_STATUSES,
  initial: 'ACTIVE',
  terminal: Object.freeze(['REVOKED', 'WITHDRAWN'] as const),
  transitions: Object.freeze([
    t('ACTIVE', 'SUSPENDED', 'suspend', 'Art.21'),
    t('SUSPENDED', 'ACTIVE', 'rectification-passed', 'Art.21'),
    t('ACTIVE', 'REVOKED', 'revoke-failed-rectification', 'Art.21'),
    t('ACTIVE', 'REVOKED', 'revoke-inactivity', 'Art.23(1)'),
    t('ACTIVE', 'REVOKED', 'revoke-standards-breach', 'Art.23(2)'),
    t('ACTIVE', 'REVOKED', 'revoke-misconduct', 'Art.23(3)'),
    t('SUSPENDED', 'REVOKED', 'revoke-failed-rectification', 'Art.21'),
    t('SUSPENDED', 'REVOKED', 'revoke-standards-breach', 'Art.23(2)'),
    t('SUSPENDED', 'REVOKED', 'revoke-misconduct', 'Art.23(3)'),
    t('ACTIVE', 'WITHDRAWN', 'withdraw', 'Art.22'),
  ]),
});

/**
 * Checks a status change of a site against the table and returns the
 * transition (by `trigger` when given, e.g. to cite Art.23(1) rather than Art.21).
 * @throws InvalidTransitionError (409, `INVALID_TRANSITION`) otherwise.
 */
export function assertSiteTransition(from: SiteStatus, to: SiteStatus, trigger?: SiteTrigger) {
  return assertLifecycleTransition(SITE_LIFECYCLE, from, to, trigger);
}

/** True when the table allows `from` → `to`. */
export function canSiteTransition(from: SiteStatus, to: SiteStatus): boolean {
  return SITE_LIFECYCLE.transitions.some((x) => x.from === from && x.to === to);
}

/** The site lifecycle as a Mermaid state diagram. */
export function siteLifecycleMermaid(): string {
  return lifecycleToMermaid(SITE_LIFECYCLE);
}
