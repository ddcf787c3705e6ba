import type { TelegramRates } from '../../../core/outbox/platform-limits.ts';

/** One message as the platform received it. */
export interface Delivery {
  chatId: string;
  /** The message's dedupe key. */
  key: string;
  /** Its place in its chat's line (the order the intents were queued in). */
  seq: number;
  /** When the platform took it (ms). */
  at: number;
}

/** Keys delivered more than once. */
export function deliveredTwice(deliveries: readonly Delivery[]): string[] {
  const seen = new Map<string, number>();
  for (const d of deliveries) seen.set(d.key, (seen.get(d.key) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([key]) => key);
}

/**
 * Breaches of the rates, counted from the deliveries themselves (not from the fake's 429s): two
 * messages to one chat closer than its gap, or more than `perSecond` within any second.
 */
export function limitBreaches(deliveries: readonly Delivery[], rates: TelegramRates): string[] {
  const breaches: string[] = [];
  const gapMs = 1000 / rates.perChatPerSecond;
  const byTime = [...deliveries].sort((a, b) => a.at - b.at);
  const lastAt = new Map<string, number>();
  let windowStart = 0;
  for (const [i, d] of byTime.entries()) {
    const previous = lastAt.get(d.chatId);
    if (previous !== undefined && d.at - previous < gapMs) breaches.push(`chat ${d.chatId}: ${d.at - previous} ms apart`);
    lastAt.set(d.chatId, d.at);
    while ((byTime[windowStart]?.at ?? d.at) <= d.at - 1000) windowStart += 1;
    if (i - windowStart + 1 > rates.perSecond) breaches.push(`${i - windowStart + 1} messages within a second ending at ${d.at}`);
  }
  return breaches;
}

/** Chats whose messages arrived out of the order they were queued in. */
export function outOfOrder(deliveries: readonly Delivery[]): string[] {
  const last = new Map<string, number>();
  const broken = new Set<string>();
  for (const d of deliveries) {
    if ((last.get(d.chatId) ?? -1) >= d.seq) broken.add(d.chatId);
    last.set(d.chatId, d.seq);
  }
  return [...broken];
}
