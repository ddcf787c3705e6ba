import type { ChannelName, OutboundMessage } from '../messages.ts';
import type { RateLimit } from './rate-limiter.ts';

/** One message as a channel adapter receives it from the dispatcher. */
export interface Envelope {
  intentId: string;
  /** Stable per logical message; adapters may pass it to platforms that de-duplicate. */
  dedupeKey: string;
  channel: ChannelName;
  /** The chat on that channel: web session, Telegram chat id, WeCom user id. */
  address: string;
  message: OutboundMessage;
  /** 1 for the first try. */
  attempt: number;
}

/**
 * What became of a send, as the adapter classifies it. The dispatcher alone decides what each
 * means for the intent (retry, dead, unknown), in one place.
 */
export type SendOutcome =
  /** Delivered; the platform's id for the message. */
  | { status: 'sent'; providerMessageId: string }
  /** Not delivered and safe to try again: connection refused, 429, 5xx. */
  | { status: 'retry'; error: string; retryAfterMs?: number }
  /** The request left but no answer came back: it may or may not have been delivered. */
  | { status: 'ambiguous'; error: string }
  /** The platform refused the message itself; trying again will not help. */
  | { status: 'rejected'; error: string }
  /** The recipient blocked us or left; stop sending to this address. */
  | { status: 'blocked'; error: string }
  /**
   * Not sent: the platform's window for writing to this chat is closed (WeCom 微信客服: 5
   * messages within 48 h of the customer's last message). The customer's consultant gets the
   * message as a task, like a channel that cannot push; the chat is not blocked.
   */
  | { status: 'window-closed'; error: string };

/** The port every channel implements for sends (Telegram, WeCom, web chat, test fakes). */
export interface ChannelSender {
  readonly channel: ChannelName;
  /**
   * Whether an identical resend after an ambiguous failure is harmless (the platform or the
   * adapter de-duplicates, like WeCom's duplicate check). If not, such an intent becomes
   * `unknown` and the admins are alerted instead of risking a second delivery.
   */
  readonly resendIsSafe: boolean;
  /**
   * Whether it can send to a customer on its own (web chat, Telegram). WeCom external contacts
   * cannot: an employee must confirm, so such messages become a task for the consultant.
   */
  readonly canPush: boolean;
  /**
   * For a channel whose reach differs per chat (WeCom: a 微信客服 chat may be written to only
   * within its reply window, an external contact only through an employee): whether each of
   * these addresses can be sent to now. An address in the answer overrides `canPush` for that
   * chat (true: send; false: hand the message to the consultant); one left out follows
   * `canPush`. Asked once per dispatch batch; the sender still checks when it sends.
   */
  reachNow?(addresses: readonly string[], now: Date): Promise<ReadonlyMap<string, boolean>>;
  /**
   * For a channel whose chats may be open without anyone watching (the web chat: a page that
   * was closed): those of these addresses nobody watches now. A customer message to such a chat
   * goes by SMS where SMS may carry it, else to the chat (seen when the person comes back).
   */
  unattended?(addresses: readonly string[], now: Date): Promise<ReadonlySet<string>>;
  /** Why this channel cannot send to `address` at all (SMS: an international number the account may not text); null when it can. */
  addressRefusal?(address: string): string | null;
  /** The buckets a send to this address draws from (overall and per recipient). */
  rateLimits(envelope: Envelope): RateLimit[];
  /** Sends; never throws for platform failures (a throw counts as ambiguous). */
  send(envelope: Envelope, signal: AbortSignal): Promise<SendOutcome>;
}
