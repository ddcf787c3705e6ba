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
  | { status: 'blocked'; error: string };

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
  /** The buckets a send to this address draws from (overall and per recipient). */
  rateLimits(envelope: Envelope): RateLimit[];
  /** Sends; never throws for platform failures (a throw counts as ambiguous). */
  send(envelope: Envelope, signal: AbortSignal): Promise<SendOutcome>;
}
