import { describe, expect, it } from 'vitest';
import { encodeForm, formOf } from '../../../functions/adapters/stores/applications.ts';
import { makeValidForm } from '../domain/fixtures/valid-form.ts';

/**
 * The form item holds the form compressed: write units are counted per
 * started KB, twice in a transaction, and a draft is saved many times.
 */
describe('the application form item', () => {
  it('stores a complete form in under half the bytes of its JSON, and reads it back unchanged', () => {
    const form = makeValidForm();
    const json = Buffer.byteLength(JSON.stringify(form), 'utf8');
    const formGz = encodeForm(form);
    expect(formGz.byteLength).toBeLessThan(json / 2);
    expect(formOf({ formGz, formVersion: 1 })).toEqual(form);
  });

  it('reads a form item written before compression (the form inline)', () => {
    const form = makeValidForm();
    expect(formOf({ form, formVersion: 1 })).toEqual(form);
  });
});
