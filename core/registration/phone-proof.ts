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

/** What sending a one-time code came to. */
export type SendCodeOutcome = 'sent' | 'too_soon' | 'unavailable';

/**
 * The SMS one-time-code port: send a code to a number, verify what the person typed. Narrow on
 * purpose, so the SMS channel plugs its provider in without core knowing which one.
 */
export interface PhoneProof {
  /** Whether codes can be sent at all; when false, the form and the chat do not ask for one. */
  readonly available: boolean;
  /** Sends a fresh code to `phone` (E.164). */
  sendCode(phone: string, now: Date): Promise<SendCodeOutcome>;
  /** True once for the right, unexpired code for `phone`; false otherwise (wrong, expired, used, unavailable). */
  verify(phone: string, code: string, now: Date): Promise<boolean>;
}

/**
 * PhoneProof while no SMS provider is wired in: nothing can be sent or verified, so known
 * numbers always go to the front desk.
 */
export const phoneProofUnavailable: PhoneProof = {
  available: false,
  async sendCode() {
    return 'unavailable';
  },
  async verify() {
    return false;
  },
};
