/**
 * Exam sessions of a site (Art.13–14).
 *
 * STUB until the sessions store lands (issue 9, item 1, branch `sessions`):
 * withdrawal (Art.22) and revocation need only these two functions; with no
 * sessions recorded yet there is none open and none to cancel. Whoever lands
 * second keeps the real module.
 */

/** Sessions of a site that are SCHEDULED or IN_PROGRESS (Art.22 "在没有组织考试的情况下"). */
export async function openSessionsOf(_siteId: string): Promise<Array<{ sessionId: string; status: 'SCHEDULED' | 'IN_PROGRESS' }>> {
  return [];
}

/** Cancels the site's scheduled sessions on revocation (idempotent); returns the ids cancelled. */
export async function cancelOpenSessions(_siteId: string, _reason: { readonly at: string; readonly article: string; readonly revocationId: string }): Promise<string[]> {
  return [];
}
