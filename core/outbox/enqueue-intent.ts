import type { DatabaseTx } from '../db/open-database.ts';
import type { ChannelName, MessagePurpose, OutboundMessage } from '../messages.ts';
import { nextEnqueueSeq } from './enqueue-seq.ts';
import { laneOf } from './lane.ts';

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
  purpose: MessagePurpose;
  kind: string;
  message: OutboundMessage;
  /** The template variables `message` was rendered from: what an SMS template fills its parameters from. */
  variables?: Readonly<Record<string, string>>;
  sendAt: Date;
  expiresAt: Date;
  /** Higher wins when marketing messages to one customer collide on a day. */
  priority?: number;
  /** Re-arm the key if it was cancelled (e.g. a delivery moved back to its first date). */
  reviveCancelled?: boolean;
}

/**
 * Inserts an intent inside the caller's transaction, so the domain change and the message it
 * causes commit together. An existing key is left as it is (or, with `reviveCancelled`, a
 * cancelled one is re-armed with the new content); returns whether anything was written.
 */
export async function enqueueIntent(tx: DatabaseTx, intent: NewIntent): Promise<boolean> {
  const existing = await tx.messageIntent.findUnique({ where: { dedupeKey: intent.dedupeKey }, select: { id: true, state: true } });
  if (existing && !(intent.reviveCancelled && existing.state === 'CANCELLED')) return false;
  const content = {
    payload: JSON.stringify(intent.message),
    variables: intent.variables ? JSON.stringify(intent.variables) : null,
    sendAt: intent.sendAt,
    nextAttemptAt: intent.sendAt,
    enqueueSeq: nextEnqueueSeq(),
    // A message for a known chat joins its line now; others when the dispatcher finds their chat.
    lane: intent.channel && intent.address ? laneOf(intent.channel, intent.address) : null,
    expiresAt: intent.expiresAt,
    priority: intent.priority ?? 0,
  };
  if (existing) {
    await tx.messageIntent.update({ where: { id: existing.id }, data: { ...content, state: 'PENDING', attempts: 0, paceWaits: 0, lastError: null } });
    return true;
  }
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
      ...content,
    },
  });
  return true;
}
