import type { DatabaseTx } from '../db/open-database.ts';
import { findMentions } from './mentions.ts';
import { scopeWhere, type PersonalDataScope } from './personal-data-scope.ts';

/** The name of the export's format, written into it so a reader knows what it holds. */
export const EXPORT_FORMAT = 'showroom-concierge/personal-data@1';

/**
 * Everything held about one person (PIPL access and copy): their customer record, chats,
 * consents, visits, registrations, vouchers, leads with follow-ups and lost requests, orders,
 * surveys, tickets, the messages to and from their chats (the outbox, the web chat, the raw
 * inbox updates, conversations), staff tasks, held registrations, one-time codes sent to their
 * number (ids and times: the code itself is stored nowhere), the audit entries about their
 * records, their data requests, WeCom chat state, and the staff messages, tasks and alerts that
 * mention them. Each section holds whole rows; the erasure changes nothing outside them.
 */
export async function exportPersonalData(tx: DatabaseTx, scope: PersonalDataScope, now: Date) {
  const where = scopeWhere(scope);
  const { customerId } = scope;
  const byId = { orderBy: { id: 'asc' } } as const;
  const leadWhere = { leadId: { in: scope.leadIds } };
  const [customer, identities, consents, visits, registrations, vouchers, leads, followUps, lostRequests, orders, surveys, tickets] = await Promise.all([
    tx.customer.findUniqueOrThrow({ where: { id: customerId } }),
    tx.channelIdentity.findMany({ where: { customerId }, ...byId }),
    tx.consentRecord.findMany({ where: { customerId }, orderBy: [{ recordedAt: 'asc' }, { id: 'asc' }] }),
    tx.visit.findMany({ where: { customerId }, ...byId }),
    tx.registration.findMany({ where: { customerId }, ...byId }),
    tx.voucher.findMany({ where: { customerId }, ...byId }),
    tx.lead.findMany({ where: { customerId }, ...byId }),
    tx.followUp.findMany({ where: leadWhere, ...byId }),
    tx.lostRequest.findMany({ where: leadWhere, ...byId }),
    tx.order.findMany({ where: { customerId }, ...byId }),
    tx.survey.findMany({ where: { customerId }, ...byId }),
    tx.ticket.findMany({ where: where.tickets, ...byId }),
  ]);
  const [messages, webChatMessages, conversations, inboundUpdates, staffTasks, pendingRegistrations, phoneCodes, auditEntries, dataRequests, wecomKfChats, wecomKfWelcomes, wecomWelcomes, wecomTemplateTasks, wecomCustomerTransfers, mentions] = await Promise.all([
    tx.messageIntent.findMany({ where: where.intents, ...byId }),
    tx.webChatMessage.findMany({ where: where.webChat, ...byId }),
    tx.conversation.findMany({ where: where.conversations, ...byId }),
    tx.inboundUpdate.findMany({ where: where.inbound, ...byId }),
    tx.staffTask.findMany({ where: where.staffTasks, ...byId }),
    tx.pendingRegistration.findMany({ where: where.pending, ...byId }),
    tx.phoneCode.findMany({ where: { phone: scope.phone }, ...byId }),
    tx.auditEntry.findMany({ where: where.audit, ...byId }),
    tx.dataRequest.findMany({ where: { customerId }, ...byId }),
    tx.wecomKfChat.findMany({ where: where.wecomChats, orderBy: { chatId: 'asc' } }),
    tx.wecomKfWelcome.findMany({ where: where.wecomChats, orderBy: { welcomeCode: 'asc' } }),
    tx.wecomWelcome.findMany({ where: where.wecomWelcomes, orderBy: { welcomeCode: 'asc' } }),
    tx.wecomTemplateTask.findMany({ where: where.wecomTemplates, orderBy: { staffTaskId: 'asc' } }),
    tx.wecomCustomerTransfer.findMany({ where: where.wecomTransfers, ...byId }),
    findMentions(tx, scope),
  ]);
  return {
    format: EXPORT_FORMAT,
    exportedAt: now,
    customer,
    identities, consents, visits, registrations, vouchers, leads, followUps, lostRequests, orders, surveys, tickets,
    messages, webChatMessages, conversations, inboundUpdates, staffTasks, pendingRegistrations, phoneCodes, auditEntries, dataRequests,
    wecomKfChats, wecomKfWelcomes, wecomWelcomes, wecomTemplateTasks, wecomCustomerTransfers,
    mentionedIn: { messages: mentions.intents.map((m) => m.row), staffTasks: mentions.tasks.map((m) => m.row), alerts: mentions.alerts.map((m) => m.row) },
  };
}

/** One person's export, as exportPersonalData builds it. */
export type PersonalDataExport = Awaited<ReturnType<typeof exportPersonalData>>;

/** The export as JSON: instants in ISO 8601 (UTC), big integers as strings, indented for reading. */
export function exportToJson(data: PersonalDataExport): string {
  return JSON.stringify(data, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2);
}
