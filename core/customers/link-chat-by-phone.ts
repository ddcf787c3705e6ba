import type { DatabaseTx } from '../db/open-database.ts';
import type { ChannelName } from '../messages.ts';

/**
 * Links a chat to the customer whose mobile number the platform vouches for (an SMS reply
 * comes from its number; an SMS chat's id is the number itself), so opt-outs, survey answers
 * and blocks on that chat are the customer's. Returns the customer's id; null when no customer
 * has the number (the chat stays unknown). A chat linked to someone else before follows the
 * number's owner now.
 */
export async function linkChatByPhone(tx: DatabaseTx, chat: { channel: ChannelName; chatId: string }, phoneE164: string, now: Date): Promise<string | null> {
  const customer = await tx.customer.findUnique({ where: { phone: phoneE164 }, select: { id: true } });
  if (!customer) return null;
  await tx.channelIdentity.upsert({
    where: { channel_externalId: { channel: chat.channel, externalId: chat.chatId } },
    create: { customerId: customer.id, channel: chat.channel, externalId: chat.chatId, createdAt: now, lastSeenAt: now },
    update: { customerId: customer.id },
  });
  return customer.id;
}
