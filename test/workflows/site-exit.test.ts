import { afterEach, describe, expect, it } from 'vitest';
import { WorkflowTestHarness } from './helpers/workflow-harness.ts';

/**
 * Every path of workflows/site-withdrawal (Art.22) and workflows/site-revocation
 * (Art.23(1)–(3), Art.21) on the local engine, with their decision-task
 * children, fake step functions and the virtual clock.
 */
const DAY = 86_400;
const DEADLINES = { decisionSeconds: 10 * DAY, reminderSeconds: 48 * 3600, representationSeconds: 14 * DAY };
const SITE = { siteId: 'S1', applicationId: 'A1', institutionId: '12440100455861238H' };

type Payload = Record<string, unknown> & { action?: string };

/** Fake step functions that answer as the real ones do, as far as the workflows can tell. */
function fakes(options: { stillInactive?: boolean; agreeRefused?: boolean; failOn?: string } = {}) {
  const timeouts = new Map<string, number>();
  const step = (payload: unknown) => {
    const p = payload as Payload;
    if (options.failOn === p.action) {
      const error = new Error('boom');
      error.name = 'Error';
      throw error;
    }
    switch (p.action) {
      case 'agree':
        return options.agreeRefused ? { withdrawalId: p.withdrawalId, status: 'refused', code: 'EXAM_SESSION_OPEN' } : { withdrawalId: p.withdrawalId, status: 'withdrawn' };
      case 'recheck':
        return options.stillInactive === false ? { revocationId: p.revocationId, status: 'spared', stillInactive: false } : { revocationId: p.revocationId, stillInactive: true };
      case 'revoke':
        return { revocationId: p.revocationId, status: 'revoked', siteRevoked: { version: 1, eventId: 'revocation-R1#RevokeSite', siteId: SITE.siteId, cause: 'misconduct', article: 'Art.23(3)' } };
      default:
        return { ...(p.withdrawalId ? { withdrawalId: p.withdrawalId } : { revocationId: p.revocationId }), status: String(p.action) };
    }
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
    'site-withdrawal-step': step,
    'site-revocation-step': step,
  };
}

const decision = (outcome: string, decidedBy = 'admin-b') => ({ outcome, reason: 'read the file and the answer', findings: [], decidedBy });

describe('workflows/site-withdrawal', () => {
  let harness: WorkflowTestHarness;
  afterEach(async () => harness?.close());
  const start = (options?: Parameters<typeof fakes>[0]) => {
    harness = new WorkflowTestHarness({ functions: fakes(options) });
    return harness.start('site-withdrawal', { withdrawalId: 'W1', ...SITE, deadlines: DEADLINES }, 'withdrawal-W1');
  };
  const actions = () => harness.invocationsOf('site-withdrawal-step').map((i) => (i.payload as Payload).action);

  it('withdraws the site when an admin agrees (Art.22)', async () => {
    const arn = await start();
    const task = await harness.nextDecision('withdrawal', arn);
    expect(task.payload).toMatchObject({ kind: 'withdrawal', applicationId: SITE.applicationId, subject: { siteId: SITE.siteId }, timeoutSeconds: DEADLINES.decisionSeconds, excludedSub: null });
    await harness.sendTaskSuccess(task.token, decision('agree'));
    const result = await harness.result(arn);
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { withdrawalId: 'W1', status: 'withdrawn' } });
    expect(actions()).toEqual(['agree']);
    expect(harness.statesEntered(arn)).toEqual(['RequestWithdrawalDecision', 'RouteWithdrawalDecision', 'CompleteWithdrawal', 'EndWithdrawal']);
  });

  it('ends with the case refused when a session was scheduled between the request and the agreement (Art.22)', async () => {
    const arn = await start({ agreeRefused: true });
    await harness.sendTaskSuccess((await harness.nextDecision('withdrawal', arn)).token, decision('agree'));
    expect(await harness.result(arn)).toMatchObject({ status: 'SUCCEEDED', output: { status: 'refused', code: 'EXAM_SESSION_OPEN' } });
  });

  it('records the decline and leaves the site as it was', async () => {
    const arn = await start();
    await harness.sendTaskSuccess((await harness.nextDecision('withdrawal', arn)).token, decision('decline'));
    expect(await harness.result(arn)).toMatchObject({ status: 'SUCCEEDED', output: { status: 'decline' } });
    expect(actions()).toEqual(['decline']);
  });

  it('lapses the request when no admin decides after two escalations (three deadlines)', async () => {
    const arn = await start();
    await harness.advance(DEADLINES.decisionSeconds * 1000 * 3 + 1000);
    expect(await harness.result(arn)).toMatchObject({ status: 'SUCCEEDED', output: { status: 'lapse' } });
    expect(harness.invocationsOf('escalate-decision')).toHaveLength(3);
    expect(actions()).toEqual(['lapse']);
  });

  it('marks the case failed and fails the execution (for the alarm) when a step fails', async () => {
    const arn = await start({ failOn: 'agree' });
    await harness.sendTaskSuccess((await harness.nextDecision('withdrawal', arn)).token, decision('agree'));
    const result = await harness.result(arn);
    expect(result).toMatchObject({ status: 'FAILED', error: 'WithdrawalFailed' });
    expect(actions()).toEqual(['agree', 'error']);
  });
});

describe('workflows/site-revocation', () => {
  let harness: WorkflowTestHarness;
  afterEach(async () => harness?.close());
  const start = (input: { cause: string; route: string; openedBy?: string }, options?: Parameters<typeof fakes>[0]) => {
    harness = new WorkflowTestHarness({ functions: fakes(options) });
    return harness.start('site-revocation', { revocationId: 'R1', ...SITE, openedBy: 'admin-a', deadlines: DEADLINES, ...input }, 'revocation-R1');
  };
  const actions = () => harness.invocationsOf('site-revocation-step').map((i) => (i.payload as Payload).action);

  it('revokes after the site answered within its window, decided by an admin other than the opener (Art.23(3))', async () => {
    const arn = await start({ cause: 'misconduct', route: 'representation' });
    const window = await harness.nextCallback('WaitForRepresentation', arn);
    expect(window.payload).toMatchObject({ action: 'open-representation', revocationId: 'R1', windowSeconds: DEADLINES.representationSeconds });
    await harness.advance('P3D');
    await harness.sendTaskSuccess(window.token, { answered: true });
    const task = await harness.nextDecision('revocation', arn);
    expect(task.payload).toMatchObject({ kind: 'revocation', excludedSub: 'admin-a', subject: { siteId: SITE.siteId } });
    await harness.sendTaskSuccess(task.token, decision('revoke'));
    const result = await harness.result(arn);
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { status: 'revoked' } });
    expect(actions()).toEqual(['open-representation', 'revoke']);
    expect(harness.events.map((e) => [e.Source, e.DetailType])).toEqual([['exam-site.revocation', 'SiteRevoked']]);
    expect(JSON.parse(String(harness.events[0]!.Detail))).toMatchObject({ siteId: SITE.siteId, article: 'Art.23(3)' });
  });

  it('goes on to the decision when the window lapses without an answer, exactly at its end', async () => {
    const arn = await start({ cause: 'standards-breach', route: 'representation' });
    await harness.nextCallback('WaitForRepresentation', arn);
    await harness.advance(DEADLINES.representationSeconds * 1000 - 1000);
    expect(() => harness.engine.pendingCallbacks().find((c) => c.stateName === 'WaitForDecision')).not.toThrow();
    expect(actions()).toEqual(['open-representation']);
    await harness.advance(1000);
    const task = await harness.nextDecision('revocation', arn);
    expect(actions()).toEqual(['open-representation', 'window-lapsed']);
    await harness.sendTaskSuccess(task.token, decision('dismiss'));
    expect(await harness.result(arn)).toMatchObject({ status: 'SUCCEEDED', output: { status: 'dismiss' } });
    expect(harness.events).toEqual([]);
  });

  it('skips the window when urgent, still telling the site', async () => {
    const arn = await start({ cause: 'misconduct', route: 'decide' });
    const task = await harness.nextDecision('revocation', arn);
    await harness.sendTaskSuccess(task.token, decision('revoke'));
    expect(await harness.result(arn)).toMatchObject({ status: 'SUCCEEDED' });
    expect(actions()).toEqual(['notify-urgent', 'revoke']);
    expect(harness.statesEntered(arn)).not.toContain('WaitForRepresentation');
  });

  it('revokes an inactive site without representation or decision after the re-check (Art.23(1))', async () => {
    const arn = await start({ cause: 'inactivity', route: 'inactivity', openedBy: 'system' });
    expect(await harness.result(arn)).toMatchObject({ status: 'SUCCEEDED', output: { status: 'revoked' } });
    expect(actions()).toEqual(['recheck', 'revoke']);
    expect(harness.invocationsOf('site-revocation-step')[1]!.payload).toMatchObject({ decision: { decidedBy: 'system:inactivity-timer' } });
    expect(harness.invocationsOf('open-decision-task')).toEqual([]);
    expect(harness.events).toHaveLength(1);
  });

  it('spares a site that held a session since the timer armed: nothing revoked, no event', async () => {
    const arn = await start({ cause: 'inactivity', route: 'inactivity', openedBy: 'system' }, { stillInactive: false });
    expect(await harness.result(arn)).toMatchObject({ status: 'SUCCEEDED', output: { status: 'spared', stillInactive: false } });
    expect(actions()).toEqual(['recheck']);
    expect(harness.events).toEqual([]);
  });

  it('ends the case overdue when no admin decides after the escalations; the site is not revoked', async () => {
    const arn = await start({ cause: 'failed-rectification', route: 'decide' });
    await harness.advance(DEADLINES.decisionSeconds * 1000 * 3 + 1000);
    expect(await harness.result(arn)).toMatchObject({ status: 'SUCCEEDED', output: { status: 'overdue' } });
    expect(actions()).toEqual(['notify-urgent', 'overdue']);
    expect(harness.events).toEqual([]);
  });

  it('fails for the alarm, with the case marked failed, when revoking fails', async () => {
    const arn = await start({ cause: 'inactivity', route: 'inactivity', openedBy: 'system' }, { failOn: 'revoke' });
    expect(await harness.result(arn)).toMatchObject({ status: 'FAILED', error: 'RevocationFailed' });
    expect(actions()).toEqual(['recheck', 'revoke', 'error']);
  });

  it('a duplicate start of a running case (same name, same input) joins it; a start after it ended is refused by name', async () => {
    const input = { revocationId: 'R1', ...SITE, openedBy: 'admin-a', deadlines: DEADLINES, cause: 'misconduct', route: 'representation' };
    const arn = await start(input);
    expect(await harness.start('site-revocation', input, 'revocation-R1')).toBe(arn);
    await harness.advance(DEADLINES.representationSeconds * 1000);
    await harness.sendTaskSuccess((await harness.nextDecision('revocation', arn)).token, decision('dismiss'));
    expect(actions()).toEqual(['open-representation', 'window-lapsed', 'dismiss']);
    await expect(harness.start('site-revocation', input, 'revocation-R1')).rejects.toThrow(/Already Exists/);
  });

  it('refuses an unknown route as a failure, not a silent end', async () => {
    const arn = await start({ cause: 'misconduct', route: 'sideways' });
    expect(await harness.result(arn)).toMatchObject({ status: 'FAILED', error: 'RevocationFailed' });
    expect(actions()).toEqual(['error']);
  });
});
