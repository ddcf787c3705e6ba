// The fake Bot API enforces what the real one documents; the Telegram tests rely on it, so it is
// tested on its own against raw HTTP calls.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeTelegramServer } from './fake-telegram-server.ts';

const TOKEN = '123456789:AAHfakeTokenForTestsOnly_abcdefghijk';
let now = 0;
let fake: FakeTelegramServer;
let root: string;

beforeEach(async () => {
  now = 1_000_000;
  fake = new FakeTelegramServer(TOKEN, () => now);
  root = await fake.start();
  fake.queueText(1, 'hi');
});
afterEach(async () => {
  await fake.close();
});

async function call(method: string, body: Record<string, unknown> = {}, token = TOKEN) {
  const response = await fetch(`${root}/bot${token}/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as { ok: boolean; result?: unknown; error_code?: number; description?: string; parameters?: { retry_after?: number } } };
}

describe('fake Telegram Bot API', () => {
  it('answers 401 to an unknown token and 404 to an unknown method', async () => {
    expect((await call('getMe', {}, '1:wrong')).json).toMatchObject({ ok: false, error_code: 401, description: 'Unauthorized' });
    expect((await call('sendSticker')).status).toBe(404);
  });

  it('holds a chat to one message a second, answering 429 with retry_after, and records the breach', async () => {
    expect((await call('sendMessage', { chat_id: 1, text: 'a' })).json.ok).toBe(true);
    now += 400;
    const refused = await call('sendMessage', { chat_id: 1, text: 'b' });
    expect(refused.json).toMatchObject({ ok: false, error_code: 429, parameters: { retry_after: 1 } });
    expect(fake.violations).toHaveLength(1);
    now += 600;
    expect((await call('sendMessage', { chat_id: 1, text: 'b' })).json.ok).toBe(true);
  });

  it('holds the bot to 30 messages a second overall', async () => {
    for (let chat = 100; chat < 131; chat += 1) fake.queueText(chat, 'hi');
    for (let chat = 100; chat < 130; chat += 1) expect((await call('sendMessage', { chat_id: chat, text: 'x' })).json.ok).toBe(true);
    expect((await call('sendMessage', { chat_id: 130, text: 'x' })).json.error_code).toBe(429);
  });

  it('holds a bot to other rates when given them (a test that runs ten times faster), chats it knows included', async () => {
    const faster = new FakeTelegramServer(TOKEN, () => now, undefined, { perSecond: 300, perChatPerSecond: 10 });
    const fasterRoot = await faster.start();
    const send = async (chat: number) => (await fetch(`${fasterRoot}/bot${TOKEN}/sendMessage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat_id: chat, text: 'x' }) })).status;
    try {
      expect(await send(5)).toBe(400); // never started the bot
      for (let chat = 1; chat <= 305; chat += 1) faster.knowChat(chat);
      expect(await send(5)).toBe(200);
      now += 99;
      expect(await send(5)).toBe(429);
      now += 1;
      expect(await send(5)).toBe(200);
      // Two sends to chat 5 in this second already: 298 more, then 429.
      for (let chat = 6; chat <= 305; chat += 1) expect(await send(chat)).toBe(chat <= 303 ? 200 : 429);
      expect(faster.violations.filter((v) => v.startsWith('overall'))).toHaveLength(2);
    } finally {
      await faster.close();
    }
  });

  it('refuses unknown chats, empty and overlong texts, bad callback data, and a user who blocked the bot', async () => {
    expect((await call('sendMessage', { chat_id: 999, text: 'x' })).json.description).toBe('Bad Request: chat not found');
    expect((await call('sendMessage', { chat_id: 1, text: ' ' })).json.description).toBe('Bad Request: message text is empty');
    expect((await call('sendMessage', { chat_id: 1, text: 'x'.repeat(4097) })).json.description).toBe('Bad Request: message is too long');
    const keyboard = { inline_keyboard: [[{ text: 'a', callback_data: 'x'.repeat(65) }]] };
    expect((await call('sendMessage', { chat_id: 1, text: 'x', reply_markup: keyboard })).json.description).toBe('Bad Request: BUTTON_DATA_INVALID');
    fake.block(1);
    expect((await call('sendMessage', { chat_id: 1, text: 'x' })).json).toMatchObject({ error_code: 403, description: 'Forbidden: bot was blocked by the user' });
  });

  it('confirms updates by offset, and refuses getUpdates while a webhook is set', async () => {
    const first = await call('getUpdates', { offset: 0 });
    const [update] = first.json.result as { update_id: number }[];
    expect(fake.pendingUpdates).toBe(1);
    await call('getUpdates', { offset: (update?.update_id ?? 0) + 1 });
    expect(fake.pendingUpdates).toBe(0);
    expect((await call('setWebhook', { url: 'http://bot.example.com/hook' })).json.description).toContain('HTTPS URL must be provided');
    expect((await call('setWebhook', { url: 'https://bot.example.com/hook', secret_token: 'bad secret!' })).json.description).toContain('unallowed characters');
    expect((await call('setWebhook', { url: 'https://bot.example.com/hook', secret_token: 'good_secret-1' })).json.ok).toBe(true);
    expect((await call('getUpdates')).json.error_code).toBe(409);
    await call('deleteWebhook');
    expect((await call('getUpdates')).json.ok).toBe(true);
  });

  it('plays scripted failures in order, then behaves again', async () => {
    fake.script('sendMessage', { status: 502, description: 'Bad Gateway' }, { status: 429, description: 'Too Many Requests: retry after 3', retryAfter: 3 });
    expect((await call('sendMessage', { chat_id: 1, text: 'x' })).status).toBe(502);
    expect((await call('sendMessage', { chat_id: 1, text: 'x' })).json.parameters?.retry_after).toBe(3);
    expect((await call('sendMessage', { chat_id: 1, text: 'x' })).json.ok).toBe(true);
  });
});
