// Issue #13, proof before linking, in the chats: with SMS codes configured (SMS_CODE_TEMPLATE), the
// web chat and Telegram (a typed number, not the contact button) send a one-time code by SMS to
// the typed number — through the outbox, to the fake Alibaba Cloud provider — and go on only once
// it is typed back. A known customer's number typed by a stranger reveals nothing and links
// nothing; two chats racing for one number each prove it only with their own code; a crash before
// or during the send neither loses nor repeats the SMS.
import { Api } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TelegramChannel } from '../../../bot/channels/telegram/telegram-channel.ts';
import { TelegramPolling } from '../../../bot/channels/telegram/telegram-polling.ts';
import { inboxHandler } from '../../../core/inbound/inbox-adapter.ts';
import { InboxWorker } from '../../../core/inbox/inbox-worker.ts';
import { silentLogger } from '../../../core/logger.ts';
import type { OutboundMessage } from '../../../core/messages.ts';
import { Dispatcher } from '../../../core/outbox/dispatcher.ts';
import { sqlOutboxStore } from '../../../core/outbox/sql-outbox-store.ts';
import { FakeTelegramServer } from '../../fakes/fake-telegram-server.ts';
import { createTestApp, registrationCounts, type TestApp } from '../../helpers/test-app.ts';
import { openSms, type SmsTestbed } from '../../helpers/test-sms.ts';
import { openWebChat, type WebChat } from '../../helpers/web-chat.ts';
import { openTelegram, TEST_BOT_TOKEN } from '../../helpers/test-telegram.ts';

const OWNER = '+8613812345678';
let t: TestApp;
let sms: SmsTestbed;

afterEach(async () => {
  await sms.close();
  await t.close();
});

/** The code in the last SMS to `phone` (what the person reads on their phone). */
function lastCode(phone = OWNER): string {
  const text = sms.fake.sentTo(phone).at(-1)?.text ?? '';
  return /验证码为(\d{6})/.exec(text)?.[1] ?? '';
}
const texts = (replies: OutboundMessage[]) => replies.map((r) => r.text);
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('web chat with SMS codes', () => {
  beforeEach(async () => {
    t = await createTestApp();
    sms = await openSms(t, { env: { SMS_CODE_TEMPLATE: 'SMS_900000009' } });
  });

  const openChat = () => openWebChat(sms.app);
  /** Answers the notice and the name, then types `phone`: the replies to the number. */
  async function upToPhone(chat: WebChat, phone = '138 1234 5678'): Promise<OutboundMessage[]> {
    await chat.say('1');
    await chat.say('张伟');
    return chat.say(phone);
  }
  /** The answers after the number: model, how they heard, companions, marketing. */
  async function finish(chat: WebChat): Promise<OutboundMessage[]> {
    for (const answer of ['1', '1', '0']) await chat.say(answer);
    return chat.say('2');
  }

  /** Registers the owner of OWNER in `chat`, reading the code from the SMS: their voucher code. */
  async function registerWithCode(chat: WebChat): Promise<string> {
    await upToPhone(chat);
    await sms.at(1_000);
    await chat.say(lastCode());
    const voucher = (await finish(chat))[0];
    expect(voucher?.kind).toBe('voucher');
    return voucher?.kind === 'voucher' ? voucher.voucherCode : '';
  }

  it('sends the code by SMS to the typed number and goes on only with the right one', async () => {
    const chat = await openChat();
    const asked = await upToPhone(chat);
    expect(texts(asked)).toEqual([expect.stringMatching(/^验证码已发送到 138\*\*\*\*5678，请回复短信里的 6 位数字/)]);
    expect(sms.fake.sent).toEqual([]); // queued: it leaves with the outbox, after the chat's step committed
    await sms.at(1_000);
    expect(sms.fake.sentTo(OWNER)).toMatchObject([{ templateCode: 'SMS_900000009', text: expect.stringMatching(/^【星河汽车】您的验证码为\d{6}，5分钟内有效/) }]);
    expect(texts(await chat.say('1'))).toEqual([expect.stringMatching(/请回复短信里的 6 位数字验证码/)]); // not taken as the model
    expect(texts(await chat.say(wrong(lastCode())))).toEqual([expect.stringMatching(/^验证码不对/)]);
    expect(texts(await chat.say(lastCode()))).toEqual(['手机号验证成功。', expect.stringMatching(/哪款车型/)]);
    const done = await finish(chat);
    expect(done[0]).toMatchObject({ kind: 'voucher', text: expect.stringMatching(/^登记成功，谢谢张伟/) });
    expect(await t.ctx.db.channelIdentity.findFirstOrThrow({ where: { externalId: chat.id } })).toMatchObject({ channel: 'WEB', proof: 'sms_code' });
    expect(await t.ctx.db.messageIntent.findFirstOrThrow({ where: { kind: 'phone_code' } })).toMatchObject({ state: 'SENT', purpose: 'REPLY', customerId: null });
    expect(sms.fake.violations).toEqual([]);
  });

  it('links the owner of a known number, on a new device, once they typed the code: their own voucher back', async () => {
    const voucherCode = await registerWithCode(await openChat());
    const customer = await t.ctx.db.customer.findUniqueOrThrow({ where: { phone: OWNER } });
    await sms.at(61_000); // our limit, and the provider's: a minute between codes to a number
    const second = await openChat();
    await upToPhone(second);
    await sms.at(1_000);
    expect(texts(await second.say(lastCode()))[0]).toBe('手机号验证成功。');
    const again = await finish(second);
    expect(again[0]).toMatchObject({ kind: 'voucher', voucherCode, text: expect.stringMatching(/您已经登记过了/) });
    expect(await t.ctx.db.channelIdentity.findFirstOrThrow({ where: { externalId: second.id } })).toMatchObject({ customerId: customer.id, proof: 'sms_code' });
    expect(await t.ctx.db.customer.count()).toBe(1);
  });

  it('as a stranger: a known customer\'s number reads like a new one, cannot be proven, and links or reveals nothing', async () => {
    const voucherCode = await registerWithCode(await openChat());
    const customer = await t.ctx.db.customer.findUniqueOrThrow({ where: { phone: OWNER }, include: { identities: true, consents: true, leads: true } });
    const counts = await registrationCounts(t.ctx.db);
    await sms.at(61_000);

    const stranger = await openChat();
    const newcomer = await openChat();
    const toKnown = await upToPhone(stranger, '13812345678');
    const toNew = await upToPhone(newcomer, '13987654321');
    expect(texts(toKnown)).toEqual(texts(toNew).map((x) => x?.replace('139****4321', '138****5678')));
    await sms.at(1_000);
    // The victim's own code, had they been tricked into telling it, counts only in their own chat.
    const victimChat = await openChat();
    await sms.at(61_000);
    await upToPhone(victimChat);
    await sms.at(1_000);
    const theirs = lastCode();
    const replies: string[] = [];
    for (const guess of [theirs, wrong(theirs), '000000', '123456', '999999']) replies.push(...texts(await stranger.say(guess)));
    expect(replies.at(-1)).toMatch(/已失效/);
    expect(replies.join('\n')).not.toMatch(/验证成功|已经登记|券码|张伟/);
    expect(texts(await stranger.say('1'))).toEqual([expect.stringMatching(/6 位数字验证码/)]);
    expect(texts(await stranger.say('重发'))).toEqual([expect.stringMatching(/太频繁/)]);
    for (const r of [...replies, ...texts(toKnown)]) expect(r).not.toContain(voucherCode.slice(0, 4));
    expect(await t.ctx.db.channelIdentity.count({ where: { externalId: stranger.id } })).toBe(0);
    expect(await t.ctx.db.customer.findUniqueOrThrow({ where: { phone: OWNER }, include: { identities: true, consents: true, leads: true } })).toEqual(customer);
    expect(await registrationCounts(t.ctx.db)).toEqual(counts);
    expect(await t.ctx.db.pendingRegistration.count()).toBe(0);
  });

  it('two chats racing for one number: the second waits its minute, and each code counts only in its own chat', async () => {
    const one = await openChat();
    const two = await openChat();
    expect(texts(await upToPhone(one))[0]).toMatch(/^验证码已发送/);
    expect(texts(await upToPhone(two))[0]).toMatch(/^验证码发送太频繁，请 1 分钟后回复"重发"/);
    await sms.at(1_000);
    const codeOne = lastCode();
    await sms.at(60_000);
    expect(texts(await two.say('重发'))[0]).toMatch(/^验证码已发送/);
    await sms.at(1_000);
    const codeTwo = lastCode();
    expect(sms.fake.sentTo(OWNER)).toHaveLength(2);
    expect(texts(await one.say(codeTwo))[0]).toMatch(/^验证码不对/);
    expect(texts(await two.say(codeOne))[0]).toMatch(/^验证码不对/);
    expect(texts(await one.say(codeOne))[0]).toBe('手机号验证成功。');
    expect(texts(await two.say(codeOne))[0]).toMatch(/^验证码不对/); // used, and never this chat's
    expect(texts(await two.say(codeTwo))[0]).toBe('手机号验证成功。');
    expect(sms.fake.violations).toEqual([]);
  });

  it('a crash before the send loses nothing, and a crash during it repeats nothing', async () => {
    const chat = await openChat();
    await upToPhone(chat);
    // The process died right after the chat's step committed: the code's SMS waits in the outbox.
    const restarted = new Dispatcher({ store: sqlOutboxStore(t.ctx.db), clock: t.clock, logger: silentLogger, senders: t.ctx.channels.map((c) => c.sender) });
    t.clock.advance(5_000);
    while ((await restarted.runOnce()) > 0) { /* everything due */ }
    expect(sms.fake.sentTo(OWNER)).toHaveLength(1);
    expect(texts(await chat.say(lastCode()))[0]).toBe('手机号验证成功。');

    // Another chat's code: the dispatcher died while sending it (the provider may have taken it).
    await sms.at(61_000);
    const other = await openChat();
    await upToPhone(other);
    const intent = await t.ctx.db.messageIntent.findFirstOrThrow({ where: { kind: 'phone_code', state: 'PENDING' } });
    const now = t.clock.now();
    await t.ctx.db.messageIntent.update({ where: { id: intent.id }, data: { state: 'SENDING', attempts: 1, leaseOwner: 'died', leaseExpiresAt: now, nextAttemptAt: now } });
    await sms.at(1_000);
    expect(await t.ctx.db.messageIntent.findUniqueOrThrow({ where: { id: intent.id } })).toMatchObject({ state: 'UNKNOWN' });
    expect(await t.ctx.db.alert.count({ where: { intentId: intent.id, kind: 'intent_unknown' } })).toBe(1);
    expect(sms.fake.sentTo(OWNER)).toHaveLength(1); // not sent again
    await sms.at(60_000);
    expect(texts(await other.say('重发'))[0]).toMatch(/^验证码已发送/);
    await sms.at(1_000);
    expect(sms.fake.sentTo(OWNER)).toHaveLength(2);
    expect(texts(await other.say(lastCode()))[0]).toBe('手机号验证成功。');
  });
});

describe('Telegram with SMS codes', () => {
  const CHAT = 5550001;
  let fake: FakeTelegramServer;
  let telegram: TelegramChannel;
  let polling: TelegramPolling;
  let inbox: InboxWorker;

  beforeEach(async () => {
    t = await createTestApp();
    fake = new FakeTelegramServer(TEST_BOT_TOKEN, () => t.clock.now().getTime());
    const apiRoot = await fake.start();
    telegram = await openTelegram(t, { TELEGRAM_API_ROOT: apiRoot });
    sms = await openSms(t, { env: { SMS_CODE_TEMPLATE: 'SMS_900000009' } });
    polling = new TelegramPolling(new Api(TEST_BOT_TOKEN, { apiRoot }), { db: t.ctx.db, clock: t.clock, logger: silentLogger, onStored: () => undefined, alertStoreId: t.setup.storeId, timeoutSeconds: 0 });
    inbox = new InboxWorker({ db: t.ctx.db, clock: t.clock, logger: silentLogger, alertStoreId: t.setup.storeId, handle: inboxHandler(t.ctx.inbound, [telegram.inbox, sms.channel.inbox]) });
  });
  afterEach(async () => {
    await fake.close();
  });

  async function say(text: string): Promise<string[]> {
    const before = fake.sentTo(CHAT).length;
    fake.queueText(CHAT, text);
    await polling.pollOnce();
    while ((await inbox.runOnce()) > 0) { /* handle everything stored */ }
    for (let i = 0; i < 10; i += 1) {
      await sms.at(1_500); // the dispatcher sends the replies (Telegram's pace) and the SMS
    }
    return fake.sentTo(CHAT).slice(before).map((m) => m.text);
  }

  it('a typed number gets a code by SMS; typed back, the registration goes on and the chat is proven', async () => {
    await say('/start showroom');
    await say('1');
    await say('张伟');
    expect(await say('138 1234 5678')).toEqual([expect.stringMatching(/^验证码已发送到 138\*\*\*\*5678/)]);
    expect(sms.fake.sentTo(OWNER)).toHaveLength(1);
    expect(await say(wrong(lastCode()))).toEqual([expect.stringMatching(/^验证码不对/)]);
    expect(await say(lastCode())).toEqual(['手机号验证成功。', expect.stringMatching(/哪款车型/)]);
    for (const answer of ['1', '1', '0']) await say(answer);
    expect((await say('2'))[0]).toMatch(/^登记成功，谢谢张伟/);
    expect(await t.ctx.db.channelIdentity.findFirstOrThrow({ where: { channel: 'TELEGRAM' } })).toMatchObject({ externalId: String(CHAT), proof: 'sms_code' });
    expect(fake.violations).toEqual([]);
    expect(sms.fake.violations).toEqual([]);
  });

  it('the contact button with the sender\'s own number needs no code', async () => {
    await say('/start showroom');
    await say('1');
    await say('张伟');
    const before = fake.sentTo(CHAT).length;
    fake.queueContact(CHAT, '8613812345678');
    await polling.pollOnce();
    while ((await inbox.runOnce()) > 0) { /* handle everything stored */ }
    await sms.at(1_500);
    expect(fake.sentTo(CHAT).slice(before).map((m) => m.text)).toEqual([expect.stringMatching(/哪款车型/)]);
    expect(sms.fake.sent).toEqual([]);
  });
});
