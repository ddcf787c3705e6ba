// The 微信客服 send window, kept in the database (WecomKfChat): kf/send_msg may send at most 5
// messages within 48 h of the customer's last message. The sender reserves a slot before each
// call (a guarded increment, so two dispatchers cannot both take the 5th) and gives it back
// when the message certainly did not leave.
import type { Database } from '../../../../core/db/open-database.ts';

const HOUR = 3_600_000;
/** 48 h, less a margin: a message reserved just before the edge still reaches WeCom inside it. */
export const KF_WINDOW_MS = 48 * HOUR - 5 * 60_000;
export const KF_MESSAGES_PER_WINDOW = 5;

/** Who a kf chat is, for the window's row. */
export interface KfChatRef {
  chatId: string;
  openKfId: string;
  externalUserId: string;
}

/**
 * The customer wrote at `at` (the message's send_time): the window opens anew and its count
 * starts over. Idempotent, so reading a page again after a restart changes nothing.
 */
export async function noteCustomerMessage(db: Database, chat: KfChatRef, at: Date, msgid: string): Promise<void> {
  await db.wecomKfChat.upsert({ where: { chatId: chat.chatId }, create: { ...chat }, update: {} });
  await db.wecomKfChat.updateMany({
    where: { chatId: chat.chatId, OR: [{ lastCustomerAt: null }, { lastCustomerAt: { lt: at } }, { lastCustomerAt: at, lastCustomerMsgid: { not: msgid } }] },
    data: { lastCustomerAt: at, lastCustomerMsgid: msgid, sentSince: 0 },
  });
}

/** Takes one of the window's messages for a send now; false when the window is closed (too late, or 5 sent). */
export async function reserveSend(db: Database, chatId: string, now: Date): Promise<boolean> {
  const taken = await db.wecomKfChat.updateMany({
    where: { chatId, lastCustomerAt: { gt: new Date(now.getTime() - KF_WINDOW_MS) }, sentSince: { lt: KF_MESSAGES_PER_WINDOW } },
    data: { sentSince: { increment: 1 } },
  });
  return taken.count === 1;
}

/** The reserved message did not leave (refused before sending, connection refused): its slot is free again. */
export async function releaseSend(db: Database, chatId: string): Promise<void> {
  await db.wecomKfChat.updateMany({ where: { chatId, sentSince: { gt: 0 } }, data: { sentSince: { decrement: 1 } } });
}

/** WeCom said the window is closed (95001 / 95002) although we counted otherwise: believe it until the customer writes again. */
export async function closeWindow(db: Database, chatId: string): Promise<void> {
  await db.wecomKfChat.updateMany({ where: { chatId }, data: { sentSince: KF_MESSAGES_PER_WINDOW } });
}

/** Whether each kf chat's window is open now; a chat we know nothing of is closed (the customer never wrote). */
export async function openWindows(db: Database, chatIds: readonly string[], now: Date): Promise<Map<string, boolean>> {
  const rows = await db.wecomKfChat.findMany({ where: { chatId: { in: [...chatIds] } } });
  const since = now.getTime() - KF_WINDOW_MS;
  const open = new Map(chatIds.map((id) => [id, false]));
  for (const row of rows) open.set(row.chatId, row.lastCustomerAt !== null && row.lastCustomerAt.getTime() > since && row.sentSince < KF_MESSAGES_PER_WINDOW);
  return open;
}
