import type { DatabaseTx } from '../db/open-database.ts';

/**
 * Cancels every service and marketing message still waiting for a customer and closes their
 * open surveys, in the caller's transaction (an opt-out; a number confirmed wrong).
 */
export async function cancelCustomerCare(tx: DatabaseTx, customerId: string, reason: string): Promise<void> {
  await tx.messageIntent.updateMany({
    where: { customerId, purpose: { in: ['SERVICE', 'MARKETING'] }, state: { in: ['PENDING', 'FAILED_RETRYING'] } },
    data: { state: 'CANCELLED', lastError: reason, nextAttemptAt: null },
  });
  await tx.survey.updateMany({ where: { customerId, state: { in: ['SCHEDULED', 'SENT', 'ANSWERING'] } }, data: { state: 'DECLINED' } });
}
