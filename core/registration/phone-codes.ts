import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Database, DatabaseTx } from '../db/open-database.ts';
import { enqueueIntent } from '../outbox/enqueue-intent.ts';
import { PHONE_CODE_KIND } from '../outbox/sms-kinds.ts';
import type { CodeCheck, CodeRequester, CodeRequestOutcome, PhoneProof } from './phone-proof.ts';

/** How long a code may be typed in (and how long its SMS may wait to be sent). */
export const PHONE_CODE_TTL_MS = 5 * 60_000;
/** The shortest wait before another code to the same number. */
export const PHONE_CODE_RESEND_MS = 60_000;
/** Codes to one number in an hour and in a day, at most, whoever asks (the providers' own defaults). */
export const PHONE_CODES_PER_HOUR = 5;
export const PHONE_CODES_PER_DAY = 10;
/** Codes one chat (or one form session) may ask for in an hour, whatever the numbers. */
export const PHONE_CODES_PER_REQUESTER_PER_HOUR = 3;
/** Wrong guesses before a code is spent: 5 tries of 10^6 codes. */
export const PHONE_CODE_TRIES = 5;
/** The variable of a code's SMS intent: the PhoneCode row it carries the code of. */
export const PHONE_CODE_ID_VARIABLE = 'phoneCodeId';

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * One-time codes by SMS, the `PhoneProof` of the registration (H5 form and chats) when SMS is
 * configured with a verification template.
 *
 * Asking queues the SMS as an outbox intent in the caller's transaction (no network call there):
 * it commits with the chat's state or not at all, is sent once by the dispatcher after the commit,
 * survives a restart while pending, and is never sent twice (SMS is not resent after a send without
 * an answer: the intent becomes `unknown`, and the person asks again). The code is stored nowhere:
 * six digits derived from the PhoneCode row's id and the number with a key made from the SMS
 * secret, which the database does not hold. The sender derives them when it sends, the check when
 * it compares. (A salted hash of six digits would not protect them: anyone reading the database
 * tries all 10^6 in a moment.)
 *
 * A code is valid PHONE_CODE_TTL_MS, for PHONE_CODE_TRIES tries, once, and only for the
 * requester that asked (a chat's code cannot be typed in another chat); the requester's newer
 * code replaces its older ones. Limits: one a minute, PHONE_CODES_PER_HOUR an hour and
 * PHONE_CODES_PER_DAY a day to a number, whoever asks; PHONE_CODES_PER_REQUESTER_PER_HOUR to one
 * requester. Rows are deleted by the nightly housekeeping once a day old.
 */
export class SmsPhoneCodes implements PhoneProof {
  readonly available = true;
  readonly #key: Buffer;

  /** `secret`: a secret the database does not hold (the SMS access key secret); changing it voids the codes in flight. */
  constructor(secret: string) {
    this.#key = createHmac('sha256', secret).update('showroom-concierge phone codes').digest();
  }

  /** The six digits of code `codeId` for `phone`. */
  digits(codeId: string, phone: string): string {
    const mac = createHmac('sha256', this.#key).update(`${codeId}:${phone}`).digest();
    return String(mac.readBigUInt64BE(0) % 1_000_000n).padStart(6, '0');
  }

  async requestCode(tx: DatabaseTx, request: { phone: string; requester: CodeRequester; storeId: string; now: Date }): Promise<CodeRequestOutcome> {
    const { phone, requester, storeId, now } = request;
    const wait = await waitBeforeNextCode(tx, phone, requester, now);
    if (wait > 0) return { queued: false, retryAfterMs: wait };
    await tx.phoneCode.updateMany({ where: { requester, usedAt: null }, data: { usedAt: now } }); // replaced
    const expiresAt = new Date(now.getTime() + PHONE_CODE_TTL_MS);
    const row = await tx.phoneCode.create({ data: { phone, requester, createdAt: now, expiresAt } });
    await enqueueIntent(tx, {
      dedupeKey: `${PHONE_CODE_KIND}:${row.id}`, storeId, channel: 'SMS', address: phone, purpose: 'REPLY', kind: PHONE_CODE_KIND,
      message: { kind: 'text', text: '短信验证码（验证码本身不保存）' }, variables: { [PHONE_CODE_ID_VARIABLE]: row.id }, sendAt: now, expiresAt,
    });
    return { queued: true };
  }

  async checkCode(db: Database | DatabaseTx, attempt: { phone: string; requester: CodeRequester; code: string; now: Date }): Promise<CodeCheck> {
    const { phone, requester, code, now } = attempt;
    const row = await db.phoneCode.findFirst({
      where: { phone, requester, usedAt: null, expiresAt: { gt: now }, tries: { lt: PHONE_CODE_TRIES } },
      orderBy: { createdAt: 'desc' },
    });
    if (!row) return 'spent';
    if (!/^\d{6}$/.test(code)) return 'wrong';
    // Count the try first, so parallel guesses cannot exceed the budget.
    const counted = await db.phoneCode.updateMany({ where: { id: row.id, usedAt: null, tries: { lt: PHONE_CODE_TRIES } }, data: { tries: { increment: 1 } } });
    if (counted.count === 0) return 'spent';
    if (!timingSafeEqual(Buffer.from(this.digits(row.id, phone)), Buffer.from(code))) return row.tries + 1 < PHONE_CODE_TRIES ? 'wrong' : 'spent';
    const used = await db.phoneCode.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
    return used.count === 1 ? 'proven' : 'spent';
  }
}

/** How long until another code may go to `phone` for `requester`; 0 when it may now. */
async function waitBeforeNextCode(tx: DatabaseTx, phone: string, requester: CodeRequester, now: Date): Promise<number> {
  const at = now.getTime();
  const toNumber = (await tx.phoneCode.findMany({ where: { phone, createdAt: { gt: new Date(at - DAY_MS) } }, select: { createdAt: true }, orderBy: { createdAt: 'asc' } }))
    .map((r) => r.createdAt.getTime());
  const byRequester = (await tx.phoneCode.findMany({ where: { requester, createdAt: { gt: new Date(at - HOUR_MS) } }, select: { createdAt: true }, orderBy: { createdAt: 'asc' } }))
    .map((r) => r.createdAt.getTime());
  const lastHour = toNumber.filter((t) => t > at - HOUR_MS);
  const waits = [
    toNumber.length > 0 ? (toNumber.at(-1) as number) + PHONE_CODE_RESEND_MS - at : 0,
    lastHour.length >= PHONE_CODES_PER_HOUR ? (lastHour.at(-PHONE_CODES_PER_HOUR) as number) + HOUR_MS - at : 0,
    toNumber.length >= PHONE_CODES_PER_DAY ? (toNumber.at(-PHONE_CODES_PER_DAY) as number) + DAY_MS - at : 0,
    byRequester.length >= PHONE_CODES_PER_REQUESTER_PER_HOUR ? (byRequester.at(-PHONE_CODES_PER_REQUESTER_PER_HOUR) as number) + HOUR_MS - at : 0,
  ];
  return Math.max(0, ...waits);
}
