/** One token bucket's shape: `capacity` sends, refilled evenly over `perMs`. */
export interface RateLimit {
  /** Bucket key, e.g. `telegram:global` or `wecom:user:zhangsan:minute`. */
  key: string;
  capacity: number;
  perMs: number;
  /**
   * A gap between one recipient's messages as the platform sees them arrive (Telegram: 1 s per
   * chat): the next turn counts from when the previous send completed, not from when it was
   * booked, so a slow request cannot shorten the gap at the platform's end.
   */
  gapAfterCompletion?: boolean;
}

interface Bucket {
  /** May go below zero: tokens booked for sends that wait for their turn. */
  tokens: number;
  updatedAt: number;
}

/**
 * Token buckets, checked before a call so a backlog drains at the platform's pace instead of
 * being dropped by it. A send books its token at once and is told when its turn comes, so
 * messages waiting for one bucket go one after another at its pace instead of all coming back
 * at the same instant to race for the next token. In memory, per process.
 */
/** A turn booked for a waiting message, and the gap buckets it holds. */
interface Booking {
  turnMs: number;
  gaps: RateLimit[];
}

export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  /** Turns booked by messages that wait for them, by the message's key. */
  readonly #booked = new Map<string, Booking>();
  /** Which booking holds each gap bucket: one recipient's line has one message at its front. */
  readonly #gapHolders = new Map<string, string>();

  /**
   * With `startedAtMs`, a bucket seen for the first time is taken to have been emptied at that
   * instant: a process that just started cannot know what the one before it sent in its last
   * moments, so it waits one refill before using a full burst. Without it buckets start full.
   */
  constructor(private readonly options: { startedAtMs?: number } = {}) {}

  /**
   * The turn of the message `key`: how many milliseconds until it may go (0: now). The first
   * call books it (`reserve`); later calls answer from the booking, and the call that finds
   * the turn come uses it up. Whoever holds the limiter (several dispatchers of one process)
   * sees the same bookings, so a message keeps its turn whichever of them takes it up. A gap
   * bucket (one recipient) still held by another booking means that message left the front of
   * its line without coming back (it was cancelled elsewhere): its token is given back first.
   */
  turn(key: string, limits: RateLimit[], nowMs: number): number {
    let booking = this.#booked.get(key);
    if (!booking) {
      for (const limit of limits) {
        const holder = limit.gapAfterCompletion ? this.#gapHolders.get(limit.key) : undefined;
        if (holder !== undefined && holder !== key) this.forget(holder);
      }
      booking = { turnMs: nowMs + this.reserve(limits, nowMs), gaps: limits.filter((l) => l.gapAfterCompletion) };
      this.#booked.set(key, booking);
      for (const gap of booking.gaps) this.#gapHolders.set(gap.key, key);
    }
    if (booking.turnMs > nowMs) return booking.turnMs - nowMs;
    this.#unbook(key, booking);
    return 0;
  }

  /**
   * Drops a message's booking: it left its line (held, ended, or another message went first).
   * Its gap buckets get their token back (nobody else can have booked after it there); the
   * shared buckets do not, as later bookings were counted after it.
   */
  forget(key: string): void {
    const booking = this.#booked.get(key);
    if (!booking) return;
    for (const gap of booking.gaps) {
      const bucket = this.#buckets.get(gap.key);
      if (bucket) bucket.tokens = Math.min(gap.capacity, bucket.tokens + 1);
    }
    this.#unbook(key, booking);
  }

  /** Drops bookings whose turn passed `olderThanMs` ago: their message never came back for them. */
  forgetStale(nowMs: number, olderThanMs: number): void {
    for (const [key, booking] of this.#booked) if (booking.turnMs + olderThanMs < nowMs) this.forget(key);
  }

  /**
   * Books one token from every bucket and returns in how many milliseconds the send may go
   * (0: now). Sends made at their booked times never exceed any bucket's rate; a booking that
   * is not used only leaves the bucket slower for a while.
   */
  reserve(limits: RateLimit[], nowMs: number): number {
    let waitMs = 0;
    for (const limit of limits) {
      const bucket = this.#refill(limit, nowMs);
      if (bucket.tokens < 1) waitMs = Math.max(waitMs, Math.ceil(((1 - bucket.tokens) * limit.perMs) / limit.capacity));
    }
    for (const limit of limits) this.#refill(limit, nowMs).tokens -= 1;
    return waitMs;
  }

  /** A send has completed: the gap buckets among `limits` count their next turn from now. */
  completed(limits: RateLimit[], nowMs: number): void {
    for (const limit of limits) {
      if (!limit.gapAfterCompletion) continue;
      const bucket = this.#refill(limit, nowMs);
      bucket.tokens = Math.min(bucket.tokens, 0);
    }
  }

  #unbook(key: string, booking: Booking): void {
    this.#booked.delete(key);
    for (const gap of booking.gaps) if (this.#gapHolders.get(gap.key) === key) this.#gapHolders.delete(gap.key);
  }

  #refill(limit: RateLimit, nowMs: number): Bucket {
    const started = this.options.startedAtMs;
    const bucket = this.#buckets.get(limit.key) ?? (started === undefined ? { tokens: limit.capacity, updatedAt: nowMs } : { tokens: 0, updatedAt: started });
    const elapsed = Math.max(0, nowMs - bucket.updatedAt);
    bucket.tokens = Math.min(limit.capacity, bucket.tokens + (elapsed * limit.capacity) / limit.perMs);
    bucket.updatedAt = Math.max(bucket.updatedAt, nowMs);
    this.#buckets.set(limit.key, bucket);
    return bucket;
  }
}
