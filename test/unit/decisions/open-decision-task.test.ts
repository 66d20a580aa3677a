import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { installTimeSource } from '../../../functions/shared/clock.ts';
import { resetConfigCache } from '../../../functions/shared/env.ts';
import { APP_ID, CREDIT_CODE, OTHER_REVIEWER, REVIEWER, TOKEN, TableStub, VISITOR, application, decision, lambdaContext, setAccreditationEnv, staff } from './helpers.ts';

setAccreditationEnv();
const { handler } = await import('../../../functions/handlers/open-decision-task.handler.ts');

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
const sqs = mockClient(SQSClient);
const ENTERED = '2025-03-01T00:00:00.000Z';
const DAY = 86_400;
let table: TableStub;

const payload = (overrides: Record<string, unknown> = {}) => ({
  taskToken: TOKEN,
  kind: 'material-review',
  applicationId: APP_ID,
  institutionId: CREDIT_CODE,
  timeoutSeconds: 10 * DAY,
  reminderSeconds: 48 * 3600,
  audit: { executionName: `accreditation-${APP_ID}`, stateName: 'WaitForMaterialReview', enteredTime: ENTERED },
  ...overrides,
});
const open = (p: unknown) => handler(p, lambdaContext);
const transactItems = () => ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
/** The decision item: written on its own after the transaction (its four index entries would cost twice inside one). */
const storedDecision = () => {
  const puts = ddb.commandCalls(PutCommand).map((c) => c.args[0].input);
  expect(puts).toHaveLength(1);
  expect(puts[0]!.ConditionExpression).toBe('attribute_not_exists(pk)');
  return puts[0]!.Item!;
};

describe('open-decision-task', () => {
  beforeAll(() => installTimeSource({ now: () => Date.parse(ENTERED) }));
  afterAll(() => installTimeSource(undefined));

  beforeEach(() => {
    ddb.reset();
    sfn.reset();
    sqs.reset();
    resetConfigCache();
    table = new TableStub();
    table.put(application('SCREENING')).put(staff(REVIEWER, 'reviewer', 'a@org.example.cn')).put(staff(OTHER_REVIEWER, 'reviewer', 'b@org.example.cn'));
    table.put(decision({ decisionId: 'busy-1', assigneeSub: REVIEWER }));
    table.wire(ddb);
    ddb.on(TransactWriteCommand).resolves({});
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:aws-cn:states:cn-north-1:000000000000:execution:r:x' });
    sqs.on(SendMessageCommand).resolves({});
  });

  it('stores the token with the decision, moves SCREENING → UNDER_REVIEW and assigns the least-loaded reviewer (Art.4)', async () => {
    await open(payload());
    const items = transactItems();
    expect(Object.values(items[0]!.Update!.ExpressionAttributeValues!)).toEqual(expect.arrayContaining(['UNDER_REVIEW', 'SCREENING']));
    // The transaction: the status change, its audit item and the step lock naming the decision.
    expect(items.map((i) => (i.Update ? 'status' : String(i.Put!.Item!.type)))).toEqual(['status', 'audit', 'decision-step']);
    const stored = storedDecision();
    expect(items[2]!.Put!.Item!.decisionId).toBe(stored.decisionId);
    expect(stored).toMatchObject({ kind: 'material-review', status: 'pending', taskToken: TOKEN, assigneeSub: OTHER_REVIEWER, deadline: '2025-03-11T00:00:00.000Z' });
    expect(String(stored.decisionId)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(stored).toMatchObject({ gsi1pk: `ASSIGNEE#${OTHER_REVIEWER}`, gsi1sk: `2025-03-11T00:00:00.000Z#${String(stored.decisionId)}`, gsi2pk: expect.stringMatching(/^TASKS#pending#\d$/), gsi3pk: `APP#${APP_ID}` });
  });

  it('mails the assignee a link with the random decision id and never the token', async () => {
    const result = await open(payload());
    const stored = storedDecision();
    const mail = JSON.parse(sqs.commandCalls(SendMessageCommand)[0]!.args[0].input.MessageBody!) as { to: string[]; text: string; html: string };
    expect(mail.to).toEqual(['b@org.example.cn']);
    expect(mail.text).toContain(`https://portal.example.cn/decisions/${String(stored.decisionId)}`);
    expect(JSON.stringify(mail)).not.toContain(TOKEN);
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });

  it('starts the reminder to fire at deadline − reminderHours', async () => {
    await open(payload());
    const start = sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input;
    expect(start.stateMachineArn).toMatch(/decision-reminder$/);
    expect(JSON.parse(start.input!)).toMatchObject({ remindAt: '2025-03-09T00:00:00.000Z' });
    expect(start.name).toMatch(/^remind-[0-9a-f]{40}$/);
  });

  it('leaves the visitor out when assigning the final decision (four-eyes)', async () => {
    table.put(application('SITE_VISIT')).put(staff(VISITOR, 'reviewer', 'v@org.example.cn'));
    await open(payload({ kind: 'final-decision', excludedSub: VISITOR, audit: { executionName: `accreditation-${APP_ID}`, stateName: 'WaitForFinalDecision', enteredTime: ENTERED } }));
    const stored = storedDecision();
    expect(stored.assigneeSub).not.toBe(VISITOR);
    expect(stored.excludedSub).toBe(VISITOR);
  });

  it('reuses the decision a retried step already opened: new token, same id, no second decision', async () => {
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'ConditionalCheckFailed' }] }),
    );
    table.put(application('UNDER_REVIEW'));
    table.put({ pk: `DECISIONSTEP#accreditation-${APP_ID}#WaitForMaterialReview#${ENTERED}`, sk: 'DECISIONSTEP', decisionId: 'existing-decision' });
    table.put(decision({ decisionId: 'existing-decision', assigneeSub: REVIEWER, taskToken: 'old-token' }));
    await open(payload({ taskToken: 'new-token-of-the-retry' }));
    const update = ddb.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(update.Key).toEqual({ pk: 'DECISION#existing-decision', sk: 'DECISION' });
    expect(Object.values(update.ExpressionAttributeValues ?? {})).toContain('new-token-of-the-retry');
    const mail = JSON.parse(sqs.commandCalls(SendMessageCommand)[0]!.args[0].input.MessageBody!) as { text: string };
    expect(mail.text).toContain('/decisions/existing-decision');
  });

  it('writes the decision its step lock names when the first try stopped after its transaction: the locked id, the token of the retry', async () => {
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'ConditionalCheckFailed' }] }),
    );
    table.put(application('UNDER_REVIEW'));
    table.put({ pk: `DECISIONSTEP#accreditation-${APP_ID}#WaitForMaterialReview#${ENTERED}`, sk: 'DECISIONSTEP', decisionId: 'locked-decision' });
    ddb.on(PutCommand).callsFake((input: { Item: Record<string, unknown> }) => {
      table.put(input.Item);
      return {};
    });
    await open(payload({ taskToken: 'token-of-the-retry' }));
    const stored = storedDecision();
    expect(stored).toMatchObject({ pk: 'DECISION#locked-decision', decisionId: 'locked-decision', status: 'pending', taskToken: 'token-of-the-retry' });
    const mail = JSON.parse(sqs.commandCalls(SendMessageCommand)[0]!.args[0].input.MessageBody!) as { text: string };
    expect(mail.text).toContain('/decisions/locked-decision');
  });
});
