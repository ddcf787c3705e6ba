import type { InlineKeyboardButton } from 'grammy/types';
import type { OutboundMessage } from '../../../core/messages.ts';

/** Telegram's limits on what a bot sends (Bot API: sendMessage, InlineKeyboardButton). */
export const MAX_TEXT_CHARS = 4096;
export const MAX_CALLBACK_DATA_BYTES = 64;

/** What sendMessage gets for one outbound message. */
export interface TelegramMessage {
  text: string;
  keyboard?: InlineKeyboardButton.CallbackButton[][];
  /** The label of a one-time reply keyboard button that shares the customer's own number (request_contact). */
  contactButton?: string;
}

const TRUNCATED = '\n……（消息过长，其余内容请在管理后台查看）';

/**
 * Renders a core message for Telegram. Choices become inline buttons whose callback data is the
 * choice's value (what the customer would type; core writes the text so it works without them):
 * short labels (the 1–10 score) five to a row, longer ones one to a row. A choice whose value
 * does not fit callback data drops the keyboard (the text still works). A text past Telegram's
 * 4096 characters is cut at a line and says so, rather than refused outright.
 */
export function renderForTelegram(message: OutboundMessage): TelegramMessage {
  const text = fit(message.text);
  if (message.kind === 'text' && message.shareContact && !message.choices?.length) return { text, contactButton: message.shareContact };
  if (message.kind !== 'text' || !message.choices || message.choices.length === 0) return { text };
  const choices = message.choices;
  if (choices.some((c) => c.value.length === 0 || Buffer.byteLength(c.value) > MAX_CALLBACK_DATA_BYTES)) return { text };
  const buttons = choices.map((c) => ({ text: c.label, callback_data: c.value }));
  const perRow = choices.every((c) => [...c.label].length <= 3) ? 5 : 1;
  const keyboard: InlineKeyboardButton.CallbackButton[][] = [];
  for (let i = 0; i < buttons.length; i += perRow) keyboard.push(buttons.slice(i, i + perRow));
  return { text, keyboard };
}

function fit(text: string): string {
  const chars = [...text];
  if (chars.length <= MAX_TEXT_CHARS) return text;
  const head = chars.slice(0, MAX_TEXT_CHARS - [...TRUNCATED].length).join('');
  const cut = head.lastIndexOf('\n');
  return `${cut > MAX_TEXT_CHARS / 2 ? head.slice(0, cut) : head}${TRUNCATED}`;
}
