/** One token bucket's shape: `capacity` sends, refilled evenly over `perMs`. */
export interface RateLimit {
  /** Bucket key, e.g. `telegram:global` or `wecom:user:zhangsan:minute`. */
  key: string;
  capacity: number;
  perMs: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token buckets, checked before a call so a backlog drains at the platform's pace instead of
 * being dropped by it. In memory, per process: two instances each keep their own pace.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();

  /**
   * Takes one token from every bucket if all have one, and returns 0; otherwise takes nothing
   * and returns how many milliseconds until all of them will.
   */
  tryTake(limits: RateLimit[], nowMs: number): number {
    const waitMs = this.waitMs(limits, nowMs);
    if (waitMs === 0) for (const limit of limits) this.#refill(limit, nowMs).tokens -= 1;
    return waitMs;
  }

  /**
   * Milliseconds until every bucket has refilled to `tokens` tokens (0 if it has now); takes
   * nothing. With `tokens` > 1 it estimates when the n-th message in a queue may go.
   */
  waitMs(limits: RateLimit[], nowMs: number, tokens = 1): number {
    let waitMs = 0;
    for (const limit of limits) {
      const bucket = this.#refill(limit, nowMs);
      if (bucket.tokens < tokens) waitMs = Math.max(waitMs, Math.ceil(((tokens - bucket.tokens) * limit.perMs) / limit.capacity));
    }
    return waitMs;
  }

  #refill(limit: RateLimit, nowMs: number): Bucket {
    const bucket = this.#buckets.get(limit.key) ?? { tokens: limit.capacity, updatedAt: nowMs };
    const elapsed = Math.max(0, nowMs - bucket.updatedAt);
    bucket.tokens = Math.min(limit.capacity, bucket.tokens + (elapsed * limit.capacity) / limit.perMs);
    bucket.updatedAt = nowMs;
    this.#buckets.set(limit.key, bucket);
    return bucket;
  }
}
