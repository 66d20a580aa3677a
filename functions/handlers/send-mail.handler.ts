import { mailMessageSchema } from '../../schemas/mail.schema.ts';
import { deliverMail } from '../adapters/mail-sender.ts';
import { claimMailSend, markMailSent, releaseMailClaim } from '../adapters/stores/mail.ts';
import { TransientError } from '../domain/errors.ts';
import { appConfig } from '../shared/env.ts';
import { logger } from '../shared/logger.ts';
import { sqsBatchHandler } from '../shared/sqs.ts';

const config = appConfig();
/** Concurrent senders (the SQS event source's maximum concurrency); each keeps its share of the provider's rate. */
const concurrency = Math.max(1, Number(process.env.MAIL_MAX_CONCURRENCY ?? 1));
const minIntervalMs = (1000 * concurrency) / config.mail.ratePerSecond;
/** The next instant (real ms) a send may start: senders in one process share it, each taking the next free slot. */
let nextSlotAt = 0;

/** Waits for this sender's next slot, so the senders of this process together keep their share of the rate (SES sandbox: 1/s). */
async function pace(): Promise<void> {
  // Real time on purpose: the provider's rate limit is measured in real seconds, whatever the virtual clock says.
  const now = Date.now();
  const at = Math.max(now, nextSlotAt);
  nextSlotAt = at + minIntervalMs;
  if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
}

/**
 * Sends queued e-mails, each mail id once (a mail log item records it). A malformed message is dropped with an error log
 * (retrying cannot fix it); a provider failure is reported as a batch item
 * failure so SQS redelivers it and, after its last receive, the DLQ keeps it.
 */
export const handler = sqsBatchHandler(mailMessageSchema, 'mail message', async (message) => {
  // A workflow step retried after it queued its mail queues it again under the same id: send it once.
  const claim = await claimMailSend(message.id, message.tag);
  if (claim.state === 'sent') {
    logger.info('mail already sent; duplicate dropped', { mailId: message.id, tag: message.tag });
    return;
  }
  // Another sender is sending this id right now: SQS brings the message back later, when it is sent (dropped then) or given up.
  if (claim.state === 'busy') throw new TransientError('another sender holds this mail id; redelivered later');
  await pace();
  let providerId: string;
  try {
    providerId = await deliverMail(config.mail, message);
  } catch (error) {
    await releaseMailClaim(message.id, claim.claimId);
    throw error;
  }
  await markMailSent(message.id, providerId);
  logger.info('mail sent', { mailId: message.id, tag: message.tag, recipients: message.to.length, providerId });
});
