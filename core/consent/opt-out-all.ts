import { PRIVACY_NOTICE_VERSION } from './privacy-notice.ts';
import type { DatabaseTx } from '../db/open-database.ts';
import { cancelCustomerCare } from './stop-customer-care.ts';

/**
 * Records that a customer withdrew consent for every purpose and cancels every message still
 * waiting for them and their open surveys, in the caller's transaction. Returns false when they had already opted out.
 */
export async function optOutAll(tx: DatabaseTx, customerId: string, source: string, now: Date): Promise<boolean> {
  const latest = await tx.consentRecord.findFirst({
    where: { customerId, purpose: 'SERVICE' },
    orderBy: { recordedAt: 'desc' },
  });
  if (latest && !latest.granted) return false;
  await tx.consentRecord.createMany({
    data: (['SERVICE', 'MARKETING'] as const).map((purpose) => ({
      customerId, purpose, granted: false, source, noticeVersion: PRIVACY_NOTICE_VERSION, recordedAt: now,
    })),
  });
  await cancelCustomerCare(tx, customerId, 'customer opted out');
  return true;
}
