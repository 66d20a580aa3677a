import { randomUUID } from 'node:crypto';
import { nowIso, nowMs } from '../../shared/clock.ts';
import { getItem, putIf, updateIf } from './table.ts';

/**
 * Mail log (`MAIL#<mailId>` / `MAIL`): one item per sent message id, so a
 * message queued twice (a retried workflow step) is sent once. Kept 90 days
 * (TTL `expiresAt`).
 */
const MAIL_LOG_DAYS = 90;

const mailKey = (mailId: string) => ({ pk: `MAIL#${mailId}`, sk: 'MAIL' });

/**
 * How long a claim holds a message id: longer than send-mail's 30 s timeout
 * (functions/catalog/platform.ts), so a claim older than this belongs to a
 * send that died and may be taken again.
 */
const CLAIM_LEASE_MS = 60_000;

/** The outcome of a claim: this sender sends (`claimed`, with its id), it was sent already, or another sender holds it now. */
export type MailClaim = { readonly state: 'claimed'; readonly claimId: string } | { readonly state: 'sent' } | { readonly state: 'busy' };

/**
 * Claims a message id for sending. The claim is a lease: while another
 * sender holds it (the same message delivered twice at once, or the same
 * mail queued twice by a retried step and picked up by two senders) the
 * answer is `busy`, never a second send; a claim released by a failed send,
 * or one whose lease ran out, can be taken again.
 */
export async function claimMailSend(mailId: string, tag: string): Promise<MailClaim> {
  const claimId = randomUUID();
  const now = nowMs();
  const claimed = await putIf(
    { ...mailKey(mailId), type: 'mail', mailId, tag, status: 'sending', claimId, claimedAt: nowIso(), leaseUntil: now + CLAIM_LEASE_MS, expiresAt: Math.floor(Date.now() / 1000) + MAIL_LOG_DAYS * 86_400 },
    {
      expression: 'attribute_not_exists(pk) OR (#status <> :sent AND (#status <> :sending OR attribute_not_exists(#lease) OR #lease < :now))',
      names: { '#status': 'status', '#lease': 'leaseUntil' },
      values: { ':sent': 'sent', ':sending': 'sending', ':now': now },
    },
  );
  if (claimed) return { state: 'claimed', claimId };
  return (await getItem(mailKey(mailId)))?.status === 'sent' ? { state: 'sent' } : { state: 'busy' };
}

/** Gives a claim back after the provider refused the message, so its redelivery can send it at once. */
export async function releaseMailClaim(mailId: string, claimId: string): Promise<void> {
  await updateIf(mailKey(mailId), { set: { status: 'failed' } }, { expression: '#status = :sending AND claimId = :claim', names: { '#status': 'status' }, values: { ':sending': 'sending', ':claim': claimId } });
}

/** Records that a message was handed to the provider. */
export async function markMailSent(mailId: string, providerMessageId: string): Promise<void> {
  await updateIf(mailKey(mailId), { set: { status: 'sent', providerMessageId, sentAt: nowIso() } }, { expression: 'attribute_exists(pk)' });
}
