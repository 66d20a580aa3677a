import { describe, expect, it } from 'vitest';
import {
  DEFAULT_INACTIVITY_POLICY as POLICY,
  afterRestored,
  afterWarned,
  afterSessionHeld,
  afterSuspended,
  classifyFire,
  inactivityDeadline,
  milestoneExecutionName,
  milestones,
  nextMilestone,
  type InactivityState,
  type MilestoneKind,
} from '../../../../functions/domain/site-operations/inactivity.ts';

const ACTIVATED = '2027-01-01T00:00:00.000Z';
const fresh: InactivityState = { anchorAt: ACTIVATED, suspendedMs: 0, warned: [] };
const warned = (...kinds: MilestoneKind[]): InactivityState => kinds.reduce(afterWarned, fresh);
const day = (n: number) => new Date(Date.parse(ACTIVATED) + n * 86_400_000).toISOString();

describe('inactivity (Art.23(1))', () => {
  describe('milestones', () => {
    it('warns 90 and 30 days before, and revokes 730 days after activation when no session was held', () => {
      expect(milestones(fresh, POLICY)).toEqual([
        { kind: 'warn-90', at: day(640) },
        { kind: 'warn-30', at: day(700) },
        { kind: 'revoke', at: day(730) },
      ]);
    });

    it('starts a new period from a held session', () => {
      const state = afterSessionHeld(fresh, day(500));
      expect(inactivityDeadline(state, POLICY)).toBe(day(1230));
    });

    it('keeps the period when a session is recorded as held before the current anchor', () => {
      const later = afterSessionHeld(fresh, day(500));
      expect(afterSessionHeld(later, day(100))).toBe(later);
    });

    it('pauses while SUSPENDED and adds the suspended time to the deadline (time suspended does not count)', () => {
      const suspended = afterSuspended(fresh, day(100));
      expect(inactivityDeadline(suspended, POLICY)).toBeUndefined();
      expect(milestones(suspended, POLICY)).toEqual([]);
      const restored = afterRestored(suspended, day(160));
      expect(inactivityDeadline(restored, POLICY)).toBe(day(790));
    });

    it('counts only the suspended time after the anchor', () => {
      const suspended = afterSuspended(fresh, day(100));
      const restored = afterRestored({ ...suspended, anchorAt: day(120) }, day(130));
      expect(restored.suspendedSince).toBeUndefined();
      expect(restored.suspendedMs).toBe(10 * 86_400_000);
    });

    it('drops a warning that would fall before the start of the period (short policies)', () => {
      expect(milestones(fresh, { inactivityDays: 60, warningDays: [90, 30] }).map((m) => m.kind)).toEqual(['warn-30', 'revoke']);
    });

    it('arms the first milestone not yet done', () => {
      expect(nextMilestone(warned('warn-90'), POLICY)).toEqual({ kind: 'warn-30', at: day(700) });
    });
  });

  describe('classifyFire', () => {
    const fire = (over: Partial<Parameters<typeof classifyFire>[0]>) =>
      classifyFire({ status: 'ACTIVE', state: fresh, policy: POLICY, fired: { kind: 'warn-90', at: day(640) }, now: day(640), ...over });

    it('warns at T-90 with the deadline', () => {
      expect(fire({})).toEqual({ action: 'warn', milestone: { kind: 'warn-90', at: day(640) }, deadline: day(730) });
    });

    it('revokes at the deadline once both warnings were sent', () => {
      expect(fire({ state: warned('warn-90', 'warn-30'), fired: { kind: 'revoke', at: day(730) }, now: day(730) })).toEqual({ action: 'revoke', milestone: { kind: 'revoke', at: day(730) } });
    });

    it('treats a fire armed before a held session as stale: re-arms the new period and revokes nothing', () => {
      const verdict = fire({ state: afterSessionHeld(warned('warn-90', 'warn-30'), day(548)), fired: { kind: 'revoke', at: day(730) }, now: day(730) });
      expect(verdict).toEqual({ action: 'rearm', rearm: { kind: 'warn-90', at: day(548 + 640) }, reason: 'stale' });
    });

    it('does nothing more on a duplicate fire of a warning already sent', () => {
      expect(fire({ state: warned('warn-90') })).toEqual({ action: 'rearm', rearm: { kind: 'warn-30', at: day(700) }, reason: 'already-done' });
    });

    it('does nothing while SUSPENDED, and nothing once the site ended', () => {
      expect(fire({ status: 'SUSPENDED', state: afterSuspended(fresh, day(600)) })).toEqual({ action: 'rearm', reason: 'paused' });
      expect(fire({ status: 'WITHDRAWN' })).toEqual({ action: 'rearm', reason: 'ended' });
      expect(fire({ status: 'REVOKED' })).toEqual({ action: 'rearm', reason: 'ended' });
    });

    it('re-arms a fire that came early for its real time', () => {
      expect(fire({ now: day(639) })).toEqual({ action: 'rearm', rearm: { kind: 'warn-90', at: day(640) }, reason: 'not-due' });
    });

    it('acts on a late fire (the scheduler may fire after its time)', () => {
      expect(fire({ now: day(660) }).action).toBe('warn');
    });
  });

  describe('milestoneExecutionName', () => {
    it('is the same for the same milestone and different for another period', () => {
      const a = milestoneExecutionName('S1', { kind: 'revoke', at: day(730) });
      expect(a).toBe(milestoneExecutionName('S1', { kind: 'revoke', at: day(730) }));
      expect(a).not.toBe(milestoneExecutionName('S1', { kind: 'revoke', at: day(731) }));
      expect(a).toMatch(/^[0-9A-Za-z_-]{1,80}$/);
    });
  });
});
