// The Telegram webhook and the reading of what it stored, under random and hostile input (issue
// #13): without the secret nothing is stored, whatever the body; with it, any body is answered
// 200 (stored once) or 400 (not an update, nothing stored), never 5xx; and every stored update,
// however odd its shape, is handled by the inbox (answered, ignored or asked to type), never
// left failing.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboxHandler } from '../../../core/inbound/inbox-adapter.ts';
import { InboxWorker } from '../../../core/inbox/inbox-worker.ts';
import { silentLogger } from '../../../core/logger.ts';
import type { TelegramChannel } from '../../../bot/channels/telegram/telegram-channel.ts';
import { deriveWebhookSecret, SECRET_HEADER } from '../../../bot/channels/telegram/telegram-webhook.ts';
import { buildServer } from '../../../bot/http/server.ts';
import { FakeTelegramServer } from '../../fakes/fake-telegram-server.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { openTelegram, TEST_BOT_TOKEN as TOKEN } from '../../helpers/test-telegram.ts';

let t: TestApp;
let fake: FakeTelegramServer;
let channel: TelegramChannel;
let app: ReturnType<typeof buildServer>;
beforeAll(async () => {
  fake = new FakeTelegramServer(TOKEN, () => t.clock.now().getTime());
  const apiRoot = await fake.start();
  t = await createTestApp();
  channel = await openTelegram(t, { TELEGRAM_API_ROOT: apiRoot, TELEGRAM_WEBHOOK_URL: 'https://bot.example.com/telegram/webhook' });
  app = buildServer(t.ctx);
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await t.close();
  await fake.close();
});

const hostileText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom('\u0000\u0007\u001b[31m', '\u202e1234', '\ud800', '😀'.repeat(200), "'; DROP TABLE \"Customer\"; --", '<script>alert(1)</script>', '/start ../../etc', '/start staff_', '/start ' + 'x'.repeat(5000)),
);
const id = fc.oneof(fc.integer(), fc.constantFrom(-1, 0, Number.MAX_SAFE_INTEGER), fc.string({ maxLength: 12 }));
/** Update-like bodies: right and wrong shapes, private and group chats, texts, taps, contacts, nonsense. */
const body = fc.oneof(
  { weight: 1, arbitrary: fc.jsonValue() },
  { weight: 4, arbitrary: fc.record({
    update_id: fc.oneof({ weight: 4, arbitrary: fc.nat({ max: 2 ** 31 }) }, { weight: 1, arbitrary: id }),
    message: fc.option(fc.record({
      message_id: id, date: id,
      chat: fc.option(fc.record({ id, type: fc.constantFrom('private', 'group', 'channel', 'weird') }), { nil: undefined }),
      from: fc.option(fc.record({ id, is_bot: fc.boolean(), first_name: hostileText, language_code: fc.option(hostileText, { nil: undefined }) }), { nil: undefined }),
      text: fc.option(hostileText, { nil: undefined }),
      contact: fc.option(fc.record({ phone_number: hostileText, first_name: hostileText, user_id: fc.option(id, { nil: undefined }) }), { nil: undefined }),
    }, { requiredKeys: [] }), { nil: undefined }),
    callback_query: fc.option(fc.record({ id: hostileText, from: fc.record({ id }), data: fc.option(hostileText, { nil: undefined }), message: fc.option(fc.record({ message_id: id, chat: fc.record({ id, type: fc.constant('private') }) }), { nil: undefined }) }), { nil: undefined }),
  }, { requiredKeys: ['update_id'] }) },
);

describe('the Telegram webhook under hostile input', () => {
  it('stores nothing without the secret, never answers 5xx, and every stored update is handled', async () => {
    await channel.start();
    const secret = deriveWebhookSecret(TOKEN);
    const inbox = new InboxWorker({ db: t.ctx.db, clock: t.clock, logger: silentLogger, alertStoreId: t.setup.storeId, handle: inboxHandler(t.ctx.inbound, [channel.inbox]) });
    await fc.assert(
      fc.asyncProperty(body, fc.oneof({ weight: 4, arbitrary: fc.constant(secret) }, { weight: 1, arbitrary: fc.constantFrom('wrong', '') }), async (payload, given) => {
        const before = await t.ctx.db.inboundUpdate.count();
        const response = await app.inject({ method: 'POST', url: '/telegram/webhook', payload: JSON.stringify(payload), headers: { 'content-type': 'application/json', ...(given ? { [SECRET_HEADER]: given } : {}) } });
        expect(response.statusCode).toBeLessThan(500);
        if (given !== secret) {
          expect(response.statusCode).toBe(401);
          expect(await t.ctx.db.inboundUpdate.count()).toBe(before);
          return;
        }
        expect([200, 400]).toContain(response.statusCode);
        if (response.statusCode === 400) expect(await t.ctx.db.inboundUpdate.count()).toBe(before);
        while ((await inbox.runOnce()) > 0) { /* handle what was stored */ }
        expect(await t.ctx.db.inboundUpdate.count({ where: { handledAt: null } })).toBe(0);
        expect(await t.ctx.db.alert.count({ where: { kind: 'inbound_failed' } })).toBe(0);
      }),
      { numRuns: 150 },
    );
    expect(await t.ctx.db.inboundUpdate.count()).toBeGreaterThan(50); // the property reached the handling, not only refusals
  }, 120_000);
});
