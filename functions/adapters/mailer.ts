import { SendMessageCommand } from '@aws-sdk/client-sqs';
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
