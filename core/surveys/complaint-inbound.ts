import type { Clock } from '../clock.ts';
import type { Locale } from '../config.ts';
import type { DatabaseTx } from '../db/open-database.ts';
import type { ChatText, OutboundMessage } from '../messages.ts';
import { openComplaintTicket } from './tickets.ts';
import { cutText } from '../text/sanitize-text.ts';

const COMPLAINT = /投诉|complain|complaint/i;

/** Whether a customer's message is a complaint ("投诉", "我要投诉", "I want to complain"). */
export function isComplaint(text: string): boolean {
  return COMPLAINT.test(text.normalize('NFKC'));
}

/**
 * Records a complaint from any channel as a COMPLAINT ticket (customer relations alerted at
 * once, to be taken within 30 minutes) and acknowledges it with the reference. The store is the
 * customer's latest visit's, else the one the chat came from, else the first.
 */
export async function fileComplaint(
  tx: DatabaseTx, clock: Clock, message: ChatText, locale: Locale, sourceCode: string | undefined, perChatPerDay = 3,
): Promise<OutboundMessage[]> {
  const chatKey = `${message.channel}:${message.chatId}`;
  const earlier = await earlierComplaint(tx, chatKey, clock.now(), perChatPerDay);
  if (earlier) return [{ kind: 'text', text: locale === 'en' ? `We already have your complaint (reference ${earlier}) and are on it; our customer care team will contact you.` : `您的投诉已经收到（编号 ${earlier}），正在处理中，客户关系部会尽快与您联系。` }];
  const identity = await tx.channelIdentity.findUnique({ where: { channel_externalId: { channel: message.channel, externalId: message.chatId } } });
  const visit = identity ? await tx.visit.findFirst({ where: { customerId: identity.customerId }, orderBy: { visitedAt: 'desc' } }) : null;
  const storeId = visit?.storeId
    ?? (sourceCode ? (await tx.qrSource.findUnique({ where: { code: sourceCode } }))?.storeId : undefined)
    ?? (await tx.store.findFirstOrThrow({ orderBy: { createdAt: 'asc' } })).id;
  const ticket = await openComplaintTicket(tx, clock, {
    storeId, customerId: identity?.customerId, consultantId: visit?.consultantId ?? undefined,
    description: cutText(message.text, 1000), source: `${message.channel.toLowerCase()}-chat`, chatKey,
  });
  const text = locale === 'en'
    ? `We have received your complaint (reference ${ticket.reference}). Our customer care team will contact you within 30 minutes during opening hours.`
    : `已收到您的投诉（编号 ${ticket.reference}），客户关系部会在 30 分钟内（营业时间）与您联系。给您带来不便，非常抱歉。`;
  return [{ kind: 'text', text }];
}

/**
 * The reference to answer with instead of a new ticket: the chat's complaint still open, or its
 * latest when it reached its daily limit. One chat cannot flood customer relations with tickets
 * (a repeated "投诉" while one is being handled is the same complaint).
 */
async function earlierComplaint(tx: DatabaseTx, chatKey: string, now: Date, perChatPerDay: number): Promise<string | null> {
  const open = await tx.ticket.findFirst({ where: { chatKey, type: 'COMPLAINT', status: { not: 'CLOSED' } }, orderBy: { createdAt: 'desc' }, select: { reference: true } });
  if (open) return open.reference;
  const since = new Date(now.getTime() - 24 * 3600_000);
  const recent = await tx.ticket.findMany({ where: { chatKey, type: 'COMPLAINT', createdAt: { gt: since } }, orderBy: { createdAt: 'desc' }, select: { reference: true } });
  return recent.length >= perChatPerDay ? (recent[0]?.reference ?? null) : null;
}
