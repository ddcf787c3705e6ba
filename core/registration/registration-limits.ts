import type { Config } from '../config.ts';
import type { DatabaseTx } from '../db/open-database.ts';

/** The database-counted limits of registration (they hold across instances sharing one database). */
export interface RegistrationLimits {
  perSourcePerMinute: number;
  perStorePerMinute: number;
  /** Vouchers a store issues in a minute before gift issuing pauses. */
  giftBurstPerMinute: number;
  giftPauseMinutes: number;
}

/** The defaults of core/config.ts, for callers without settings (tests, tools). */
export const DEFAULT_REGISTRATION_LIMITS: RegistrationLimits = { perSourcePerMinute: 120, perStorePerMinute: 200, giftBurstPerMinute: 30, giftPauseMinutes: 30 };

/** The limits from the settings. */
export function registrationLimitsFrom(config: Config): RegistrationLimits {
  return {
    perSourcePerMinute: config.REGISTRATIONS_PER_SOURCE_PER_MINUTE,
    perStorePerMinute: config.REGISTRATIONS_PER_STORE_PER_MINUTE,
    giftBurstPerMinute: config.GIFT_BURST_PER_MINUTE,
    giftPauseMinutes: config.GIFT_PAUSE_MINUTES,
  };
}

/** Too many registrations at a store or a QR source in the last minute: refused, nothing stored; try again later. */
export class RegistrationRateLimitedError extends Error {
  constructor(readonly scope: 'store' | 'source', readonly retryAfterSeconds: number) {
    super(`Too many registrations at this ${scope} in the last minute`);
    this.name = 'RegistrationRateLimitedError';
  }
}

const WINDOW_MS = 60_000;

/**
 * Refuses a registration when its store or QR source took its limit in the last minute.
 * Counted from the database (visits, and registrations waiting for the desk), so two
 * instances on one database share the limit; run inside the registration's transaction.
 */
export async function checkRegistrationRate(
  tx: DatabaseTx,
  args: { storeId: string; qrSourceId: string; now: Date; limits: RegistrationLimits },
): Promise<void> {
  const since = new Date(args.now.getTime() - WINDOW_MS);
  const [storeVisits, storePending] = await Promise.all([
    tx.visit.count({ where: { storeId: args.storeId, visitedAt: { gt: since } } }),
    tx.pendingRegistration.count({ where: { storeId: args.storeId, reason: 'identity', createdAt: { gt: since } } }),
  ]);
  if (storeVisits + storePending >= args.limits.perStorePerMinute) throw new RegistrationRateLimitedError('store', 60);
  const [sourceVisits, sourcePending] = await Promise.all([
    tx.visit.count({ where: { qrSourceId: args.qrSourceId, visitedAt: { gt: since } } }),
    tx.pendingRegistration.count({ where: { qrSourceId: args.qrSourceId, reason: 'identity', createdAt: { gt: since } } }),
  ]);
  if (sourceVisits + sourcePending >= args.limits.perSourcePerMinute) throw new RegistrationRateLimitedError('source', 60);
}
