import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Database } from '../db/open-database.ts';
import type { PhoneProof, SendCodeOutcome } from './phone-proof.ts';

/** How long a code may be typed in. */
export const PHONE_CODE_TTL_MS = 5 * 60_000;
/** The shortest wait before another code to the same number. */
export const PHONE_CODE_RESEND_MS = 60_000;
/** Codes to one number in an hour, at most (the providers' own limits are about the same). */
export const PHONE_CODES_PER_HOUR = 5;
/** Wrong guesses before a code is spent: 5 tries of 10^6 codes. */
export const PHONE_CODE_TRIES = 5;

/** Hands a code to the SMS provider for `phone`; true once it accepted the message. */
export type DeliverPhoneCode = (phone: string, code: string) => Promise<boolean>;

const hashOf = (salt: string, phone: string, code: string): string => createHash('sha256').update(`${salt}:${phone}:${code}`).digest('hex');

/**
 * One-time codes by SMS, the `PhoneProof` the registration asks for when SMS is configured:
 * six random digits, only a salted hash stored, valid PHONE_CODE_TTL_MS, for PHONE_CODE_TRIES
 * tries, once; a newer code replaces the older ones; at most one a minute and
 * PHONE_CODES_PER_HOUR an hour to a number, whoever asks.
 */
export function phoneCodeProof(db: Database, deliver: DeliverPhoneCode): PhoneProof {
  return {
    available: true,

    async sendCode(phone: string, now: Date): Promise<SendCodeOutcome> {
      const hourAgo = new Date(now.getTime() - 3600_000);
      const recent = await db.phoneCode.findMany({ where: { phone, createdAt: { gt: hourAgo } }, select: { createdAt: true } });
      if (recent.length >= PHONE_CODES_PER_HOUR || recent.some((r) => now.getTime() - r.createdAt.getTime() < PHONE_CODE_RESEND_MS)) return 'too_soon';
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const salt = randomBytes(16).toString('hex');
      const row = await db.$transaction(async (tx) => {
        await tx.phoneCode.updateMany({ where: { phone, usedAt: null }, data: { usedAt: now } }); // replaced
        return tx.phoneCode.create({ data: { phone, codeHash: hashOf(salt, phone, code), salt, createdAt: now, expiresAt: new Date(now.getTime() + PHONE_CODE_TTL_MS) } });
      });
      const accepted = await deliver(phone, code).catch(() => false);
      if (accepted) return 'sent';
      await db.phoneCode.delete({ where: { id: row.id } }); // never reached the phone: neither counted nor valid
      return 'unavailable';
    },

    async verify(phone: string, code: string, now: Date): Promise<boolean> {
      if (!/^\d{6}$/.test(code)) return false;
      const row = await db.phoneCode.findFirst({ where: { phone, usedAt: null, expiresAt: { gt: now } }, orderBy: { createdAt: 'desc' } });
      if (!row) return false;
      // Count the try first, so parallel guesses cannot exceed the budget.
      const counted = await db.phoneCode.updateMany({ where: { id: row.id, usedAt: null, tries: { lt: PHONE_CODE_TRIES } }, data: { tries: { increment: 1 } } });
      if (counted.count === 0) return false;
      const given = Buffer.from(hashOf(row.salt, phone, code), 'hex');
      if (!timingSafeEqual(given, Buffer.from(row.codeHash, 'hex'))) return false;
      const used = await db.phoneCode.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
      return used.count === 1;
    },
  };
}
