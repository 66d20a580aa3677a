import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createTransport, type Transporter } from 'nodemailer';
import type { MailMessage } from '../../schemas/mail.schema.ts';
import type { MailConfig } from '../../schemas/config.schema.ts';
import { requireEnv } from '../shared/env.ts';
import { sesClient, sqsClient } from './aws-clients.ts';

/**
 * Mail leaves in two steps: use cases enqueue rendered messages on the mail
 * queue (never blocking on the provider), and the `send-mail` function sends
 * them at the configured rate through SES v2 or SMTP (SES is not offered in
 * the China regions).
 */
export async function enqueueMail(message: MailMessage): Promise<void> {
  await sqsClient().send(new SendMessageCommand({ QueueUrl: requireEnv('MAIL_QUEUE_URL'), MessageBody: JSON.stringify(message) }));
}

let smtp: Transporter | undefined;

async function smtpTransport(config: Extract<MailConfig, { transport: 'smtp' }>): Promise<Transporter> {
  if (smtp) return smtp;
  const secret = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: config.credentialsSecretName }));
  const credentials = JSON.parse(secret.SecretString ?? '{}') as { username?: string; password?: string };
  smtp = createTransport({
    host: config.host,
    port: config.port,
    secure: config.port === 465,
    requireTLS: config.port !== 465,
    auth: { user: credentials.username, pass: credentials.password },
  });
  return smtp;
}

/** Sends one message through the configured transport; returns the provider's message id. */
export async function deliverMail(config: MailConfig, message: MailMessage): Promise<string> {
  if (config.transport === 'ses') {
    const out = await sesClient().send(
      new SendEmailCommand({
        FromEmailAddress: config.sender,
        Destination: { ToAddresses: message.to },
        ConfigurationSetName: config.configurationSet,
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: message.text, Charset: 'UTF-8' }, Html: { Data: message.html, Charset: 'UTF-8' } },
            Headers: [{ Name: 'X-Exam-Site-Mail-Id', Value: message.id }],
          },
        },
        EmailTags: [{ Name: 'tag', Value: message.tag }],
      }),
    );
    return out.MessageId ?? '';
  }
  const transport = await smtpTransport(config);
  const info = (await transport.sendMail({
    from: config.sender,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    headers: { 'X-Exam-Site-Mail-Id': message.id },
  })) as { messageId?: string };
  return info.messageId ?? '';
}
