import { beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Context, SQSEvent } from 'aws-lambda';

process.env.APP_CONFIG = JSON.stringify({
  identity: { kind: 'oidc', issuerUrl: 'https://id.example.org', audience: ['portal'] },
  mail: { transport: 'ses', sender: 'noreply@exam-site.example', configurationSet: 'exam-site-test', ratePerSecond: 100 },
  portalOrigin: 'https://portal.example.org',
});
const { handler } = await import('../../../functions/handlers/send-mail.handler.ts');

const ses = mockClient(SESv2Client);
const message = (id: string) => ({ id, to: ['manager@college.example'], subject: '申请已退回 / Application returned', text: '中文\n\nEnglish', html: '<p>中文</p><p>English</p>', tag: 'application-returned' });
const event = (...bodies: string[]): SQSEvent => ({
  Records: bodies.map((body, i) => ({ messageId: `m${i}`, receiptHandle: 'r', body, attributes: {} as never, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn', awsRegion: 'us-east-1' })),
});
const context = {} as Context;

describe('send-mail handler', () => {
  beforeEach(() => ses.reset());

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
});
