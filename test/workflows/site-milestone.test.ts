import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkflowTestHarness } from './helpers/workflow-harness.ts';

/**
 * Every branch of workflows/site-milestone on the local engine with a fake
 * `site-milestone` task function: the verdict of ClassifyFire routes the
 * fire (warn, revoke, stale re-arm, duplicate), a failed step ends in
 * FailMilestone, and a second start under the same execution name (a
 * duplicate fire of the schedule) starts nothing new.
 */
const INPUT = { siteId: '01JSITE0000000000000000001', milestone: { kind: 'warn-90', at: '2025-01-01T00:00:00.000Z' } };
const NAME = 'inactivity-01JSITE0000000000000000001-warn-90-20250101000000';

type Step = { step: string; siteId: string; milestone: { kind: string; at: string }; audit: { executionName: string; stateName: string; enteredTime: string } };

describe('workflows/site-milestone', () => {
  let harness: WorkflowTestHarness;
  let verdict: { action: string; reason: string };

  beforeEach(() => {
    verdict = { action: 'warn', reason: 'due' };
    harness = new WorkflowTestHarness({
      functions: {
        'site-milestone': (payload: unknown) => {
          const p = payload as Step;
          return p.step === 'classify' ? verdict : { action: p.step, reason: 'done' };
        },
      },
    });
  });

  afterEach(async () => {
    await harness.close();
  });

  const steps = () => harness.invocationsOf('site-milestone').map((i) => (i.payload as Step).step);

  it('warns when the fired warning is due, passing the site, the milestone and a deterministic audit key to each step', async () => {
    const arn = await harness.start('site-milestone', INPUT, NAME);
    const result = await harness.result(arn);
    expect(result.status).toBe('SUCCEEDED');
    expect(steps()).toEqual(['classify', 'warn']);
    const warn = harness.invocationsOf('site-milestone')[1]!.payload as Step;
    expect(warn).toMatchObject({ siteId: INPUT.siteId, milestone: INPUT.milestone, audit: { executionName: NAME, stateName: 'WarnSite' } });
    expect(harness.statesEntered(arn)).toEqual(['ClassifyFire', 'RouteVerdict', 'WarnSite', 'EndMilestone']);
  });

  it('hands the site to revocation at the deadline', async () => {
    verdict = { action: 'revoke', reason: 'deadline' };
    const arn = await harness.start('site-milestone', { ...INPUT, milestone: { kind: 'revoke', at: '2025-01-01T00:00:00.000Z' } });
    expect((await harness.result(arn)).status).toBe('SUCCEEDED');
    expect(steps()).toEqual(['classify', 'revoke']);
  });

  it.each(['stale', 'not-due', 'paused', 'ended'])('re-arms only on a %s fire', async (reason) => {
    verdict = { action: 'rearm', reason };
    const arn = await harness.start('site-milestone', INPUT);
    expect((await harness.result(arn)).status).toBe('SUCCEEDED');
    expect(steps()).toEqual(['classify', 'rearm']);
  });

  it('does nothing more on a duplicate fire (the milestone was already acted on)', async () => {
    verdict = { action: 'rearm', reason: 'already-done' };
    const arn = await harness.start('site-milestone', INPUT);
    expect((await harness.result(arn)).status).toBe('SUCCEEDED');
    expect(steps()).toEqual(['classify']);
    expect(harness.statesEntered(arn)).toContain('IgnoreDuplicate');
  });

  it('starts nothing new when the schedule fires twice under the same execution name', async () => {
    await harness.start('site-milestone', INPUT, NAME);
    await expect(harness.start('site-milestone', INPUT, NAME)).rejects.toThrow(/ExecutionAlreadyExists|Already Exists/);
    expect(steps()).toEqual(['classify', 'warn']);
  });

  it('ends in FailMilestone when a step fails for good (the reconciliation repairs the timer)', async () => {
    harness.fn('site-milestone', (payload: unknown) => {
      if ((payload as Step).step === 'classify') return { action: 'revoke', reason: 'deadline' };
      const error = new Error('startRevocation(inactivity) is not implemented yet');
      error.name = 'NotImplemented';
      throw error;
    });
    const arn = await harness.start('site-milestone', INPUT);
    const result = await harness.result(arn);
    expect(result).toMatchObject({ status: 'FAILED', error: 'SiteMilestoneFailed' });
  });

  it('retries a transient failure of a step and then succeeds', async () => {
    let failures = 1;
    harness.fn('site-milestone', (payload: unknown) => {
      const p = payload as Step;
      if (p.step === 'warn' && failures-- > 0) {
        const error = new Error('lost a race');
        error.name = 'TransientError';
        throw error;
      }
      return p.step === 'classify' ? verdict : { action: p.step, reason: 'done' };
    });
    const arn = await harness.start('site-milestone', INPUT);
    await harness.advance('PT1M');
    expect((await harness.result(arn)).status).toBe('SUCCEEDED');
    expect(steps()).toEqual(['classify', 'warn', 'warn']);
  });
});
