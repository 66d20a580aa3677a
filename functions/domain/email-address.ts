import { createHash } from 'node:crypto';

/**
 * E-mail addresses as the account rules compare them. An invitation admits
 * exactly the invited address, so the invitation, the Cognito pre-sign-up
 * trigger and the acceptance must agree on one comparison: trimmed and
 * lower-cased (providers treat the local part case-insensitively in practice,
 * and Cognito matches sign-in aliases that way).
 */
export function normaliseEmail(address: string): string {
  return address.trim().toLowerCase();
}

/**
 * The lookup key of an address: SHA-256 of its normalised form, hex. Keys of
 * the table hold this, never the address in the clear.
 */
export function emailHash(address: string): string {
  return createHash('sha256').update(normaliseEmail(address)).digest('hex');
}

/** Whether two addresses are the same account address. */
export function sameEmail(a: string, b: string): boolean {
  return normaliseEmail(a) === normaliseEmail(b);
}
