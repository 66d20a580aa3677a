import { describe, expect, it } from 'vitest';
import { countsAsHeld, refuseExamActivity, refuseSessionPlan, refuseWithdrawal } from '../../../../functions/domain/site-operations/operating-rules.ts';
import { candidateIdHash, canonicalIdNumber, maskIdNumber } from '../../../../functions/domain/site-operations/candidate-identity.ts';
import { REVOCATION_CAUSES, representationWindowEnd, sameRevocationActor } from '../../../../functions/domain/site-operations/revocation-causes.ts';

const NOW = '2027-03-01T00:00:00.000Z';
const rooms = [
  { name: 'A101', capacity: 40 },
  { name: 'A102', capacity: 20 },
];
const plan = { rooms, roomNames: ['A101'], capacity: 40, startsAt: '2027-04-01T01:00:00.000Z', endsAt: '2027-04-01T03:00:00.000Z', now: NOW };

describe('operating rules', () => {
  describe('refuseExamActivity', () => {
    it('lets an ACTIVE site schedule and hold sessions', () => {
      expect(refuseExamActivity('ACTIVE')).toBeUndefined();
    });
    it.each([
      ['SUSPENDED', 'SITE_SUSPENDED', 'Art.21'],
      ['WITHDRAWN', 'SITE_WITHDRAWN', 'Art.22'],
      ['REVOKED', 'SITE_REVOKED', 'Art.23'],
    ] as const)('refuses a %s site with %s (%s)', (status, code, article) => {
      expect(refuseExamActivity(status)).toMatchObject({ code, article });
    });
  });

  describe('refuseSessionPlan', () => {
    it('accepts a session in an accredited room within its capacity', () => {
      expect(refuseSessionPlan(plan)).toEqual([]);
    });
    it('refuses a room the site was not accredited for (Art.9(2))', () => {
      expect(refuseSessionPlan({ ...plan, roomNames: ['B201'] }).map((r) => r.code)).toContain('SESSION_ROOM_NOT_ACCREDITED');
    });
    it('refuses more candidates than the rooms seat at once, naming both figures', () => {
      const [refusal] = refuseSessionPlan({ ...plan, roomNames: ['A102'], capacity: 40 });
      expect(refusal).toMatchObject({ code: 'SESSION_OVER_CAPACITY', article: 'Art.9(2)' });
      expect(refusal!.en).toContain('40');
      expect(refusal!.en).toContain('20');
    });
    it('adds the capacity of several rooms and refuses a room listed twice', () => {
      expect(refuseSessionPlan({ ...plan, roomNames: ['A101', 'A102'], capacity: 60 })).toEqual([]);
      expect(refuseSessionPlan({ ...plan, roomNames: ['A102', 'A102'], capacity: 20 }).map((r) => r.code)).toEqual(['SESSION_ROOM_REPEATED']);
    });
    it('refuses a session in the past or ending before it starts', () => {
      const codes = refuseSessionPlan({ ...plan, startsAt: '2027-02-01T00:00:00.000Z', endsAt: '2027-01-31T00:00:00.000Z' }).map((r) => r.code);
      expect(codes).toEqual(['SESSION_IN_THE_PAST', 'SESSION_ENDS_BEFORE_START']);
    });
  });

  describe('refuseWithdrawal (Art.22)', () => {
    it('refuses while a session is scheduled or in progress', () => {
      expect(refuseWithdrawal('ACTIVE', [{ sessionId: 's1', status: 'SCHEDULED' }])).toMatchObject({ code: 'EXAM_SESSION_OPEN', article: 'Art.22' });
      expect(refuseWithdrawal('ACTIVE', [{ sessionId: 's1', status: 'IN_PROGRESS' }])).toMatchObject({ code: 'EXAM_SESSION_OPEN' });
    });
    it('allows it when every session is held or cancelled', () => {
      expect(refuseWithdrawal('ACTIVE', [{ sessionId: 's1', status: 'HELD' }, { sessionId: 's2', status: 'CANCELLED' }])).toBeUndefined();
    });
    it('refuses a site that is not ACTIVE', () => {
      expect(refuseWithdrawal('SUSPENDED', [])).toMatchObject({ code: 'WITHDRAWAL_NOT_ALLOWED' });
    });
  });

  describe('countsAsHeld (Art.14, Art.23(1) policy)', () => {
    it('counts a session with one candidate present and not an empty one', () => {
      expect(countsAsHeld([{ present: false }, { present: true }])).toBe(true);
      expect(countsAsHeld([{ present: false }])).toBe(false);
      expect(countsAsHeld([])).toBe(false);
    });
  });
});

describe('candidate identity (PIPL)', () => {
  const ID = '11010519491231002X';
  it('canonicalises and checks the number', () => {
    expect(canonicalIdNumber(' 11010519491231002x ')).toBe(ID);
    expect(canonicalIdNumber('110105194912310021')).toBeUndefined();
  });
  it('hashes with the key: equal numbers match, another key does not', () => {
    expect(candidateIdHash('k1', ID)).toBe(candidateIdHash('k1', ID));
    expect(candidateIdHash('k1', ID)).not.toBe(candidateIdHash('k2', ID));
    expect(candidateIdHash('k1', ID)).not.toContain(ID.slice(6, 14));
  });
  it('masks all but the first 3 and last 4 characters', () => {
    expect(maskIdNumber(ID)).toBe('110***********002X');
  });
});

describe('revocation causes', () => {
  it('cites Art.21 and requires the authority notice for failed rectification; Art.23 causes notify by policy', () => {
    expect(REVOCATION_CAUSES['failed-rectification']).toMatchObject({ article: 'Art.21', authorityNotice: 'regulation' });
    expect(REVOCATION_CAUSES.inactivity).toMatchObject({ article: 'Art.23(1)', trigger: 'revoke-inactivity', authorityNotice: 'policy' });
    expect(REVOCATION_CAUSES.misconduct.article).toBe('Art.23(3)');
  });
  it('gives a representation window unless urgent, and refuses the opener as decider', () => {
    expect(representationWindowEnd('2027-01-01T00:00:00.000Z', 14, false)).toBe('2027-01-15T00:00:00.000Z');
    expect(representationWindowEnd('2027-01-01T00:00:00.000Z', 14, true)).toBeUndefined();
    expect(sameRevocationActor('admin-1', 'admin-1')).toBe(true);
    expect(sameRevocationActor('admin-1', 'admin-2')).toBe(false);
  });
});
