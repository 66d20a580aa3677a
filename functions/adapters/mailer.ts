import { SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { MailMessage } from '../../schemas/mail.schema.ts';
import { requireEnv } from '../shared/env.ts';
import { sqsClient } from './aws-clients.ts';

/**
 * Mail leaves in two steps: use cases enqueue rendered messages on the mail
 * queue (never blocking on the provider), and the `send-mail` function sends
 * them at the configured rate through SES v2 or SMTP (`mail-sender.ts`, so
 * the functions that only enqueue carry neither SES nor the SMTP library).
 */
export async function enqueueMail(message: MailMessage): Promise<void> {
  await sqsClient().send(new SendMessageCommand({ QueueUrl: requireEnv('MAIL_QUEUE_URL'), MessageBody: JSON.stringify(message) }));
}

/** SQS SendMessageBatch takes at most 10 messages and 256 KiB in all; a batch here stays under both. */
const BATCH_MESSAGES = 10;
const BATCH_BYTES = 200 * 1024;

/**
 * Enqueues many messages, up to ten in one SendMessageBatch (a page of a
 * campaign's notices: a tenth of the requests). A message the queue refused
 * fails the call after the others went in: the caller's retry enqueues them
 * again under the same mail ids, which the sender sends once.
 */
export async function enqueueMails(messages: readonly MailMessage[]): Promise<void> {
  const batches: string[][] = [];
  let batch: string[] = [];
  let bytes = 0;
  for (const message of messages) {
    const body = JSON.stringify(message);
    const size = Buffer.byteLength(body);
    if (batch.length === BATCH_MESSAGES || (batch.length > 0 && bytes + size > BATCH_BYTES)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(body);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  for (const bodies of batches) {
    const out = await sqsClient().send(new SendMessageBatchCommand({ QueueUrl: requireEnv('MAIL_QUEUE_URL'), Entries: bodies.map((MessageBody, i) => ({ Id: String(i), MessageBody })) }));
    if (out.Failed && out.Failed.length > 0) throw new Error(`the mail queue refused ${out.Failed.length} of ${bodies.length} messages (${out.Failed.map((f) => f.Code).join(', ')})`);
  }
}
