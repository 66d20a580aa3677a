import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { type Item } from '../../../../functions/adapters/stores/table.ts';
import type { MailMessage } from '../../../../schemas/mail.schema.ts';
import { APP_ID, CREDIT_CODE } from '../../decisions/helpers.ts';

/**
 * Shared pieces of the task-function tests: the workflow's `audit` payload,
 * the mails put on the queue, and a pilot-register entry. The table is the
 * one fixture of test/support/table.ts.
 */

export const EXECUTION = `accreditation-${APP_ID}`;

/** The `audit` object the workflow builds from `$$.Execution.Name`, `$$.State.Name`, `$$.State.EnteredTime`. */
export function auditOf(stateName: string, enteredTime: string, executionName = EXECUTION): { executionName: string; stateName: string; enteredTime: string } {
  return { executionName, stateName, enteredTime };
}

/** The messages put on the mail queue, in order. */
export function queuedMails(sqs: AwsClientStub<SQSClient>): MailMessage[] {
  return sqs.commandCalls(SendMessageCommand).map((call) => JSON.parse(String(call.args[0].input.MessageBody)) as MailMessage);
}

/** True when the Chinese part of a text comes before its English part. */
export function chineseFirst(text: string, zh: string, en: string): boolean {
  const zhAt = text.indexOf(zh);
  const enAt = text.indexOf(en);
  return zhAt >= 0 && enAt > zhAt;
}

/** A pilot-register entry for the applicant of the decisions fixtures. */
export function pilotEntry(overrides: Item = {}): Item {
  return {
    pk: `PILOT#${CREDIT_CODE}`,
    sk: 'PILOT',
    type: 'pilot-college',
    creditCode: CREDIT_CODE,
    name: '广州南方商贸职业技术学院',
    provinceCode: '440000',
    cityCode: '440100',
    active: true,
    gsi3pk: 'PILOTS',
    gsi3sk: `440000#440100#${CREDIT_CODE}`,
    ...overrides,
  };
}
