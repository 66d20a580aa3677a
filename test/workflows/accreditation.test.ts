import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkflowTestHarness } from './helpers/workflow-harness.ts';

/**
 * Every branch of workflows/accreditation (with its decision-task children,
 * started by startExecution.sync:2) and of workflows/decision-reminder on the
 * local engine, with fake task
 * functions and the virtual clock.
 */
const DAY = 86_400;
const DEADLINES = { returnSeconds: 14 * DAY, reviewSeconds: 10 * DAY, reminderSeconds: 48 * 3600, siteVisitSeconds: 30 * DAY, decisionSeconds: 10 * DAY };
const MAX_RETURN_ROUNDS = 3;
const INPUT = { applicationId: '01JAPPLICATION0000000000001', institutionId: '12440100455861238H' };
const EXECUTION = `accreditation-${INPUT.applicationId}`;

type Payload = Record<string, unknown>;

interface Fakes {
  /** Screening outcome per round, in order; the last one repeats. */
  screening: Array<'pass' | 'return' | 'refuse'>;
}

function decided(outcome: string, status: string) {
  return { version: 1, eventId: 'e', applicationId: INPUT.applicationId, institutionId: INPUT.institutionId, status, outcome, article: 'Art.4', decidedAt: '2025-01-01T00:00:00.000Z' };
}

/** Fake task functions that behave like the real ones as far as the workflows can tell. */
function fakeFunctions(fakes: Fakes) {
  let screened = 0;
  let returns = 0;
  const timeouts = new Map<string, number>();
  return {
    'screen-application': (payload: unknown) => {
      const outcome = fakes.screening[Math.min(screened, fakes.screening.length - 1)];
      screened += 1;
      const p = payload as Payload;
      return { applicationId: p.applicationId, institutionId: p.institutionId, outcome, round: screened, returnsSoFar: returns, maxReturnRounds: MAX_RETURN_ROUNDS, findingsCount: 2, deadlines: DEADLINES };
    },
    'record-outcome': (payload: unknown) => {
      const outcome = (payload as Payload).outcome;
      if (outcome === 'return') returns += 1;
      if (outcome === 'stall') return { stalled: { stage: 'materialReview', since: '2025-01-31T00:00:00.000Z', reason: 'decision-overdue', why: 'overdue', executionName: EXECUTION } };
      const status = outcome === 'close' ? 'CLOSED' : 'REJECTED';
      return outcome === 'return' || outcome === 'error' ? {} : { applicationDecided: decided(String(outcome), status) };
    },
    'open-decision-task': () => ({ opened: true }),
    // Counts the timeouts of each decision-task execution, as the real one counts its expired decisions.
    'escalate-decision': (payload: unknown) => {
      const p = payload as { maxEscalations: number; audit: { executionName: string } };
      const count = (timeouts.get(p.audit.executionName) ?? 0) + 1;
      timeouts.set(p.audit.executionName, count);
      return { timeouts: count, overdue: count > p.maxEscalations };
    },
    'activate-site': () => ({
      applicationDecided: { ...decided('approve', 'APPROVED'), siteId: 'S1' },
      siteActivated: { version: 1, eventId: 'e', siteId: 'S1', certificateNumber: 'CBEC-440000-2025-ABCDEF' },
    }),
    'remind-decision': () => ({ reminded: true }),
  };
}

const review = (outcome: string, extra: Payload = {}) => ({ outcome, reason: 'checked all materials', findings: [], visitorSub: null, decidedBy: 'reviewer-a', ...extra });
const visited = (outcome: string, visitor = 'reviewer-v') => ({ outcome, recommendation: outcome, findings: [], summary: 'venue as described', reason: 'venue as described', decidedBy: visitor });

/** The happy path's state transitions: 13 in the parent, 2 in each of the three decision-task children. */
const HAPPY_PATH_TRANSITIONS = 19;
/** The budget of issue 8: at most 25 per accreditation. */
const TRANSITION_BUDGET = 25;

describe('accreditation workflow', () => {
  let harness: WorkflowTestHarness;

  const setUp = (fakes: Fakes) => {
    harness = new WorkflowTestHarness({ functions: fakeFunctions(fakes), substitutions: { EventBusName: 'exam-site-test' } });
  };

  afterEach(async () => {
    await harness?.close();
  });

  async function passReviewAndVisit(arn: string, visitor = 'reviewer-v') {
    const material = await harness.nextDecision('material-review', arn);
    await harness.sendTaskSuccess(material.token, review('approve-for-visit', { visitorSub: visitor }));
    const visit = await harness.nextDecision('site-visit', arn);
    await harness.sendTaskSuccess(visit.token, visited('approve', visitor));
    return { material, visit };
  }

  describe('the happy path', () => {
    beforeEach(() => setUp({ screening: ['pass'] }));

    it('screens, reviews, visits, approves by a second reviewer and activates the site with its events (Art.4, Art.5)', async () => {
      const arn = await harness.start('accreditation', INPUT, EXECUTION);
      const { material, visit } = await passReviewAndVisit(arn);
      expect(material.payload).toMatchObject({ kind: 'material-review', applicationId: INPUT.applicationId, timeoutSeconds: DEADLINES.reviewSeconds, reminderSeconds: DEADLINES.reminderSeconds, preferredAssigneeSub: null, excludedSub: null });
      expect(visit.payload).toMatchObject({ kind: 'site-visit', preferredAssigneeSub: 'reviewer-v', timeoutSeconds: DEADLINES.siteVisitSeconds });
      const final = await harness.nextDecision('final-decision', arn);
      expect(final.payload).toMatchObject({ kind: 'final-decision', excludedSub: 'reviewer-v', timeoutSeconds: DEADLINES.decisionSeconds });
      await harness.sendTaskSuccess(final.token, review('approve', { decidedBy: 'reviewer-b' }));

      const result = await harness.result(arn);
      expect(result.status).toBe('SUCCEEDED');
      expect(result.output).toMatchObject({ status: 'APPROVED', siteId: 'S1' });
      expect(harness.statesEntered(arn)).toEqual([
        'RouteStartStage',
        'ScreenApplication',
        'RouteScreeningOutcome',
        'RequestMaterialReview',
        'RouteReviewOutcome',
        'RequestSiteVisit',
        'RouteSiteVisitOutcome',
        'RequestFinalDecision',
        'RouteFinalDecision',
        'ActivateSite',
        'PublishSiteActivated',
        'PublishApplicationDecided',
        'EndAccreditation',
      ]);
      expect(harness.events.map((e) => [e.DetailType, e.EventBusName])).toEqual([
        ['SiteActivated', 'exam-site-test'],
        ['ApplicationDecided', 'exam-site-test'],
      ]);
      expect(JSON.parse(harness.events[0]!.Detail!)).toMatchObject({ siteId: 'S1', certificateNumber: 'CBEC-440000-2025-ABCDEF' });
    });

    it('runs each review as one decision-task child named after the parent step, all three succeeded', async () => {
      const arn = await harness.start('accreditation', INPUT, EXECUTION);
      await passReviewAndVisit(arn);
      await harness.sendTaskSuccess((await harness.nextDecision('final-decision', arn)).token, review('approve', { decidedBy: 'reviewer-b' }));
      await harness.result(arn);
      const children = harness.engine.childExecutions(arn);
      expect(children.map((c) => [c.name, c.status])).toEqual([
        [`${EXECUTION}-review-1`, 'SUCCEEDED'],
        [`${EXECUTION}-visit-1`, 'SUCCEEDED'],
        [`${EXECUTION}-decision-1`, 'SUCCEEDED'],
      ]);
      for (const child of children) expect(harness.statesEntered(child.executionArn)).toEqual(['WaitForDecision', 'EndDecisionTask']);
      expect(JSON.parse(children[0]!.input)).toMatchObject({ kind: 'material-review', stage: 'materialReview', maxEscalations: 2, onOverdue: 'report', deadline: { timeoutSeconds: DEADLINES.reviewSeconds }, AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: arn });
    });

    it(`costs ${HAPPY_PATH_TRANSITIONS} state transitions, parent and children, within the budget of ${TRANSITION_BUDGET}`, async () => {
      const arn = await harness.start('accreditation', INPUT, EXECUTION);
      await passReviewAndVisit(arn);
      await harness.sendTaskSuccess((await harness.nextDecision('final-decision', arn)).token, review('approve', { decidedBy: 'reviewer-b' }));
      expect((await harness.result(arn)).status).toBe('SUCCEEDED');
      expect(harness.transitions(arn)).toBe(HAPPY_PATH_TRANSITIONS);
      expect(harness.transitions(arn)).toBeLessThanOrEqual(TRANSITION_BUDGET);
    });

    it('passes the execution name, state name and entered time to every task for deterministic audit keys', async () => {
      const arn = await harness.start('accreditation', INPUT, EXECUTION);
      await passReviewAndVisit(arn);
      const final = await harness.nextDecision('final-decision', arn);
      await harness.sendTaskSuccess(final.token, review('approve', { decidedBy: 'reviewer-b' }));
      await harness.result(arn);
      for (const call of harness.invocations) {
        expect((call.payload as { audit: Payload }).audit).toEqual({
          executionName: call.functionName === 'open-decision-task' ? expect.stringMatching(new RegExp(`^${EXECUTION}-(review|visit|decision)-1$`)) : EXECUTION,
          stateName: expect.any(String),
          enteredTime: expect.stringMatching(/^2025-01-01T/),
        });
      }
      expect(harness.invocationsOf('activate-site')[0]!.payload).toMatchObject({ audit: { stateName: 'ActivateSite' } });
    });

    it('rejects at the final decision (Art.7); the college may apply again', async () => {
      const arn = await harness.start('accreditation', INPUT, EXECUTION);
      await passReviewAndVisit(arn);
      const final = await harness.nextDecision('final-decision', arn);
      await harness.sendTaskSuccess(final.token, review('reject', { decidedBy: 'reviewer-b', reason: 'UPS does not hold 3 hours' }));
      const result = await harness.result(arn);
      expect(result.status).toBe('SUCCEEDED');
      expect(harness.invocationsOf('record-outcome').map((c) => c.payload)).toEqual([
        expect.objectContaining({ outcome: 'reject', decision: expect.objectContaining({ reason: 'UPS does not hold 3 hours' }) }),
      ]);
      expect(harness.invocationsOf('activate-site')).toHaveLength(0);
      expect(harness.events.map((e) => e.DetailType)).toEqual(['ApplicationDecided']);
    });

    it('rejects after the material review without a site visit', async () => {
      const arn = await harness.start('accreditation', INPUT, EXECUTION);
      const material = await harness.nextDecision('material-review', arn);
      await harness.sendTaskSuccess(material.token, review('reject', { reason: 'not a licensed legal entity' }));
      expect((await harness.result(arn)).status).toBe('SUCCEEDED');
      expect(harness.statesEntered(arn)).toContain('RejectApplication');
      expect(harness.statesEntered(arn)).not.toContain('RequestSiteVisit');
    });
  });

  describe('screening refusal', () => {
    it('refuses an applicant that is not a pilot college and ends (Art.3(2))', async () => {
      setUp({ screening: ['refuse'] });
      const arn = await harness.start('accreditation', INPUT, EXECUTION);
      const result = await harness.result(arn);
      expect(result.status).toBe('SUCCEEDED');
      expect(result.output).toMatchObject({ outcome: 'refuse', status: 'REJECTED' });
      expect(harness.statesEntered(arn)).toEqual(['RouteStartStage', 'ScreenApplication', 'RouteScreeningOutcome', 'RefuseApplication', 'PublishApplicationDecided', 'EndAccreditation']);
    });
  });

  describe('return for correction', () => {
    it('returns, waits for the correction and screens the resubmission again', async () => {
      setUp({ screening: ['return', 'pass'] });
      const arn = await harness.start('accreditation', INPUT, EXECUTION);
      const correction = await harness.nextCallback('WaitForCorrection', arn);
      expect(correction.payload).toMatchObject({ kind: 'applicant-correction', timeoutSeconds: DEADLINES.returnSeconds });
      expect(harness.invocationsOf('record-outcome')[0]!.payload).toMatchObject({ outcome: 'return', decision: null, returnSeconds: DEADLINES.returnSeconds });
      await harness.sendTaskSuccess(correction.token, { outcome: 'resubmitted', round: 2 });
      await harness.nextDecision('material-review', arn);
      expect(harness.invocationsOf('screen-application')).toHaveLength(2);
      // One decision-task child per screening round: the name carries the round.
      expect(harness.engine.childExecutions(arn).map((c) => c.name)).toEqual([`${EXECUTION}-review-2`]);
    });

    it('passes the reviewer’s decision to ReturnToApplicant when the material review returns it (Art.4)', async () => {
      setUp({ screening: ['pass'] });
      const arn = await harness.start('accreditation', INPUT, EXECUTION);
      const material = await harness.nextDecision('material-review', arn);
      const finding = { article: 'Art.11', severity: 'blocking', zh: '摄像头不足', en: 'too few cameras', path: '' };
      await harness.sendTaskSuccess(material.token, review('return', { findings: [finding] }));
      await harness.nextCallback('WaitForCorrection', arn);
      expect(harness.invocationsOf('record-outcome')[0]!.payload).toMatchObject({ outcome: 'return', decision: { outcome: 'return', findings: [finding] } });
    });

    it('closes the application when the screening returns it once more after three returns (policy, maxReturnRounds = 3)', async () => {
      setUp({ screening: ['return'] });
      const arn = await harness.start('accreditation', INPUT, EXECUTION);
      for (let round = 1; round <= MAX_RETURN_ROUNDS; round++) {
        const correction = await harness.nextCallback('WaitForCorrection', arn);
        await harness.sendTaskSuccess(correction.token, { outcome: 'resubmitted', round: round + 1 });
      }
      const result = await harness.result(arn);
      expect(result.output).toMatchObject({ outcome: 'close', status: 'CLOSED' });
      expect(harness.invocationsOf('record-outcome').map((c) => (c.payload as Payload).outcome)).toEqual(['return', 'return', 'return', 'close']);
      expect(harness.invocationsOf('screen-application')).toHaveLength(4);
    });

    it('closes the application exactly when returnDays have passed without a correction, not a second before', async () => {
      setUp({ screening: ['return'] });
      const arn = await harness.start('accreditation', INPUT, EXECUTION);
      await harness.nextCallback('WaitForCorrection', arn);
      await harness.advance(DEADLINES.returnSeconds * 1000 - 1000);
      expect(harness.describe(arn).status).toBe('RUNNING');
      expect(harness.invocationsOf('record-outcome').map((c) => (c.payload as Payload).outcome)).toEqual(['return']);
      await harness.advance(1000);
      const result = await harness.result(arn);
      expect(result.output).toMatchObject({ outcome: 'close' });
      expect(harness.invocationsOf('record-outcome')[1]!.at.toISOString()).toBe(new Date(Date.parse('2025-01-01T00:00:00Z') + DEADLINES.returnSeconds * 1000).toISOString());
    });
  });

  describe('deadlines of reviewers (the decision-task child)', () => {
    beforeEach(() => setUp({ screening: ['pass'] }));

    it('escalates a material review that timed out and opens a fresh task in the same child', async () => {
      const arn = await harness.start('accreditation', INPUT, EXECUTION);
      const first = await harness.nextDecision('material-review', arn);
      await harness.advance(DEADLINES.reviewSeconds * 1000);
      const second = await harness.nextDecision('material-review', arn);
      expect(second.token).not.toBe(first.token);
      expect(second.executionArn).toBe(first.executionArn);
      expect(harness.invocationsOf('escalate-decision').map((c) => c.payload)).toEqual([
        expect.objectContaining({ stage: 'materialReview', kind: 'material-review', maxEscalations: 2, applicationId: INPUT.applicationId }),
      ]);
      await harness.sendTaskSuccess(second.token, review('reject'));
      expect((await harness.result(arn)).status).toBe('SUCCEEDED');
    });

    it('marks the application stalled and ends cleanly when the material review times out a third time (no dead end)', async () => {
      const arn = await harness.start('accreditation', INPUT, EXECUTION);
      await harness.nextDecision('material-review', arn);
      await harness.advance(DEADLINES.reviewSeconds * 1000 * 3);
      const result = await harness.result(arn);
      expect(result.status).toBe('SUCCEEDED');
      expect(result.output).toMatchObject({ stalled: { stage: 'materialReview', reason: 'decision-overdue' } });
      expect(harness.statesEntered(arn).slice(-4)).toEqual(['RequestMaterialReview', 'RouteReviewOutcome', 'MarkStalled', 'EndStalled']);
      expect(harness.invocationsOf('escalate-decision')).toHaveLength(3);
      expect(harness.invocationsOf('open-decision-task')).toHaveLength(3);
      expect(harness.invocationsOf('record-outcome').map((c) => (c.payload as Payload).outcome)).toEqual(['stall']);
      const [child] = harness.engine.childExecutions(arn);
      expect(JSON.parse(child!.output!)).toEqual({ outcome: 'overdue', kind: 'material-review', stage: 'materialReview', timeouts: 3 });
    });

    it('stalls on an overdue site visit without asking for a final decision', async () => {
      const arn = await harness.start('accreditation', INPUT, EXECUTION);
      await harness.sendTaskSuccess((await harness.nextDecision('material-review', arn)).token, review('approve-for-visit'));
      await harness.nextDecision('site-visit', arn);
      await harness.advance(DEADLINES.siteVisitSeconds * 1000 * 3);
      expect((await harness.result(arn)).status).toBe('SUCCEEDED');
      expect(harness.statesEntered(arn)).toContain('MarkStalled');
      expect(harness.statesEntered(arn)).not.toContain('RequestFinalDecision');
    });

    it('escalates an overdue site visit and an overdue final decision the same way', async () => {
      const arn = await harness.start('accreditation', INPUT, EXECUTION);
      const material = await harness.nextDecision('material-review', arn);
      await harness.sendTaskSuccess(material.token, review('approve-for-visit'));
      await harness.nextDecision('site-visit', arn);
      await harness.advance(DEADLINES.siteVisitSeconds * 1000);
      const visit = await harness.nextDecision('site-visit', arn);
      await harness.sendTaskSuccess(visit.token, visited('reject'));
      await harness.nextDecision('final-decision', arn);
      await harness.advance(DEADLINES.decisionSeconds * 1000);
      await harness.nextDecision('final-decision', arn);
      expect(harness.invocationsOf('escalate-decision').map((c) => (c.payload as Payload).stage)).toEqual(['siteVisit', 'finalDecision']);
    });
  });

  describe('resuming a stalled accreditation (RouteStartStage)', () => {
    beforeEach(() => setUp({ screening: ['pass'] }));
    const RESUMED = `${EXECUTION}-resume-1`;
    const resumeAt = (startAt: string, extra: Payload = {}) => ({
      ...INPUT,
      startAt,
      resumeAssignee: null,
      screening: { applicationId: INPUT.applicationId, institutionId: INPUT.institutionId, outcome: 'pass', round: 1, returnsSoFar: 0, maxReturnRounds: MAX_RETURN_ROUNDS, findingsCount: 0, deadlines: DEADLINES },
      task: { decision: { outcome: 'approve-for-visit', visitorSub: 'reviewer-v' } },
      visit: { decision: { outcome: 'approve', decidedBy: 'reviewer-v' } },
      ...extra,
    });

    it('reopens the material review for the reviewer the admin named, without screening again', async () => {
      const arn = await harness.start('accreditation', resumeAt('materialReview', { resumeAssignee: 'reviewer-c' }), RESUMED);
      const material = await harness.nextDecision('material-review', arn);
      expect(material.payload).toMatchObject({ preferredAssigneeSub: 'reviewer-c' });
      expect(harness.invocationsOf('screen-application')).toHaveLength(0);
      expect(harness.engine.childExecutions(arn).map((c) => c.name)).toEqual([`${RESUMED}-review-1`]);
      await harness.sendTaskSuccess(material.token, review('reject'));
      expect((await harness.result(arn)).status).toBe('SUCCEEDED');
    });

    it('reopens the final decision keeping the visitor out of it (four-eyes)', async () => {
      const arn = await harness.start('accreditation', resumeAt('finalDecision'), RESUMED);
      const final = await harness.nextDecision('final-decision', arn);
      expect(final.payload).toMatchObject({ excludedSub: 'reviewer-v' });
      await harness.sendTaskSuccess(final.token, review('approve', { decidedBy: 'reviewer-b' }));
      expect((await harness.result(arn)).output).toMatchObject({ status: 'APPROVED' });
      expect(harness.statesEntered(arn)[0]).toBe('RouteStartStage');
      expect(harness.statesEntered(arn)[1]).toBe('RequestFinalDecision');
    });

    it('starts one execution when the same resume is sent twice under the same name', async () => {
      const first = await harness.start('accreditation', resumeAt('siteVisit'), RESUMED);
      const second = await harness.start('accreditation', resumeAt('siteVisit'), RESUMED);
      expect(second).toBe(first);
      expect(harness.engine.listExecutions(harness.engine.stateMachineArn('accreditation'))).toHaveLength(1);
      expect(harness.engine.childExecutions(first)).toHaveLength(1);
      expect(harness.invocationsOf('open-decision-task')).toHaveLength(1);
    });
  });

  describe('errors', () => {
    beforeEach(() => setUp({ screening: ['pass'] }));

    it('retries a task that failed with TransientError and carries on', async () => {
      let calls = 0;
      const real = fakeFunctions({ screening: ['pass'] })['screen-application'];
      harness.fn('screen-application', (payload) => {
        calls += 1;
        if (calls === 1) throw Object.assign(new Error('lost a concurrent update; retry'), { name: 'TransientError' });
        return real(payload);
      });
      const arn = await harness.start('accreditation', INPUT, EXECUTION);
      await harness.advance(2000);
      await harness.nextDecision('material-review', arn);
      expect(calls).toBe(2);
      expect(harness.invocationsOf('record-outcome')).toHaveLength(0);
    });

    it('routes a non-transient error to HandleUnexpectedError without retrying, then fails', async () => {
      harness.fn('screen-application', () => {
        throw Object.assign(new Error('The stored form is not complete.'), { name: 'ValidationError' });
      });
      const arn = await harness.start('accreditation', INPUT, EXECUTION);
      const result = await harness.result(arn);
      expect(result.status).toBe('FAILED');
      expect(result.error).toBe('AccreditationFailed');
      expect(harness.invocationsOf('screen-application')).toHaveLength(1);
      expect(harness.invocationsOf('record-outcome').map((c) => c.payload)).toEqual([
        expect.objectContaining({ outcome: 'error', failure: expect.objectContaining({ Error: 'ValidationError' }) }),
      ]);
    });

    it('catches a failed decision-task child as States.TaskFailed with the child’s error in the cause', async () => {
      harness.fn('open-decision-task', () => {
        throw Object.assign(new Error('no active reviewer'), { name: 'NoReviewerError' });
      });
      const arn = await harness.start('accreditation', INPUT, EXECUTION);
      const result = await harness.result(arn);
      expect(result.error).toBe('AccreditationFailed');
      const [child] = harness.engine.childExecutions(arn);
      expect(child).toMatchObject({ status: 'FAILED', error: 'DecisionTaskFailed' });
      const failure = (harness.invocationsOf('record-outcome')[0]!.payload as { failure: { Error: string; Cause: string } }).failure;
      expect(failure.Error).toBe('States.TaskFailed');
      expect(JSON.parse(failure.Cause)).toMatchObject({ Status: 'FAILED', Error: 'DecisionTaskFailed' });
    });

    it('treats an unknown decision outcome as an unexpected error', async () => {
      const arn = await harness.start('accreditation', INPUT, EXECUTION);
      const material = await harness.nextDecision('material-review', arn);
      await harness.sendTaskSuccess(material.token, review('maybe-later'));
      const result = await harness.result(arn);
      expect(result.error).toBe('AccreditationFailed');
      expect(harness.statesEntered(arn)).toContain('RecordUnknownOutcome');
    });
  });
});

describe('decision-reminder workflow', () => {
  let harness: WorkflowTestHarness;
  afterEach(async () => {
    await harness.close();
  });

  it('reminds at deadline − reminderHours, not before', async () => {
    harness = new WorkflowTestHarness({ functions: { 'remind-decision': () => ({ reminded: true }) } });
    const remindAt = new Date(Date.parse('2025-01-01T00:00:00Z') + (DEADLINES.reviewSeconds - DEADLINES.reminderSeconds) * 1000).toISOString();
    const arn = await harness.start('decision-reminder', { decisionId: 'd1', remindAt });
    await harness.advance(DEADLINES.reviewSeconds * 1000 - DEADLINES.reminderSeconds * 1000 - 1000);
    expect(harness.invocationsOf('remind-decision')).toHaveLength(0);
    await harness.advance(1000);
    expect(harness.invocationsOf('remind-decision').map((c) => c.at.toISOString())).toEqual([remindAt]);
    expect(harness.invocationsOf('remind-decision')[0]!.payload).toMatchObject({ decisionId: 'd1' });
    expect((await harness.result(arn)).status).toBe('SUCCEEDED');
  });
});
