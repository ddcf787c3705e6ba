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

/**
 * Telegram Bot API: about 30 messages a second overall and 1 a second per chat; past that it
 * answers 429 with `retry_after`.
 */
export function telegramLimits(chatId: string): RateLimit[] {
  return [windowLimit('telegram:global', 30, SECOND), { key: `telegram:chat:${chatId}`, capacity: 1, perMs: SECOND, gapAfterCompletion: true }];
}

/**
 * WeCom application messages (`message/send`): at most 30 a minute and 1000 an hour per
 * employee; WeCom silently drops the excess, so the buckets must hold it back.
 */
export function wecomAppMessageLimits(userId: string): RateLimit[] {
  return [windowLimit(`wecom:user:${userId}:minute`, 30, MINUTE), windowLimit(`wecom:user:${userId}:hour`, 1000, HOUR)];
}
