import { describe, expect, it } from 'vitest';
import { REAUTH_INTERVAL_MS, shouldSignInAgain } from '../../../web/src/reauth.ts';

describe('web/src/reauth', () => {
  describe('shouldSignInAgain', () => {
    const now = 1_800_000_000_000;

    it('signs in again on a 401 when it has not done so before in this tab', () => {
      expect(shouldSignInAgain(null, now)).toBe(true);
      expect(shouldSignInAgain('not a time', now)).toBe(true);
    });

    it('does not sign in again within a minute of the last automatic sign-in, so a token the API never accepts cannot loop', () => {
      expect(REAUTH_INTERVAL_MS).toBe(60_000);
      expect(shouldSignInAgain(String(now - 59_999), now)).toBe(false);
      expect(shouldSignInAgain(String(now), now)).toBe(false);
    });

    it('signs in again once the minute has passed, or when the stored time is in the future (clock changed)', () => {
      expect(shouldSignInAgain(String(now - 60_000), now)).toBe(true);
      expect(shouldSignInAgain(String(now + 10_000), now)).toBe(true);
    });
  });
});
