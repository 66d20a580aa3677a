import { beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { Context, SQSEvent } from 'aws-lambda';

process.env.TABLE_NAME = 'exam-site-test';
process.env.APP_CONFIG = JSON.stringify({
  identity: { kind: 'oidc', issuerUrl: 'https://id.example.org', audience: ['portal'] },
  mail: { transport: 'ses', sender: 'noreply@exam-site.example', configurationSet: 'exam-site-test', ratePerSecond: 100 },
  portalOrigin: 'https://portal.example.org',
});
const { handler } = await import('../../../functions/handlers/send-mail.handler.ts');

const ses = mockClient(SESv2Client);
const ddb = mockClient(DynamoDBDocumentClient);
/** The mail log as the conditional put sees it: ids already sent. */
const sentIds = new Set<string>();
const message = (id: string) => ({ id, to: ['manager@college.example'], subject: '申请已退回 / Application returned', text: '中文\n\nEnglish', html: '<p>中文</p><p>English</p>', tag: 'application-returned' });
const event = (...bodies: string[]): SQSEvent => ({
  Records: bodies.map((body, i) => ({ messageId: `m${i}`, receiptHandle: 'r', body, attributes: {} as never, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn', awsRegion: 'us-east-1' })),
});
const context = {} as Context;

describe('send-mail handler', () => {
  beforeEach(() => {
    ses.reset();
    ddb.reset();
    sentIds.clear();
    ddb.on(PutCommand).callsFake((input: { Item: { mailId: string } }) => {
      if (sentIds.has(input.Item.mailId)) throw new ConditionalCheckFailedException({ message: 'sent', $metadata: {} });
      return {};
    });
    // markMailSent sets status 'sent'; a released claim (a failed send) sets 'failed'.
    ddb.on(UpdateCommand).callsFake((input: { Key: { pk: string }; ExpressionAttributeValues?: Record<string, unknown> }) => {
      if (Object.values(input.ExpressionAttributeValues ?? {}).includes('sent')) sentIds.add(input.Key.pk.replace(/^MAIL#/, ''));
      return {};
    });
    ddb.on(GetCommand).callsFake((input: { Key: { pk: string } }) => (sentIds.has(input.Key.pk.replace(/^MAIL#/, '')) ? { Item: { status: 'sent' } } : {}));
  });

  it('sends each queued message through SES v2 with its configuration set, text and HTML', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    const out = await handler(event(JSON.stringify(message('a'))), context);
    expect(out.batchItemFailures).toEqual([]);
    const input = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(input.FromEmailAddress).toBe('noreply@exam-site.example');
    expect(input.ConfigurationSetName).toBe('exam-site-test');
    expect(input.Destination?.ToAddresses).toEqual(['manager@college.example']);
    expect(input.Content?.Simple?.Body?.Html?.Data).toContain('<p>中文</p>');
  });

  it('reports only the message the provider refused, so SQS redelivers just that one', async () => {
    ses.on(SendEmailCommand).resolvesOnce({ MessageId: 'ok' }).rejectsOnce(new Error('Throttling'));
    const out = await handler(event(JSON.stringify(message('a')), JSON.stringify(message('b'))), context);
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
  });

  it('drops a malformed message instead of retrying it forever', async () => {
    const out = await handler(event('not json', JSON.stringify({ id: 'x' })), context);
    expect(out.batchItemFailures).toEqual([]);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('sends a message id once even when it is queued twice (a retried workflow step), and records it in the mail log', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    await handler(event(JSON.stringify(message('same'))), context);
    const out = await handler(event(JSON.stringify(message('same'))), context);
    expect(out.batchItemFailures).toEqual([]);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input.Key).toEqual({ pk: 'MAIL#same', sk: 'MAIL' });
  });

  it('sends again after a failed attempt: a claim without a send does not block the retry', async () => {
    ses.on(SendEmailCommand).rejectsOnce(new Error('Throttling')).resolves({ MessageId: 'ses-2' });
    const first = await handler(event(JSON.stringify(message('retry'))), context);
    expect(first.batchItemFailures).toHaveLength(1);
    const second = await handler(event(JSON.stringify(message('retry'))), context);
    expect(second.batchItemFailures).toEqual([]);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(2);
  });
});
