import { afterEach, describe, expect, it } from 'vitest';
import { WorkflowTestHarness } from './helpers/workflow-harness.ts';

/**
 * Every path of workflows/site-assessment and workflows/site-rectification
 * (Art.21) on the local engine, with their decision-task children, fake
 * step functions and the virtual clock.
 */
const DAY = 86_400;
const DEADLINES = { decisionSeconds: 10 * DAY, reminderSeconds: 48 * 3600 };
const SITE = { siteId: 'S1', applicationId: 'A1', institutionId: '12440100455861238H' };

type Payload = Record<string, unknown> & { action?: string; decision?: { outcome?: string } };

function fakes(options: { route?: 'done' | 'confirm'; failOn?: string } = {}) {
  const timeouts = new Map<string, number>();
  const step = (payload: unknown) => {
    const p = payload as Payload;
    if (options.failOn === p.action) {
      const error = new Error('boom');
      error.name = 'Error';
      throw error;
    }
    if (p.action === 'apply') return { route: options.route ?? 'done', outcome: options.route === 'confirm' ? 'suspend-and-rectify' : 'pass', assessorSub: 'reviewer-a' };
    if (p.action === 'confirm') return { confirmation: p.decision?.outcome };
    if (p.action === 'review') return { rectificationId: p.rectificationId, status: p.decision?.outcome === 'pass' ? 'passed' : p.decision?.outcome === 'fail' ? 'failed' : 'review-overdue' };
    return { rectificationId: p.rectificationId, status: String(p.action) };
  };
  return {
    'open-decision-task': () => ({ opened: true }),
    'escalate-decision': (payload: unknown) => {
      const p = payload as { maxEscalations: number; audit: { executionName: string } };
      const count = (timeouts.get(p.audit.executionName) ?? 0) + 1;
      timeouts.set(p.audit.executionName, count);
      return { timeouts: count, overdue: count > p.maxEscalations };
    },
    'remind-decision': () => ({ reminded: true }),
    'site-assessment-step': step,
    'site-rectification-step': step,
  };
}

const decision = (outcome: string, decidedBy = 'reviewer-a', extra: Record<string, unknown> = {}) => ({ outcome, reason: 'read the report', findings: [], decidedBy, ...extra });

describe('workflows/site-assessment', () => {
  let harness: WorkflowTestHarness;
  afterEach(async () => harness?.close());
  const start = (options?: Parameters<typeof fakes>[0]) => {
    harness = new WorkflowTestHarness({ functions: fakes(options) });
    return harness.start('site-assessment', { campaignId: 'C1', ...SITE, deadlines: DEADLINES }, 'assess-C1-S1');
  };
  const steps = () => harness.invocationsOf('site-assessment-step').map((i) => i.payload as Payload);

  it('applies a reviewer’s pass from the assessment task and ends (Art.21)', async () => {
    const arn = await start();
    const task = await harness.nextDecision('assessment', arn);
    expect(task.payload).toMatchObject({ kind: 'assessment', applicationId: SITE.applicationId, subject: { siteId: SITE.siteId, caseId: 'C1' }, excludedSub: null });
    await harness.sendTaskSuccess(task.token, decision('pass', 'reviewer-a', { scores: { 'work-plan': 10 }, rubricVersion: '2026.1' }));
    expect(await harness.result(arn)).toMatchObject({ status: 'SUCCEEDED' });
    expect(steps()).toEqual([expect.objectContaining({ action: 'apply', campaignId: 'C1', decision: expect.objectContaining({ outcome: 'pass', scores: { 'work-plan': 10 }, rubricVersion: '2026.1' }) })]);
    expect(harness.statesEntered(arn)).toEqual(['RequestAssessment', 'RouteAssessment', 'ApplyAssessment', 'RouteApplied', 'EndAssessed']);
  });

  it('asks a second reviewer, never the assessor, to confirm a suspension, then applies the confirmation', async () => {
    const arn = await start({ route: 'confirm' });
    await harness.sendTaskSuccess((await harness.nextDecision('assessment', arn)).token, decision('suspend-and-rectify', 'reviewer-a', { scores: {}, rubricVersion: '2026.1' }));
    const confirmation = await harness.nextDecision('sanction-confirmation', arn);
    expect(confirmation.payload).toMatchObject({ kind: 'sanction-confirmation', excludedSub: 'reviewer-a', subject: { caseId: 'C1' } });
    await harness.sendTaskSuccess(confirmation.token, decision('confirm', 'reviewer-b'));
    expect(await harness.result(arn)).toMatchObject({ status: 'SUCCEEDED' });
    expect(steps().map((s) => [s.action, s.decision?.outcome])).toEqual([
      ['apply', 'suspend-and-rectify'],
      ['confirm', 'confirm'],
    ]);
  });

  it('hands an overdue confirmation (three deadlines) to the confirm step, which opens rectification without suspension', async () => {
    const arn = await start({ route: 'confirm' });
    await harness.sendTaskSuccess((await harness.nextDecision('assessment', arn)).token, decision('suspend-and-rectify', 'reviewer-a', { scores: {}, rubricVersion: '2026.1' }));
    await harness.nextDecision('sanction-confirmation', arn);
    await harness.advance(DEADLINES.decisionSeconds * 1000 * 3 + 1000);
    expect(await harness.result(arn)).toMatchObject({ status: 'SUCCEEDED' });
    expect(steps().map((s) => [s.action, s.decision?.outcome])).toEqual([
      ['apply', 'suspend-and-rectify'],
      ['confirm', 'overdue'],
    ]);
  });

  it('records an overdue assessment and fails (for the alarm) when a step fails', async () => {
    const arn = await start();
    await harness.advance(DEADLINES.decisionSeconds * 1000 * 3 + 1000);
    expect(await harness.result(arn)).toMatchObject({ status: 'SUCCEEDED' });
    expect(steps().map((s) => s.action)).toEqual(['overdue']);
    await harness.close();
    const failing = await start({ failOn: 'apply' });
    await harness.sendTaskSuccess((await harness.nextDecision('assessment', failing)).token, decision('pass', 'reviewer-a', { scores: {}, rubricVersion: '2026.1' }));
    expect(await harness.result(failing)).toMatchObject({ status: 'FAILED', error: 'AssessmentFailed' });
    expect(steps().map((s) => s.action)).toEqual(['apply', 'error']);
  });
});

describe('workflows/site-rectification', () => {
  let harness: WorkflowTestHarness;
  afterEach(async () => harness?.close());
  const REPORT_SECONDS = 30 * DAY;
  const start = (options?: Parameters<typeof fakes>[0]) => {
    harness = new WorkflowTestHarness({ functions: fakes(options) });
    return harness.start('site-rectification', { rectificationId: 'C1', ...SITE, reportSeconds: REPORT_SECONDS, deadlines: DEADLINES }, 'rectify-C1-S1');
  };
  const actions = () => harness.invocationsOf('site-rectification-step').map((i) => (i.payload as Payload).action);

  it('waits for the report, asks a reviewer, and restores the site when the review passes', async () => {
    const arn = await start();
    const wait = await harness.nextCallback('WaitForReport', arn);
    expect(wait.payload).toMatchObject({ action: 'await-report', rectificationId: 'C1', siteId: SITE.siteId });
    await harness.advance('P5D');
    await harness.sendTaskSuccess(wait.token, { submittedAt: 'now' });
    const review = await harness.nextDecision('rectification-review', arn);
    expect(review.payload).toMatchObject({ kind: 'rectification-review', subject: { caseId: 'C1', siteId: SITE.siteId } });
    await harness.sendTaskSuccess(review.token, decision('pass'));
    expect(await harness.result(arn)).toMatchObject({ status: 'SUCCEEDED', output: { status: 'passed' } });
    expect(actions()).toEqual(['await-report', 'review']);
  });

  it('hands a failed review to the review step (which opens the revocation)', async () => {
    const arn = await start();
    await harness.sendTaskSuccess((await harness.nextCallback('WaitForReport', arn)).token, {});
    await harness.sendTaskSuccess((await harness.nextDecision('rectification-review', arn)).token, decision('fail'));
    expect(await harness.result(arn)).toMatchObject({ status: 'SUCCEEDED', output: { status: 'failed' } });
  });

  it('records a missed deadline exactly at its end (Art.21: a missed deadline is a failure)', async () => {
    const arn = await start();
    await harness.nextCallback('WaitForReport', arn);
    await harness.advance(REPORT_SECONDS * 1000 - 1000);
    expect(actions()).toEqual(['await-report']);
    await harness.advance(1000);
    expect(await harness.result(arn)).toMatchObject({ status: 'SUCCEEDED', output: { status: 'missed' } });
    expect(actions()).toEqual(['await-report', 'missed']);
  });

  it('fails the execution for the alarm when a step fails', async () => {
    const arn = await start({ failOn: 'review' });
    await harness.sendTaskSuccess((await harness.nextCallback('WaitForReport', arn)).token, {});
    await harness.sendTaskSuccess((await harness.nextDecision('rectification-review', arn)).token, decision('pass'));
    expect(await harness.result(arn)).toMatchObject({ status: 'FAILED', error: 'RectificationFailed' });
    expect(actions()).toEqual(['await-report', 'review', 'error']);
  });
});
