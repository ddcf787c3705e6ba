import type { RateLimit } from './rate-limiter.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * A bucket that lets at most `max` sends through in any window of `windowMs`: a burst of a
 * third of it, refilled at the rate of the rest (burst + rate × window = max). A plain bucket
 * of `max` per window would allow nearly twice that across a window boundary.
 */
export function windowLimit(key: string, max: number, windowMs: number): RateLimit {
  const capacity = Math.max(1, Math.ceil(max / 3));
  return { key, capacity, perMs: (capacity * windowMs) / (max - capacity) };
}

/** A Bot API server's flood limits: messages a second overall, and to one chat. */
export interface TelegramRates {
  perSecond: number;
  perChatPerSecond: number;
}

/**
 * Telegram Bot API: about 30 messages a second overall and 1 a second per chat; past that it
 * answers 429 with `retry_after`. (Other rates only for a server with other limits: settings
 * TELEGRAM_MESSAGES_PER_SECOND, TELEGRAM_CHAT_MESSAGES_PER_SECOND.)
 */
export const TELEGRAM_RATES: TelegramRates = { perSecond: 30, perChatPerSecond: 1 };

/** The buckets of one Telegram send: the bot's overall rate, and the gap between one chat's messages. */
export function telegramLimits(chatId: string, rates: TelegramRates = TELEGRAM_RATES): RateLimit[] {
  return [windowLimit('telegram:global', rates.perSecond, SECOND), { key: `telegram:chat:${chatId}`, capacity: 1, perMs: SECOND / rates.perChatPerSecond, gapAfterCompletion: true }];
}

/**
 * WeCom application messages (`message/send`): at most 30 a minute and 1000 an hour per
 * employee; WeCom silently drops the excess, so the buckets must hold it back.
 */
export function wecomAppMessageLimits(userId: string): RateLimit[] {
  return [windowLimit(`wecom:user:${userId}:minute`, 30, MINUTE), windowLimit(`wecom:user:${userId}:hour`, 1000, HOUR)];
}
