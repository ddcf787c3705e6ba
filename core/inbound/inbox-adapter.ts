import type { Locale } from '../config.ts';
import type { InboxRow } from '../inbox/inbox-worker.ts';
import { markInboundHandled } from '../inbox/mark-inbound-handled.ts';
import type { ChannelName, InboundEvent } from '../messages.ts';
import { recordDeliveryReceipt, type DeliveryReceipt } from '../outbox/delivery-receipts.ts';
import { handleInboundMessage } from './handle-inbound-message.ts';
import type { InboundDeps } from './inbound-context.ts';

/** What a stored update is: a message from a chat, or a platform's delivery receipt for one of ours (SMS). */
export type InboxRead = { event: InboundEvent; locale?: Locale; senderPhone?: string } | { receipt: DeliveryReceipt };

/** A channel's reader of the updates its intake stored in the durable inbox (Telegram, WeCom, SMS). */
export interface InboxAdapter {
  readonly channel: ChannelName;
  /**
   * Normalizes one stored update. It may make the platform's cosmetic calls first (stop a
   * tapped button's spinner, take the keyboard away), but decides nothing: core does.
   */
  read(row: InboxRow): Promise<InboxRead>;
}

/**
 * The inbox worker's handler for every channel: a row is read by its channel's adapter and
 * handled by the pipeline (a receipt: recorded on its intent), exactly once. A row of a channel that is not running fails (and is
 * retried, then set aside with an alert), rather than being dropped.
 */
export function inboxHandler(deps: InboundDeps, adapters: readonly InboxAdapter[]): (row: InboxRow) => Promise<void> {
  const byChannel = new Map(adapters.map((adapter) => [adapter.channel, adapter]));
  return async (row) => {
    const adapter = byChannel.get(row.channel);
    if (!adapter) throw new Error(`No running channel reads ${row.channel} updates`);
    const read = await adapter.read(row);
    if ('receipt' in read) {
      await deps.db.$transaction(async (tx) => {
        const now = deps.clock.now();
        if (await markInboundHandled(tx, row.id, now)) await recordDeliveryReceipt(tx, row.channel, read.receipt, now);
      });
      return;
    }
    await handleInboundMessage(deps, { channel: row.channel, chatId: row.chatId, updateId: row.updateId, ...read }, { kind: 'inbox', rowId: row.id });
  };
}
