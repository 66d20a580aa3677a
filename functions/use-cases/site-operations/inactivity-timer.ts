/**
 * The two-year inactivity timer of a site (Art.23(1)).
 *
 * STUB until the timer lands (issue 9, item 2, branch `sessions`): with no
 * schedule armed yet there is nothing to remove. Whoever lands second keeps
 * the real module.
 */

/** Removes the site's inactivity schedule (on withdrawal or revocation); idempotent. */
export async function disarmInactivityTimer(_siteId: string): Promise<void> {}
