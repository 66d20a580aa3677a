import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { LocalSes } from '../../local/services/local-ses.ts';
import { LocalEventBridge, type BusEvent } from '../../local/services/local-eventbridge.ts';
import { LocalSqs } from '../../local/services/local-sqs.ts';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('local SES v2, EventBridge and SQS through the real SDK clients', () => {
  const outbox = mkdtempSync(join(tmpdir(), 'outbox-'));
  const ses = new LocalSes(outbox);
  const events = new LocalEventBridge();
  const sqs = new LocalSqs();

  beforeAll(async () => {
    await ses.start(0);
    await events.start(0);
    await sqs.start(0);
  });
  afterAll(async () => {
    await Promise.all([ses.stop(), events.stop(), sqs.stop()]);
    rmSync(outbox, { recursive: true, force: true });
  });

  it('SendEmail writes a MIME .eml with the text and HTML parts into the outbox', async () => {
    const client = new SESv2Client({ endpoint: `http://127.0.0.1:${ses.port}`, region: 'us-east-1', credentials });
    const out = await client.send(
      new SendEmailCommand({
        FromEmailAddress: 'noreply@exam-site.local',
        Destination: { ToAddresses: ['reviewer1@org.example'] },
        Content: { Simple: { Subject: { Data: '待审核 / Review needed' }, Body: { Text: { Data: '请审核 / Please review' }, Html: { Data: '<p>请审核</p>' } } } },
      }),
    );
    expect(out.MessageId).toBeTruthy();
    const [message] = ses.messages();
    const eml = readFileSync(message!.file, 'utf8');
    expect(eml).toMatch(/^To: reviewer1@org\.example$/m);
    expect(eml).toContain('multipart/alternative');
    expect(eml).toContain('Content-Type: text/html');
  });

  it('SendEmail without a destination is refused and writes nothing', async () => {
    const client = new SESv2Client({ endpoint: `http://127.0.0.1:${ses.port}`, region: 'us-east-1', credentials, maxAttempts: 1 });
    const before = ses.messages().length;
    await expect(
      client.send(new SendEmailCommand({ FromEmailAddress: 'a@b.example', Destination: { ToAddresses: [] }, Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } } })),
    ).rejects.toThrow();
    expect(ses.messages()).toHaveLength(before);
  });

  it('PutEvents records the event and routes it to a matching rule only', async () => {
    const delivered: BusEvent[] = [];
    const routed = new Promise<void>((resolve) =>
      events.addRule({ name: 'sites', eventBusName: 'exam-site', source: ['exam-site.sites'], target: (e) => { delivered.push(e); resolve(); } }),
    );
    const client = new EventBridgeClient({ endpoint: `http://127.0.0.1:${events.port}`, region: 'us-east-1', credentials });
    const out = await client.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: 'exam-site', Source: 'exam-site.sites', DetailType: 'SiteActivated', Detail: JSON.stringify({ schemaVersion: 1, siteId: 'S1' }) },
          { EventBusName: 'exam-site', Source: 'exam-site.other', DetailType: 'Other', Detail: '{}' },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(0);
    await routed;
    expect(delivered.map((e) => e['detail-type'])).toEqual(['SiteActivated']);
    expect(events.events().map((e) => e.source)).toEqual(['exam-site.sites', 'exam-site.other']);
  });

  it('SendMessage reaches the consumer as an SQS event; a failed item is redelivered and then dead-lettered', async () => {
    const received: string[] = [];
    const url = sqs.createQueue({
      name: 'mail',
      maxReceiveCount: 2,
      consumer: async (event: SQSEvent) => {
        const failures = [];
        for (const r of event.Records) {
          received.push(`${r.body}#${r.attributes.ApproximateReceiveCount}`);
          if (r.body === 'bad') failures.push({ itemIdentifier: r.messageId });
        }
        return { batchItemFailures: failures };
      },
    });
    const client = new SQSClient({ endpoint: `http://127.0.0.1:${sqs.port}`, region: 'us-east-1', credentials });
    await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'good' }));
    await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'bad' }));
    await sqs.whenIdle();
    expect(received).toEqual(['good#1', 'bad#1', 'bad#2']);
    expect(sqs.deadLetters('mail').map((m) => m.body)).toEqual(['bad']);
  });
});
