import type { Clock } from '../clock.ts';
import type { Locale } from '../config.ts';
import type { DatabaseTx } from '../db/open-database.ts';
import type { ChatText, OutboundMessage } from '../messages.ts';
import { openComplaintTicket } from './tickets.ts';

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
  tx: DatabaseTx, clock: Clock, message: ChatText, locale: Locale, sourceCode: string | undefined,
): Promise<OutboundMessage[]> {
  const identity = await tx.channelIdentity.findUnique({ where: { channel_externalId: { channel: message.channel, externalId: message.chatId } } });
  const visit = identity ? await tx.visit.findFirst({ where: { customerId: identity.customerId }, orderBy: { visitedAt: 'desc' } }) : null;
  const storeId = visit?.storeId
    ?? (sourceCode ? (await tx.qrSource.findUnique({ where: { code: sourceCode } }))?.storeId : undefined)
    ?? (await tx.store.findFirstOrThrow({ orderBy: { createdAt: 'asc' } })).id;
  const ticket = await openComplaintTicket(tx, clock, {
    storeId, customerId: identity?.customerId, consultantId: visit?.consultantId ?? undefined,
    description: message.text.slice(0, 1000), source: `${message.channel.toLowerCase()}-chat`,
  });
  const text = locale === 'en'
    ? `We have received your complaint (reference ${ticket.reference}). Our customer care team will contact you within 30 minutes during opening hours.`
    : `已收到您的投诉（编号 ${ticket.reference}），客户关系部会在 30 分钟内（营业时间）与您联系。给您带来不便，非常抱歉。`;
  return [{ kind: 'text', text }];
}
