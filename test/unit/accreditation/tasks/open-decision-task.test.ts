import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { installTimeSource } from '../../../../functions/shared/clock.ts';
import { resetConfigCache } from '../../../../functions/shared/env.ts';
import { APP_ID, APPLICANT, CREDIT_CODE, OTHER_REVIEWER, REVIEWER, TOKEN, VISITOR, application, lambdaContext, membership, setAccreditationEnv, staff } from '../../decisions/helpers.ts';
import { EXECUTION, auditOf, queuedMails } from './helpers.ts';
import { useTestTable } from '../../../support/table.ts';

setAccreditationEnv();
const { handler } = await import('../../../../functions/handlers/open-decision-task.handler.ts');
const { reminderExecutionName } = await import('../../../../functions/use-cases/decisions/reminders.ts');

const table = useTestTable();
const sfn = mockClient(SFNClient);
const sqs = mockClient(SQSClient);
const ENTERED = '2025-03-01T00:00:00.000Z';
const DAY = 86_400;
let now = Date.parse(ENTERED);

const payload = (overrides: Record<string, unknown> = {}) => ({
  taskToken: TOKEN,
  kind: 'material-review',
  applicationId: APP_ID,
  institutionId: CREDIT_CODE,
  timeoutSeconds: 10 * DAY,
  reminderSeconds: 48 * 3600,
  audit: auditOf('WaitForMaterialReview', ENTERED),
  ...overrides,
});
const open = (p: unknown = payload()) => handler(p, lambdaContext);
const decisions = async () => await table.withPk('DECISION#');
const starts = () => sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input);

describe('open-decision-task (reminder start and retries)', () => {
  beforeAll(() => installTimeSource({ now: () => now }));
  afterAll(() => installTimeSource(undefined));

  beforeEach(async () => {
    now = Date.parse(ENTERED);
    sfn.reset();
    sqs.reset();
    sqs.on(SendMessageCommand).resolves({});
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:aws-cn:states:cn-north-1:000000000000:execution:r:x' });
    resetConfigCache();
    await table.put(
      application('SCREENING'),
      staff(REVIEWER, 'reviewer', 'a@org.example.cn'),
      staff(OTHER_REVIEWER, 'reviewer', 'b@org.example.cn'),
      staff(VISITOR, 'reviewer', 'v@org.example.cn'),
      membership(APPLICANT, CREDIT_CODE),
    );
  });

  describe('openDecisionTask', () => {
    it('starts one decision-reminder execution, named without the decision id, to fire reminderSeconds before the deadline (Art.4)', async () => {
      await open();

      const [decision] = await decisions();
      const [start, ...more] = starts();
      expect(more).toEqual([]);
      expect(start!.stateMachineArn).toMatch(/:stateMachine:exam-site-test-decision-reminder$/);
      expect(start!.name).toBe(reminderExecutionName(String(decision!.decisionId)));
      expect(start!.name).not.toContain(String(decision!.decisionId));
      expect(JSON.parse(start!.input!)).toEqual({ decisionId: decision!.decisionId, remindAt: '2025-03-09T00:00:00.000Z' });
    });

    it('on a retry of the same step keeps one decision, hands it the new token, and starts the same reminder again (idempotent by name)', async () => {
      await open();
      sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));

      const result = await open(payload({ taskToken: 'token-of-the-retry' }));

      expect(result).toMatchObject({ opened: true, deadline: '2025-03-11T00:00:00.000Z' });
      expect(await decisions()).toHaveLength(1);
      expect((await decisions())[0]).toMatchObject({ taskToken: 'token-of-the-retry', status: 'pending' });
      expect(await table.audits(`APP#${APP_ID}`)).toHaveLength(1);
      expect(await table.get(`APP#${APP_ID}`, 'APP')).toMatchObject({ status: 'UNDER_REVIEW', version: 4 });
      const names = starts().map((s) => s.name);
      expect(names).toHaveLength(2);
      expect(names[0]).toBe(names[1]);
      expect(new Set(queuedMails(sqs).map((m) => m.id)).size).toBe(1);
    });

    it('starts no reminder when the reminder moment has already passed', async () => {
      await open(payload({ timeoutSeconds: 3600, reminderSeconds: 48 * 3600 }));

      expect(starts()).toEqual([]);
      expect(await decisions()).toHaveLength(1);
    });

    it('starts no reminder for the applicant\'s correction and moves no status (the return did, Art.4)', async () => {
      await table.put(application('RETURNED', { returnCount: 1, lastReturn: { findings: [], source: 'screening', at: ENTERED } }));

      await open(payload({ kind: 'applicant-correction', reminderSeconds: undefined, timeoutSeconds: 14 * DAY, audit: auditOf('WaitForCorrection', ENTERED) }));

      expect(starts()).toEqual([]);
      expect((await decisions())[0]).toMatchObject({ kind: 'applicant-correction', assigneeSub: `INST#${CREDIT_CODE}` });
      expect(await table.get(`APP#${APP_ID}`, 'APP')).toMatchObject({ status: 'RETURNED', version: 3 });
      expect(await table.audits(`APP#${APP_ID}`)).toEqual([expect.objectContaining({ sk: `AUDIT#${ENTERED}#${EXECUTION}#WaitForCorrection`, action: 'decision-task-opened' })]);
    });

    it('gives a re-entry after an escalation a new decision and a new reminder, without a second status change', async () => {
      await open();
      const later = '2025-03-11T00:00:01.000Z';
      now = Date.parse(later);

      await open(payload({ taskToken: 'token-of-the-second-wait', audit: auditOf('WaitForMaterialReview', later) }));

      expect(await decisions()).toHaveLength(2);
      expect(new Set(starts().map((s) => s.name)).size).toBe(2);
      expect((await table.audits(`APP#${APP_ID}`)).map((a) => a.action)).toEqual(['screening-passed', 'decision-task-opened']);
      expect(await table.get(`APP#${APP_ID}`, 'APP')).toMatchObject({ status: 'UNDER_REVIEW', version: 4 });
    });
  });
});
