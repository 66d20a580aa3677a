import { nowIso } from '../../shared/clock.ts';
import { putIf, updateIf } from './table.ts';

/**
 * Mail log (`MAIL#<mailId>` / `MAIL`): one item per sent message id, so a
 * message queued twice (a retried workflow step) is sent once. Kept 90 days
 * (TTL `expiresAt`).
 */
const MAIL_LOG_DAYS = 90;

const mailKey = (mailId: string) => ({ pk: `MAIL#${mailId}`, sk: 'MAIL' });

/** Claims a message id for sending; false when it was already sent. A claim left by a failed send can be taken again. */
export function claimMailSend(mailId: string, tag: string): Promise<boolean> {
  return putIf(
    { ...mailKey(mailId), type: 'mail', mailId, tag, status: 'sending', claimedAt: nowIso(), expiresAt: Math.floor(Date.now() / 1000) + MAIL_LOG_DAYS * 86_400 },
    { expression: 'attribute_not_exists(pk) OR #status <> :sent', names: { '#status': 'status' }, values: { ':sent': 'sent' } },
  );
}

/** Records that a message was handed to the provider. */
export async function markMailSent(mailId: string, providerMessageId: string): Promise<void> {
  await updateIf(mailKey(mailId), { set: { status: 'sent', providerMessageId, sentAt: nowIso() } }, { expression: 'attribute_exists(pk)' });
}
