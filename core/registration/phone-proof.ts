import type { Database, DatabaseTx } from '../db/open-database.ts';

/**
 * How a person proves they hold a phone number (or the identity behind it) before a chat or a
 * request is linked to the customer who already has that number. Without proof, a known number
 * changes nothing about that customer and reveals nothing: the front desk confirms in person.
 */
export type ProofMethod =
  /** A one-time code sent to the number by SMS and typed back (PhoneProof). */
  | 'sms_code'
  /** Telegram's own shared contact: a request_contact button whose contact.user_id is the sender. */
  | 'telegram_contact'
  /** A WeCom external user who came through the consultant's contact-me code (bound by the WeCom channel). */
  | 'wecom_contact_way'
  /** Front-desk staff checked the person and their phone in the showroom. */
  | 'front_desk'
  /** The chat is already one of this customer's identities (they registered from it before). */
  | 'linked_chat';

/** Proof, established by the caller, that the sender holds `phone` (E.164). */
export interface IdentityProof {
  method: ProofMethod;
  phone: string;
}

/** Who asks for a code: `<CHANNEL>:<chat id>` for a chat, `form` for the H5 form. A code counts only where it was asked for. */
export type CodeRequester = string;

/** What asking for a code came to: queued for the SMS channel, or refused by a limit until `retryAfterMs` from now. */
export type CodeRequestOutcome = { queued: true } | { queued: false; retryAfterMs: number };

/**
 * What checking a typed code came to: `proven` (right, and now used); `wrong` (tries are left);
 * `spent` (no code to check any more: none asked for here, expired, replaced, used, or out of tries).
 */
export type CodeCheck = 'proven' | 'wrong' | 'spent';

/**
 * The SMS one-time-code port: ask for a code to a number (the SMS leaves through the outbox once
 * the caller's transaction commits), check what the person typed. Both run inside the caller's
 * transaction and make no network call, so a chat step can use them.
 */
export interface PhoneProof {
  /** Whether codes can be sent at all; when false, the form and the chat do not ask for one. */
  readonly available: boolean;
  /** Queues a fresh code to `phone` (E.164) for `requester`, charged to `storeId`'s SMS. */
  requestCode(tx: DatabaseTx, request: { phone: string; requester: CodeRequester; storeId: string; now: Date }): Promise<CodeRequestOutcome>;
  /** Checks `code` against the newest live code `requester` asked for `phone`; counts the try. */
  checkCode(db: Database | DatabaseTx, attempt: { phone: string; requester: CodeRequester; code: string; now: Date }): Promise<CodeCheck>;
}

/**
 * PhoneProof while no SMS provider is wired in: nothing can be sent or verified, so known
 * numbers always go to the front desk.
 */
export const phoneProofUnavailable: PhoneProof = {
  available: false,
  async requestCode() {
    return { queued: false, retryAfterMs: 0 };
  },
  async checkCode() {
    return 'spent';
  },
};
