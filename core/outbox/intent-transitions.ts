import type { DatabaseTx } from '../db/open-database.ts';

/**
 * The guarded state changes of a claimed intent. Each applies only while `owner` still holds
 * the lease, so a dispatcher that lost its lease (it was too slow, another one reclaimed the
 * row) changes nothing. Each returns whether it applied.
 */
type Guard = { id: string; owner: string };

const where = ({ id, owner }: Guard) => ({ id, leaseOwner: owner });
const released = { leaseOwner: null, leaseExpiresAt: null } as const;

async function apply(tx: DatabaseTx, guard: Guard, data: Parameters<DatabaseTx['messageIntent']['updateMany']>[0]['data']): Promise<boolean> {
  return (await tx.messageIntent.updateMany({ where: where(guard), data })).count === 1;
}

/** Holds it until `until` (quiet hours, rate limit, channel not ready): no attempt is counted. */
export function snooze(tx: DatabaseTx, guard: Guard, until: Date, reason: string): Promise<boolean> {
  return apply(tx, guard, { ...released, sendAt: until, nextAttemptAt: until, lastError: reason });
}

/** Ends it without sending: expired (stale), cancelled (no consent) or dead (undeliverable). */
export function finish(tx: DatabaseTx, guard: Guard, state: 'EXPIRED' | 'CANCELLED' | 'DEAD' | 'UNKNOWN', reason: string): Promise<boolean> {
  return apply(tx, guard, { ...released, state, nextAttemptAt: null, lastError: reason });
}

/**
 * Commits `SENDING` before the call: one more attempt, and a lease after which the send counts
 * as interrupted.
 */
export function markSending(tx: DatabaseTx, guard: Guard, now: Date, leaseMs: number, channel: string, address: string): Promise<boolean> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  return apply(tx, guard, {
    state: 'SENDING', attempts: { increment: 1 }, leaseExpiresAt: leaseUntil, nextAttemptAt: leaseUntil,
    channel: channel as 'WEB' | 'TELEGRAM' | 'WECOM', address,
  });
}

/** Records the delivery with the platform's message id. */
export function markSent(tx: DatabaseTx, guard: Guard, now: Date, providerMessageId: string): Promise<boolean> {
  return apply(tx, guard, { ...released, state: 'SENT', sentAt: now, providerMessageId, nextAttemptAt: null, lastError: null });
}

/** Schedules another attempt at `at`. */
export function markRetry(tx: DatabaseTx, guard: Guard, at: Date, error: string): Promise<boolean> {
  return apply(tx, guard, { ...released, state: 'FAILED_RETRYING', nextAttemptAt: at, lastError: error });
}
