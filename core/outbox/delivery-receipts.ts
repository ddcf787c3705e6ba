import type { DatabaseTx } from '../db/open-database.ts';
import type { ChannelName } from '../messages.ts';

/** A platform's report on a message it accepted (SMS 状态报告): whether it reached the handset. */
export interface DeliveryReceipt {
  /** The platform's id for the message, as the send answered it (Alibaba BizId, Tencent SerialNo). */
  providerMessageId: string;
  /** Our key for the message, where the platform echoes it (Alibaba OutId): the intent's dedupe key. */
  outId?: string;
  delivered: boolean;
  /** The platform's or the carrier's code (DELIVERED, DELIVRD, UNDELIV, MK:0001…). */
  code: string;
  at: Date;
}

const SELECT = { id: true, state: true, deliveryAt: true } as const;

/**
 * Records a delivery receipt on the intent it reports on (by the platform's message id, else by
 * our key), in the caller's transaction. Receipts may come late, twice, or out of order: an
 * older report never replaces a newer one. A receipt settles a send that got no answer
 * (`UNKNOWN`): the message did leave, so it is `SENT`, with the platform's id, and its alert is
 * resolved. Returns whether an intent of ours matched.
 */
export async function recordDeliveryReceipt(tx: DatabaseTx, channel: ChannelName, receipt: DeliveryReceipt, now: Date): Promise<boolean> {
  const intent = (await tx.messageIntent.findFirst({ where: { channel, providerMessageId: receipt.providerMessageId }, select: SELECT }))
    ?? (receipt.outId ? await tx.messageIntent.findFirst({ where: { channel, dedupeKey: receipt.outId, state: { in: ['SENT', 'SENDING', 'UNKNOWN'] } }, select: SELECT }) : null);
  if (!intent) return false;
  if (intent.deliveryAt && intent.deliveryAt > receipt.at) return true;
  const settled = intent.state === 'UNKNOWN' ? { state: 'SENT' as const, sentAt: receipt.at, providerMessageId: receipt.providerMessageId, lastError: null } : {};
  await tx.messageIntent.update({
    where: { id: intent.id },
    data: { deliveryStatus: receipt.delivered ? 'DELIVERED' : 'FAILED', deliveryCode: receipt.code.slice(0, 64), deliveryAt: receipt.at, ...settled },
  });
  if (intent.state === 'UNKNOWN') await tx.alert.updateMany({ where: { intentId: intent.id, resolvedAt: null }, data: { resolvedAt: now } });
  return true;
}
