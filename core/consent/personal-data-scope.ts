import { maskPhone } from '../customers/phone.ts';
import type { Prisma } from '../db/generated/client.ts';
import type { DatabaseTx } from '../db/open-database.ts';
import type { ChannelName } from '../messages.ts';

/** One chat of the person: a channel identity, or the chat a held registration with their number came from. */
export interface PersonChat {
  channel: ChannelName;
  chatId: string;
}

/**
 * Everything that ties data to one person, found once and used by both the export and the
 * erasure, so the two always cover the same rows: what the export shows is what the erasure
 * removes.
 */
export interface PersonalDataScope {
  customerId: string;
  chats: PersonChat[];
  phone: string;
  leadIds: string[];
  orderIds: string[];
  ticketIds: string[];
  pendingIds: string[];
  /**
   * How the person appears inside texts written about them (staff messages, tasks, alerts): their
   * phone in E.164, national and masked form, and their name when it is at least 2 characters
   * (a single character would match too much else).
   */
  mentions: string[];
}

/** The person's scope, or null when there is no such customer. */
export async function personalDataScope(tx: DatabaseTx, customerId: string): Promise<PersonalDataScope | null> {
  const customer = await tx.customer.findUnique({
    where: { id: customerId },
    include: { identities: true, leads: { select: { id: true } }, orders: { select: { id: true } }, tickets: { select: { id: true } } },
  });
  if (!customer) return null;
  const identities = customer.identities.map((i) => ({ channel: i.channel, chatId: i.externalId }));
  // Held registrations with their number, or sent from one of their chats (what they typed there).
  const pending = await tx.pendingRegistration.findMany({
    where: { OR: [{ phone: customer.phone }, ...identities.map((c) => ({ channel: c.channel, chatId: c.chatId }))] },
    select: { id: true, channel: true, chatId: true },
  });
  const chats = uniqueChats([...identities, ...pending.flatMap((p) => (p.chatId ? [{ channel: p.channel, chatId: p.chatId }] : []))]);
  const chatTickets = await tx.ticket.findMany({ where: { chatKey: { in: chats.map(chatKeyOf) } }, select: { id: true } });
  return {
    customerId,
    chats,
    phone: customer.phone,
    leadIds: customer.leads.map((l) => l.id),
    orderIds: customer.orders.map((o) => o.id),
    ticketIds: [...new Set([...customer.tickets, ...chatTickets].map((t) => t.id))],
    pendingIds: pending.map((p) => p.id),
    mentions: mentionsOf(customer.name, customer.phone),
  };
}

/** The forms a person's name and number take in free text; longest first, so a longer form is replaced whole. */
export function mentionsOf(name: string, phone: string): string[] {
  const forms = [phone, ...(phone.startsWith('+86') ? [phone.slice(3)] : []), maskPhone(phone)];
  if (name.trim().length >= 2) forms.push(name.trim());
  return [...new Set(forms.filter((f) => f.length >= 2))].sort((a, b) => b.length - a.length);
}

/** The key a complaint ticket keeps of the chat it came from (see Ticket.chatKey). */
export const chatKeyOf = (chat: PersonChat): string => `${chat.channel}:${chat.chatId}`;

function uniqueChats(chats: PersonChat[]): PersonChat[] {
  const seen = new Map(chats.map((c) => [chatKeyOf(c), c]));
  return [...seen.values()];
}

/** The person's WeCom external user ids (a 微信客服 chat is `kf:<id>`). */
const wecomExternalIds = (scope: PersonalDataScope): string[] => scope.chats.filter((c) => c.channel === 'WECOM').map((c) => c.chatId.replace(/^kf:/, ''));

const chatsWhere = <K extends string>(scope: PersonalDataScope, field: K) =>
  scope.chats.map((c) => ({ channel: c.channel, [field]: c.chatId }) as { channel: ChannelName } & Record<K, string>);

/** The rows of each table that belong to the person (by id, by chat); texts that merely mention them are found by `mentions`. */
export function scopeWhere(scope: PersonalDataScope) {
  const { customerId } = scope;
  const byChat = <K extends string>(field: K) => chatsWhere(scope, field);
  const none = { id: { in: [] as string[] } };
  return {
    intents: { OR: [{ customerId }, ...byChat('address')] } satisfies Prisma.MessageIntentWhereInput,
    conversations: scope.chats.length ? { OR: byChat('externalId') } satisfies Prisma.ConversationWhereInput : none,
    inbound: scope.chats.length ? { OR: byChat('chatId') } satisfies Prisma.InboundUpdateWhereInput : { id: { in: [] as number[] } },
    webChat: { chatId: { in: scope.chats.filter((c) => c.channel === 'WEB').map((c) => c.chatId) } } satisfies Prisma.WebChatMessageWhereInput,
    tickets: { id: { in: scope.ticketIds } } satisfies Prisma.TicketWhereInput,
    pending: { id: { in: scope.pendingIds } } satisfies Prisma.PendingRegistrationWhereInput,
    staffTasks: { customerId } satisfies Prisma.StaffTaskWhereInput,
    audit: {
      OR: [
        { entity: { in: ['customer', 'Customer'] }, entityId: customerId },
        { entity: { in: ['order', 'Order'] }, entityId: { in: scope.orderIds } },
        { entity: { in: ['lead', 'Lead'] }, entityId: { in: scope.leadIds } },
        { entity: { in: ['ticket', 'Ticket'] }, entityId: { in: scope.ticketIds } },
        { entity: 'PendingRegistration', entityId: { in: scope.pendingIds } },
      ],
    } satisfies Prisma.AuditEntryWhereInput,
    wecomChats: { chatId: { in: scope.chats.filter((c) => c.channel === 'WECOM').map((c) => c.chatId) } },
    wecomWelcomes: { externalUserId: { in: wecomExternalIds(scope) } },
    wecomTemplates: { OR: [{ staffTask: { customerId } }, { externalUserId: { in: wecomExternalIds(scope) } }] } satisfies Prisma.WecomTemplateTaskWhereInput,
    wecomTransfers: { externalUserId: { in: wecomExternalIds(scope) } } satisfies Prisma.WecomCustomerTransferWhereInput,
  };
}
