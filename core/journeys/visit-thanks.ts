import type { Locale } from '../config.ts';
import type { DatabaseTx } from '../db/open-database.ts';
import type { ChannelName } from '../messages.ts';
import { enqueueIntent } from '../outbox/enqueue-intent.ts';

const HOUR_MS = 60 * 60 * 1000;

/** What the thank-you after a visit needs to know. */
export interface VisitThanksInput {
  visitId: string;
  storeId: string;
  storeName: string;
  hotline: string;
  customerId: string;
  customerName: string;
  locale: Locale;
  visitedAt: Date;
  delayMinutes: number;
  /** Where the customer registered, if it can reach them again. */
  channel?: ChannelName;
  address?: string;
}

function thanksText(input: VisitThanksInput): string {
  if (input.locale === 'en') {
    return `Dear ${input.customerName}, thank you for visiting ${input.storeName} today. If you have any questions about the car you looked at, just reply here or call us at ${input.hotline}.`;
  }
  return `${input.customerName}您好，感谢您今天光临${input.storeName}！看车过程中如有任何疑问，欢迎直接回复，或致电 ${input.hotline}，我们随时为您服务。`;
}

/**
 * Queues the thank-you for a visit (`thanks:<visitId>`) in the registration's transaction.
 * It is a service message; it goes out `delayMinutes` after the visit and is stale a day later.
 */
export async function queueVisitThanks(tx: DatabaseTx, input: VisitThanksInput): Promise<void> {
  const sendAt = new Date(input.visitedAt.getTime() + input.delayMinutes * 60 * 1000);
  await enqueueIntent(tx, {
    dedupeKey: `thanks:${input.visitId}`,
    storeId: input.storeId,
    customerId: input.customerId,
    ...(input.channel && input.address ? { channel: input.channel, address: input.address } : {}),
    purpose: 'SERVICE',
    kind: 'visit_thanks',
    message: { kind: 'text', text: thanksText(input) },
    sendAt,
    expiresAt: new Date(sendAt.getTime() + 24 * HOUR_MS),
  });
}
