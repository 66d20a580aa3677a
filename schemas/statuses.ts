/**
 * The statuses of the two records, as the API and the stored records name
 * them. The lifecycle tables in `functions/domain/` say which transitions
 * between them are allowed; this module only lists them, so that schemas and
 * the portal can use them without importing the Lambda code.
 */

/** Statuses of an application (one per attempt; a rejected college may apply again with a new one). */
export const APPLICATION_STATUSES = [
  'DRAFT',
  'SUBMITTED',
  'SCREENING',
  'UNDER_REVIEW',
  'RETURNED',
  'SITE_VISIT',
  'DECISION',
  'APPROVED',
  'REJECTED',
  'CLOSED',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/**
 * Statuses of an accredited site. Evaluation, rectification and warnings are
 * processes and marks attached to a site, not statuses: a site being
 * evaluated or rectifying stays ACTIVE unless it is SUSPENDED.
 */
export const SITE_STATUSES = ['ACTIVE', 'SUSPENDED', 'REVOKED', 'WITHDRAWN'] as const;
export type SiteStatus = (typeof SITE_STATUSES)[number];

/** Stored statuses of an exam session (Art.13–14); `IN_PROGRESS` is shown, not stored. */
export const SESSION_STATUSES = ['SCHEDULED', 'HELD', 'CANCELLED'] as const;
/** Statuses a reader sees: a SCHEDULED session between its start and end is in progress. */
export const SESSION_VIEW_STATUSES = ['SCHEDULED', 'IN_PROGRESS', 'HELD', 'CANCELLED'] as const;
