import { describe, expect, it } from 'vitest';
import { CREDIT_CODE_ALPHABET, creditCodeCheckChar, isValidCreditCode } from '../../../schemas/validators/credit-code.ts';
import { idNumberCheckChar, isValidIdNumber } from '../../../schemas/validators/id-number.ts';

describe('credit-code', () => {
  describe('isValidCreditCode', () => {
    // Codes printed on public business licences, and ones computed for the fixtures.
    it.each([
      ['9144030071526726XG', 'an enterprise in Shenzhen'],
      ['914403001922038216', 'an enterprise in Shenzhen'],
      ['91330100716105852F', 'an enterprise in Hangzhou'],
      ['12100000400000624D', 'a central public institution'],
      ['12440100455861238H', 'the fixture college in Guangzhou'],
      ['52330100MJ9082147H', 'a private non-enterprise unit in Hangzhou'],
    ])('accepts %s, %s, whose GB 32100-2015 check character matches', (code) => {
      expect(isValidCreditCode(code)).toBe(true);
    });

    it('refuses every other check character for the same 17-character body (GB 32100-2015)', () => {
      const body = '12440100455861238';
      const wrong = [...CREDIT_CODE_ALPHABET].filter((c) => c !== creditCodeCheckChar(body));

      expect(wrong).toHaveLength(30);
      for (const c of wrong) expect(isValidCreditCode(body + c)).toBe(false);
    });

    it('detects two swapped characters', () => {
      expect(isValidCreditCode('12440100455862138H')).toBe(false);
    });

    it.each([
      ['12440100455861238', 'too short'],
      ['12440100455861238HX', 'too long'],
      ['12440100455861238h', 'lower case'],
      ['12440100455861I38H', 'the letter I, not in the alphabet'],
      ['1244A100455861238H', 'a letter in the division code'],
    ])('refuses %s (%s)', (code) => {
      expect(isValidCreditCode(code)).toBe(false);
    });
  });

  describe('creditCodeCheckChar', () => {
    it('maps a remainder of zero to the character 0 rather than 31', () => {
      // Find a body whose weighted sum is a multiple of 31 by trying the last character.
      const bodies = [...CREDIT_CODE_ALPHABET].map((c) => `1244010045586123${c}`);
      const zero = bodies.filter((b) => creditCodeCheckChar(b) === '0');

      expect(zero).toHaveLength(1);
      expect(isValidCreditCode(`${zero[0]}0`)).toBe(true);
    });

    it('throws on a body that is not 17 characters of the alphabet', () => {
      expect(() => creditCodeCheckChar('1244')).toThrow(RangeError);
      expect(() => creditCodeCheckChar('1244010045586123O')).toThrow(RangeError);
    });
  });
});

describe('id-number', () => {
  describe('isValidIdNumber', () => {
    it('accepts the GB 11643-1999 example whose check character is X', () => {
      expect(idNumberCheckChar('11010519491231002')).toBe('X');
      expect(isValidIdNumber('11010519491231002X')).toBe(true);
      expect(isValidIdNumber('11010519491231002x')).toBe(true);
    });

    it('accepts the fixture site manager and refuses a wrong check digit (ISO 7064 MOD 11-2)', () => {
      expect(isValidIdNumber('440106198507152313')).toBe(true);
      expect(isValidIdNumber('440106198507152314')).toBe(false);
    });

    it('refuses 15-digit old numbers and malformed ones', () => {
      expect(isValidIdNumber('440106850715231')).toBe(false);
      expect(isValidIdNumber('44010619850715231A')).toBe(false);
    });
  });
});
