// A fake Telegram Bot API on 127.0.0.1, speaking the documented shapes (https://core.telegram.org/bots/api):
// `POST /bot<token>/<method>` with a JSON or form body, answers `{ ok, result }` or
// `{ ok: false, error_code, description, parameters? }`. It enforces what the bot must respect —
// one message a second per chat and 30 a second overall (429 with retry_after; other rates for a
// test that runs faster than Telegram, given to the bot too), HTTPS webhooks,
// secret-token characters, 4096-character texts, 64-byte callback data, known chats, blocked
// users (403) — and lets a test script failures (429, 5xx, 400, hang) per method.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TELEGRAM_RATES, type TelegramRates } from '../../core/outbox/platform-limits.ts';

type Json = Record<string, unknown>;
/** A scripted answer for the next call of a method. */
export type Scripted = { status: number; description: string; retryAfter?: number } | { hang: true };
/** An answer the fake gives: a result, or an error. */
type Answer = { result: unknown } | { status: number; description: string; retryAfter?: number };

export interface SentMessage { message_id: number; chatId: string; text: string; reply_markup?: Json; at: number }

const BOT = { id: 7000000001, is_bot: true, first_name: 'Showroom', username: 'showroom_test_bot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };

export class FakeTelegramServer {
  readonly sent: SentMessage[] = [];
  /** Limit breaches the bot committed (each answered 429): must stay empty. */
  readonly violations: string[] = [];
  readonly answeredCallbacks: string[] = [];
  /** The notices shown with answered taps (`text` of answerCallbackQuery), in order. */
  readonly callbackNotices: string[] = [];
  readonly keyboardsRemoved: { chatId: string; messageId: number }[] = [];
  readonly calls: string[] = [];
  webhook: { url: string; secret: string | null } | null = null;
  readonly #updates: Json[] = [];
  readonly #chats = new Set<string>();
  readonly #blocked = new Set<string>();
  readonly #callbacks = new Set<string>();
  readonly #script = new Map<string, Scripted[]>();
  readonly #waiters = new Set<() => void>();
  #nextUpdateId = 100_000;
  #nextMessageId = 1;
  #polling: ((a: Answer) => void) | null = null;
  #pollingGone: (() => boolean) | null = null;
  #server: Server | null = null;

  /** When each chat was last sent to, and the sends of the last second: what the limits are checked against. */
  readonly #lastSentAt = new Map<string, number>();
  #lastSecond: number[] = [];

  /** `now` is the clock the limits are measured by (the test's fake clock, or real time); `rates` the limits (Telegram's by default). */
  constructor(
    readonly token: string,
    private readonly now: () => number = Date.now,
    private readonly webhookTarget: (url: string) => string = (url) => url,
    private readonly rates: TelegramRates = TELEGRAM_RATES,
  ) {}

  /** A chat that started the bot before this test: the bot may write to it. */
  knowChat(chatId: number): void {
    this.#chats.add(String(chatId));
  }

  async start(): Promise<string> {
    this.#server = createServer((req, res) => void this.#serve(req, res));
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.webhook = null;
    for (const wake of this.#waiters) wake();
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  /** Queues an update from a private chat; returns it. */
  queue(update: Json & { message?: Json; callback_query?: Json }): Json {
    const full = { update_id: this.#nextUpdateId++, ...update };
    const chat = ((update.message?.chat ?? (update.callback_query?.message as Json | undefined)?.chat) as Json | undefined)?.id;
    if (chat !== undefined) this.#chats.add(String(chat));
    if (update.callback_query) this.#callbacks.add(String(update.callback_query.id));
    this.#updates.push(full);
    for (const wake of this.#waiters) wake();
    void this.#pushWebhook();
    return full;
  }

  /** A text message from a user in their private chat (the chat id is the user id). */
  queueText(userId: number, text: string, languageCode = 'zh-hans'): Json {
    const from = { id: userId, is_bot: false, first_name: '王', language_code: languageCode };
    const entities = text.startsWith('/') ? [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]?.length ?? 0 }] : undefined;
    return this.queue({ message: { message_id: this.#nextMessageId++, from, chat: { id: userId, type: 'private', first_name: '王' }, date: Math.floor(this.now() / 1000), text, ...(entities ? { entities } : {}) } });
  }

  /**
   * A contact sent in a private chat: by the reply keyboard's request_contact button, the user's
   * own (`user_id` is the sender's, the number as Telegram has it, without "+"); or a contact of
   * someone else from the address book (`contactUserId` another user, or none).
   */
  queueContact(userId: number, phoneNumber: string, contactUserId: number | null = userId): Json {
    const from = { id: userId, is_bot: false, first_name: '王', language_code: 'zh-hans' };
    const contact = { phone_number: phoneNumber, first_name: '王', ...(contactUserId !== null ? { user_id: contactUserId } : {}) };
    return this.queue({ message: { message_id: this.#nextMessageId++, from, chat: { id: userId, type: 'private', first_name: '王' }, date: Math.floor(this.now() / 1000), contact } });
  }

  /** A tap on an inline button of a message the bot sent. */
  queueTap(userId: number, message: SentMessage, data: string): Json {
    const from = { id: userId, is_bot: false, first_name: '王', language_code: 'zh-hans' };
    const id = String(this.#nextUpdateId * 7);
    const botMessage = { message_id: message.message_id, from: BOT, chat: { id: userId, type: 'private' }, date: Math.floor(message.at / 1000), text: message.text, reply_markup: message.reply_markup };
    return this.queue({ callback_query: { id, from, message: botMessage, chat_instance: `ci${userId}`, data } });
  }

  block(chatId: number): void { this.#blocked.add(String(chatId)); }
  script(method: string, ...answers: Scripted[]): void { this.#script.set(method, [...(this.#script.get(method) ?? []), ...answers]); }
  sentTo(chatId: number): SentMessage[] { return this.sent.filter((m) => m.chatId === String(chatId)); }
  /** Long polls cut short by another getUpdates (two pollers on one token). */
  pollConflicts = 0;
  /** Updates not yet confirmed (by a later getUpdates offset, or a 2xx from the webhook). */
  get pendingUpdates(): number { return this.#updates.length; }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    const body = await readBody(req);
    const reply = (answer: Answer) => {
      if (res.writableEnded) return;
      const json = 'result' in answer
        ? { ok: true, result: answer.result }
        : { ok: false, error_code: answer.status, description: answer.description, ...(answer.retryAfter ? { parameters: { retry_after: answer.retryAfter } } : {}) };
      res.writeHead('result' in answer ? 200 : answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    };
    if (!match) return reply({ status: 404, description: 'Not Found' });
    if (match[1] !== this.token) return reply({ status: 401, description: 'Unauthorized' });
    const method = match[2] ?? '';
    this.calls.push(method);
    const scripted = this.#script.get(method)?.shift();
    if (scripted && 'hang' in scripted) return; // never answers; the client must give up
    if (scripted) return reply(scripted);
    if (method === 'getUpdates') return this.#getUpdates(body, reply, () => res.destroyed || req.socket.destroyed);
    reply(this.#call(method, body));
  }

  #call(method: string, p: Json): Answer {
    switch (method) {
      case 'getMe': return { result: BOT };
      case 'setWebhook': return this.#setWebhook(p);
      case 'deleteWebhook':
        this.webhook = null;
        if (p.drop_pending_updates === true || p.drop_pending_updates === 'true') this.#updates.length = 0;
        return { result: true };
      case 'getWebhookInfo': return { result: { url: this.webhook?.url ?? '', has_custom_certificate: false, pending_update_count: this.#updates.length } };
      case 'sendMessage': return this.#sendMessage(p);
      case 'answerCallbackQuery':
        if (!this.#callbacks.delete(String(p.callback_query_id))) return { status: 400, description: 'Bad Request: query is too old and response timeout expired or query ID is invalid' };
        this.answeredCallbacks.push(String(p.callback_query_id));
        if (typeof p.text === 'string') this.callbackNotices.push(p.text);
        return { result: true };
      case 'editMessageReplyMarkup': {
        const message = this.sent.find((m) => m.chatId === String(p.chat_id) && m.message_id === Number(p.message_id));
        if (!message) return { status: 400, description: 'Bad Request: message to edit not found' };
        if (!message.reply_markup) return { status: 400, description: 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message' };
        delete message.reply_markup;
        this.keyboardsRemoved.push({ chatId: message.chatId, messageId: message.message_id });
        return { result: { message_id: message.message_id, chat: { id: Number(message.chatId), type: 'private' }, date: Math.floor(this.now() / 1000), text: message.text } };
      }
      default: return { status: 404, description: 'Not Found: method not found' };
    }
  }

  #setWebhook(p: Json): Answer {
    const url = String(p.url ?? '');
    if (!url.startsWith('https://')) return { status: 400, description: 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook' };
    const secret = p.secret_token === undefined ? null : String(p.secret_token);
    if (secret !== null && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) return { status: 400, description: 'Bad Request: secret token contains unallowed characters' };
    this.webhook = { url, secret };
    this.#polling?.({ status: 409, description: 'Conflict: terminated by setWebhook request' });
    void this.#pushWebhook();
    return { result: true };
  }

  #sendMessage(p: Json): Answer {
    const chatId = String(p.chat_id ?? '');
    if (!this.#chats.has(chatId)) return { status: 400, description: 'Bad Request: chat not found' };
    if (this.#blocked.has(chatId)) return { status: 403, description: 'Forbidden: bot was blocked by the user' };
    const text = typeof p.text === 'string' ? p.text : '';
    if (text.trim().length === 0) return { status: 400, description: 'Bad Request: message text is empty' };
    if ([...text].length > 4096) return { status: 400, description: 'Bad Request: message is too long' };
    const markup = typeof p.reply_markup === 'string' ? (JSON.parse(p.reply_markup) as Json) : (p.reply_markup as Json | undefined);
    const buttons = ((markup?.inline_keyboard as Json[][] | undefined) ?? []).flat();
    if (buttons.some((b) => typeof b.text !== 'string' || (typeof b.callback_data === 'string' && (Buffer.byteLength(b.callback_data) < 1 || Buffer.byteLength(b.callback_data) > 64)))) {
      return { status: 400, description: 'Bad Request: BUTTON_DATA_INVALID' };
    }
    // ReplyKeyboardMarkup: rows of KeyboardButton, each with its text; request_contact only in private chats (all ours are).
    const keys = markup?.keyboard;
    if (keys !== undefined && (!Array.isArray(keys) || (keys as unknown[]).some((row) => !Array.isArray(row) || (row as Json[]).some((k) => typeof k?.text !== 'string' || k.text.length === 0)))) {
      return { status: 400, description: 'Bad Request: can\'t parse keyboard button: Text buttons are unallowed in the inline keyboard' };
    }
    const now = this.now();
    const gapMs = 1000 / this.rates.perChatPerSecond;
    const lastAt = this.#lastSentAt.get(chatId);
    if (lastAt !== undefined && now - lastAt < gapMs) return this.#tooMany(`chat ${chatId}: ${now - lastAt} ms after the previous message`, lastAt + gapMs - now);
    this.#lastSecond = this.#lastSecond.filter((at) => now - at < 1000);
    if (this.#lastSecond.length >= this.rates.perSecond) return this.#tooMany(`overall: ${this.rates.perSecond + 1} messages within a second`, (this.#lastSecond[0] ?? now) + 1000 - now);
    const message: SentMessage = { message_id: this.#nextMessageId++, chatId, text, ...(markup ? { reply_markup: markup } : {}), at: now };
    this.sent.push(message);
    this.#lastSentAt.set(chatId, now);
    this.#lastSecond.push(now);
    return { result: { message_id: message.message_id, from: BOT, chat: { id: Number(chatId), type: 'private' }, date: Math.floor(now / 1000), text, ...(markup ? { reply_markup: markup } : {}) } };
  }

  #tooMany(violation: string, waitMs: number): Answer {
    this.violations.push(violation);
    const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
    return { status: 429, description: `Too Many Requests: retry after ${retryAfter}`, retryAfter };
  }

  #getUpdates(p: Json, reply: (a: Answer) => void, gone: () => boolean): void {
    if (this.webhook) return reply({ status: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" });
    if (this.#polling) {
      // A poller whose connection is gone (its process died) is no conflict: Telegram just drops it.
      if (!this.#pollingGone?.()) this.pollConflicts += 1;
      this.#polling({ status: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' });
    }
    const offset = Number(p.offset ?? 0);
    if (offset > 0) this.#confirm((u) => Number(u.update_id) < offset);
    const limit = Math.min(100, Math.max(1, Number(p.limit ?? 100)));
    const answer = () => reply({ result: this.#updates.slice(0, limit) });
    if (this.#updates.length > 0 || !Number(p.timeout)) return answer();
    const timers: NodeJS.Timeout[] = [];
    const done = (a?: Answer) => {
      timers.forEach(clearTimeout);
      this.#waiters.delete(wake);
      if (this.#polling === done) this.#polling = null;
      if (a) reply(a); else answer();
    };
    const wake = () => done();
    this.#polling = done;
    this.#pollingGone = gone;
    this.#waiters.add(wake);
    timers.push(setTimeout(() => done(), Number(p.timeout) * 1000));
  }

  #confirm(which: (u: Json) => boolean): void {
    for (let i = this.#updates.length - 1; i >= 0; i -= 1) if (which(this.#updates[i] as Json)) this.#updates.splice(i, 1);
  }

  /** Delivers queued updates to the webhook one by one until each gets a 2xx (Telegram retries failures). */
  async #pushWebhook(): Promise<void> {
    const hook = this.webhook;
    const update = this.#updates[0];
    if (!hook || !update || this.#pushing) return;
    this.#pushing = true;
    try {
      const response = await fetch(this.webhookTarget(hook.url), {
        method: 'POST', body: JSON.stringify(update),
        headers: { 'content-type': 'application/json', ...(hook.secret ? { 'x-telegram-bot-api-secret-token': hook.secret } : {}) },
      }).catch(() => null);
      if (response?.ok) this.#confirm((u) => u === update);
      else await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      this.#pushing = false;
    }
    if (this.webhook && this.#updates.length > 0) void this.#pushWebhook();
  }

  #pushing = false;
}

async function readBody(req: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (!raw) return {};
  if ((req.headers['content-type'] ?? '').includes('application/json')) return JSON.parse(raw) as Json;
  return Object.fromEntries(new URLSearchParams(raw));
}
