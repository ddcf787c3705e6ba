import type { Locale } from './config.ts';

/** The channels the product speaks on. Mirrors the `Channel` enum in schema.prisma. */
export type ChannelName = 'WEB' | 'TELEGRAM' | 'WECOM';

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
  | { kind: 'text'; text: string; choices?: Choice[] }
  | { kind: 'voucher'; text: string; voucherCode: string };

/** A message from a customer, normalized at the channel's edge. */
export type InboundMessage =
  | {
      kind: 'text';
      channel: ChannelName;
      /** The chat on that channel: web session id, Telegram chat id, WeCom external user id. */
      chatId: string;
      text: string;
      receivedAt: Date;
      locale?: Locale;
    }
  | {
      /** The customer arrived through an entry point: a scanned QR code, a deep link. */
      kind: 'start';
      channel: ChannelName;
      chatId: string;
      /** The QR source code the entry carried, if any. */
      sourceCode: string | null;
      receivedAt: Date;
      locale?: Locale;
    };

/** Where an outbound message goes. */
export interface Recipient {
  channel: ChannelName;
  chatId: string;
}
