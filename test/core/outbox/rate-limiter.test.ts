import { describe, expect, it } from 'vitest';
import { telegramLimits, wecomAppMessageLimits } from '../../../core/outbox/platform-limits.ts';
import { RateLimiter, type RateLimit } from '../../../core/outbox/rate-limiter.ts';
import { retryDelayMs } from '../../../core/outbox/retry-policy.ts';

describe('RateLimiter', () => {
  const perChat = { key: 'chat:1', capacity: 1, perMs: 1000 };
  const global = { key: 'global', capacity: 30, perMs: 1000 };

  it('lets one message a second through to one chat, and says how long to wait', () => {
    const limiter = new RateLimiter();
    expect(limiter.tryTake([perChat], 0)).toBe(0);
    expect(limiter.tryTake([perChat], 100)).toBe(900);
    expect(limiter.tryTake([perChat], 1000)).toBe(0);
  });

  it('takes nothing from any bucket when one of them is empty', () => {
    const limiter = new RateLimiter();
    for (let i = 0; i < 30; i += 1) expect(limiter.tryTake([{ ...perChat, key: `chat:${i}` }, global], 0)).toBe(0);
    expect(limiter.tryTake([{ ...perChat, key: 'chat:99' }, global], 0)).toBeGreaterThan(0);
    expect(limiter.tryTake([{ ...perChat, key: 'chat:99' }], 0)).toBe(0);
  });

  it('drains a backlog of 100 at exactly 30 per second', () => {
    const limiter = new RateLimiter();
    let now = 0;
    let sent = 0;
    while (sent < 100) {
      const wait = limiter.tryTake([global], now);
      if (wait === 0) sent += 1;
      else now += wait;
    }
    expect(now).toBeGreaterThanOrEqual(2300);
    expect(now).toBeLessThanOrEqual(2400);
  });

  it('survives the clock going backwards', () => {
    const limiter = new RateLimiter();
    expect(limiter.tryTake([perChat], 10_000)).toBe(0);
    expect(limiter.tryTake([perChat], 5_000)).toBeGreaterThan(0);
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
 * and returns when each one went.
 */
function drain(count: number, limitsFor: (n: number) => RateLimit[]): number[] {
  const limiter = new RateLimiter();
  const sentAt: number[] = [];
  let now = 0;
  while (sentAt.length < count) {
    const wait = limiter.tryTake(limitsFor(sentAt.length), now);
    if (wait === 0) sentAt.push(now);
    else now += wait;
  }
  return sentAt;
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
    expect(limiter.tryTake(telegramLimits('42'), 0)).toBe(0);
    expect(limiter.tryTake(telegramLimits('42'), 10)).toBe(990);
    expect(neverMoreThan(drain(300, (n) => telegramLimits(`c${n}`)), 30, 1000)).toBe(true);
    expect(neverMoreThan(drain(10, () => telegramLimits('same-chat')), 1, 1000)).toBe(true);
  });
});
