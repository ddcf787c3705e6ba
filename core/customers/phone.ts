import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

const MOBILE_TYPES = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

/**
 * Normalizes a mobile number to E.164 (`+8613812345678`). Numbers without a `+` are read as
 * mainland China numbers (also `86…` and `0086…` prefixes); international numbers need their
 * `+` and country code. Full-width digits and the usual separators are accepted. Returns
 * null for anything that is not a valid mobile number (landlines included).
 */
export function normalizePhone(raw: string): string | null {
  if (typeof raw !== 'string') return null;
  const text = raw.normalize('NFKC').replace(/[()]/g, ' ').trim();
  if (text.length === 0 || text.length > 32) return null;
  if (!/^\+?[\d\s\-.]+$/.test(text)) return null;
  const digits = text.replace(/[^\d+]/g, '');
  const candidate = /^86\d{11}$/.test(digits) ? `+${digits}` : digits;
  const parsed = parsePhoneNumberFromString(candidate, 'CN');
  if (!parsed || !parsed.isValid()) return null;
  const type = parsed.getType();
  if (type === undefined || !MOBILE_TYPES.has(type)) return null;
  return parsed.number;
}

/** Masks a phone number for lists, logs and exports: `138****5678` (mainland), `+447****456` (others). */
export function maskPhone(e164: string): string {
  const match = /^\+86(\d{3})\d{4}(\d{4})$/.exec(e164);
  if (match) return `${match[1]}****${match[2]}`;
  if (e164.length <= 6) return '****';
  return `${e164.slice(0, 4)}****${e164.slice(-3)}`;
}
