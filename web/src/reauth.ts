/**
 * When the API answers 401 — the JWT authorizer's own `{"message":"Unauthorized"}`
 * (token expired, or signed by keys the issuer rotated) — the portal forgets
 * the session and signs in again, coming back to the page the user was on.
 * At most once a minute: a token the API never accepts (a wrong audience)
 * must not bounce the browser between the portal and the issuer for ever;
 * the page then shows the sign-in message instead.
 *
 * No DOM here: the caller passes the stored time and the clock.
 */

/** Minimum time between two automatic sign-ins. */
export const REAUTH_INTERVAL_MS = 60_000;

/** sessionStorage key of the last automatic sign-in (a time, nothing secret). */
export const REAUTH_KEY = 'exam-site.reauth-at';

/** Whether to sign in again now, given the stored time of the last automatic sign-in. */
export function shouldSignInAgain(lastAt: string | null, now: number): boolean {
  const last = Number(lastAt ?? Number.NaN);
  return !Number.isFinite(last) || now - last >= REAUTH_INTERVAL_MS || now < last;
}
