import type { Clock } from '../clock.ts';

/** What one key (a network address) may do: `perMinute` at a steady rate, and that many at once. */
export interface AddressLimit {
  perMinute: number;
}

/** The answer to a request: allowed, or refused with the seconds until the next one is. */
export type LimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

/** Keys kept at most; beyond, the oldest are dropped (a dropped key simply starts full again). */
const MAX_KEYS = 50_000;

/**
 * Token buckets per network address, in this process's memory. Deliberately not shared: with
 * two instances behind one proxy each allows the limit, which is acceptable for a per-address
 * limit (the per-store and per-source limits and the gift stock are counted in the database).
 * The capacity equals the per-minute rate so a showroom's single Wi-Fi address gets a whole
 * minute's allowance at once during a launch event.
 */
export class AddressLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly clock: Clock, private readonly limit: AddressLimit) {}

  /** Takes one turn for `key` if it has one. */
  take(key: string): LimitDecision {
    const now = this.clock.now().getTime();
    const perMs = this.limit.perMinute / 60_000;
    const bucket = this.buckets.get(key);
    const tokens = bucket ? Math.min(this.limit.perMinute, bucket.tokens + (now - bucket.at) * perMs) : this.limit.perMinute;
    if (tokens < 1) {
      this.remember(key, { tokens, at: now });
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)) };
    }
    this.remember(key, { tokens: tokens - 1, at: now });
    return { allowed: true };
  }

  private remember(key: string, bucket: Bucket): void {
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > MAX_KEYS) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
  }
}
