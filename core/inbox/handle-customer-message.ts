import { handleInboundInTransaction, retryOnConversationConflict, type InboundDeps } from '../flows/handle-inbound.ts';
import type { InboundMessage } from '../messages.ts';
import { markChatSeen } from '../outbox/reach.ts';
import { markInboundHandled } from './mark-inbound-handled.ts';
import { replyToChat, storeOfChat } from './reply-to-chat.ts';

/**
 * Handles a customer's message from a chat channel's inbox exactly once: the conversation step,
 * its replies (as REPLY intents) and the inbox row's mark commit in one transaction, so a crash
 * re-runs all of it or none, and a replay finds the row handled and changes nothing.
 */
export async function handleCustomerMessage(deps: InboundDeps, row: { id: number; updateId: string }, message: InboundMessage): Promise<void> {
  await retryOnConversationConflict(() => deps.db.$transaction(async (tx) => {
    const now = deps.clock.now();
    if (!(await markInboundHandled(tx, row.id, now))) return;
    await markChatSeen(tx, message.channel, message.chatId, now);
    const replies = await handleInboundInTransaction(tx, deps, message);
    const storeId = await storeOfChat(tx, message.channel, message.chatId);
    await replyToChat(tx, { channel: message.channel, updateId: row.updateId, chatId: message.chatId }, replies, { storeId, now });
  }));
}
