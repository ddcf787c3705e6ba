// The Telegram transport against the fake Bot API: pacing at the documented limits, what each
// failure means for the outbox, the webhook's secret, and polling that loses and repeats nothing.
import type { AddressInfo } from 'node:net';
import { Api, GrammyError } from 'grammy';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../core/logger.ts';
import { Dispatcher } from '../../../core/outbox/dispatcher.ts';
import { sqlOutboxStore } from '../../../core/outbox/sql-outbox-store.ts';
import { buildServer } from '../../../bot/http/server.ts';
import { TelegramSetupError } from '../../../bot/channels/telegram/telegram-channel.ts';
import { classifyPollFailure, TelegramPolling, TOKEN_REFUSED } from '../../../bot/channels/telegram/telegram-polling.ts';
import { TelegramSender } from '../../../bot/channels/telegram/telegram-sender.ts';
import { deriveWebhookSecret, SECRET_HEADER } from '../../../bot/channels/telegram/telegram-webhook.ts';
import { FakeTelegramServer } from '../../fakes/fake-telegram-server.ts';
import { queueText } from '../../helpers/intents.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { openTelegram, TEST_BOT_TOKEN as TOKEN } from '../../helpers/test-telegram.ts';

const CHAT = 4440001;

let t: TestApp;
let fake: FakeTelegramServer;
let apiRoot: string;

beforeEach(async () => {
  let now = () => Date.parse('2026-11-22T02:00:00Z');
  fake = new FakeTelegramServer(TOKEN, () => now());
  apiRoot = await fake.start();
  t = await createTestApp();
  now = () => t.clock.now().getTime();
  fake.queueText(CHAT, 'hi'); // the chat exists for the fake once the user wrote to the bot
});
afterEach(async () => {
  await t.close();
  await fake.close();
});

const sender = () => new TelegramSender(new Api(TOKEN, { apiRoot }));
const dispatcher = (sendTimeoutMs = 15_000) => new Dispatcher({ store: sqlOutboxStore(t.ctx.db), clock: t.clock, logger: silentLogger, senders: [sender()], sendTimeoutMs, random: () => 0.5 });
const intent = (key: string) => t.ctx.db.messageIntent.findUniqueOrThrow({ where: { dedupeKey: key } });
const queue = (key: string, chat = CHAT) => queueText(t.ctx.db, t.setup.storeId, key, t.clock.now(), { purpose: 'REPLY', channel: 'TELEGRAM', address: String(chat) });

describe('sending through the outbox', () => {
  it('paces a burst of 100 messages to one chat at one a second, in order, none lost or repeated', async () => {
    for (let i = 0; i < 100; i += 1) await queue(`burst-${String(i).padStart(3, '0')}`);
    const d = dispatcher();
    for (let round = 0; round < 1000; round += 1) {
      while ((await d.runOnce()) > 0) { /* what is due */ }
      const next = await d.nextClaimableAt();
      if (!next) break;
      if (next > t.clock.now()) t.clock.set(next);
    }
    const sent = fake.sentTo(CHAT);
    expect(sent.map((m) => m.text)).toEqual(Array.from({ length: 100 }, (_, i) => `burst-${String(i).padStart(3, '0')}`));
    expect(fake.violations).toEqual([]);
    expect((sent.at(-1)?.at ?? 0) - (sent[0]?.at ?? 0)).toBeGreaterThanOrEqual(99_000);
    expect(await t.ctx.db.messageIntent.count({ where: { state: 'SENT' } })).toBe(100);
  });

  it('waits for retry_after after a 429, then sends once', async () => {
    fake.script('sendMessage', { status: 429, description: 'Too Many Requests: retry after 7', retryAfter: 7 });
    await queue('limited');
    await dispatcher().runOnce();
    const held = await intent('limited');
    expect(held.state).toBe('FAILED_RETRYING');
    expect((held.nextAttemptAt?.getTime() ?? 0) - t.clock.now().getTime()).toBeGreaterThanOrEqual(7000);
    t.clock.advance(6_000);
    await dispatcher().runOnce();
    expect(fake.sentTo(CHAT)).toHaveLength(0);
    t.clock.set(held.nextAttemptAt ?? new Date());
    await dispatcher().runOnce();
    expect(fake.sentTo(CHAT).map((m) => m.text)).toEqual(['limited']);
  });

  it('retries a 5xx; a 400 is dead with an alert; a 403 marks the user blocked, no retries', async () => {
    fake.script('sendMessage', { status: 502, description: 'Bad Gateway' });
    await queue('flaky');
    await dispatcher().runOnce();
    expect((await intent('flaky')).state).toBe('FAILED_RETRYING');
    t.clock.advance(60_000);
    await dispatcher().runOnce();
    expect((await intent('flaky')).state).toBe('SENT');

    await queue('nowhere', 4449999); // a chat that never wrote to the bot
    await dispatcher().runOnce();
    expect(await intent('nowhere')).toMatchObject({ state: 'DEAD', lastError: expect.stringContaining('chat not found') });
    expect(await t.ctx.db.alert.count({ where: { kind: 'intent_dead' } })).toBe(1);

    const customer = await t.ctx.db.customer.create({ data: { name: '王芳', phone: '+8613800000001', identities: { create: { channel: 'TELEGRAM', externalId: String(CHAT) } } } });
    fake.block(CHAT);
    await queue('blocked');
    t.clock.advance(60_000);
    await dispatcher().runOnce();
    expect(await intent('blocked')).toMatchObject({ state: 'DEAD', attempts: 1 });
    expect((await t.ctx.db.channelIdentity.findFirstOrThrow({ where: { customerId: customer.id } })).blockedAt).not.toBeNull();
  });

  it('a request that never gets an answer is unknown, with an alert, and never sent again', async () => {
    fake.script('sendMessage', { hang: true });
    await queue('hung');
    await dispatcher(300).runOnce();
    expect(await intent('hung')).toMatchObject({ state: 'UNKNOWN' });
    expect(await t.ctx.db.alert.count({ where: { kind: 'intent_unknown' } })).toBe(1);
    t.clock.advance(3600_000);
    await dispatcher().runOnce();
    expect(fake.calls.filter((c) => c === 'sendMessage')).toHaveLength(1);
  });

  it('retries when Telegram cannot be reached at all (the request never left)', async () => {
    const closed = new FakeTelegramServer(TOKEN);
    const root = await closed.start();
    await closed.close();
    await queue('offline');
    await new Dispatcher({ store: sqlOutboxStore(t.ctx.db), clock: t.clock, logger: silentLogger, senders: [new TelegramSender(new Api(TOKEN, { apiRoot: root }))] }).runOnce();
    expect(await intent('offline')).toMatchObject({ state: 'FAILED_RETRYING', lastError: expect.stringContaining('ECONNREFUSED') });
  });
});

describe('receiving', () => {
  it('polling stores each update before confirming it; one delivered again is stored once', async () => {
    const polling = () => new TelegramPolling(new Api(TOKEN, { apiRoot }), { db: t.ctx.db, clock: t.clock, logger: silentLogger, onStored: () => undefined, alertStoreId: t.setup.storeId, timeoutSeconds: 0 });
    await polling().pollOnce();
    expect(await t.ctx.db.inboundUpdate.count()).toBe(1);
    expect(fake.pendingUpdates).toBe(1); // not confirmed yet: a crash now loses nothing
    const restarted = polling(); // offset 0 again, as after a crash
    await restarted.pollOnce();
    expect(await t.ctx.db.inboundUpdate.count()).toBe(1);
    await restarted.pollOnce();
    expect(fake.pendingUpdates).toBe(0);
  });

  it('stops polling when Telegram refuses the token (401), with one alert to the admins; waits out a 429 as told', async () => {
    fake.script('getUpdates', { status: 429, description: 'Too Many Requests: retry after 1', retryAfter: 1 }, { status: 401, description: 'Unauthorized' });
    const polling = new TelegramPolling(new Api(TOKEN, { apiRoot }), { db: t.ctx.db, clock: t.clock, logger: silentLogger, onStored: () => undefined, alertStoreId: t.setup.storeId, timeoutSeconds: 0, backoffMs: [1] });
    const started = Date.now();
    await polling.start();
    await vi.waitFor(() => expect(polling.refused).toBe(true), { timeout: 10_000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000); // the 429's retry_after, not the 1 ms backoff
    await polling.stop();
    const alerts = await t.ctx.db.alert.findMany({ where: { kind: 'channel_failed' } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.message).toContain('TELEGRAM_BOT_TOKEN');
  });

  it('explains a 409 (another poller or a webhook) instead of only retrying', () => {
    const conflict = new GrammyError('Conflict', { ok: false, error_code: 409, description: 'Conflict: terminated by other getUpdates request' }, 'getUpdates', {});
    expect(classifyPollFailure(conflict, 2000)).toMatchObject({ action: 'wait', ms: 2000, log: expect.stringContaining('one instance per bot token') });
    const unauthorized = new GrammyError('Unauthorized', { ok: false, error_code: 401, description: 'Unauthorized' }, 'getUpdates', {});
    expect(classifyPollFailure(unauthorized, 2000)).toEqual({ action: 'stop', log: TOKEN_REFUSED });
  });

  const WEBHOOK_URL = 'https://bot.example.com/telegram/webhook';
  /** A bot in webhook mode: the Telegram channel, and a server built with it running (it adds the webhook route). */
  async function webhookBot() {
    const hooked = await createTestApp();
    const channel = await openTelegram(hooked, { TELEGRAM_API_ROOT: apiRoot, TELEGRAM_WEBHOOK_URL: WEBHOOK_URL });
    const app = buildServer(hooked.ctx);
    return { hooked, channel, app, async close() { await app.close(); await hooked.close(); } };
  }

  it('webhook mode sets the webhook with a secret, refuses a wrong or missing one, and takes Telegram\'s deliveries', async () => {
    const { hooked, channel, app, close } = await webhookBot();
    try {
      const update = { update_id: 999, message: { message_id: 1, date: 0, chat: { id: CHAT, type: 'private' }, from: { id: CHAT, is_bot: false, first_name: '王' }, text: 'hi' } };
      const post = (secret?: string) => app.inject({ method: 'POST', url: '/telegram/webhook', payload: update, headers: secret ? { [SECRET_HEADER]: secret } : {} });
      expect((await post()).statusCode).toBe(401);
      expect((await post('wrong-secret-wrong-secret')).statusCode).toBe(401);
      expect(await hooked.ctx.db.inboundUpdate.count()).toBe(0);

      await channel.start();
      expect(fake.webhook).toEqual({ url: WEBHOOK_URL, secret: deriveWebhookSecret(TOKEN) });
      expect((await post(deriveWebhookSecret(TOKEN))).statusCode).toBe(200);
      expect((await post(deriveWebhookSecret(TOKEN))).statusCode).toBe(200);
      expect(await hooked.ctx.db.inboundUpdate.count()).toBe(1);
      expect((await app.inject({ method: 'POST', url: '/telegram/webhook', payload: { hello: 1 }, headers: { [SECRET_HEADER]: deriveWebhookSecret(TOKEN) } })).statusCode).toBe(400);
    } finally {
      await close();
    }
  });

  it('Telegram itself delivers to the webhook with the secret, until answered 2xx', async () => {
    const { hooked, app, close } = await webhookBot();
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const port = (app.server.address() as AddressInfo).port;
      const pushing = new FakeTelegramServer(TOKEN, Date.now, () => `http://127.0.0.1:${port}/telegram/webhook`);
      const root = await pushing.start();
      try {
        await new Api(TOKEN, { apiRoot: root }).setWebhook(WEBHOOK_URL, { secret_token: deriveWebhookSecret(TOKEN) });
        pushing.queueText(CHAT, '你好');
        for (let i = 0; i < 100 && pushing.pendingUpdates > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
        expect(pushing.pendingUpdates).toBe(0);
        expect(JSON.parse((await hooked.ctx.db.inboundUpdate.findFirstOrThrow()).payload).message.text).toBe('你好');
      } finally {
        await pushing.close();
      }
    } finally {
      await close();
    }
  });

  it('a wrong token stops start-up with what to fix', async () => {
    const wrong = await createTestApp();
    try {
      const attempt = openTelegram(wrong, { TELEGRAM_BOT_TOKEN: '987654321:AAHsomeoneElsesTokenNotValid_abcdefg', TELEGRAM_API_ROOT: apiRoot });
      await expect(attempt).rejects.toThrow(TelegramSetupError);
      await expect(attempt).rejects.toThrow(/TELEGRAM_BOT_TOKEN/);
    } finally {
      await wrong.close();
    }
  });
});
