import { describe, expect, it } from 'vitest';
import {
  APPLICATION_LIFECYCLE,
  APPLICATION_STATUSES,
  type ApplicationStatus,
  applicationLifecycleMermaid,
  assertTransition,
  canTransition,
} from '../../../functions/domain/application-lifecycle.ts';
import { InvalidTransitionError } from '../../../functions/domain/accreditation-errors.ts';
import {
  SITE_LIFECYCLE,
  SITE_STATUSES,
  type SiteStatus,
  assertSiteTransition,
  siteLifecycleMermaid,
} from '../../../functions/domain/site-lifecycle.ts';

describe('application-lifecycle', () => {
  describe('assertTransition', () => {
    it.each(APPLICATION_LIFECYCLE.transitions.map((t) => [t.from, t.to, t.trigger, t.article] as const))(
      'allows %s → %s on %s (%s)',
      (from, to, trigger, article) => {
        expect(assertTransition(from, to, trigger)).toMatchObject({ from, to, trigger, article });
      },
    );

    it.each([
      ['DRAFT', 'APPROVED'],
      ['DRAFT', 'SCREENING'],
      ['SUBMITTED', 'UNDER_REVIEW'],
      ['SCREENING', 'APPROVED'],
      ['UNDER_REVIEW', 'DECISION'],
      ['SITE_VISIT', 'APPROVED'],
      ['RETURNED', 'UNDER_REVIEW'],
      ['APPROVED', 'REJECTED'],
      ['REJECTED', 'SUBMITTED'],
      ['CLOSED', 'SUBMITTED'],
    ] as Array<[ApplicationStatus, ApplicationStatus]>)('refuses %s → %s with INVALID_TRANSITION (409)', (from, to) => {
      let error: unknown;
      try {
        assertTransition(from, to);
      } catch (e) {
        error = e;
      }

      expect(error).toBeInstanceOf(InvalidTransitionError);
      expect((error as InvalidTransitionError).toBody()).toMatchObject({ code: 'INVALID_TRANSITION' });
      expect((error as InvalidTransitionError).kind).toBe('conflict');
      expect((error as InvalidTransitionError).zh).toContain(`${from}`);
    });

    it('refuses a known pair under a trigger that does not belong to it', () => {
      expect(() => assertTransition('RETURNED', 'CLOSED', 'approve')).toThrow(InvalidTransitionError);
      expect(assertTransition('RETURNED', 'CLOSED', 'return-rounds-exhausted').basis).toBe('policy');
    });

    it('lets no transition leave a terminal status', () => {
      for (const terminal of APPLICATION_LIFECYCLE.terminal) {
        for (const to of APPLICATION_STATUSES) expect(canTransition(terminal, to)).toBe(false);
      }
    });

    it('reaches every status from DRAFT', () => {
      const seen = new Set<ApplicationStatus>(['DRAFT']);
      let grew = true;
      while (grew) {
        const before = seen.size;
        for (const t of APPLICATION_LIFECYCLE.transitions) if (seen.has(t.from)) seen.add(t.to);
        grew = seen.size > before;
      }
      expect([...seen].sort()).toEqual([...APPLICATION_STATUSES].sort());
    });
  });

  describe('applicationLifecycleMermaid', () => {
    it('draws one edge per pair of statuses with its triggers and articles', () => {
      const diagram = applicationLifecycleMermaid();
      const pairs = new Set(APPLICATION_LIFECYCLE.transitions.map((t) => `${t.from} --> ${t.to}`));

      expect(diagram.startsWith('stateDiagram-v2\n  [*] --> DRAFT\n')).toBe(true);
      for (const pair of pairs) expect(diagram.split('\n').filter((l) => l.trim().startsWith(`${pair}:`))).toHaveLength(1);
      expect(diagram).toContain('RETURNED --> CLOSED: return-deadline-expired (policy, Art.4) / return-rounds-exhausted (policy, Art.4)');
      expect(diagram).toContain('SCREENING --> REJECTED: screening-refused (Art.3(2))');
    });
  });
});

describe('site-lifecycle', () => {
  describe('assertSiteTransition', () => {
    it.each(SITE_LIFECYCLE.transitions.map((t) => [t.from, t.to, t.trigger, t.article] as const))(
      'allows %s → %s on %s (%s)',
      (from, to, trigger, article) => {
        expect(assertSiteTransition(from, to, trigger)).toMatchObject({ article });
      },
    );

    it.each([
      ['SUSPENDED', 'WITHDRAWN'],
      ['REVOKED', 'ACTIVE'],
      ['WITHDRAWN', 'ACTIVE'],
      ['REVOKED', 'SUSPENDED'],
      ['ACTIVE', 'ACTIVE'],
    ] as Array<[SiteStatus, SiteStatus]>)('refuses %s → %s with INVALID_TRANSITION', (from, to) => {
      expect(() => assertSiteTransition(from, to)).toThrow(InvalidTransitionError);
    });

    it('does not revoke a suspended site for inactivity, since time suspended does not count (Art.23(1))', () => {
      expect(() => assertSiteTransition('SUSPENDED', 'REVOKED', 'revoke-inactivity')).toThrow(InvalidTransitionError);
      expect(assertSiteTransition('ACTIVE', 'REVOKED', 'revoke-inactivity').article).toBe('Art.23(1)');
    });

    it('lets a suspended site return to ACTIVE after a passed rectification review (Art.21)', () => {
      expect(assertSiteTransition('SUSPENDED', 'ACTIVE')).toMatchObject({ trigger: 'rectification-passed', article: 'Art.21' });
    });

    it('lets a site withdraw only while ACTIVE (Art.22)', () => {
      const froms = SITE_LIFECYCLE.transitions.filter((t) => t.to === 'WITHDRAWN').map((t) => t.from);
      expect(froms).toEqual(['ACTIVE']);
    });
  });

  it('draws the site lifecycle with both terminal statuses', () => {
    const diagram = siteLifecycleMermaid();

    for (const state of SITE_STATUSES) expect(diagram).toContain(state);
    expect(diagram).toContain('REVOKED --> [*]');
    expect(diagram).toContain('WITHDRAWN --> [*]');
    expect(diagram).toContain('ACTIVE --> WITHDRAWN: withdraw (Art.22)');
  });
});
