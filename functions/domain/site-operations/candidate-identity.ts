import { createHmac } from 'node:crypto';
import { isValidIdNumber } from '../../../schemas/validators/id-number.ts';

/**
 * Candidates' ID numbers are sensitive personal information (PIPL): the
 * system keeps no more than its purposes need — a keyed hash to find a
 * candidate registered twice, and a masked form to show — and never the
 * number itself, in a record, a log line, an event or an e-mail.
 */

/** The ID number in its canonical form (upper-case check character, no spaces), or undefined when it is not valid. */
export function canonicalIdNumber(raw: string): string | undefined {
  const id = raw.replace(/\s+/g, '').toUpperCase();
  return isValidIdNumber(id) ? id : undefined;
}

/**
 * HMAC-SHA256 of the canonical ID number under the deployment's secret key:
 * equal numbers give equal hashes (duplicate checks), and without the key the
 * hash cannot be reversed by trying the ~10^9 plausible numbers.
 */
export function candidateIdHash(key: string | Uint8Array, canonicalId: string): string {
  return createHmac('sha256', key).update(canonicalId, 'utf8').digest('base64url');
}

/** The form shown to people: the first 3 and the last 4 characters, the rest masked (`110***********123X`). */
export function maskIdNumber(canonicalId: string): string {
  if (canonicalId.length <= 7) return '*'.repeat(canonicalId.length);
  return `${canonicalId.slice(0, 3)}${'*'.repeat(canonicalId.length - 7)}${canonicalId.slice(-4)}`;
}
