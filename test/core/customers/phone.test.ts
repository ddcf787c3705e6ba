import { describe, expect, it } from 'vitest';
import { maskPhone, normalizePhone } from '../../../core/customers/phone.ts';

describe('normalizePhone', () => {
  it.each([
    ['13812345678', '+8613812345678'],
    ['138 1234 5678', '+8613812345678'],
    ['138-1234-5678', '+8613812345678'],
    ['+86 138 1234 5678', '+8613812345678'],
    ['+86-138-1234-5678', '+8613812345678'],
    ['(+86) 138 1234 5678', '+8613812345678'],
    ['8613812345678', '+8613812345678'],
    ['008613812345678', '+8613812345678'],
    ['１３８１２３４５６７８', '+8613812345678'],
    [' 19912345678 ', '+8619912345678'],
    ['+1 415 555 2671', '+14155552671'],
    ['+44 7911 123456', '+447911123456'],
    ['+852 9123 4567', '+85291234567'],
  ])('normalizes %s to %s', (raw, e164) => {
    expect(normalizePhone(raw)).toBe(e164);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['abc', 'letters'],
    ['1381234567', 'ten digits'],
    ['138123456789', 'twelve digits'],
    ['12345678901', 'no such mobile prefix'],
    ['010-12345678', 'a Beijing landline'],
    ['+44 20 7946 0958', 'a London landline'],
    ['13812345678abc', 'trailing letters'],
    ['+86 138 1234 5678 ext 12', 'an extension'],
    ['1'.repeat(40), 'far too long'],
  ])('rejects %s (%s)', (raw) => {
    expect(normalizePhone(raw)).toBeNull();
  });

  it('gives every format of one number the same E.164', () => {
    const formats = ['13812345678', '+86 138-1234-5678', '0086 138 1234 5678', '１３８ １２３４ ５６７８'];
    expect(new Set(formats.map(normalizePhone))).toEqual(new Set(['+8613812345678']));
  });
});

describe('maskPhone', () => {
  it('keeps only the first three and last four digits of a mainland number', () => {
    expect(maskPhone('+8613812345678')).toBe('138****5678');
  });
  it('masks international numbers too', () => {
    expect(maskPhone('+447911123456')).not.toContain('7911123');
  });
});
