import type { DatabaseTx } from '../db/open-database.ts';
import type { ChannelName, OutboundMessage } from '../messages.ts';

/** A message to send later; becomes one MessageIntent row. */
export interface NewIntent {
  /** Unique per logical message, e.g. `thanks:<visitId>`: inserting it twice is a no-op. */
  dedupeKey: string;
  storeId: string;
  customerId?: string;
  staffId?: string;
  /** The channel and address to use, when known; otherwise reach is planned at send time. */
  channel?: ChannelName;
  address?: string;
  purpose: 'SERVICE' | 'MARKETING' | 'STAFF';
  kind: string;
  message: OutboundMessage;
  sendAt: Date;
  expiresAt: Date;
}

/**
 * Inserts an intent inside the caller's transaction, so the domain change and the message it
 * causes commit together. An existing key is left as it is; returns whether a row was added.
 */
export async function enqueueIntent(tx: DatabaseTx, intent: NewIntent): Promise<boolean> {
  const existing = await tx.messageIntent.findUnique({ where: { dedupeKey: intent.dedupeKey }, select: { id: true } });
  if (existing) return false;
  await tx.messageIntent.create({
    data: {
      dedupeKey: intent.dedupeKey,
      storeId: intent.storeId,
      customerId: intent.customerId ?? null,
      staffId: intent.staffId ?? null,
      channel: intent.channel ?? null,
      address: intent.address ?? null,
      purpose: intent.purpose,
      kind: intent.kind,
      payload: JSON.stringify(intent.message),
      sendAt: intent.sendAt,
      nextAttemptAt: intent.sendAt,
      expiresAt: intent.expiresAt,
    },
  });
  return true;
}
