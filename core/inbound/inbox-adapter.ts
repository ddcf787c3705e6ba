import type { Locale } from '../config.ts';
import type { InboxRow } from '../inbox/inbox-worker.ts';
import type { ChannelName, InboundEvent } from '../messages.ts';
import { handleInboundMessage } from './handle-inbound-message.ts';
import type { InboundDeps } from './inbound-context.ts';

/** A channel's reader of the updates its intake stored in the durable inbox (Telegram; WeCom, SMS next). */
export interface InboxAdapter {
  readonly channel: ChannelName;
  /**
   * Normalizes one stored update. It may make the platform's cosmetic calls first (stop a
   * tapped button's spinner, take the keyboard away), but decides nothing: core does.
   */
  read(row: InboxRow): Promise<{ event: InboundEvent; locale?: Locale }>;
}

/**
 * The inbox worker's handler for every channel: a row is read by its channel's adapter and
 * handled by the pipeline, exactly once. A row of a channel that is not running fails (and is
 * retried, then set aside with an alert), rather than being dropped.
 */
export function inboxHandler(deps: InboundDeps, adapters: readonly InboxAdapter[]): (row: InboxRow) => Promise<void> {
  const byChannel = new Map(adapters.map((adapter) => [adapter.channel, adapter]));
  return async (row) => {
    const adapter = byChannel.get(row.channel);
    if (!adapter) throw new Error(`No running channel reads ${row.channel} updates`);
    const read = await adapter.read(row);
    await handleInboundMessage(deps, { channel: row.channel, chatId: row.chatId, updateId: row.updateId, ...read }, { kind: 'inbox', rowId: row.id });
  };
}
