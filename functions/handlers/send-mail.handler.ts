import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mailMessageSchema } from '../../schemas/mail.schema.ts';
import { deliverMail } from '../adapters/mailer.ts';
import { appConfig } from '../shared/env.ts';
import { logger, setCorrelationId } from '../shared/logger.ts';

const config = appConfig();

/**
 * Sends queued e-mails. A malformed message is dropped with an error log
 * (retrying cannot fix it); a provider failure is reported as a batch item
 * failure so SQS redelivers it and, after its last receive, the DLQ keeps it.
 */
export const handler = middy<SQSEvent, SQSBatchResponse>().handler(async (event) => {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    setCorrelationId(record.messageId);
    let parsed;
    try {
      parsed = mailMessageSchema.safeParse(JSON.parse(record.body));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) {
      logger.error('dropping a malformed mail message', { messageId: record.messageId });
      continue;
    }
    try {
      const providerId = await deliverMail(config.mail, parsed.data);
      logger.info('mail sent', { mailId: parsed.data.id, tag: parsed.data.tag, recipients: parsed.data.to.length, providerId });
    } catch (error) {
      logger.warn('mail not sent; will retry', { mailId: parsed.data.id, error: error instanceof Error ? error.name : 'unknown' });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
});
