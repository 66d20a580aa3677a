import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Transporter } from 'nodemailer';
import type { MailMessage } from '../../schemas/mail.schema.ts';
import type { MailConfig } from '../../schemas/config.schema.ts';
import { sesClient } from './aws-clients.ts';

/**
 * The sending half of mail (`mailer.ts` enqueues): SES v2, or SMTP where SES
 * is not offered (the China regions). The SMTP library is loaded only when
 * the configuration names SMTP, so a cold start with SES never evaluates it.
 */
let smtp: Transporter | undefined;

async function smtpTransport(config: Extract<MailConfig, { transport: 'smtp' }>): Promise<Transporter> {
  if (smtp) return smtp;
  const secret = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: config.credentialsSecretName }));
  const credentials = JSON.parse(secret.SecretString ?? '{}') as { username?: string; password?: string };
  const { createTransport } = await import('nodemailer');
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
