// Renders the core's outbound messages as 微信客服 messages (kf/send_msg, kf/send_msg_on_event):
// plain text, or a menu message (msgmenu) whose click items carry the choices. Limits from the
// 发送消息 page (path/94677): text ≤ 2048 bytes; msgmenu head/tail ≤ 1024 bytes, ≤ 10 items,
// click id 1–64 bytes, click content 1–128 bytes.
import type { Choice, OutboundMessage } from '../../../../core/messages.ts';

export const MAX_TEXT_BYTES = 2048;
export const MAX_MENU_TEXT_BYTES = 1024;
export const MAX_MENU_ITEMS = 10;
export const MAX_MENU_ID_BYTES = 64;
export const MAX_MENU_CONTENT_BYTES = 128;

/** The message part of a kf send body (`msgtype` and its object). */
export type KfMessageBody =
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'msgmenu'; msgmenu: { head_content: string; list: { type: 'click'; click: { id: string; content: string } }[]; tail_content?: string } };

const TRUNCATED = '\n……';

/**
 * A core message for kf. Choices become click items whose id is the choice's value, so a click
 * comes back (as text with `menu_id`) as that value; the text still lists the choices, so typing
 * works as well. Choices that do not fit a menu (more than 10, an id over 64 bytes) leave plain
 * text. A text past the limit is cut and says so, rather than refused.
 */
export function renderForKf(message: OutboundMessage): KfMessageBody {
  const text = message.kind === 'voucher' && !message.text.includes(message.voucherCode) ? `${message.text}\n${message.voucherCode}` : message.text;
  const choices = message.kind === 'text' ? (message.choices ?? []) : [];
  if (!fitsMenu(choices) || Buffer.byteLength(text) > MAX_MENU_TEXT_BYTES) return { msgtype: 'text', text: { content: cut(text, MAX_TEXT_BYTES) } };
  return {
    msgtype: 'msgmenu',
    msgmenu: { head_content: text, list: choices.map((c) => ({ type: 'click', click: { id: c.value, content: cut(c.label, MAX_MENU_CONTENT_BYTES) } })) },
  };
}

/**
 * Several replies as one message: a welcome (kf/send_msg_on_event) is a single message, so the
 * replies to entering are joined, with the last one's choices as the menu.
 */
export function joinForKf(messages: OutboundMessage[]): OutboundMessage {
  const last = messages.at(-1);
  const text = messages.map((m) => (m.kind === 'voucher' ? `${m.text}\n${m.voucherCode}` : m.text)).join('\n\n');
  return last?.kind === 'text' && last.choices ? { kind: 'text', text, choices: last.choices } : { kind: 'text', text };
}

function fitsMenu(choices: Choice[]): boolean {
  if (choices.length === 0 || choices.length > MAX_MENU_ITEMS) return false;
  return choices.every((c) => c.value.length > 0 && Buffer.byteLength(c.value) <= MAX_MENU_ID_BYTES && c.label.length > 0);
}

/** Cuts a text to `maxBytes` of UTF-8 without splitting a character. */
function cut(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let out = '';
  for (const char of text) {
    if (Buffer.byteLength(out + char + TRUNCATED) > maxBytes) break;
    out += char;
  }
  return out + TRUNCATED;
}
