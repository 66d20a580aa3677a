import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { SFNClient, SendTaskSuccessCommand, StartExecutionCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { installTimeSource } from '../../../functions/shared/clock.ts';
import { resetConfigCache } from '../../../functions/shared/env.ts';
import { logger } from '../../../functions/shared/logger.ts';
import {
  ADMIN,
  APP_ID,
  DECISION_ID,
  OTHER_REVIEWER,
  REVIEWER,
  TOKEN,
  TableStub,
  VISITOR,
  application,
  bodyOf,
  decision,
  httpEvent,
  lambdaContext,
  setAccreditationEnv,
  staff,
} from './helpers.ts';

setAccreditationEnv();
const getDecision = (await import('../../../functions/handlers/get-decision.handler.ts')).handler;
const decide = (await import('../../../functions/handlers/decide.handler.ts')).handler;
const reassign = (await import('../../../functions/handlers/reassign-decision.handler.ts')).handler;
const listTasks = (await import('../../../functions/handlers/list-tasks.handler.ts')).handler;

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
const sqs = mockClient(SQSClient);
const NOW = Date.parse('2025-03-05T08:00:00.000Z');
let now = NOW;
let table: TableStub;

const reviewer = (sub = REVIEWER) => ({ sub, groups: ['reviewer'] });
const GOOD_BODY = { outcome: 'approve-for-visit', reason: '材料齐全，符合第九条要求。' };

function get(who: { sub: string; groups: string[] }, decisionId = DECISION_ID) {
  return getDecision(httpEvent({ ...who, pathParameters: { decisionId } }), lambdaContext);
}
function post(who: { sub: string; groups: string[] }, body: unknown = GOOD_BODY, decisionId = DECISION_ID) {
  return decide(httpEvent({ ...who, pathParameters: { decisionId }, body }), lambdaContext);
}
function writeCalls() {
  return [...ddb.commandCalls(PutCommand), ...ddb.commandCalls(UpdateCommand), ...ddb.commandCalls(TransactWriteCommand), ...ddb.commandCalls(DeleteCommand)];
}

describe('decisions handlers', () => {
  beforeAll(() => installTimeSource({ now: () => now }));
  afterAll(() => installTimeSource(undefined));

  beforeEach(() => {
    now = NOW;
    ddb.reset();
    sfn.reset();
    sqs.reset();
    resetConfigCache();
    table = new TableStub();
    table.put(decision()).put(application('UNDER_REVIEW')).put(staff(REVIEWER, 'reviewer', 'a@org.example.cn')).put(staff(OTHER_REVIEWER, 'reviewer', 'b@org.example.cn'));
    table.wire(ddb);
    sfn.on(SendTaskSuccessCommand).resolves({});
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:aws-cn:states:cn-north-1:000000000000:execution:x:y' });
    sqs.on(SendMessageCommand).resolves({});
  });

  describe('GET /v1/decisions/{decisionId}', () => {
    it('shows the assignee what is to be decided and changes nothing (mail scanners open links)', async () => {
      const result = await get(reviewer());
      expect(result.statusCode).toBe(200);
      const body = bodyOf<{ kind: string; status: string; allowedOutcomes: string[]; application: { id: string } }>(result);
      expect(body).toMatchObject({ kind: 'material-review', status: 'pending', application: { id: APP_ID } });
      expect(body.allowedOutcomes).toEqual(['approve-for-visit', 'return', 'reject']);
      expect(writeCalls()).toHaveLength(0);
      expect(sfn.calls()).toHaveLength(0);
      expect(sqs.calls()).toHaveLength(0);
    });

    it('says plainly that a pending decision past its deadline is expired, still without writing', async () => {
      now = Date.parse('2025-03-12T00:00:00.000Z');
      const result = await get(reviewer());
      expect(result.statusCode).toBe(200);
      expect(bodyOf(result)).toMatchObject({ status: 'expired', allowedOutcomes: [] });
      expect(writeCalls()).toHaveLength(0);
    });

    it('refuses a reviewer it is not assigned to (403)', async () => {
      const result = await get(reviewer(OTHER_REVIEWER));
      expect(result.statusCode).toBe(403);
    });

    it('lets an admin read any decision', async () => {
      const result = await get({ sub: ADMIN, groups: ['admin'] });
      expect(result.statusCode).toBe(200);
    });

    it('shows the final decision with the visit report', async () => {
      table.put(decision({ kind: 'final-decision', excludedSub: VISITOR }));
      table.put(
        decision({
          decisionId: 'visit-decision',
          kind: 'site-visit',
          status: 'decided',
          assigneeSub: VISITOR,
          decidedBy: VISITOR,
          decidedAt: '2025-03-04T00:00:00.000Z',
          outcome: 'approve',
          reason: '考场与申请一致',
          output: { recommendation: 'approve', findings: [] },
          taskToken: undefined,
        }),
      );
      const body = bodyOf<{ visitReport: { visitorSub: string; recommendation: string } }>(await get(reviewer()));
      expect(body.visitReport).toMatchObject({ visitorSub: VISITOR, recommendation: 'approve' });
    });
  });

  describe('POST /v1/decisions/{decisionId}', () => {
    it('claims the pending decision with a single-use condition and resumes the workflow with the decision', async () => {
      const result = await post(reviewer());
      expect(result.statusCode).toBe(200);
      const claim = ddb.commandCalls(UpdateCommand)[0]!.args[0].input;
      expect(claim.ConditionExpression).toBe('#status = :pending AND deadlineMs > :now');
      expect(claim.ExpressionAttributeValues).toMatchObject({ ':pending': 'pending', ':now': NOW });
      const sent = sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input;
      expect(sent.taskToken).toBe(TOKEN);
      expect(JSON.parse(sent.output!)).toMatchObject({ outcome: 'approve-for-visit', reason: GOOD_BODY.reason, findings: [], visitorSub: null, decidedBy: REVIEWER });
    });

    it('refuses a reviewer who is not the assignee (403) and changes nothing', async () => {
      const result = await post(reviewer(OTHER_REVIEWER));
      expect(result.statusCode).toBe(403);
      expect(bodyOf(result)).toMatchObject({ code: 'FORBIDDEN' });
      expect(writeCalls()).toHaveLength(0);
      expect(sfn.calls()).toHaveLength(0);
    });

    it('refuses the assignee without a staff role (403)', async () => {
      const result = await post({ sub: REVIEWER, groups: ['applicant'] });
      expect(result.statusCode).toBe(403);
    });

    it('refuses the visitor the final decision: another reviewer must decide (403 FOUR_EYES_REQUIRED, Art.4)', async () => {
      table.put(decision({ kind: 'final-decision', assigneeSub: VISITOR, excludedSub: VISITOR }));
      const result = await post(reviewer(VISITOR), { outcome: 'approve', reason: '实地考察合格，同意设立。' });
      expect(result.statusCode).toBe(403);
      expect(bodyOf(result)).toMatchObject({ code: 'FOUR_EYES_REQUIRED', article: 'Art.4' });
      expect(sfn.calls()).toHaveLength(0);
    });

    it('refuses a second decision (409 DECISION_ALREADY_MADE)', async () => {
      table.put(decision({ status: 'decided', decidedBy: REVIEWER, delivered: true, taskToken: undefined }));
      const result = await post(reviewer());
      expect(result.statusCode).toBe(409);
      expect(bodyOf(result)).toMatchObject({ code: 'DECISION_ALREADY_MADE' });
      expect(sfn.calls()).toHaveLength(0);
    });

    it('answers 409 when another request claimed the decision first (the condition failed)', async () => {
      let reads = 0;
      const original = table.items.get(`DECISION#${DECISION_ID}|DECISION`)!;
      ddb.on(UpdateCommand).callsFake(() => {
        reads += 1;
        table.put({ ...original, status: 'decided', decidedBy: OTHER_REVIEWER });
        throw new ConditionalCheckFailedException({ message: 'failed', $metadata: {} });
      });
      const result = await post(reviewer());
      expect(reads).toBe(1);
      expect(result.statusCode).toBe(409);
      expect(sfn.calls()).toHaveLength(0);
    });

    it('refuses a decision after its deadline (410 DECISION_EXPIRED)', async () => {
      now = Date.parse('2025-03-11T00:00:00.000Z');
      const result = await post(reviewer());
      expect(result.statusCode).toBe(410);
      expect(bodyOf(result)).toMatchObject({ code: 'DECISION_EXPIRED' });
      expect(sfn.calls()).toHaveLength(0);
    });

    it('marks the decision expired and answers 410 when Step Functions says the task timed out', async () => {
      sfn.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }));
      const result = await post(reviewer());
      expect(result.statusCode).toBe(410);
      expect(bodyOf(result)).toMatchObject({ code: 'DECISION_EXPIRED' });
      const expiry = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input).find((i) => Object.values(i.ExpressionAttributeValues ?? {}).includes('expired'));
      expect(expiry).toBeDefined();
      expect(expiry!.UpdateExpression).toMatch(/REMOVE/);
    });

    describe('files a reviewer marked (Art.3: the seal, legibility, the right document)', () => {
      const marked = (marks: string[], note?: string) => ({
        pk: `APP#${APP_ID}`,
        sk: 'EVIDENCE#application-form#01JB0000000000000000000T0A',
        type: 'evidence',
        applicationId: APP_ID,
        kind: 'application-form',
        itemId: '01JB0000000000000000000T0A',
        creditCode: '91110000100000000X',
        status: marks.length ? 'invalid' : 'valid',
        version: 1,
        objectKey: `applications/${APP_ID}/application-form/01JB0000000000000000000T0A`,
        declaredContentType: 'application/pdf',
        declaredSize: 2048,
        tags: [],
        uploaderSub: 'applicant-sub',
        createdAt: '2025-03-01T08:00:00.000Z',
        uploadExpiresAt: '2025-03-01T09:00:00.000Z',
        fileName: '申请表.pdf',
        reviewMarks: { marks, ...(note ? { note } : {}), by: REVIEWER, at: '2025-03-04T08:00:00.000Z' },
      });

      it('carries the marks into a return as findings the applicant reads, beside the reviewer’s own (Art.3)', async () => {
        table.put(marked(['not-stamped'], '请加盖公章'));
        const findings = [{ article: 'Art.11(2)', zh: '考生机数量不足' }];
        const result = await post(reviewer(), { outcome: 'return', reason: '材料需补正，详见各项。', findings });
        expect(result.statusCode).toBe(200);
        const output = JSON.parse(sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input.output!) as { findings: Array<{ article: string; path: string; zh: string; en: string }> };
        expect(output.findings).toHaveLength(2);
        expect(output.findings[1]).toMatchObject({ article: 'Art.3', path: 'evidence.application-form', zh: '申请表.pdf：「考核站点申请表（盖章）」未加盖申请单位公章（请加盖公章）' });
        expect(output.findings[1]?.en).toContain("the applicant's official seal is missing");
      });

      it('refuses to approve for a visit while a file is marked (409 EVIDENCE_MARKED) without claiming the decision', async () => {
        table.put(marked(['illegible']));
        const result = await post(reviewer());
        expect(result.statusCode).toBe(409);
        expect(bodyOf(result)).toMatchObject({ code: 'EVIDENCE_MARKED', article: 'Art.3' });
        expect(writeCalls()).toHaveLength(0);
      });

      it('ignores cleared marks', async () => {
        table.put(marked([]));
        expect((await post(reviewer())).statusCode).toBe(200);
      });
    });

    it('rejects an outcome the kind does not allow (400) without claiming the decision', async () => {
      const result = await post(reviewer(), { outcome: 'approve', reason: '同意设立考核站点。' });
      expect(result.statusCode).toBe(400);
      expect(writeCalls()).toHaveLength(0);
    });

    it('requires a reason of at least 5 characters (400)', async () => {
      const result = await post(reviewer(), { outcome: 'reject', reason: '不行' });
      expect(result.statusCode).toBe(400);
      expect(bodyOf<{ details: Array<{ path: string }> }>(result).details.map((d) => d.path)).toContain('reason');
    });
  });

  describe('GET /v1/tasks', () => {
    it('lists my pending decisions with deadlines and no task token', async () => {
      const result = await listTasks(httpEvent(reviewer()), lambdaContext);
      expect(result.statusCode).toBe(200);
      const body = bodyOf<{ items: Array<{ decisionId: string; deadline: string }> }>(result);
      expect(body.items).toEqual([expect.objectContaining({ decisionId: DECISION_ID, deadline: '2025-03-11T00:00:00.000Z' })]);
      expect(result.body).not.toContain(TOKEN);
    });
  });

  describe('POST /v1/decisions/{decisionId}/reassign', () => {
    const admin = { sub: ADMIN, groups: ['admin'] };

    it('moves the pending task to a new decision id for the new reviewer, audited, and mails them', async () => {
      const result = await reassign(httpEvent({ ...admin, pathParameters: { decisionId: DECISION_ID }, body: { assigneeSub: OTHER_REVIEWER, reason: '原审核人出差，改派。' } }), lambdaContext);
      expect(result.statusCode).toBe(200);
      const body = bodyOf<{ decisionId: string; assigneeSub: string }>(result);
      expect(body.assigneeSub).toBe(OTHER_REVIEWER);
      expect(body.decisionId).not.toBe(DECISION_ID);
      const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
      expect(items[0]!.Update!.ExpressionAttributeValues).toMatchObject({ ':pending': 'pending' });
      expect(items[1]!.Put!.Item).toMatchObject({ assigneeSub: OTHER_REVIEWER, status: 'pending', taskToken: TOKEN, reassignedFrom: DECISION_ID });
      expect(items[2]!.Put!.Item).toMatchObject({ action: 'decision-reassigned', actor: { id: ADMIN } });
      const mail = JSON.parse(sqs.commandCalls(SendMessageCommand)[0]!.args[0].input.MessageBody!) as { to: string[]; text: string };
      expect(mail.to).toEqual(['b@org.example.cn']);
      expect(mail.text).toContain(`/decisions/${body.decisionId}`);
      expect(result.body).not.toContain(TOKEN);
    });

    it('refuses to give the final decision to the visitor (403 FOUR_EYES_REQUIRED)', async () => {
      table.put(decision({ kind: 'final-decision', excludedSub: VISITOR }));
      table.put(staff(VISITOR, 'reviewer', 'v@org.example.cn'));
      const result = await reassign(httpEvent({ ...admin, pathParameters: { decisionId: DECISION_ID }, body: { assigneeSub: VISITOR, reason: '改派给考察人。' } }), lambdaContext);
      expect(result.statusCode).toBe(403);
      expect(bodyOf(result)).toMatchObject({ code: 'FOUR_EYES_REQUIRED' });
    });

    it('is for admins only (403 for a reviewer)', async () => {
      const result = await reassign(httpEvent({ ...reviewer(), pathParameters: { decisionId: DECISION_ID }, body: { assigneeSub: OTHER_REVIEWER, reason: '我想改派。' } }), lambdaContext);
      expect(result.statusCode).toBe(403);
      expect(writeCalls()).toHaveLength(0);
    });
  });

  describe('the task token', () => {
    const lines: string[] = [];
    beforeEach(() => {
      logger.setLogLevel('DEBUG');
      lines.length = 0;
      for (const method of ['log', 'error', 'warn', 'info', 'debug'] as const) {
        vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
      }
    });
    afterEach(() => {
      logger.setLogLevel('ERROR');
      vi.restoreAllMocks();
    });

    it('never appears in a response body or a log line, whatever the outcome', async () => {
      const responses = [await get(reviewer()), await get({ sub: ADMIN, groups: ['admin'] }), await post(reviewer(OTHER_REVIEWER))];
      sfn.on(SendTaskSuccessCommand).rejects(new Error('socket hang up'));
      responses.push(await post(reviewer()));
      sfn.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }));
      responses.push(await post(reviewer()));
      sfn.on(SendTaskSuccessCommand).resolves({});
      responses.push(await post(reviewer()));
      expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 403, 503, 410, 200]);
      expect(lines.length).toBeGreaterThan(0);
      for (const text of [...responses.map((r) => String(r.body)), ...lines]) expect(text).not.toContain(TOKEN);
    });
  });
});
