import type { SiteTrigger } from '../site-lifecycle.ts';
import type { REVOCATION_CAUSE_VALUES } from '../../../schemas/events/site-revoked.schema.ts';

interface RevocationCauseRule {
  readonly article: string;
  readonly trigger: SiteTrigger;
  readonly decidedBy: 'timer' | 'admin' | 'reviewer';
  readonly authorityNotice: 'regulation' | 'policy';
}

/**
 * The causes for which a site is revoked, each with its article and lifecycle
 * trigger, and who must be told. Art.21 names the provincial education
 * authority for revocation after failed rectification (regulation); for the
 * Art.23 causes the notice is the organisation's policy.
 */
export const REVOCATION_CAUSES = Object.freeze({
  inactivity: { article: 'Art.23(1)', trigger: 'revoke-inactivity', decidedBy: 'timer', authorityNotice: 'policy' },
  'standards-breach': { article: 'Art.23(2)', trigger: 'revoke-standards-breach', decidedBy: 'admin', authorityNotice: 'policy' },
  misconduct: { article: 'Art.23(3)', trigger: 'revoke-misconduct', decidedBy: 'admin', authorityNotice: 'policy' },
  'failed-rectification': { article: 'Art.21', trigger: 'revoke-failed-rectification', decidedBy: 'reviewer', authorityNotice: 'regulation' },
} as const satisfies Record<(typeof REVOCATION_CAUSE_VALUES)[number], RevocationCauseRule>);

export type RevocationCause = keyof typeof REVOCATION_CAUSES;

export const REVOCATION_CAUSE_NAMES = Object.keys(REVOCATION_CAUSES) as RevocationCause[];

const DAY_MS = 86_400_000;

/**
 * Due process (policy): before a person revokes a site, the site is told and
 * may answer within `days`; an urgent revocation (with its reason) skips the
 * window. Returns the end of the window, or undefined when there is none.
 */
export function representationWindowEnd(openedAt: string, days: number, urgent: boolean): string | undefined {
  if (urgent || days <= 0) return undefined;
  return new Date(Date.parse(openedAt) + days * DAY_MS).toISOString();
}

/** Four eyes: the person who decides a revocation is not the one who opened it. */
export function sameRevocationActor(openedBy: string, decidedBy: string): boolean {
  return openedBy === decidedBy;
}
