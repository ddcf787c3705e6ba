import { Prisma } from '../db/generated/client.ts';
import type { Database, DatabaseTx } from '../db/open-database.ts';
import { queryRows } from '../db/raw-sql.ts';
import type { ChannelName } from '../messages.ts';
import type { ChannelSender } from './channel-port.ts';
import { linkChatByPhone } from '../customers/link-chat-by-phone.ts';
import { chatKey } from './plan-intent.ts';

type Target = { channel: ChannelName; address: string };

/** The web staff console is a fallback: staff see it only while it is open, a messenger rings. */
const STAFF_CHANNEL_PREFERENCE: Record<ChannelName, number> = { TELEGRAM: 0, WECOM: 0, WEB: 1, SMS: 2 };

/**
 * Where each customer can be reached by chat on a configured channel: the identity seen most
 * recently (the chat they last used is where they are). SMS is not a chat: planning turns to it
 * only when no chat reaches the customer (sms-plan.ts).
 */
export async function customerReach(db: Database, customerIds: string[], channels: ChannelName[]): Promise<Map<string, Target>> {
  const reach = new Map<string, Target>();
  const chats = channels.filter((c) => c !== 'SMS');
  if (customerIds.length === 0 || chats.length === 0) return reach;
  const identities = await queryRows(db, Prisma.sql`
    SELECT "customerId", "channel", "externalId" FROM "ChannelIdentity"
     WHERE "customerId" IN (${Prisma.join(customerIds)}) AND "channel" IN (${Prisma.join(chats)}) AND "blockedAt" IS NULL
     ORDER BY "lastSeenAt" DESC`);
  for (const { customerId, channel, externalId } of identities) {
    if (!reach.has(String(customerId))) reach.set(String(customerId), { channel: channel as ChannelName, address: String(externalId) });
  }
  return reach;
}

/**
 * Asks the channels that know each chat's reply window (`ChannelSender.reachNow`, e.g. WeCom
 * 微信客服: 5 messages within 48 h of the customer's last one) about these targets, once per
 * batch: `chatKey` → open now or not. Channels without windows are not asked.
 */
export async function chatWindows(senders: ReadonlyMap<ChannelName, ChannelSender>, targets: Target[], now: Date): Promise<Map<string, boolean>> {
  const windows = new Map<string, boolean>();
  for (const [channel, sender] of senders) {
    const addresses = [...new Set(targets.filter((t) => t.channel === channel).map((t) => t.address))];
    if (!sender.reachNow || addresses.length === 0) continue;
    for (const [address, open] of await sender.reachNow(addresses, now)) windows.set(chatKey(channel, address), open);
  }
  return windows;
}

/** Asks the channels that know whether anyone watches a chat (`ChannelSender.unattended`) about these targets: the `chatKey`s nobody watches now. */
export async function unattendedChats(senders: ReadonlyMap<ChannelName, ChannelSender>, targets: Target[], now: Date): Promise<Set<string>> {
  const unattended = new Set<string>();
  for (const [channel, sender] of senders) {
    const addresses = [...new Set(targets.filter((t) => t.channel === channel).map((t) => t.address))];
    if (!sender.unattended || addresses.length === 0) continue;
    for (const address of await sender.unattended(addresses, now)) unattended.add(chatKey(channel, address));
  }
  return unattended;
}

/**
 * Where each staff member gets staff messages on a configured channel: a linked messenger
 * (Telegram, WeCom) before the web console; among equals, the chat seen most recently.
 */
export async function staffReach(db: Database, staffIds: string[], channels: ChannelName[]): Promise<Map<string, Target>> {
  const reach = new Map<string, Target>();
  if (staffIds.length === 0 || channels.length === 0) return reach;
  const rows = await queryRows(db, Prisma.sql`
    SELECT "l"."staffId", "l"."channel", "l"."externalId" FROM "StaffChannelLink" AS "l" JOIN "Staff" AS "s" ON "s"."id" = "l"."staffId"
     WHERE "l"."staffId" IN (${Prisma.join(staffIds)}) AND "l"."channel" IN (${Prisma.join(channels)}) AND "l"."blockedAt" IS NULL AND "s"."active" = TRUE
     ORDER BY "l"."lastSeenAt" DESC`);
  const links = rows.map((r) => ({ staffId: String(r.staffId), channel: r.channel as ChannelName, address: String(r.externalId) }));
  links.sort((a, b) => STAFF_CHANNEL_PREFERENCE[a.channel] - STAFF_CHANNEL_PREFERENCE[b.channel]);
  for (const { staffId, channel, address } of links) {
    if (!reach.has(staffId)) reach.set(staffId, { channel, address });
  }
  return reach;
}

/** Customers a manager confirmed unreachable (lost, level 1): no customer care goes to them. */
export async function careStoppedCustomers(db: Database, customerIds: string[]): Promise<Set<string>> {
  if (customerIds.length === 0) return new Set();
  const rows = await queryRows(db, Prisma.sql`SELECT "id" FROM "Customer" WHERE "id" IN (${Prisma.join(customerIds)}) AND "careStoppedAt" IS NOT NULL`);
  return new Set(rows.map((row) => String(row.id)));
}

/**
 * The platform said this chat blocked us: planning skips it from now on (the customer's next
 * message goes to their consultant as a task; a staff member falls back to another chat). For
 * SMS (a blacklisted or invalid number) the number's identity is made if it has none yet.
 */
export async function markChatBlocked(tx: DatabaseTx, channel: ChannelName, address: string, now: Date): Promise<void> {
  if (channel === 'SMS') await linkChatByPhone(tx, { channel, chatId: address }, address, now);
  await tx.channelIdentity.updateMany({ where: { channel, externalId: address, blockedAt: null }, data: { blockedAt: now } });
  await tx.staffChannelLink.updateMany({ where: { channel, externalId: address, blockedAt: null }, data: { blockedAt: now } });
}

/** Someone wrote to us from this chat: it reaches them again (they unblocked us), and it is their latest. */
export async function markChatSeen(db: Database | DatabaseTx, channel: ChannelName, address: string, now: Date): Promise<void> {
  await db.channelIdentity.updateMany({ where: { channel, externalId: address }, data: { blockedAt: null, lastSeenAt: now } });
  await db.staffChannelLink.updateMany({ where: { channel, externalId: address }, data: { blockedAt: null, lastSeenAt: now } });
}

/**
 * A staff member just linked a chat: messages that were waiting for one go out on the next
 * dispatch instead of at the next hourly look (quiet hours still apply when they are claimed).
 */
export async function releaseHeldStaffMessages(db: Database | DatabaseTx, staffId: string, now: Date): Promise<number> {
  const released = await db.messageIntent.updateMany({
    where: { staffId, state: 'PENDING', leaseOwner: null, nextAttemptAt: { gt: now } },
    data: { nextAttemptAt: now },
  });
  return released.count;
}
