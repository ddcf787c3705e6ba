import { describe, expect, it } from 'vitest';
import { telegramLimits, wecomAppMessageLimits } from '../../../core/outbox/platform-limits.ts';
import { RateLimiter, type RateLimit } from '../../../core/outbox/rate-limiter.ts';
import { retryDelayMs } from '../../../core/outbox/retry-policy.ts';

describe('RateLimiter', () => {
  const perChat = { key: 'chat:1', capacity: 1, perMs: 1000 };
  const global = { key: 'global', capacity: 30, perMs: 1000 };

  it('lets one message a second through to one chat, and books the next turn', () => {
    const limiter = new RateLimiter();
    expect(limiter.reserve([perChat], 0)).toBe(0);
    expect(limiter.reserve([perChat], 100)).toBe(900);
    // The turn at 1000 is booked: the next one is a second later.
    expect(limiter.reserve([perChat], 1000)).toBe(1000);
  });

  it('gives messages booked at one instant consecutive turns instead of one shared instant', () => {
    const limiter = new RateLimiter();
    const turns = Array.from({ length: 5 }, () => limiter.reserve([perChat], 0));
    expect(turns).toEqual([0, 1000, 2000, 3000, 4000]);
  });

  it('books from every bucket: the slowest one decides the turn', () => {
    const limiter = new RateLimiter();
    for (let i = 0; i < 30; i += 1) expect(limiter.reserve([{ ...perChat, key: `chat:${i}` }, global], 0)).toBe(0);
    expect(limiter.reserve([{ ...perChat, key: 'chat:99' }, global], 0)).toBeGreaterThan(0);
    expect(limiter.reserve([{ ...perChat, key: 'chat:98' }], 0)).toBe(0);
  });

  it('drains a backlog of 100 booked at once at 30 per second', () => {
    const limiter = new RateLimiter();
    const turns = Array.from({ length: 100 }, () => limiter.reserve([global], 0));
    expect(turns[99]).toBeGreaterThanOrEqual(2300);
    expect(turns[99]).toBeLessThanOrEqual(2400);
  });

  it('after a restart (startedAtMs) waits one refill before the first send', () => {
    const limiter = new RateLimiter({ startedAtMs: 5_000 });
    expect(limiter.reserve([perChat], 5_000)).toBe(1000);
    expect(new RateLimiter({ startedAtMs: 5_000 }).reserve([perChat], 6_000)).toBe(0);
  });

  it('survives the clock going backwards', () => {
    const limiter = new RateLimiter();
    expect(limiter.reserve([perChat], 10_000)).toBe(0);
    expect(limiter.reserve([perChat], 5_000)).toBeGreaterThan(0);
  });
});

describe('retryDelayMs', () => {
  const policy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000 };
  it('backs off exponentially with jitter', () => {
    expect(retryDelayMs(policy, 1, undefined, () => 0)).toBe(500);
    expect(retryDelayMs(policy, 1, undefined, () => 1)).toBe(1000);
    expect(retryDelayMs(policy, 3, undefined, () => 1)).toBe(4000);
    expect(retryDelayMs(policy, 20, undefined, () => 1)).toBe(60_000);
  });
  it('never retries before retry_after', () => {
    expect(retryDelayMs(policy, 1, 30_000, () => 0)).toBe(30_000);
  });
});

/**
 * Drains a backlog as fast as the limiter allows (the n-th message may use its own buckets)
 * and returns when each one went: all booked at once, or each booked when the one before it
 * went (as a chat's line does).
 */
function drain(count: number, limitsFor: (n: number) => RateLimit[], bookAtOnce = true): number[] {
  const limiter = new RateLimiter();
  const sentAt: number[] = [];
  for (let n = 0; n < count; n += 1) {
    const now = bookAtOnce ? 0 : (sentAt.at(-1) ?? 0);
    sentAt.push(now + limiter.reserve(limitsFor(n), now));
  }
  return sentAt.sort((a, b) => a - b);
}

/** Whether no window of `windowMs` holds more than `max` of the sends. */
function neverMoreThan(sentAt: number[], max: number, windowMs: number): boolean {
  return sentAt.every((time, i) => i < max || time - sentAt[i - max]! >= windowMs);
}

describe('platform limits', () => {
  it('keeps WeCom app messages to one employee at 30 a minute, whatever the backlog', () => {
    expect(neverMoreThan(drain(120, () => wecomAppMessageLimits('zhangsan')), 30, 60_000)).toBe(true);
  });

  it('keeps WeCom to 1000 an hour per employee', () => {
    expect(neverMoreThan(drain(2500, () => wecomAppMessageLimits('lisi')), 1000, 3_600_000)).toBe(true);
  });

  it('keeps Telegram to one message a second per chat and at most 30 in any second overall', () => {
    const limiter = new RateLimiter();
    expect(limiter.reserve(telegramLimits('42'), 0)).toBe(0);
    expect(limiter.reserve(telegramLimits('42'), 10)).toBe(990);
    for (const atOnce of [true, false]) {
      expect(neverMoreThan(drain(300, (n) => telegramLimits(`c${n}`), atOnce), 30, 1000)).toBe(true);
      expect(neverMoreThan(drain(10, () => telegramLimits('same-chat'), atOnce), 1, 1000)).toBe(true);
    }
  });
});
