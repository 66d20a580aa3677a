import type { PutEventsEntry, PutEventsResult } from '../../../local/stepfunctions/index.ts';
import type { FakeFunction } from '../../workflows/helpers/workflow-harness.ts';

/**
 * Fake task functions that answer as the real ones do as far as the
 * workflows can tell (the same shapes as test/workflows), each recording the
 * effects it had, so a run with injected faults can be compared with a clean
 * one: same states, same effects, each once.
 */

const DAY = 86_400;
type Payload = Record<string, unknown>;

/** Effects the fakes had, in order: `function:what`. */
export type Effects = string[];

export const ACCREDITATION_INPUT = { applicationId: '01JAPPLICATION0000000000001', institutionId: '12440100455861238H' };
const ACCREDITATION_DEADLINES = { returnSeconds: 14 * DAY, reviewSeconds: 10 * DAY, reminderSeconds: 48 * 3600, siteVisitSeconds: 30 * DAY, decisionSeconds: 10 * DAY };

/** The accreditation's task functions (and the decision-task child's), on the happy path. */
export function accreditationFakes(effects: Effects): Record<string, FakeFunction> {
  const decided = (outcome: string, status: string) => ({ version: 1, eventId: 'e', ...ACCREDITATION_INPUT, status, outcome, article: 'Art.4', decidedAt: '2025-01-01T00:00:00.000Z' });
  return {
    ...decisionTaskFakes(effects),
    'screen-application': (payload) => {
      const p = payload as Payload;
      effects.push('screen-application');
      return { applicationId: p.applicationId, institutionId: p.institutionId, outcome: 'pass', round: 1, returnsSoFar: 0, maxReturnRounds: 3, findingsCount: 0, deadlines: ACCREDITATION_DEADLINES };
    },
    'record-outcome': (payload) => {
      const outcome = String((payload as Payload).outcome);
      effects.push(`record-outcome:${outcome}`);
      return outcome === 'return' || outcome === 'error' ? {} : { applicationDecided: decided(outcome, outcome === 'close' ? 'CLOSED' : 'REJECTED') };
    },
    'activate-site': () => {
      effects.push('activate-site');
      return {
        applicationDecided: { ...decided('approve', 'APPROVED'), siteId: 'S1' },
        siteActivated: { version: 1, eventId: 'e', siteId: 'S1', certificateNumber: 'CBEC-440000-2025-ABCDEF' },
      };
    },
  };
}

export const ASSESSMENT_INPUT = { campaignId: 'C1', siteId: 'S1', applicationId: 'A1', institutionId: '12440100455861238H', deadlines: { decisionSeconds: 10 * DAY, reminderSeconds: 48 * 3600 } };

export const RECTIFICATION_INPUT = { rectificationId: 'C1', siteId: 'S1', applicationId: 'A1', institutionId: '12440100455861238H', reportSeconds: 30 * DAY, deadlines: ASSESSMENT_INPUT.deadlines };

/** The site-assessment's step function (a suspension, confirmed by a second reviewer), the rectification's, and the decision-task child's. */
export function assessmentFakes(effects: Effects): Record<string, FakeFunction> {
  return {
    ...decisionTaskFakes(effects),
    'site-assessment-step': (payload) => {
      const p = payload as Payload & { action: string; decision?: { outcome?: string } };
      effects.push(`site-assessment-step:${p.action}:${p.decision?.outcome ?? ''}`);
      if (p.action === 'apply') return { route: 'confirm', outcome: 'suspend-and-rectify', assessorSub: 'reviewer-a' };
      if (p.action === 'confirm') return { confirmation: p.decision?.outcome };
      return {};
    },
    'site-rectification-step': (payload) => {
      const p = payload as Payload & { action: string; decision?: { outcome?: string } };
      effects.push(`site-rectification-step:${p.action}:${p.decision?.outcome ?? ''}`);
      if (p.action === 'review') return { rectificationId: p.rectificationId, status: p.decision?.outcome === 'pass' ? 'passed' : 'failed' };
      return { rectificationId: p.rectificationId, status: p.action };
    },
  };
}

export const EXIT_SITE = { siteId: 'S1', applicationId: 'A1', institutionId: '12440100455861238H' };
const EXIT_DEADLINES = { decisionSeconds: 10 * DAY, reminderSeconds: 48 * 3600, representationSeconds: 14 * DAY };
export const WITHDRAWAL_INPUT = { withdrawalId: 'W1', ...EXIT_SITE, deadlines: EXIT_DEADLINES };
export const REVOCATION_INPUT = { revocationId: 'R1', ...EXIT_SITE, openedBy: 'admin-a', deadlines: EXIT_DEADLINES, cause: 'misconduct', route: 'representation' };

/** The withdrawal's and the revocation's step functions (Art.22, Art.23(3)) and the decision-task child's. */
export function siteExitFakes(effects: Effects): Record<string, FakeFunction> {
  const step = (name: string) => (payload: unknown) => {
    const p = payload as Payload & { action: string };
    effects.push(`${name}:${p.action}`);
    switch (p.action) {
      case 'agree':
        return { withdrawalId: p.withdrawalId, status: 'withdrawn' };
      case 'revoke':
        return { revocationId: p.revocationId, status: 'revoked', siteRevoked: { version: 1, eventId: 'revocation-R1#RevokeSite', siteId: EXIT_SITE.siteId, cause: 'misconduct', article: 'Art.23(3)' } };
      default:
        return { ...(p.withdrawalId ? { withdrawalId: p.withdrawalId } : { revocationId: p.revocationId }), status: String(p.action) };
    }
  };
  return { ...decisionTaskFakes(effects), 'site-withdrawal-step': step('site-withdrawal-step'), 'site-revocation-step': step('site-revocation-step') };
}

function decisionTaskFakes(effects: Effects): Record<string, FakeFunction> {
  const timeouts = new Map<string, number>();
  return {
    'open-decision-task': (payload) => {
      effects.push(`open-decision-task:${String((payload as Payload).kind)}`);
      return { opened: true };
    },
    'escalate-decision': (payload) => {
      const p = payload as { maxEscalations: number; audit: { executionName: string } };
      const count = (timeouts.get(p.audit.executionName) ?? 0) + 1;
      timeouts.set(p.audit.executionName, count);
      effects.push('escalate-decision');
      return { timeouts: count, overdue: count > p.maxEscalations };
    },
    'remind-decision': () => {
      effects.push('remind-decision');
      return { reminded: true };
    },
  };
}

/** The transient errors a Lambda task meets: the service's own, throttling, and ours (a DynamoDB throttle or lost race, as `taskHandler` reports it). */
export const TRANSIENT_ERRORS = ['Lambda.ServiceException', 'TransientError', 'Lambda.TooManyRequestsException', 'Lambda.SdkClientException'] as const;

/**
 * Wraps fakes so that every task invocation fails once with a transient
 * error before it succeeds: the first call with a given payload (the task
 * token aside, which a retry of a callback task gets anew) throws, and
 * Step Functions' retry (same payload) gets the answer.
 */
export function failingOnce(fakes: Record<string, FakeFunction>, injected: string[]): Record<string, FakeFunction> {
  const seen = new Set<string>();
  return Object.fromEntries(
    Object.entries(fakes).map(([name, fn]) => [
      name,
      (payload: unknown) => {
        const { taskToken: _token, ...rest } = (payload ?? {}) as Payload;
        const key = `${name}:${JSON.stringify(rest)}`;
        if (!seen.has(key)) {
          seen.add(key);
          const error = new Error(`injected transient failure of ${name}`);
          error.name = TRANSIENT_ERRORS[injected.length % TRANSIENT_ERRORS.length]!;
          injected.push(`${name}:${error.name}`);
          throw error;
        }
        return fn(payload);
      },
    ]),
  );
}

/**
 * A `putEvents` answer for the harness that refuses each distinct set of
 * entries once (EventBridge's `FailedEntryCount`, an internal failure of the
 * entry), so every `events:putEvents` task is retried once.
 */
export function putEventsFailingOnce(injected: string[]): (entries: PutEventsEntry[]) => PutEventsResult | undefined {
  const seen = new Set<string>();
  return (entries) => {
    const key = JSON.stringify(entries.map((e) => [e.DetailType, e.Detail]));
    if (seen.has(key)) return undefined;
    seen.add(key);
    injected.push(`events:putEvents:${entries.map((e) => e.DetailType).join(',')}`);
    return { FailedEntryCount: entries.length, Entries: entries.map(() => ({ ErrorCode: 'InternalFailure', ErrorMessage: 'injected' })) };
  };
}
