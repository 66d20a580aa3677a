/**
 * Resident identity card number (公民身份号码), GB 11643-1999: 17 digits and
 * an ISO 7064 MOD 11-2 check character (0-9 or X).
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/**
 * Computes the ISO 7064 MOD 11-2 check character of the first 17 digits.
 * @throws RangeError when `first17` is not 17 digits.
 */
export function idNumberCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('An ID number body has 17 digits.');
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17.charAt(i)) * WEIGHTS[i]!;
  return CHECK_CHARS.charAt(sum % 11);
}

/**
 * True when `id` has the 18-character shape and a matching check character.
 * Deliberately lenient otherwise (no check of the area code or birth date):
 * the reviewer compares it with the ID-card copy (Art.3(2)).
 */
export function isValidIdNumber(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false;
  return idNumberCheckChar(id.slice(0, 17)) === id.charAt(17).toUpperCase();
}
