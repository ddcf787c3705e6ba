import type { DatabaseTx } from '../db/open-database.ts';
import type { ChannelName, OutboundMessage } from '../messages.ts';
import { enqueueIntent } from '../outbox/enqueue-intent.ts';

/** How long a reply may wait (a platform outage) before it is too late to make sense. */
const REPLY_TTL_MS = 24 * 3600_000;

/** The inbox row a reply answers: its replies are keyed by it, so handling it again sends nothing twice. */
export interface AnsweredUpdate {
  channel: ChannelName;
  updateId: string;
  chatId: string;
}

/**
 * Queues the replies to one inbound update as REPLY intents to the same chat, in the caller's
 * transaction, keyed `reply:<channel>:<updateId>:<n>`.
 */
export async function replyToChat(tx: DatabaseTx, update: AnsweredUpdate, replies: OutboundMessage[], context: { storeId: string; staffId?: string; now: Date }): Promise<void> {
  for (const [index, message] of replies.entries()) {
    await enqueueIntent(tx, {
      dedupeKey: `reply:${update.channel}:${update.updateId}:${index}`, storeId: context.storeId, ...(context.staffId ? { staffId: context.staffId } : {}),
      channel: update.channel, address: update.chatId, purpose: 'REPLY', kind: 'reply', message,
      sendAt: context.now, expiresAt: new Date(context.now.getTime() + REPLY_TTL_MS),
    });
  }
}

/**
 * The store a chat's replies belong to: its conversation's QR source, else the store of the
 * customer's latest visit, else the oldest store (a single-store install has only that one).
 */
export async function storeOfChat(tx: DatabaseTx, channel: ChannelName, chatId: string): Promise<string> {
  const conversation = await tx.conversation.findUnique({ where: { channel_externalId: { channel, externalId: chatId } } });
  const code = conversation ? (JSON.parse(conversation.state) as { sourceCode?: string }).sourceCode : undefined;
  const source = code ? await tx.qrSource.findUnique({ where: { code }, select: { storeId: true } }) : null;
  if (source) return source.storeId;
  const identity = await tx.channelIdentity.findUnique({ where: { channel_externalId: { channel, externalId: chatId } } });
  const visit = identity ? await tx.visit.findFirst({ where: { customerId: identity.customerId }, orderBy: { visitedAt: 'desc' }, select: { storeId: true } }) : null;
  if (visit) return visit.storeId;
  return (await tx.store.findFirstOrThrow({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { id: true } })).id;
}
