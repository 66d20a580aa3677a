import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { installTimeSource } from '../../../../functions/shared/clock.ts';
import { resetConfigCache } from '../../../../functions/shared/env.ts';
import { APP_ID, CREDIT_CODE, DECISION_ID, OTHER_REVIEWER, REVIEWER, TOKEN, decision, lambdaContext, setAccreditationEnv, staff } from '../../decisions/helpers.ts';
import { auditOf, chineseFirst, queuedMails } from './helpers.ts';
import { useTestTable } from '../../../support/table.ts';

setAccreditationEnv();
const { handler } = await import('../../../../functions/handlers/remind-decision.handler.ts');
const { reminderExecutionName } = await import('../../../../functions/use-cases/decisions/reminders.ts');

const table = useTestTable();
const sqs = mockClient(SQSClient);
/** 48 hours before the decision fixture's deadline (2025-03-11T00:00Z). */
const REMIND_AT = '2025-03-09T00:00:00.000Z';
let now = Date.parse(REMIND_AT);

const payload = (overrides: Record<string, unknown> = {}) => ({
  decisionId: DECISION_ID,
  audit: auditOf('RemindDecision', REMIND_AT, reminderExecutionName(DECISION_ID)),
  ...overrides,
});
const remind = (p: unknown = payload()) => handler(p, lambdaContext);

describe('remind-decision task', () => {
  beforeAll(() => installTimeSource({ now: () => now }));
  afterAll(() => installTimeSource(undefined));

  beforeEach(async () => {
    now = Date.parse(REMIND_AT);
    sqs.reset();
    sqs.on(SendMessageCommand).resolves({});
    resetConfigCache();
    await table.put(decision(), staff(REVIEWER, 'reviewer', 'a@org.example.cn'), staff(OTHER_REVIEWER, 'reviewer', 'b@org.example.cn'));
  });

  describe('remindDecision', () => {
    it('mails the assignee of a pending decision the deadline and the link, Chinese first and English second (Art.4)', async () => {
      expect(await remind()).toEqual({ reminded: true });

      const [mail, ...more] = queuedMails(sqs);
      expect(more).toEqual([]);
      expect(mail).toMatchObject({ to: ['a@org.example.cn'], tag: 'decision-reminder' });
      expect(chineseFirst(mail!.text, '截止时间为 2025-03-11 08:00（北京时间）', 'due 2025-03-11 08:00 (Beijing time, UTC+8)')).toBe(true);
      expect(mail!.text).toContain(`https://portal.example.cn/decisions/${DECISION_ID}`);
      expect(JSON.stringify(mail)).not.toContain(TOKEN);
    });

    it.each([
      ['decided', { status: 'decided', outcome: 'approve-for-visit', delivered: true }],
      ['expired', { status: 'expired', expiredAt: REMIND_AT }],
      ['reassigned', { status: 'reassigned', reassignedTo: 'another-decision' }],
    ] as const)('sends nothing once the decision is %s', async (_status, overrides) => {
      await table.put(decision(overrides));

      expect(await remind()).toEqual({ reminded: false });
      expect(queuedMails(sqs)).toEqual([]);
    });

    it('sends nothing after the deadline has passed even if the timeout has not been processed yet', async () => {
      now = Date.parse('2025-03-11T00:00:00.000Z');

      expect(await remind()).toEqual({ reminded: false });
      expect(queuedMails(sqs)).toEqual([]);
    });

    it('sends nothing for a decision that no longer exists', async () => {
      expect(await remind(payload({ decisionId: 'unknown-decision' }))).toEqual({ reminded: false });
      expect(queuedMails(sqs)).toEqual([]);
    });

    it('reminds the person the task was reassigned to, under the new decision id', async () => {
      await table.put(decision({ status: 'reassigned', reassignedTo: 'new-decision' }));
      await table.put(decision({ decisionId: 'new-decision', assigneeSub: OTHER_REVIEWER, reassignedFrom: DECISION_ID }));

      const old = await remind();
      const renewed = await remind(payload({ decisionId: 'new-decision', audit: auditOf('RemindDecision', REMIND_AT, reminderExecutionName('new-decision')) }));

      expect(old).toEqual({ reminded: false });
      expect(renewed).toEqual({ reminded: true });
      expect(queuedMails(sqs).map((m) => m.to)).toEqual([['b@org.example.cn']]);
      expect(queuedMails(sqs)[0]!.text).toContain('/decisions/new-decision');
    });

    it('writes nothing to the table', async () => {
      const before = JSON.stringify(await table.all());

      await remind();

      expect(JSON.stringify(await table.all())).toBe(before);
    });

    it('uses one mail id per reminder execution, so a retried task is sent once', async () => {
      await remind();
      await remind();

      const ids = queuedMails(sqs).map((m) => m.id);
      expect(ids).toHaveLength(2);
      expect(ids[0]).toBe(ids[1]);
      expect(ids[0]).not.toContain(DECISION_ID);
    });

    it('does not remind the applicant of a correction: the return mail carries its deadline', async () => {
      await table.put(decision({ kind: 'applicant-correction', assigneeSub: `INST#${CREDIT_CODE}`, applicationId: APP_ID }));

      expect(await remind()).toEqual({ reminded: false });
    });
  });
});
