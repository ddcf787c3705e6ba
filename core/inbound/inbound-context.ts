import type { Clock } from '../clock.ts';
import type { Locale } from '../config.ts';
import type { Database, DatabaseTx } from '../db/open-database.ts';
import { loadConversation, type StoredConversation } from '../flows/conversation-store.ts';
import type { LeadActor } from '../leads/log-follow-up.ts';
import type { Logger } from '../logger.ts';
import type { PhoneProof } from '../registration/phone-proof.ts';
import type { RegistrationLimits } from '../registration/registration-limits.ts';
import type { ConversationState } from '../flows/conversation-state.ts';
import type { ChatText, InboundMessage } from '../messages.ts';

/** What handling an inbound message needs. */
export interface InboundDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  /** SMS one-time codes: the chat's phone step asks for one when available; absent or unavailable: it does not. */
  phoneProof?: PhoneProof;
  settings: {
    retentionMonths: number;
    defaultLocale: Locale;
    /** The store and source limits and the gift burst; the defaults when left out. */
    registrationLimits?: RegistrationLimits;
    /** Complaints one chat may open per day; further ones are answered with the open ticket's reference. */
    complaintsPerChatPerDay?: number;
  };
}

/** What every step of the pipeline sees: the message, its transaction, and what is known about the chat. */
export interface InboundContext {
  readonly tx: DatabaseTx;
  readonly deps: InboundDeps;
  readonly message: InboundMessage;
  readonly now: Date;
  /** The message as text: typed, or the value of a tapped button; null for other events. */
  readonly text: string | null;
  /** The chat's conversation, as it was before this message. */
  readonly conversation: StoredConversation | null;
  /** The language to answer in: the message's, else the conversation's, else the store default. */
  readonly locale: Locale;
  /** The active staff member this chat is linked to; null for a customer's chat. */
  readonly staff: LeadActor | null;
}

/** Reads what the steps need to know about the chat, once, in the message's transaction. */
export async function loadInboundContext(tx: DatabaseTx, deps: InboundDeps, message: InboundMessage, now: Date): Promise<InboundContext> {
  const { channel, chatId, event } = message;
  const conversation = await loadConversation(tx, channel, chatId);
  const link = await tx.staffChannelLink.findUnique({ where: { channel_externalId: { channel, externalId: chatId } }, include: { staff: true } });
  const text = event.kind === 'text' ? event.text : event.kind === 'button' ? event.data : null;
  const staff = link?.staff.active ? { staffId: link.staff.id, storeId: link.staff.storeId, role: link.staff.role } : null;
  const locale = message.locale ?? conversation?.state.locale ?? deps.settings.defaultLocale;
  return { tx, deps, message, now, text, conversation, locale, staff };
}

/** The customer's text as the flows read it; null when the message is not text (or a tapped value). */
export function chatText(ctx: InboundContext): ChatText | null {
  return ctx.text === null ? null : { channel: ctx.message.channel, chatId: ctx.message.chatId, text: ctx.text };
}

/** The conversation's state as it stands, or a fresh idle one (saved, so the chat remembers its language). */
export function currentOrIdle(ctx: InboundContext): ConversationState {
  return ctx.conversation?.state ?? { flow: 'idle', locale: ctx.locale };
}
