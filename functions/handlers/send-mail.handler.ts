import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mailMessageSchema } from '../../schemas/mail.schema.ts';
import { deliverMail } from '../adapters/mailer.ts';
import { claimMailSend, markMailSent } from '../adapters/repository.ts';
import { appConfig } from '../shared/env.ts';
import { logger, setCorrelationId } from '../shared/logger.ts';

const config = appConfig();
/** Concurrent senders (the SQS event source's maximum concurrency); each keeps its share of the provider's rate. */
const concurrency = Math.max(1, Number(process.env.MAIL_MAX_CONCURRENCY ?? 1));
const minIntervalMs = (1000 * concurrency) / config.mail.ratePerSecond;
let lastSendAt = 0;

/** Waits until this sender may send again without exceeding its share of the rate (SES sandbox: 1/s). */
async function pace(): Promise<void> {
  // Real time on purpose: the provider's rate limit is measured in real seconds, whatever the virtual clock says.
  const wait = lastSendAt + minIntervalMs - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  lastSendAt = Date.now();
}

/**
 * Sends queued e-mails, each mail id once (a mail log item records it). A malformed message is dropped with an error log
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
      // A workflow step retried after it queued its mail queues it again under the same id: send it once.
      if (!(await claimMailSend(parsed.data.id, parsed.data.tag))) {
        logger.info('mail already sent; duplicate dropped', { mailId: parsed.data.id, tag: parsed.data.tag });
        continue;
      }
      await pace();
      const providerId = await deliverMail(config.mail, parsed.data);
      await markMailSent(parsed.data.id, providerId);
      logger.info('mail sent', { mailId: parsed.data.id, tag: parsed.data.tag, recipients: parsed.data.to.length, providerId });
    } catch (error) {
      logger.warn('mail not sent; will retry', { mailId: parsed.data.id, error: error instanceof Error ? error.name : 'unknown' });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
});
