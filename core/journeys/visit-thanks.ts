import type { DatabaseTx } from '../db/open-database.ts';
import type { ChannelName } from '../messages.ts';
import { parseJourneySettings } from './journey-settings.ts';
import { customerVariables, queueJourneyMessage } from './journey-message.ts';

const DAY_MS = 24 * 3600_000;

/** What the thank-you after a visit needs to know. */
export interface VisitThanksInput {
  visitId: string;
  storeId: string;
  customerId: string;
  consultantId: string | null;
  visitedAt: Date;
  /** Where the customer registered, if it can reach them again. */
  channel?: ChannelName;
  address?: string;
}

/**
 * Queues the thank-you for a visit (`thanks:<visitId>`) in the registration's transaction: a
 * service message, due the store's delay after the visit (2 h by default; one that falls in
 * quiet hours is held to the next morning) and stale a day later.
 */
export async function queueVisitThanks(tx: DatabaseTx, input: VisitThanksInput): Promise<void> {
  const store = await tx.store.findUniqueOrThrow({ where: { id: input.storeId } });
  const settings = parseJourneySettings(store.journeySettings);
  const { locale, variables } = await customerVariables(tx, input.storeId, input.customerId, input.consultantId);
  const sendAt = new Date(input.visitedAt.getTime() + settings.thankYouDelayMinutes * 60_000);
  await queueJourneyMessage(tx, {
    dedupeKey: `thanks:${input.visitId}`,
    storeId: input.storeId,
    customerId: input.customerId,
    kind: 'visit_thanks',
    purpose: 'SERVICE',
    locale,
    variables,
    sendAt,
    expiresAt: new Date(sendAt.getTime() + DAY_MS),
    ...(input.channel && input.address ? { channel: input.channel, address: input.address } : {}),
  });
}
