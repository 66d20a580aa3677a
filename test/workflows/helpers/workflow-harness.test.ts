import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nowIso } from '../../../functions/shared/clock.ts';
import { localFunctionArn } from '../../../local/stepfunctions/index.ts';
import { WorkflowTestHarness } from './workflow-harness.ts';

const substitutions = {
  RequestDecisionFunctionArn: localFunctionArn('request-decision'),
  SendReminderFunctionArn: localFunctionArn('send-reminder'),
};

describe('WorkflowTestHarness', () => {
  let harness: WorkflowTestHarness;

  beforeEach(() => {
    harness = new WorkflowTestHarness({
      workflowsDir: join(import.meta.dirname, 'fixtures'),
      substitutions,
      functions: { 'request-decision': async () => ({ sent: true }), 'send-reminder': async () => ({ reminded: true }) },
    });
  });

  afterEach(async () => {
    await harness.close();
  });

  describe('nextCallback', () => {
    it('hands out the pending callback of a state with the payload the function received', async () => {
      const arn = await harness.start('decision-with-reminder', { siteId: 's1' });
      const callback = await harness.nextCallback('WaitForDecision');
      expect(callback.executionArn).toBe(arn);
      expect(callback.payload).toMatchObject({ siteId: 's1', taskToken: callback.token });
    });

    it('throws instead of hanging when the workflow waits elsewhere', async () => {
      await harness.start('decision-with-reminder', { siteId: 's2' });
      await expect(harness.nextCallback('WaitForVisitReport')).rejects.toThrow(/no callback is pending at WaitForVisitReport.*WaitForDecision/);
    });

    it('hands out one callback per Map iteration', async () => {
      const arn = await harness.start('expert-panel', { siteId: 's3', experts: ['li', 'wang'] });
      const first = await harness.nextCallback('WaitForExpertOpinion');
      const second = await harness.nextCallback('WaitForExpertOpinion');
      expect([first.payload, second.payload].map((p) => (p as { expert: string }).expert).sort()).toEqual(['li', 'wang']);
      await harness.sendTaskSuccess(first.token, { opinion: (first.payload as { expert: string }).expert });
      await harness.sendTaskSuccess(second.token, { opinion: (second.payload as { expert: string }).expert });
      const result = await harness.result(arn);
      expect((result.output as { opinions: Array<{ opinion: string }> }).opinions.map((o) => o.opinion)).toEqual(['li', 'wang']);
    });
  });

  describe('advance', () => {
    it('sends the reminder at day 20 and takes the timeout path at day 30 when nobody decides', async () => {
      const arn = await harness.start('decision-with-reminder', { siteId: 's4' });
      await harness.advance('P20D');
      expect(harness.invocationsOf('send-reminder').map((i) => i.at.toISOString())).toEqual(['2025-01-21T00:00:00.000Z']);
      await harness.advance('P10D');
      const result = await harness.result(arn);
      expect(result.output).toMatchObject({ outcome: 'EXPIRED', failure: { Error: 'States.Timeout' } });
    });

    it('drops the reminder branch when the decision fails first', async () => {
      const arn = await harness.start('decision-with-reminder', { siteId: 's5' });
      const { token } = await harness.nextCallback('WaitForDecision');
      await harness.advance('P1D');
      await harness.sendTaskFailure(token, 'ApplicationRejected', 'incomplete evidence');
      await harness.advance('P60D');
      expect(harness.invocationsOf('send-reminder')).toEqual([]);
      expect(harness.engine.nextWakeUp()).toBeUndefined();
      expect((await harness.result(arn)).output).toMatchObject({ outcome: 'REJECTED', failure: { Error: 'ApplicationRejected' } });
    });

    it('moves the time handlers read through nowMs()', async () => {
      await harness.advance('P2D');
      expect(nowIso()).toBe('2025-01-03T00:00:00.000Z');
    });
  });

  describe('result', () => {
    it('throws while the execution still waits, naming where', async () => {
      const arn = await harness.start('decision-with-reminder', { siteId: 's6' });
      await expect(harness.result(arn)).rejects.toThrow(/still RUNNING.*WaitForDecision/);
    });

    it('lists the branch walked by the execution', async () => {
      const arn = await harness.start('decision-with-reminder', { siteId: 's7' });
      const { token } = await harness.nextCallback('WaitForDecision');
      await harness.sendTaskSuccess(token, { decision: 'PASS' });
      await harness.advance('P20D');
      expect((await harness.result(arn)).output).toMatchObject({ outcome: 'APPROVED', review: { decision: { decision: 'PASS' } } });
      expect(harness.statesEntered(arn)).toEqual(['AwaitDecisionWithReminder', 'WaitForDecision', 'WaitBeforeReminder', 'SendReminder', 'ApproveApplication']);
    });
  });
});
