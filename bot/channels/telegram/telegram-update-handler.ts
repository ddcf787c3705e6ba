import type { Update } from 'grammy/types';
import type { InboundDeps } from '../../../core/flows/handle-inbound.ts';
import { joinTransaction } from '../../../core/db/join-transaction.ts';
import { handleCustomerMessage } from '../../../core/inbox/handle-customer-message.ts';
import type { InboxRow } from '../../../core/inbox/inbox-worker.ts';
import { markInboundHandled } from '../../../core/inbox/mark-inbound-handled.ts';
import { replyToChat, storeOfChat } from '../../../core/inbox/reply-to-chat.ts';
import type { OutboundMessage } from '../../../core/messages.ts';
import { markChatSeen } from '../../../core/outbox/reach.ts';
import { runStaffCommand } from '../../../core/staff/run-command.ts';
import { INVITATION_PREFIX, InvitationError, redeemStaffInvitation } from '../../../core/staff/staff-invitations.ts';
import { localeOfLanguageCode, telegramTexts } from './telegram-texts.ts';
import { readTelegramUpdate, readText, sourceCodeOf, type TelegramEvent } from './telegram-update.ts';

/** The cosmetic calls a tap needs: stop the button's spinner, and take the keyboard away so it is not tapped twice. */
export interface TelegramAcknowledger {
  /** `text` shows as a short notice over the chat. */
  answerCallbackQuery(callbackQueryId: string, text?: string): Promise<void>;
  removeKeyboard(chatId: string, messageId: number): Promise<void>;
}

type Input = Exclude<TelegramEvent, { kind: 'tap' }>;

/**
 * Handles one stored Telegram update (the inbox worker calls it, one chat at a time, in order):
 * staff invitations, staff commands from linked chats, and everything else as a customer's
 * message through core's flows. Replies go out through the outbox as REPLY intents.
 */
export function telegramUpdateHandler(deps: InboundDeps, acks: TelegramAcknowledger): (row: InboxRow) => Promise<void> {
  return async (row) => {
    const event = readTelegramUpdate(JSON.parse(row.payload) as Update);
    if (event.kind === 'tap') {
      const stale = !(await isLatestKeyboard(deps, event));
      await acknowledge(deps, acks, event, stale ? telegramTexts(deps.settings.defaultLocale).staleButton : undefined);
      if (stale) return reply(deps, row, null, []);
    }
    const input: Input = event.kind === 'tap' ? readText(event.chatId, event.data) : event;
    if (input.kind === 'ignored') return reply(deps, row, null, []);
    if (input.kind === 'start' && input.payload?.startsWith(INVITATION_PREFIX)) return redeem(deps, row, input);
    const link = await deps.db.staffChannelLink.findUnique({ where: { channel_externalId: { channel: 'TELEGRAM', externalId: input.chatId } }, include: { staff: true } });
    if (link?.staff.active) return staffMessage(deps, row, link.staff, input);
    const locale = input.kind === 'start' ? localeOfLanguageCode(input.languageCode, deps.settings.defaultLocale) : undefined;
    if (input.kind === 'unsupported') return reply(deps, row, input.chatId, [{ kind: 'text', text: telegramTexts(locale ?? deps.settings.defaultLocale).textOnly }]);
    const base = { channel: 'TELEGRAM' as const, chatId: input.chatId, receivedAt: deps.clock.now(), ...(locale ? { locale } : {}) };
    if (input.kind === 'text') return handleCustomerMessage(deps, row, { ...base, kind: 'text', text: input.text });
    const code = sourceCodeOf(input.payload) ?? (await onlyStoreSource(deps));
    if (code === null) return reply(deps, row, input.chatId, [await storeChoice(deps, locale ?? deps.settings.defaultLocale)]);
    return handleCustomerMessage(deps, row, { ...base, kind: 'start', sourceCode: code });
  };
}

/**
 * Whether a tap is on the newest message with buttons we sent this chat. An older keyboard the
 * customer answered by typing is still on screen: its "1" tapped in the middle of a survey must
 * not be read as a score of 1.
 */
async function isLatestKeyboard(deps: InboundDeps, tap: Extract<TelegramEvent, { kind: 'tap' }>): Promise<boolean> {
  if (tap.messageId === null) return false;
  const latest = await deps.db.messageIntent.findFirst({
    where: { state: 'SENT', providerMessageId: { startsWith: `${tap.chatId}:` }, payload: { contains: '"choices":[{' } },
    orderBy: [{ sentAt: 'desc' }, { id: 'desc' }], select: { providerMessageId: true },
  });
  return latest?.providerMessageId === `${tap.chatId}:${tap.messageId}`;
}

async function acknowledge(deps: InboundDeps, acks: TelegramAcknowledger, tap: Extract<TelegramEvent, { kind: 'tap' }>, notice?: string): Promise<void> {
  // Cosmetic: a failure must not hold up the answer itself, so it is logged, not retried.
  await acks.answerCallbackQuery(tap.callbackQueryId, notice).catch((error: unknown) => deps.logger.warn({ err: error }, 'answerCallbackQuery failed'));
  if (tap.messageId !== null) await acks.removeKeyboard(tap.chatId, tap.messageId).catch((error: unknown) => deps.logger.warn({ err: error }, 'removing a keyboard failed'));
}

/** Marks the row handled and queues the replies, in one transaction (nothing when it was handled already). */
async function reply(deps: InboundDeps, row: InboxRow, chatId: string | null, replies: OutboundMessage[]): Promise<void> {
  await deps.db.$transaction(async (tx) => {
    const now = deps.clock.now();
    if (!(await markInboundHandled(tx, row.id, now)) || chatId === null) return;
    await markChatSeen(tx, 'TELEGRAM', chatId, now);
    await replyToChat(tx, { channel: 'TELEGRAM', updateId: row.updateId, chatId }, replies, { storeId: await storeOfChat(tx, 'TELEGRAM', chatId), now });
  });
}

async function redeem(deps: InboundDeps, row: InboxRow, start: Extract<Input, { kind: 'start' }>): Promise<void> {
  const texts = telegramTexts(localeOfLanguageCode(start.languageCode, deps.settings.defaultLocale));
  const token = (start.payload ?? '').slice(INVITATION_PREFIX.length);
  await deps.db.$transaction(async (tx) => {
    const now = deps.clock.now();
    if (!(await markInboundHandled(tx, row.id, now))) return;
    let text: string;
    let storeId: string | null = null;
    try {
      const staff = await redeemStaffInvitation(tx, deps.clock, token, { channel: 'TELEGRAM', externalId: start.chatId });
      text = texts.invitationLinked(staff.name, staff.role);
      storeId = staff.storeId;
    } catch (error) {
      if (!(error instanceof InvitationError) || error.code === 'not_allowed') throw error;
      text = texts.invitationProblem[error.code];
    }
    await replyToChat(tx, { channel: 'TELEGRAM', updateId: row.updateId, chatId: start.chatId }, [{ kind: 'text', text }], { storeId: storeId ?? (await storeOfChat(tx, 'TELEGRAM', start.chatId)), now });
  });
}

/**
 * A linked staff member's message is a staff command. The command joins the transaction that
 * marks the inbox row handled and queues the reply, so a crash runs it again from scratch or
 * not at all: an order is never recorded twice, a follow-up never lost.
 */
async function staffMessage(deps: InboundDeps, row: InboxRow, staff: { id: string; storeId: string; role: 'CONSULTANT' | 'MANAGER' | 'FRONT_DESK' | 'ADMIN' }, input: Input): Promise<void> {
  if (input.kind === 'ignored') return;
  const text = input.kind === 'text' ? input.text : input.kind === 'start' ? '帮助' : null;
  await deps.db.$transaction(async (tx) => {
    const now = deps.clock.now();
    if (!(await markInboundHandled(tx, row.id, now))) return;
    const actor = { staffId: staff.id, storeId: staff.storeId, role: staff.role };
    const answer = text === null ? telegramTexts(deps.settings.defaultLocale).textOnly : (await runStaffCommand(joinTransaction(tx), deps.clock, actor, text)).reply;
    await markChatSeen(tx, 'TELEGRAM', input.chatId, now);
    await replyToChat(tx, { channel: 'TELEGRAM', updateId: row.updateId, chatId: input.chatId }, [{ kind: 'text', text: answer }], { storeId: staff.storeId, staffId: staff.id, now });
  });
}

/** The entry source of the only store, when there is just one (a plain /start then simply starts there). */
async function onlyStoreSource(deps: InboundDeps): Promise<string | null> {
  const sources = await entrySources(deps);
  return sources.length === 1 ? (sources[0]?.code ?? null) : null;
}

/** Each store's first active QR source, oldest store first. */
async function entrySources(deps: InboundDeps) {
  const sources = await deps.db.qrSource.findMany({ where: { active: true }, include: { store: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  const seen = new Set<string>();
  return sources.filter((s) => !seen.has(s.storeId) && seen.add(s.storeId)).map((s) => ({ code: s.code, storeName: s.store.name }));
}

async function storeChoice(deps: InboundDeps, locale: 'zh-CN' | 'en'): Promise<OutboundMessage> {
  const sources = await entrySources(deps);
  const lines = sources.map((s) => `· ${s.storeName}`);
  return { kind: 'text', text: [telegramTexts(locale).chooseStore, ...lines].join('\n'), choices: sources.map((s) => ({ label: s.storeName, value: `/start ${s.code}` })) };
}
