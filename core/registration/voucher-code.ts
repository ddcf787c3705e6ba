import { randomInt } from 'node:crypto';

/** No 0/O, 1/I/L: a voucher code is read aloud and typed at the desk. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const LENGTH = 8;

/** A random voucher code such as `K7MP3XQA` (31^8 ≈ 8.5e11 possibilities). */
export function generateVoucherCode(): string {
  let code = '';
  for (let i = 0; i < LENGTH; i += 1) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** Normalizes what the desk typed (`k7mp-3xqa`, full-width, spaces) to the stored form. */
export function normalizeVoucherCode(raw: string): string {
  return raw.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase();
}

/** Shows a code in two groups for reading aloud: `K7MP-3XQA`. */
export function formatVoucherCode(code: string): string {
  return code.length === LENGTH ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
}
