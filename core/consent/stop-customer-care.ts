import type { DatabaseTx } from '../db/open-database.ts';
import { cancelWaitingIntents } from '../outbox/intent-transitions.ts';

/**
 * Cancels every service and marketing message still waiting for a customer and closes their
 * open surveys, in the caller's transaction (an opt-out; a number confirmed wrong).
 */
export async function cancelCustomerCare(tx: DatabaseTx, customerId: string, reason: string): Promise<void> {
  await cancelWaitingIntents(tx, { customerId, purpose: { in: ['SERVICE', 'MARKETING'] } }, reason);
  await tx.survey.updateMany({ where: { customerId, state: { in: ['SCHEDULED', 'SENT', 'ANSWERING'] } }, data: { state: 'DECLINED' } });
}
