import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { installTimeSource } from '../../../../functions/shared/clock.ts';
import { resetConfigCache } from '../../../../functions/shared/env.ts';
import { ADMIN, APP_ID, CREDIT_CODE, REVIEWER, application, decision, lambdaContext, setAccreditationEnv, staff } from '../../decisions/helpers.ts';
import { EXECUTION, auditOf, chineseFirst, queuedMails } from './helpers.ts';
import { useTestTable } from '../../../support/table.ts';

setAccreditationEnv();
const { handler } = await import('../../../../functions/handlers/escalate-decision.handler.ts');

const table = useTestTable();
const sqs = mockClient(SQSClient);
const ENTERED = '2025-03-11T00:00:00.500Z';
const NOW = Date.parse(ENTERED) + 700;

const payload = (overrides: Record<string, unknown> = {}) => ({
  applicationId: APP_ID,
  institutionId: CREDIT_CODE,
  kind: 'material-review',
  stage: 'materialReview',
  maxEscalations: 2,
  audit: auditOf('EscalateDecision', ENTERED),
  ...overrides,
});
const escalate = (p: unknown = payload()) => handler(p, lambdaContext);
const audits = async () => await table.audits(`APP#${APP_ID}`);

describe('escalate-decision task', () => {
  beforeAll(() => installTimeSource({ now: () => NOW }));
  afterAll(() => installTimeSource(undefined));

  beforeEach(async () => {
    sqs.reset();
    sqs.on(SendMessageCommand).resolves({});
    resetConfigCache();
    await table.put(
      application('UNDER_REVIEW'),
      decision({ decisionId: 'timed-out', assigneeSub: REVIEWER }),
      staff(ADMIN, 'admin', 'admin@org.example.cn'),
      staff('sub-admin-2', 'admin', 'admin2@org.example.cn'),
      { ...staff('sub-admin-gone', 'admin', 'gone@org.example.cn'), active: false, gsi2pk: 'STAFF#admin#INACTIVE' },
      staff(REVIEWER, 'reviewer', 'a@org.example.cn'),
    );
  });

  describe('escalateDecision', () => {
    it('marks the timed-out decision expired and removes its task token, so its link says so (Art.4)', async () => {
      await escalate();

      const task = (await table.get('DECISION#timed-out', 'DECISION'))!;
      expect(task).toMatchObject({ status: 'expired', expiredAt: new Date(NOW).toISOString() });
      // Out of the assignee's and the overdue lists (sparse indexes).
      expect(task.gsi1pk).toBeUndefined();
      expect(task.gsi2pk).toBeUndefined();
      expect(task.taskToken).toBeUndefined();
    });

    it('also expires a decision taken but never delivered to the workflow before the timeout', async () => {
      await table.put(decision({ decisionId: 'undelivered', status: 'decided', delivered: false, outcome: 'approve-for-visit' }));

      await escalate();

      expect(await table.get('DECISION#undelivered', 'DECISION')).toMatchObject({ status: 'expired' });
    });

    it('leaves alone decisions of other kinds and decisions already delivered', async () => {
      await table.put(decision({ decisionId: 'visit', kind: 'site-visit' }));
      await table.put(decision({ decisionId: 'earlier-round', status: 'decided', delivered: true, outcome: 'return' }));

      await escalate();

      expect(await table.get('DECISION#visit', 'DECISION')).toMatchObject({ status: 'pending' });
      expect(await table.get('DECISION#earlier-round', 'DECISION')).toMatchObject({ status: 'decided' });
    });

    it('mails every active admin, and only them, in Chinese first and then English', async () => {
      await escalate();

      const [mail, ...more] = queuedMails(sqs);
      expect(more).toEqual([]);
      expect(mail!.to.sort()).toEqual(['admin2@org.example.cn', 'admin@org.example.cn']);
      expect(mail!.tag).toBe('decision-escalated');
      expect(chineseFirst(mail!.text, '这是第 1 次升级（最多 2 次）', 'This is escalation 1 of at most 2')).toBe(true);
      expect(mail!.text).toContain(`https://portal.example.cn/applications/${APP_ID}`);
    });

    it('splits a large admin team into messages of at most 50 recipients, each with its own stable id', async () => {
      for (let i = 3; i <= 120; i++) await table.put(staff(`sub-admin-${i}`, 'admin', `admin${i}@org.example.cn`));
      await escalate();

      const mails = queuedMails(sqs);
      expect(mails.map((m) => m.to.length)).toEqual([50, 50, 20]);
      expect(new Set(mails.flatMap((m) => m.to)).size).toBe(120);
      expect(new Set(mails.map((m) => m.id)).size).toBe(3);
    });

    it('audits the escalation with the expired assignee (Art.4)', async () => {
      await escalate();

      expect(await audits()).toEqual([
        expect.objectContaining({
          sk: `AUDIT#${ENTERED}#${EXECUTION}#EscalateDecision`,
          action: 'decision-escalated',
          article: 'Art.4',
          details: { kind: 'material-review', escalation: 1, expiredAssignees: [REVIEWER] },
        }),
      ]);
      expect((await table.get(`APP#${APP_ID}`, 'APP'))!.status).toBe('UNDER_REVIEW');
    });

    it('counts the timeouts of this decision-task execution from its stored decisions', async () => {
      // An expired task of another execution (an earlier round) does not count.
      await table.put(decision({ decisionId: 'older-round', status: 'expired', stepKey: `other-execution#WaitForDecision#2025-02-01T00:00:00.000Z` }));
      expect(await escalate()).toEqual({ timeouts: 1, overdue: false });
    });

    it('says the review is overdue once the timeouts pass maxEscalations, and that the application is marked stalled', async () => {
      await table.put(decision({ decisionId: 'first', status: 'expired', stepKey: `${EXECUTION}#WaitForDecision#2025-02-01T00:00:00.000Z` }));
      await table.put(decision({ decisionId: 'second', status: 'expired', stepKey: `${EXECUTION}#WaitForDecision#2025-02-11T00:00:00.000Z` }));
      const result = await escalate();

      expect(result).toEqual({ timeouts: 3, overdue: true });
      expect((await audits())[0]).toMatchObject({ action: 'decision-overdue' });
      expect(chineseFirst(queuedMails(sqs)[0]!.text, '标记为“停滞”', 'marked stalled')).toBe(true);
    });

    it('is retry-safe: the same count, one audit item that keeps the first try\'s details, one mail id', async () => {
      const first = await escalate();

      const second = await escalate();

      expect(second).toEqual(first);
      expect(await audits()).toHaveLength(1);
      expect((await audits())[0]!.details).toMatchObject({ expiredAssignees: [REVIEWER] });
      const ids = queuedMails(sqs).map((m) => m.id);
      expect(ids).toHaveLength(2);
      expect(new Set(ids).size).toBe(1);
    });

    it('gives each re-entry of the escalation state its own audit item and mail id', async () => {
      await escalate();
      await escalate(payload({ audit: auditOf('EscalateDecision', '2025-03-21T00:00:01.000Z') }));

      expect(await audits()).toHaveLength(2);
      expect(new Set(queuedMails(sqs).map((m) => m.id)).size).toBe(2);
    });
  });
});
