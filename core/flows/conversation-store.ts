import type { DatabaseTx } from '../db/open-database.ts';
import type { ChannelName } from '../messages.ts';
import type { ConversationState } from './conversation-state.ts';

/** A conversation as loaded: its state and the version the save must match. */
export interface StoredConversation {
  id: string;
  version: number;
  state: ConversationState;
}

/** Another handler saved this conversation first; the caller re-reads and tries again. */
export class ConversationConflictError extends Error {
  constructor(channel: ChannelName, chatId: string) {
    super(`Conversation ${channel}:${chatId} changed while a message was handled`);
    this.name = 'ConversationConflictError';
  }
}

/** Loads the conversation of one chat, if it has one. */
export async function loadConversation(tx: DatabaseTx, channel: ChannelName, chatId: string): Promise<StoredConversation | null> {
  const row = await tx.conversation.findUnique({ where: { channel_externalId: { channel, externalId: chatId } } });
  if (!row) return null;
  return { id: row.id, version: row.version, state: JSON.parse(row.state) as ConversationState };
}

/**
 * Saves the next state if nobody saved since `previous` was loaded (optimistic lock on
 * `version`); throws ConversationConflictError otherwise.
 */
export async function saveConversation(
  tx: DatabaseTx,
  channel: ChannelName,
  chatId: string,
  previous: StoredConversation | null,
  state: ConversationState,
): Promise<void> {
  const json = JSON.stringify(state);
  if (previous === null) {
    const exists = await tx.conversation.findUnique({ where: { channel_externalId: { channel, externalId: chatId } }, select: { id: true } });
    if (exists) throw new ConversationConflictError(channel, chatId);
    await tx.conversation.create({ data: { channel, externalId: chatId, flow: state.flow, state: json } });
    return;
  }
  const updated = await tx.conversation.updateMany({
    where: { id: previous.id, version: previous.version },
    data: { flow: state.flow, state: json, version: { increment: 1 } },
  });
  if (updated.count === 0) throw new ConversationConflictError(channel, chatId);
}

const MAX_ATTEMPTS = 3;

/** Runs `work` again (up to 3 times in all) when a concurrent save of the same chat made it stale. */
export async function retryOnConversationConflict<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof ConversationConflictError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}
