import type { Update } from 'grammy/types';
import type { Locale } from '../../../core/config.ts';
import type { Database } from '../../../core/db/open-database.ts';
import type { InboxAdapter } from '../../../core/inbound/inbox-adapter.ts';
import { readStartPayload } from '../../../core/inbound/start-payload.ts';
import type { Logger } from '../../../core/logger.ts';
import type { InboundEvent } from '../../../core/messages.ts';
import { localeOfLanguageCode, staleButtonNotice } from './telegram-texts.ts';
import { readTelegramUpdate, readText, type TelegramEvent } from './telegram-update.ts';

/** The cosmetic calls a tap needs: stop the button's spinner, and take the keyboard away so it is not tapped twice. */
export interface TelegramAcknowledger {
  /** `text` shows as a short notice over the chat. */
  answerCallbackQuery(callbackQueryId: string, text?: string): Promise<void>;
  removeKeyboard(chatId: string, messageId: number): Promise<void>;
}

type Tap = Extract<TelegramEvent, { kind: 'tap' }>;
type Read = { event: InboundEvent; locale?: Locale };

/**
 * Reads stored Telegram updates into core's InboundEvent (core decides what they mean). A
 * `/start` carries the user's language and its payload (a QR source or a staff invitation); a
 * tap is acknowledged first and read as a button on the latest keyboard or an older one.
 */
export function telegramInboxAdapter(deps: { db: Database; logger: Logger; defaultLocale: Locale }, acks: TelegramAcknowledger): InboxAdapter {
  return {
    channel: 'TELEGRAM',
    async read(row) {
      const event = readTelegramUpdate(JSON.parse(row.payload) as Update);
      switch (event.kind) {
        case 'ignored':
          return { event: { kind: 'ignored', reason: event.reason } };
        case 'unsupported':
          return { event: { kind: 'unsupported' } };
        case 'text':
          return { event: { kind: 'text', text: event.text } };
        case 'contact':
          return { event: { kind: 'contact', phone: event.phone, own: event.own } };
        case 'start':
          return { event: readStartPayload(event.payload), locale: localeOfLanguageCode(event.languageCode, deps.defaultLocale) };
        case 'tap':
          return readTap(deps, acks, event);
        default:
          return event satisfies never;
      }
    },
  };
}

/** A tap: acknowledged (with a notice when its keyboard is an older one); a store choice's `/start <code>` is a start. */
async function readTap(deps: { db: Database; logger: Logger; defaultLocale: Locale }, acks: TelegramAcknowledger, tap: Tap): Promise<Read> {
  const latest = await isLatestKeyboard(deps.db, tap);
  // Cosmetic: a failure must not hold up the answer itself, so it is logged, not retried.
  const warn = (what: string) => (error: unknown) => deps.logger.warn({ err: error }, `${what} failed`);
  await acks.answerCallbackQuery(tap.callbackQueryId, latest ? undefined : staleButtonNotice(deps.defaultLocale)).catch(warn('answerCallbackQuery'));
  if (tap.messageId !== null) await acks.removeKeyboard(tap.chatId, tap.messageId).catch(warn('removing a keyboard'));
  const typed = readText(tap.chatId, tap.data);
  if (latest && typed.kind === 'start') return { event: readStartPayload(typed.payload), locale: deps.defaultLocale };
  return { event: { kind: 'button', data: tap.data, onLatestKeyboard: latest } };
}

/**
 * Whether a tap is on the newest message with buttons we sent this chat (Telegram's message ids
 * are in the sent intents' providerMessageId, `<chat>:<message>`). An older keyboard the
 * customer answered by typing is still on screen.
 */
async function isLatestKeyboard(db: Database, tap: Tap): Promise<boolean> {
  if (tap.messageId === null) return false;
  const latest = await db.messageIntent.findFirst({
    where: { state: 'SENT', providerMessageId: { startsWith: `${tap.chatId}:` }, payload: { contains: '"choices":[{' } },
    orderBy: [{ sentAt: 'desc' }, { id: 'desc' }], select: { providerMessageId: true },
  });
  return latest?.providerMessageId === `${tap.chatId}:${tap.messageId}`;
}
