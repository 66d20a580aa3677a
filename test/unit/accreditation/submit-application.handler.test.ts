import { SFNClient, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { installTimeSource } from '../../../functions/shared/clock.ts';
import { resetConfigCache } from '../../../functions/shared/env.ts';
import { makeValidForm } from '../domain/fixtures/valid-form.ts';
import {
  APP_ID,
  APPLICANT,
  CREDIT_CODE,
  OTHER_CREDIT_CODE,
  TOKEN,
  TableStub,
  application,
  bodyOf,
  decision,
  httpEvent,
  lambdaContext,
  membership,
  setAccreditationEnv,
} from '../decisions/helpers.ts';

setAccreditationEnv();
const { handler } = await import('../../../functions/handlers/submit-application.handler.ts');

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
const NOW = Date.parse('2025-03-05T08:00:00.000Z');
let now = NOW;
let table: TableStub;
const order: string[] = [];

const submit = (sub = APPLICANT) => handler(httpEvent({ sub, groups: ['applicant'], pathParameters: { applicationId: APP_ID } }), lambdaContext);
const correction = (overrides = {}) =>
  decision({ kind: 'applicant-correction', assigneeSub: `INST#${CREDIT_CODE}`, stepKey: `accreditation-${APP_ID}#WaitForCorrection#2025-03-01T00:00:00.000Z`, deadline: '2025-03-15T00:00:00.000Z', deadlineMs: Date.parse('2025-03-15T00:00:00.000Z'), ...overrides });

describe('submit-application handler', () => {
  beforeAll(() => installTimeSource({ now: () => now }));
  afterAll(() => installTimeSource(undefined));

  beforeEach(() => {
    now = NOW;
    order.length = 0;
    ddb.reset();
    sfn.reset();
    resetConfigCache();
    table = new TableStub();
    table.put(application('DRAFT', { form: makeValidForm() })).put(membership(APPLICANT, CREDIT_CODE)).put(membership('sub-other', OTHER_CREDIT_CODE));
    table.wire(ddb);
    ddb.on(TransactWriteCommand).callsFake(() => void order.push('db'));
    sfn.on(StartExecutionCommand).callsFake(() => {
      order.push('start');
      return { executionArn: 'arn:aws-cn:states:cn-north-1:000000000000:execution:exam-site-test-accreditation:x' };
    });
    sfn.on(SendTaskSuccessCommand).callsFake(() => void order.push('resume'));
  });

  it('moves a complete DRAFT to SUBMITTED, then starts the one execution named accreditation-<id> (Art.4)', async () => {
    const result = await submit();
    expect(result.statusCode).toBe(202);
    expect(bodyOf(result)).toMatchObject({ status: 'SUBMITTED', workflow: 'started' });
    expect(order).toEqual(['db', 'start']);
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(Object.values(items[0]!.Update!.ExpressionAttributeValues!)).toEqual(expect.arrayContaining(['SUBMITTED', 'DRAFT', 3]));
    expect(items[1]!.Put!.Item).toMatchObject({ action: 'submit', article: 'Art.4', actor: { id: APPLICANT } });
    const start = sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input;
    expect(start.name).toBe(`accreditation-${APP_ID}`);
    expect(start.stateMachineArn).toMatch(/accreditation$/);
    expect(JSON.parse(start.input!)).toEqual({ applicationId: APP_ID, institutionId: CREDIT_CODE });
  });

  it('refuses an incomplete form with the field issues (400) and starts nothing', async () => {
    const form = makeValidForm() as unknown as Record<string, unknown>;
    delete form.staff;
    table.put(application('DRAFT', { form }));
    const result = await submit();
    expect(result.statusCode).toBe(400);
    expect(bodyOf<{ details: Array<{ path: string }> }>(result).details.map((d) => d.path)).toContain('staff');
    expect(order).toEqual([]);
  });

  it('starts the execution again when the same POST is repeated after a failed start (the application stays SUBMITTED)', async () => {
    let starts = 0;
    sfn.on(StartExecutionCommand).callsFake(() => {
      starts += 1;
      if (starts === 1) throw Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' });
      return { executionArn: 'arn:aws-cn:states:cn-north-1:000000000000:execution:exam-site-test-accreditation:x' };
    });
    expect((await submit()).statusCode).toBe(500);
    table.put(application('SUBMITTED', { form: makeValidForm() }));
    const again = await submit();
    expect(again.statusCode).toBe(202);
    expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.name)).toEqual([`accreditation-${APP_ID}`, `accreditation-${APP_ID}`]);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('resubmits a RETURNED application: the status change and the correction claim in one transaction, then the waiting workflow resumes', async () => {
    table.put(application('RETURNED', { form: makeValidForm(), returnCount: 1 })).put(correction());
    const result = await submit();
    expect(result.statusCode).toBe(202);
    expect(bodyOf(result)).toMatchObject({ status: 'SUBMITTED', round: 2, workflow: 'resumed' });
    expect(order).toEqual(['db', 'resume']);
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(Object.values(items[0]!.Update!.ExpressionAttributeValues!)).toEqual(expect.arrayContaining(['RETURNED', 'SUBMITTED', 2]));
    expect(items[1]!.Update!.ConditionExpression).toBe('#status = :pending AND deadlineMs > :now');
    const sent = sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input;
    expect(sent.taskToken).toBe(TOKEN);
    expect(JSON.parse(sent.output!)).toMatchObject({ outcome: 'resubmitted', round: 2 });
    expect(ddb.commandCalls(UpdateCommand).some((c) => /REMOVE/.test(c.args[0].input.UpdateExpression ?? ''))).toBe(true);
    expect(result.body).not.toContain(TOKEN);
  });

  it('refuses a resubmission after the correction deadline (410 RETURN_DEADLINE_PASSED)', async () => {
    table.put(application('RETURNED', { form: makeValidForm() })).put(correction());
    now = Date.parse('2025-03-15T00:00:00.000Z');
    const result = await submit();
    expect(result.statusCode).toBe(410);
    expect(bodyOf(result)).toMatchObject({ code: 'RETURN_DEADLINE_PASSED' });
    expect(sfn.calls()).toHaveLength(0);
  });

  it('undoes a resubmission whose correction task timed out before it was delivered: back to RETURNED, the decision expired, 410 (Art.4)', async () => {
    table.put(application('RETURNED', { form: makeValidForm(), returnCount: 1 })).put(correction());
    sfn.on(SendTaskSuccessCommand).rejects(Object.assign(new Error('Task Timed Out'), { name: 'TaskTimedOut' }));
    const result = await submit();
    expect(result.statusCode).toBe(410);
    expect(bodyOf(result)).toMatchObject({ code: 'RETURN_DEADLINE_PASSED' });
    const transactions = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems ?? []);
    expect(transactions).toHaveLength(2);
    const undo = transactions[1]!;
    expect(Object.values(undo[0]!.Update!.ExpressionAttributeValues!)).toEqual(expect.arrayContaining(['RETURNED', 'SUBMITTED']));
    expect(undo[1]!.Put!.Item).toMatchObject({ action: 'resubmission-too-late', to: 'RETURNED', article: 'Art.4' });
  });

  it("does not reveal another institution's application (404)", async () => {
    const result = await submit('sub-other');
    expect(result.statusCode).toBe(404);
    expect(order).toEqual([]);
  });

  it('refuses an application that is already under review (409)', async () => {
    table.put(application('UNDER_REVIEW', { form: makeValidForm() }));
    const result = await submit();
    expect(result.statusCode).toBe(409);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });
});
