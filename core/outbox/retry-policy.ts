/** How often and how patiently a failing send is retried. */
export interface RetryPolicy {
  /** Attempts in all, the first included; after the last one the intent is dead. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 5_000, maxDelayMs: 30 * 60_000 };

/**
 * The wait before the next attempt: exponential backoff with full jitter, but never sooner
 * than the platform's `retry_after`. `random` is injectable for tests.
 */
export function retryDelayMs(policy: RetryPolicy, attemptsSoFar: number, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attemptsSoFar - 1));
  const backoff = Math.round(ceiling / 2 + (random() * ceiling) / 2);
  return Math.max(backoff, retryAfterMs ?? 0);
}
