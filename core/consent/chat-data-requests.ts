import { maskPhone } from '../customers/phone.ts';
import type { DatabaseTx } from '../db/open-database.ts';
import { consentsInForce } from './consent-status.ts';
import type { ChatDataSummary } from './data-request-texts.ts';
import { recordDataRequest } from './data-requests.ts';
import { erasePersonalData } from './erase-personal-data.ts';
import type { PersonChat } from './personal-data-scope.ts';

/**
 * The customer a chat may ask about: only a chat proven to be theirs (ChannelIdentity.proof: an
 * SMS code, Telegram's shared contact, the WeCom contact-me code, the front desk), never one linked
 * on the sender's word; null otherwise, and for an erased customer.
 */
export async function provenCustomerOfChat(tx: DatabaseTx, chat: PersonChat): Promise<string | null> {
  const identity = await tx.channelIdentity.findUnique({
    where: { channel_externalId: { channel: chat.channel, externalId: chat.chatId } },
    include: { customer: { select: { erasedAt: true } } },
  });
  return identity?.proof && !identity.customer.erasedAt ? identity.customerId : null;
}

/** What the chat summary of a customer's data says. */
export async function chatDataSummary(tx: DatabaseTx, customerId: string): Promise<ChatDataSummary> {
  const customer = await tx.customer.findUniqueOrThrow({
    where: { id: customerId },
    include: { _count: { select: { visits: true, orders: true, surveys: true, tickets: true, consents: true, intents: true } } },
  });
  const consents = await consentsInForce(tx, [customerId]);
  const counts = customer._count;
  return {
    name: customer.name, maskedPhone: maskPhone(customer.phone), birthday: customer.birthday,
    visits: counts.visits, orders: counts.orders, surveys: counts.surveys, tickets: counts.tickets, consents: counts.consents, messages: counts.intents,
    serviceConsent: consents.get(`${customerId}:SERVICE`) === true, marketingConsent: consents.get(`${customerId}:MARKETING`) === true,
  };
}

/** The customer's open access request from chat (asking twice records it once), or a new one: the desk hands over the file. */
export async function chatAccessRequest(tx: DatabaseTx, input: { storeId: string; customerId: string; now: Date }): Promise<string> {
  const open = await tx.dataRequest.findFirst({ where: { customerId: input.customerId, kind: 'access', via: 'chat', completedAt: null }, select: { id: true } });
  return open?.id ?? recordDataRequest(tx, { ...input, kind: 'access', via: 'chat', staffId: null });
}

/** A proven chat confirmed its erasure: recorded as a request and carried out at once. Returns the request's id. */
export async function eraseByChat(tx: DatabaseTx, input: { storeId: string; customerId: string; now: Date }): Promise<string> {
  const requestId = await recordDataRequest(tx, { ...input, kind: 'erasure', via: 'chat', staffId: null });
  await erasePersonalData(tx, { ...input, actorStaffId: null, reason: 'request', requestId });
  return requestId;
}
