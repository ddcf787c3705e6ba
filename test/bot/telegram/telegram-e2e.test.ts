// The Telegram channel end to end against a fake Bot API server on 127.0.0.1: long polling →
// durable inbox → core's inbound pipeline → outbox → sendMessage, on the test's fixed clock (the fake measures
// its rate limits by it too).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inboxHandler } from '../../../core/inbound/inbox-adapter.ts';
import { InboxWorker } from '../../../core/inbox/inbox-worker.ts';
import { silentLogger } from '../../../core/logger.ts';
import { Dispatcher } from '../../../core/outbox/dispatcher.ts';
import { sqlOutboxStore } from '../../../core/outbox/sql-outbox-store.ts';
import { createStaffInvitation } from '../../../core/staff/staff-invitations.ts';
import { surveyFollowUpJob } from '../../../core/surveys/survey-follow-up-job.ts';
import type { TelegramChannel } from '../../../bot/channels/telegram/telegram-channel.ts';
import { TelegramPolling } from '../../../bot/channels/telegram/telegram-polling.ts';
import { Api } from 'grammy';
import { FakeTelegramServer, type SentMessage } from '../../fakes/fake-telegram-server.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { openTelegram, TEST_BOT_TOKEN as TOKEN } from '../../helpers/test-telegram.ts';
import { failInserts } from '../../helpers/failing-inserts.ts';

const CUSTOMER = 5550001;
const STAFF_CHAT = 5550002;

let t: TestApp;
let fake: FakeTelegramServer;
let channel: TelegramChannel;
let polling: TelegramPolling;
let inbox: InboxWorker;
let dispatcher: Dispatcher;

beforeEach(async () => {
  let now = () => Date.parse('2026-11-22T02:00:00Z');
  fake = new FakeTelegramServer(TOKEN, () => now());
  const apiRoot = await fake.start();
  t = await createTestApp();
  now = () => t.clock.now().getTime();
  channel = await openTelegram(t, { TELEGRAM_API_ROOT: apiRoot });
  polling = new TelegramPolling(new Api(TOKEN, { apiRoot }), { db: t.ctx.db, clock: t.clock, logger: silentLogger, onStored: () => undefined, alertStoreId: t.setup.storeId, timeoutSeconds: 0 });
  inbox = new InboxWorker({ db: t.ctx.db, clock: t.clock, logger: silentLogger, alertStoreId: t.setup.storeId, handle: inboxHandler(t.ctx.inbound, [channel.inbox]) });
  dispatcher = new Dispatcher({ store: sqlOutboxStore(t.ctx.db), clock: t.clock, logger: silentLogger, senders: [channel.sender] });
});
afterEach(async () => {
  await t.close();
  await fake.close();
});

/** What the bot's loops would do next: take the updates in, handle them, send what is due (waiting out the per-chat pace on the fake clock). */
async function tick(): Promise<void> {
  await polling.pollOnce();
  while ((await inbox.runOnce()) > 0) { /* handle everything stored */ }
  for (;;) {
    while ((await dispatcher.runOnce()) > 0) { /* send what is due */ }
    const next = await dispatcher.nextClaimableAt();
    if (!next || next.getTime() > t.clock.now().getTime() + 5_000) break;
    if (next > t.clock.now()) t.clock.set(next);
  }
}
async function say(text: string, chat = CUSTOMER): Promise<SentMessage[]> {
  const before = fake.sentTo(chat).length;
  fake.queueText(chat, text);
  await tick();
  return fake.sentTo(chat).slice(before);
}
async function tap(message: SentMessage, data: string, chat = CUSTOMER): Promise<SentMessage[]> {
  const before = fake.sentTo(chat).length;
  fake.queueTap(chat, message, data);
  await tick();
  return fake.sentTo(chat).slice(before);
}
const last = (messages: SentMessage[]) => messages.at(-1)?.text ?? '';

async function register(): Promise<void> {
  const welcome = await say('/start showroom');
  expect(welcome.map((m) => m.text).join('\n')).toContain('个人信息告知');
  for (const answer of ['1', '张伟', '138 1234 5678', '3', '1', '1']) await say(answer);
}

describe('Telegram: a customer', () => {
  it('registers from /start showroom to the voucher, and nothing is handled twice', async () => {
    await register();
    const done = await say('2');
    const voucher = await t.ctx.db.voucher.findFirstOrThrow({ include: { customer: { include: { identities: true } } } });
    expect(last(done)).toContain(`${voucher.code.slice(0, 4)}-${voucher.code.slice(4)}`);
    expect(voucher.customer.identities).toMatchObject([{ channel: 'TELEGRAM', externalId: String(CUSTOMER) }]);
    expect(await t.ctx.db.inboundUpdate.count({ where: { handledAt: null } })).toBe(0);
    expect(fake.pendingUpdates).toBe(1); // stored, and confirmed to Telegram by the next getUpdates only
    await polling.pollOnce();
    expect(fake.pendingUpdates).toBe(0);
    expect(await t.ctx.db.inboundUpdate.count()).toBe(8);
    expect(fake.violations).toEqual([]);
    const keys = (await t.ctx.db.messageIntent.findMany({ where: { purpose: 'REPLY' } })).map((i) => i.dedupeKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('answers a survey with a button (the keyboard is removed, the tap answered) and with text', async () => {
    await register();
    await say('2');
    t.clock.set('2026-11-23T02:00:00Z');
    const before = fake.sentTo(CUSTOMER).length;
    await surveyFollowUpJob(t.ctx.db, t.clock, silentLogger, { id: t.setup.storeId, timeZone: 'Asia/Shanghai' }).run(t.clock.now());
    await tick();
    const question = fake.sentTo(CUSTOMER).slice(before).find((m) => m.text.includes('满意度'));
    expect(question?.reply_markup).toMatchObject({ inline_keyboard: [expect.arrayContaining([{ text: '1', callback_data: '1' }]), expect.any(Array)] });
    const consent = fake.sentTo(CUSTOMER).find((m) => m.reply_markup && m.text.includes('个人信息告知')) as SentMessage;
    expect(await tap(consent, '1')).toEqual([]); // an old keyboard: its "1" is not a score
    expect(fake.callbackNotices).toEqual(['这个按钮已过期，请按最新一条消息回复。']);
    expect((await t.ctx.db.survey.findFirstOrThrow()).score).toBeNull();
    const afterTap = await tap(question as SentMessage, '5');
    expect(fake.answeredCallbacks).toHaveLength(2);
    expect(fake.callbackNotices).toHaveLength(1);
    expect(fake.keyboardsRemoved).toEqual([{ chatId: String(CUSTOMER), messageId: consent.message_id }, { chatId: String(CUSTOMER), messageId: question?.message_id }]);
    expect(last(afterTap)).toContain('哪个环节');
    expect(last(await say('1'))).toContain('具体情况');
    expect(last(await say('等了二十分钟才有人接待'))).toContain('门店经理');
    expect(await t.ctx.db.survey.findFirstOrThrow()).toMatchObject({ score: 5, factor: 'reception_wait', comment: '等了二十分钟才有人接待' });
  });

  it('a plain /start in a single-store install starts that store\'s registration', async () => {
    expect((await say('/start')).map((m) => m.text).join('\n')).toContain('个人信息告知');
  });

  it('is asked for text when sending a sticker', async () => {
    fake.queue({ message: { message_id: 9, from: { id: CUSTOMER, is_bot: false, first_name: '王' }, chat: { id: CUSTOMER, type: 'private' }, date: 0, sticker: { file_id: 'x', file_unique_id: 'y', type: 'regular', width: 1, height: 1, is_animated: false, is_video: false } } });
    await tick();
    expect(last(fake.sentTo(CUSTOMER))).toContain('文字');
  });
});

describe('Telegram: proof of the number by the contact button (request_contact)', () => {
  async function contact(phone: string, contactUserId: number | null = CUSTOMER): Promise<SentMessage[]> {
    const before = fake.sentTo(CUSTOMER).length;
    fake.queueContact(CUSTOMER, phone, contactUserId);
    await tick();
    return fake.sentTo(CUSTOMER).slice(before);
  }
  async function upToThePhone(): Promise<SentMessage[]> {
    await say('/start showroom');
    await say('1');
    return say('张伟');
  }
  async function finish(): Promise<SentMessage[]> {
    for (const answer of ['3', '1', '1']) await say(answer);
    return say('2');
  }
  /** A customer who registered on the H5 form earlier: the number is known. */
  async function knownCustomer(): Promise<string> {
    const response = await t.app.inject({ method: 'POST', url: '/api/registrations', payload: { source: 'showroom', name: '张伟', phone: '13812345678', modelOfInterest: 'not_sure', heardFrom: 'walk_in', serviceConsent: true } });
    expect(response.statusCode).toBe(201);
    return (await t.ctx.db.customer.findFirstOrThrow({ where: { phone: '+8613812345678' } })).id;
  }

  it('offers a one-time button that shares the customer\'s own number, and links the chat with that proof', async () => {
    const asked = await upToThePhone();
    expect(asked.at(-1)?.reply_markup).toMatchObject({ keyboard: [[{ text: '📱 发送本机号码', request_contact: true }]], one_time_keyboard: true });
    const next = await contact('8613812345678');
    expect(last(next)).toContain('车型');
    await finish();
    const identity = await t.ctx.db.channelIdentity.findFirstOrThrow({ where: { channel: 'TELEGRAM', externalId: String(CUSTOMER) }, include: { customer: true } });
    expect(identity).toMatchObject({ proof: 'telegram_contact', customer: { phone: '+8613812345678' } });
    expect(fake.violations).toEqual([]);
  });

  it('lets a known customer link this chat by their own contact, and gives back their voucher', async () => {
    const customerId = await knownCustomer();
    await upToThePhone();
    await contact('8613812345678');
    const done = await finish();
    const voucher = await t.ctx.db.voucher.findFirstOrThrow({ where: { customerId } });
    expect(last(done)).toContain(`${voucher.code.slice(0, 4)}-${voucher.code.slice(4)}`);
    expect(await t.ctx.db.channelIdentity.findFirstOrThrow({ where: { channel: 'TELEGRAM' } })).toMatchObject({ customerId, proof: 'telegram_contact' });
  });

  it('takes someone else\'s contact, or a typed number, as no proof: a known number is held for the desk and nothing is revealed', async () => {
    const customerId = await knownCustomer();
    const voucher = await t.ctx.db.voucher.findFirstOrThrow({ where: { customerId } });
    await upToThePhone();
    await contact('8613812345678', 5559999); // a contact from the address book, not the sender's account
    const done = await finish();
    expect(done.map((m) => m.text).join('\n')).not.toContain(voucher.code.slice(4));
    expect(await t.ctx.db.channelIdentity.count({ where: { channel: 'TELEGRAM', customerId } })).toBe(0);
    expect(await t.ctx.db.pendingRegistration.count({ where: { phone: '+8613812345678' } })).toBe(1);
  });
});

describe('Telegram: a customer who writes again while the replies are still paced (liveness)', () => {
  /** The loops as they run, up to `untilMs` on the fake clock: intake, handling, and sends at their turns. */
  async function runUntil(untilMs: number): Promise<void> {
    for (;;) {
      await polling.pollOnce();
      while ((await inbox.runOnce()) > 0) { /* handle everything stored */ }
      while ((await dispatcher.runOnce()) > 0) { /* send what is due */ }
      const next = await dispatcher.nextClaimableAt();
      if (!next || next.getTime() > untilMs) break;
      if (next > t.clock.now()) t.clock.set(next);
    }
    t.clock.set(new Date(Math.max(untilMs, t.clock.now().getTime())));
  }

  it('answers /start, a typed "好的" and a tap on the notice: every reply arrives, in order, each within its pacing', async () => {
    const start = t.clock.now().getTime();
    fake.queueText(CUSTOMER, '/start showroom');
    await runUntil(start + 500);
    const first = fake.sentTo(CUSTOMER);
    expect(first).toHaveLength(1); // the welcome; the notice with its buttons waits for its turn (1 s per chat)
    fake.queueText(CUSTOMER, '好的'); // typed while the notice is still paced
    await runUntil(start + 1_200);
    const notice = fake.sentTo(CUSTOMER).find((m) => m.reply_markup && m.text.includes('个人信息告知')) as SentMessage;
    expect(notice).toBeDefined();
    fake.queueTap(CUSTOMER, notice, '1'); // "同意并继续" while the answer to "好的" is still paced
    await runUntil(start + 30_000);

    const sent = fake.sentTo(CUSTOMER);
    const replies = await t.ctx.db.messageIntent.findMany({ where: { purpose: 'REPLY', address: String(CUSTOMER) }, orderBy: [{ sendAt: 'asc' }, { enqueueSeq: 'asc' }] });
    expect(replies.every((r) => r.state === 'SENT')).toBe(true);
    // In order: what the chat received is the replies in the order they became due (update by update).
    expect(sent.map((m) => m.text)).toEqual(replies.map((r) => (JSON.parse(r.payload) as { text: string }).text));
    expect(sent.at(-1)?.text).toContain('姓名'); // consent given: the registration asks for the name
    // Within the pacing: the n-th message to the chat goes at most n seconds after the first.
    sent.forEach((message, n) => expect(message.at - start).toBeLessThanOrEqual(n * 1_000 + 100));
    expect(fake.violations).toEqual([]);
  });
});

describe('Telegram: staff', () => {
  it('a staff member links by a one-time invitation and logs a follow-up', async () => {
    await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '李顾问', role: 'CONSULTANT' } });
    await register();
    await say('2');
    const consultant = await t.ctx.db.lead.findFirstOrThrow().then((lead) => t.ctx.db.staff.findUniqueOrThrow({ where: { id: lead.ownerStaffId ?? '' } }));
    const admin = { staffId: t.setup.adminStaffId, storeId: t.setup.storeId, role: 'ADMIN' as const };
    const { token } = await createStaffInvitation(t.ctx.db, t.clock, admin, { staffId: consultant.id, channel: 'TELEGRAM' });
    expect(last(await say(`/start staff_${token}`, STAFF_CHAT))).toContain(`${consultant.name}，您好`);
    expect(await t.ctx.db.staffChannelLink.findFirstOrThrow({ where: { channel: 'TELEGRAM' } })).toMatchObject({ staffId: consultant.id, externalId: String(STAFF_CHAT) });
    expect(last(await say(`/start staff_${token}`, 5550003))).toContain('已经使用过');

    expect(last(await say('今日', STAFF_CHAT))).toContain('张伟');
    expect(last(await say('跟进 1 电话 A 约周六来店试驾', STAFF_CHAT))).toContain('已记录张伟');
    expect(await t.ctx.db.followUp.findFirstOrThrow()).toMatchObject({ staffId: consultant.id, way: 'call', gradeAfter: 'A' });
  });

  it('runs a staff command exactly once: a failure before the reply is queued undoes it, a replay does nothing', async () => {
    const consultant = await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '李顾问', role: 'CONSULTANT' } });
    await register();
    await say('2');
    await t.ctx.db.staffChannelLink.create({ data: { staffId: consultant.id, channel: 'TELEGRAM', externalId: String(STAFF_CHAT), linkedAt: t.clock.now(), lastSeenAt: t.clock.now() } });
    fake.queueText(STAFF_CHAT, '订单 13812345678 城市SUV 2026-12-20 14:00');
    await polling.pollOnce();
    const row = await t.ctx.db.inboundUpdate.findFirstOrThrow({ where: { chatId: String(STAFF_CHAT) } });
    const handle = inboxHandler(t.ctx.inbound, [channel.inbox]);
    const stopFailing = await failInserts(t.ctx.db, 'MessageIntent', 'reply');
    await expect(handle(row)).rejects.toThrow(/disk full/);
    expect(await t.ctx.db.order.count()).toBe(0);
    await stopFailing();
    await handle(row);
    await handle(row);
    expect(await t.ctx.db.order.count()).toBe(1);
    expect(await t.ctx.db.messageIntent.count({ where: { kind: 'reply', staffId: consultant.id } })).toBe(1);
  });
});
