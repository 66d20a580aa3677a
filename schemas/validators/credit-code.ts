/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015.
 *
 * 18 characters: registration authority (1), institution kind (1), GB/T 2260
 * administrative division (6), organisation code (9), check character (1).
 * The alphabet has 31 characters: digits and capital letters without
 * I, O, S, V and Z (they read like digits).
 */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Weight of position i is 3^i mod 31 (GB 32100-2015, 5.2). */
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/**
 * Computes the 18th (check) character from the first 17 characters.
 * @throws RangeError when `first17` is not 17 characters of the GB 32100 alphabet.
 */
export function creditCodeCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError('A credit code body has 17 characters.');
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const value = CREDIT_CODE_ALPHABET.indexOf(first17.charAt(i));
    if (value < 0) throw new RangeError(`Character ${first17.charAt(i)} is not allowed in a credit code.`);
    sum += value * WEIGHTS[i]!;
  }
  return CREDIT_CODE_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/**
 * True when `code` is a well-formed unified social credit code whose check
 * character matches (upper case only, as printed on licences).
 */
export function isValidCreditCode(code: string): boolean {
  if (!SHAPE.test(code)) return false;
  return creditCodeCheckChar(code.slice(0, 17)) === code.charAt(17);
}
