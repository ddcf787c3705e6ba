// 微信客服 (kf) end to end on the fake WeCom server and a fake clock: entering a kf chat to the
// voucher (welcome within 20 s, once), a survey answered by menu and by text, the 48 h / 5 message
// window handing messages to the consultant, and a restart in the middle of sync_msg paging.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWecomKf, type WecomKf } from '../../../bot/channels/wecom/kf/create-wecom-kf.ts';
import type { KfSyncPoint } from '../../../bot/channels/wecom/kf/kf-sync.ts';
import { WecomApiClient } from '../../../bot/channels/wecom/wecom-api-client.ts';
import { inboxHandler } from '../../../core/inbound/inbox-adapter.ts';
import { InboxWorker } from '../../../core/inbox/inbox-worker.ts';
import { silentLogger } from '../../../core/logger.ts';
import { Dispatcher } from '../../../core/outbox/dispatcher.ts';
import { sqlOutboxStore } from '../../../core/outbox/sql-outbox-store.ts';
import { surveyFollowUpJob } from '../../../core/surveys/survey-follow-up-job.ts';
import { FakeWecomServer } from '../../fakes/fake-wecom-server.ts';
import { queueText } from '../../helpers/intents.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

const CORP = 'ww1234567890abcdef';
const SECRET = 'kf-secret-for-tests-only';
const KF = 'wkKF0000000001';
const CUSTOMER = 'wmCUSTOMER0001';
const CHAT = `kf:${CUSTOMER}`;
const HOUR = 3_600_000;
const ANSWERS = ['张伟', '138 1234 5678', '3', '1', '1', '2'];

let t: TestApp;
let fake: FakeWecomServer;
let api: WecomApiClient;
let kf: WecomKf;
let crashAt: KfSyncPoint | null;

function build(pageSize?: number): WecomKf {
  return createWecomKf({
    api, db: t.ctx.db, clock: t.clock, logger: silentLogger, inbound: t.ctx.inbound, openKfId: KF, onStored: () => undefined,
    onSyncPoint: (point) => {
      if (point !== crashAt) return;
      crashAt = null;
      throw new Error(`crash at ${point}`);
    },
    ...(pageSize ? { syncPageSize: pageSize } : {}),
  });
}

/** The callback arrives: pull, handle what was stored, send what was queued. */
async function deliver(callback: { token: string }): Promise<void> {
  await kf.onKfEvent(callback.token, KF);
  await settle();
}

async function settle(): Promise<void> {
  const worker = new InboxWorker({ db: t.ctx.db, clock: t.clock, logger: silentLogger, handle: inboxHandler(t.ctx.inbound, [kf.inbox]), alertStoreId: t.setup.storeId });
  const dispatcher = new Dispatcher({ store: sqlOutboxStore(t.ctx.db), clock: t.clock, logger: silentLogger, senders: [kf.sender], random: () => 0.5 });
  while ((await worker.runOnce()) > 0 || (await dispatcher.runOnce()) > 0) { /* until both are idle */ }
}

const say = (text: string) => deliver(fake.kf.customerSays(KF, CUSTOMER, text));
const sentTexts = (from = 0) => fake.kf.sent.slice(from).map((m) => m.text).join('\n');

/** Enters the kf chat through the showroom's link and registers, the consent by a menu click. */
async function register(): Promise<void> {
  await kf.entryLink('showroom');
  await deliver(fake.kf.customerEnters(KF, CUSTOMER, 'showroom'));
  const welcome = fake.kf.sent[0];
  const agree = welcome?.menu?.find((item) => item.content.includes('同意') && !item.content.includes('不同意'));
  expect(agree).toBeDefined();
  await deliver(fake.kf.customerClicks(KF, CUSTOMER, agree?.id ?? '', agree?.content ?? ''));
  for (const answer of ANSWERS) await say(answer);
}

beforeEach(async () => {
  t = await createTestApp();
  fake = new FakeWecomServer({ corpId: CORP, secrets: [SECRET], now: () => t.clock.now().getTime() });
  api = new WecomApiClient({ corpId: CORP, secret: SECRET, apiBase: await fake.start(), clock: t.clock });
  fake.kf.addAccount(KF, '展厅客服');
  crashAt = null;
  kf = build();
});
afterEach(async () => {
  await fake.close();
  await t.close();
});

describe('微信客服: entering to the voucher', () => {
  it('welcomes once within 20 s with the notice as a menu, asks the questions and sends the voucher', async () => {
    const link = await kf.entryLink('showroom');
    expect(await kf.entryLink('showroom')).toBe(link);
    expect(fake.kf.links).toHaveLength(1);
    const entered = fake.kf.customerEnters(KF, CUSTOMER, 'showroom');
    await deliver(entered);
    await deliver(entered); // the same callback again
    expect(fake.kf.sent).toHaveLength(1);
    expect(fake.kf.sent[0]).toMatchObject({ onEvent: true, toUser: CUSTOMER });
    expect(fake.kf.sent[0]?.text).toContain('个人信息告知');
    await register();
    const voucher = await t.ctx.db.voucher.findFirstOrThrow();
    expect(sentTexts()).toContain(voucher.code);
    expect(sentTexts()).toContain('姓名');
    expect(fake.kf.sent.filter((m) => m.onEvent)).toHaveLength(2); // the second customerEnters in register() is another session
    expect(await t.ctx.db.channelIdentity.findFirstOrThrow()).toMatchObject({ channel: 'WECOM', externalId: CHAT });
    expect(fake.violations).toEqual([]);
  });
});

describe('微信客服: surveys, opt-out', () => {
  it('answers a survey by a menu click and by text', async () => {
    await register();
    t.clock.advance(24 * HOUR);
    const before = fake.kf.sent.length;
    await surveyFollowUpJob(t.ctx.db, t.clock, silentLogger, { id: t.setup.storeId, timeZone: 'Asia/Shanghai' }).run(t.clock.now());
    await settle();
    const question = fake.kf.sent.slice(before).find((m) => m.text.includes('满意度'));
    expect(question?.menu?.map((i) => i.id)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    await deliver(fake.kf.customerClicks(KF, CUSTOMER, '5', '5'));
    expect(sentTexts(before)).toContain('哪个环节');
    await say('1');
    await say('等了二十分钟才有人接待');
    expect(await t.ctx.db.survey.findFirstOrThrow()).toMatchObject({ score: 5, factor: 'reception_wait', comment: '等了二十分钟才有人接待' });
    await say('TD');
    expect(sentTexts(before)).toContain('已为您退订');
    expect(fake.violations).toEqual([]);
  });
});

describe('微信客服: the 48 h / 5 message window', () => {
  it('hands a 6th message within 48 h, and one after 48 h, to the consultant instead of sending it', async () => {
    await register();
    t.clock.advance(60_000);
    const from = fake.kf.sent.length;
    await say('谢谢');
    const customerId = (await t.ctx.db.customer.findFirstOrThrow()).id;
    const sentSince = () => fake.kf.sent.length - from;
    for (let n = 0; sentSince() + (await t.ctx.db.staffTask.count()) < 6; n += 1) {
      await queueText(t.ctx.db, t.setup.storeId, `window-${n}`, t.clock.now(), { customerId });
      await settle();
    }
    expect(sentSince()).toBe(5);
    expect(await t.ctx.db.staffTask.count()).toBe(1);
    t.clock.advance(49 * HOUR);
    await say('你好');
    t.clock.advance(49 * HOUR);
    await queueText(t.ctx.db, t.setup.storeId, 'late', t.clock.now(), { customerId });
    await settle();
    expect(await t.ctx.db.staffTask.count()).toBe(2);
    expect((await t.ctx.db.staffTask.findMany()).map((task) => task.text).join('\n')).toContain('late');
    expect(fake.violations).toEqual([]);
  });
});

describe('微信客服: a restart in the middle of sync_msg paging', () => {
  for (const point of ['page-stored', 'cursor-moved'] as const) {
    it(`reads every message once after a crash at ${point}`, async () => {
      kf = build(2);
      await register();
      const before = await t.ctx.db.inboundUpdate.count();
      let callback = fake.kf.customerSays(KF, CUSTOMER, '取消');
      for (const text of ['你好', '请问', '有优惠吗', '谢谢']) callback = fake.kf.customerSays(KF, CUSTOMER, text);
      crashAt = point;
      await expect(kf.onKfEvent(callback.token, KF)).rejects.toThrow('crash');
      kf = build(2); // the process started again
      await deliver(callback);
      const rows = await t.ctx.db.inboundUpdate.findMany({ where: { id: { gt: 0 } }, orderBy: { id: 'asc' }, skip: before });
      expect(rows.map((r) => (JSON.parse(r.payload) as { text: { content: string } }).text.content)).toEqual(['取消', '你好', '请问', '有优惠吗', '谢谢']);
      expect(rows.every((r) => r.handledAt !== null)).toBe(true);
      expect(fake.violations).toEqual([]);
    });
  }
});
