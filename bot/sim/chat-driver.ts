import type { Update } from 'grammy/types';
import { telegramInboxAdapter } from '../channels/telegram/telegram-inbox-adapter.ts';
import { chatOfUpdate } from '../channels/telegram/telegram-update.ts';
import type { Clock } from '../../core/clock.ts';
import { handleInboundMessage } from '../../core/inbound/handle-inbound-message.ts';
import { inboxHandler } from '../../core/inbound/inbox-adapter.ts';
import type { InboundDeps } from '../../core/inbound/inbound-context.ts';
import { InboxWorker } from '../../core/inbox/inbox-worker.ts';
import { recordInboundUpdate } from '../../core/inbox/record-inbound-update.ts';
import type { InboundEvent, OutboundMessage } from '../../core/messages.ts';
import { consoleAddress } from '../../core/staff/console-channel.ts';

/** What a simulated person does in a chat. */
export type ChatAction =
  | { kind: 'start'; sourceCode: string }
  | { kind: 'text'; text: string }
  /** A tap on a button of the message with this Telegram message id (web: the value is sent as text, as the page does). */
  | { kind: 'tap'; value: string; messageId: number };

/**
 * How simulated people reach the core, the way each channel's intake does: the web chat (and
 * the staff console) as a request answered at once through `handleInboundMessage`; Telegram as
 * Bot API updates stored in the durable inbox, handled by the real InboxWorker with the real
 * Telegram adapter, their replies sent through the outbox.
 */
export class ChatDriver {
  readonly inbox: InboxWorker;
  #updateId = 1;
  #messageId = 1;
  #stored = false;

  constructor(private readonly deps: InboundDeps, private readonly clock: Clock, alertStoreId: string) {
    const adapter = telegramInboxAdapter({ db: deps.db, logger: deps.logger, defaultLocale: deps.settings.defaultLocale }, {
      async answerCallbackQuery() { /* cosmetic in Telegram; nothing to simulate */ },
      async removeKeyboard() { /* idem */ },
    });
    this.inbox = new InboxWorker({ db: deps.db, clock, logger: deps.logger, alertStoreId, handle: inboxHandler(deps, [adapter]) });
  }

  /** A web chat message; returns the replies the page shows. */
  async web(chatId: string, action: ChatAction): Promise<OutboundMessage[]> {
    const event: InboundEvent = action.kind === 'start' ? { kind: 'start', sourceCode: action.sourceCode } : { kind: 'text', text: action.kind === 'tap' ? action.value : action.text };
    const { replies } = await handleInboundMessage(this.deps, { channel: 'WEB', chatId, updateId: `${chatId}:${(this.#updateId += 1)}`, event }, { kind: 'request' });
    return replies;
  }

  /** A staff member's command typed into their console; returns the answer. */
  async staffCommand(staffId: string, text: string): Promise<string> {
    const replies = await this.web(consoleAddress(staffId), { kind: 'text', text });
    return replies.map((r) => r.text).join('\n');
  }

  /** A Telegram update from the user's private chat, stored in the inbox as the polling intake stores it. */
  async telegram(userId: number, firstName: string, action: ChatAction): Promise<void> {
    const from = { id: userId, is_bot: false, first_name: firstName, language_code: 'zh-hans' };
    const chat = { id: userId, type: 'private' as const, first_name: firstName };
    const date = Math.floor(this.clock.now().getTime() / 1000);
    const updateId = (this.#updateId += 1);
    const update: Update = action.kind === 'tap'
      ? { update_id: updateId, callback_query: { id: `cb${updateId}`, from, chat_instance: `ci${userId}`, data: action.value, message: { message_id: action.messageId, date, chat, text: '…' } } }
      : { update_id: updateId, message: { message_id: (this.#messageId += 1), date, from, chat, ...telegramText(action) } };
    await recordInboundUpdate(this.deps.db, { channel: 'TELEGRAM', updateId: String(updateId), chatId: chatOfUpdate(update) ?? 'none', payload: JSON.stringify(update), receivedAt: this.clock.now() });
    this.#stored = true;
  }

  /** Handles what the Telegram intake stored, as the inbox worker's loop would; returns how many updates. */
  async drainInbox(): Promise<number> {
    if (!this.#stored) return 0;
    this.#stored = false;
    let handled = 0;
    for (let n = await this.inbox.runOnce(); n > 0; n = await this.inbox.runOnce()) handled += n;
    return handled;
  }
}

function telegramText(action: Exclude<ChatAction, { kind: 'tap' }>): { text: string; entities?: { type: 'bot_command'; offset: number; length: number }[] } {
  if (action.kind === 'text') return { text: action.text };
  return { text: `/start ${action.sourceCode}`, entities: [{ type: 'bot_command', offset: 0, length: 6 }] };
}
