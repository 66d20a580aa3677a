import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { type Item } from '../../../../functions/adapters/stores/table.ts';
import type { MailMessage } from '../../../../schemas/mail.schema.ts';
import { APP_ID, CREDIT_CODE } from '../../decisions/helpers.ts';
import { FakeTable } from '../../registry/helpers/fake-table.ts';

/**
 * Shared pieces of the task-function tests: the in-memory table of the
 * registry tests, taught the two expression forms the decision writes use
 * (`… OR (a AND b)` conditions and `SET … REMOVE …` updates), the workflow's
 * `audit` payload, and the mails put on the queue.
 */

type Names = Record<string, string> | undefined;
type Values = Record<string, unknown> | undefined;
type Fake = (input: never) => unknown;

/** Splits `SET … REMOVE #a, #b` into the SET part and the attribute names to remove. */
function splitRemove(expression: string, names: Names): { set: string; remove: string[] } {
  const at = expression.indexOf(' REMOVE ');
  if (at < 0) return { set: expression, remove: [] };
  const remove = expression
    .slice(at + ' REMOVE '.length)
    .split(',')
    .map((token) => token.trim())
    .map((token) => (token.startsWith('#') ? (names?.[token] ?? token) : token));
  return { set: expression.slice(0, at), remove };
}

/** FakeTable plus parenthesised alternatives in conditions and REMOVE clauses in updates. */
export class TaskTable extends FakeTable {
  /** Thrown by the next TransactWriteItems instead of writing (an SDK error left after the SDK's retries). */
  nextTransactionError: Error | undefined;

  override condition(expr: string | undefined, item: Item | undefined, names: Names, values: Values): boolean {
    if (!expr) return true;
    return expr.split(' OR ').some((alt) => super.condition(alt.trim().replace(/^\((.*)\)$/, '$1'), item, names, values));
  }

  private dropAttributes(key: { pk: string; sk: string }, attributes: readonly string[]): void {
    const item = this.get(key.pk, key.sk);
    if (!item || attributes.length === 0) return;
    const copy = { ...item };
    for (const attribute of attributes) delete copy[attribute];
    this.put(copy);
  }

  override wire(ddb: AwsClientStub<DynamoDBDocumentClient>): void {
    // Record the base handlers, then register them behind a step that peels off REMOVE clauses.
    const fakes = new Map<unknown, Fake>();
    const recorder = { on: (command: unknown) => ({ callsFake: (fn: Fake) => void fakes.set(command, fn) }) };
    super.wire(recorder as unknown as AwsClientStub<DynamoDBDocumentClient>);
    for (const [command, fn] of fakes) {
      const call = fn as (input: unknown) => unknown;
      if (command === UpdateCommand) {
        ddb.on(UpdateCommand).callsFake((input: { Key: { pk: string; sk: string }; UpdateExpression: string; ExpressionAttributeNames?: Names }) => {
          const { set, remove } = splitRemove(input.UpdateExpression, input.ExpressionAttributeNames);
          const out = call({ ...input, UpdateExpression: set });
          this.dropAttributes(input.Key, remove);
          return out;
        });
      } else if (command === TransactWriteCommand) {
        ddb.on(TransactWriteCommand).callsFake((input: { TransactItems: Array<Record<string, Record<string, unknown>>> }) => {
          const failure = this.nextTransactionError;
          this.nextTransactionError = undefined;
          if (failure) throw failure;
          const removals: Array<{ key: { pk: string; sk: string }; remove: string[] }> = [];
          const items = input.TransactItems.map((op) => {
            const update = op.Update;
            if (!update) return op;
            const { set, remove } = splitRemove(String(update.UpdateExpression), update.ExpressionAttributeNames as Names);
            removals.push({ key: update.Key as { pk: string; sk: string }, remove });
            return { Update: { ...update, UpdateExpression: set } };
          });
          const out = call({ ...input, TransactItems: items });
          for (const r of removals) this.dropAttributes(r.key, r.remove);
          return out;
        });
      } else {
        ddb.on(command as Parameters<typeof ddb.on>[0]).callsFake(fn as unknown as Parameters<ReturnType<typeof ddb.on>['callsFake']>[0]);
      }
    }
  }

  /** The audit items of an owner (`APP#…`, `SITE#…`), oldest first. */
  audits(ownerPk: string): Item[] {
    return [...this.items.values()].filter((i) => i.pk === ownerPk && String(i.sk).startsWith('AUDIT#')).sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
  }
}

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
