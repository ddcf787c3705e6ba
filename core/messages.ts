import type { Locale } from './config.ts';

/** The channels the product speaks on. Mirrors the `Channel` enum in schema.prisma. */
export type ChannelName = 'WEB' | 'TELEGRAM' | 'WECOM' | 'SMS';

/**
 * Why a message goes out, which decides the rules it obeys. Mirrors `MessagePurpose` in
 * schema.prisma. SERVICE and MARKETING need the customer's consent and respect quiet hours;
 * STAFF goes to employees in staff hours; REPLY answers a message the recipient just sent, so
 * it goes out at once, whatever the hour.
 */
export type MessagePurpose = 'SERVICE' | 'MARKETING' | 'STAFF' | 'REPLY';

/** One choice a customer can tap; `value` is what comes back as text when tapped. */
export interface Choice {
  label: string;
  value: string;
}

/** What the core asks a channel to show. Channels render choices as buttons where they can. */
export type OutboundMessage =
  /** `shareContact`: the label of a button that shares the sender's own number, where the platform has one (Telegram). */
  | { kind: 'text'; text: string; choices?: Choice[]; shareContact?: string }
  | { kind: 'voucher'; text: string; voucherCode: string };

/**
 * What one platform event is, as a channel adapter normalizes it at its edge. Core decides
 * what to do with it (core/inbound/inbound-pipeline.ts); the adapter only reads the platform.
 */
export type InboundEvent =
  /** Typed text. */
  | { kind: 'text'; text: string }
  /** The chat was opened through an entry point (a scanned QR code, a deep link); null: no known source. */
  | { kind: 'start'; sourceCode: string | null }
  /**
   * A tap on one of our buttons: its value, and whether it was on the newest message with
   * buttons in this chat (a tap on an older one must not answer the current question).
   */
  | { kind: 'button'; data: string; onLatestKeyboard: boolean }
  /**
   * A phone number shared through the platform (Telegram's contact button). `own`: the contact is
   * the sender's own account (Telegram fills in the user id only for that), which proves they
   * hold the number; a forwarded contact of someone else proves nothing.
   */
  | { kind: 'contact'; phone: string; own: boolean }
  /** A staff invitation presented in this chat (Telegram `/start staff_<token>`). */
  | { kind: 'staff_invitation'; token: string }
  /**
   * Content we cannot read (stickers, photos, voice), or text that could not be read (a broken
   * character, nothing visible: `unreadableText`): the sender is asked to type.
   */
  | { kind: 'unsupported'; unreadableText?: true }
  /** Not for this bot (group chats, edits, channel posts): marked handled, never answered. */
  | { kind: 'ignored'; reason: string };

/** One inbound event with where it came from. */
export interface InboundMessage {
  channel: ChannelName;
  /** The chat on that channel: web session id, Telegram chat id, WeCom external user id ('none' for an ignored event without one). */
  chatId: string;
  /** The platform's id for this event, unique per channel: a re-delivery carries the same one. */
  updateId: string;
  /** The sender's language, when the platform tells it (Telegram, on /start). */
  locale?: Locale;
  /**
   * The sender's mobile number (E.164) when the platform vouches for it (an SMS reply comes
   * from its number): the chat is linked to the customer with that number before any step runs.
   */
  senderPhone?: string;
  event: InboundEvent;
}

/** A customer's text in a chat, as the flows that read text (surveys, complaints) need it. */
export interface ChatText {
  channel: ChannelName;
  chatId: string;
  text: string;
}

/** Where an outbound message goes. */
export interface Recipient {
  channel: ChannelName;
  chatId: string;
}
