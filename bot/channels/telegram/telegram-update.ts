import type { Update } from 'grammy/types';
import { readStartCommand } from '../../../core/inbound/start-payload.ts';

/** A Telegram update, as Telegram puts it (telegram-inbox-adapter.ts turns it into core's InboundEvent). */
export type TelegramEvent =
  /** `/start` with its deep-link payload (null for a plain /start). */
  | { kind: 'start'; chatId: string; payload: string | null; languageCode: string | null }
  | { kind: 'text'; chatId: string; text: string }
  /** A tap on one of our inline buttons: answered, its keyboard removed, its value read as text. */
  | { kind: 'tap'; chatId: string; callbackQueryId: string; messageId: number | null; data: string }
  /** A contact shared with the contact button (or sent from the address book); `own` when it is the sender's account. */
  | { kind: 'contact'; chatId: string; phone: string; own: boolean }
  /** Stickers, photos, voice…: we ask for text. */
  | { kind: 'unsupported'; chatId: string }
  /** Group chats, channel posts, edits: not for this bot. */
  | { kind: 'ignored'; reason: string };

/** The private chat an update belongs to (the inbox orders updates per chat), or null. */
export function chatOfUpdate(update: Update): string | null {
  const chat = update.message?.chat ?? update.callback_query?.message?.chat;
  if (chat) return chat.type === 'private' ? String(chat.id) : null;
  return update.callback_query ? String(update.callback_query.from.id) : null;
}

/** Reads a Bot API Update (https://core.telegram.org/bots/api#update). Pure. */
export function readTelegramUpdate(update: Update): TelegramEvent {
  const chatId = chatOfUpdate(update);
  if (!chatId) return { kind: 'ignored', reason: 'not a private chat' };
  if (update.callback_query) {
    const query = update.callback_query;
    return { kind: 'tap', chatId, callbackQueryId: query.id, messageId: query.message?.message_id ?? null, data: query.data ?? '' };
  }
  const message = update.message;
  if (!message) return { kind: 'ignored', reason: 'not a new message' };
  if (message.contact) {
    // Telegram gives the number in international form, usually without the "+".
    const phone = /^\d+$/.test(message.contact.phone_number) ? `+${message.contact.phone_number}` : message.contact.phone_number;
    return { kind: 'contact', chatId, phone, own: message.contact.user_id !== undefined && message.contact.user_id === message.from?.id };
  }
  if (typeof message.text !== 'string') return { kind: 'unsupported', chatId };
  return readText(chatId, message.text, message.from?.language_code ?? null);
}

/** A text typed (or tapped) in a private chat: `/start [payload]` or plain text. */
export function readText(chatId: string, text: string, languageCode: string | null = null): Extract<TelegramEvent, { kind: 'start' | 'text' }> {
  const start = readStartCommand(text);
  if (start) return { kind: 'start', chatId, payload: start.payload, languageCode };
  return { kind: 'text', chatId, text };
}
