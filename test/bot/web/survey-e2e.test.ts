import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebChatSender } from '../../../bot/channels/web/web-chat-sender.ts';
import { WebChatPresence } from '../../../bot/channels/web/web-chat-presence.ts';
import { silentLogger } from '../../../core/logger.ts';
import type { OutboundMessage } from '../../../core/messages.ts';
import { Dispatcher } from '../../../core/outbox/dispatcher.ts';
import { sqlOutboxStore } from '../../../core/outbox/sql-outbox-store.ts';
import { surveyFollowUpJob } from '../../../core/surveys/survey-follow-up-job.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

// The visit is registered at 2026-11-22 10:00 Shanghai (02:00Z); the survey is due 2026-11-23 10:00.
const SURVEY_AT = '2026-11-23T02:00:00Z';
let t: TestApp;
let dispatcher: Dispatcher;
let managerId: string;

beforeEach(async () => {
  t = await createTestApp();
  dispatcher = new Dispatcher({ store: sqlOutboxStore(t.ctx.db), clock: t.clock, logger: silentLogger, senders: [new WebChatSender(t.ctx.db, t.clock, new WebChatPresence(t.clock))] });
  managerId = (await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '赵经理', role: 'MANAGER' } })).id;
});
afterEach(async () => {
  await t.close();
});

/** A customer who registered by web chat; `say` answers in that chat, `pushed` reads what the outbox delivered. */
async function registeredCustomer(phone = '13812345678') {
  const start = await t.app.inject({ method: 'POST', url: '/api/chat/start', payload: { source: 'showroom' } });
  const sc_chat = start.cookies.find((c) => c.name === 'sc_chat')?.value ?? '';
  const say = async (text: string) =>
    (await t.app.inject({ method: 'POST', url: '/api/chat/messages', payload: { text }, cookies: { sc_chat } })).json<{ replies: OutboundMessage[] }>().replies;
  for (const answer of ['1', '张伟', phone, '1', '1', '0', '2']) await say(answer);
  const pushed = async () =>
    (await t.app.inject({ method: 'GET', url: '/api/chat/messages?after=0', cookies: { sc_chat } })).json<{ messages: { message: OutboundMessage }[] }>().messages.map((m) => m.message);
  return { say, pushed, sc_chat };
}

/**
 * Time passes: the dispatcher runs as its loop would (a message held a few seconds behind
 * another one to the same chat goes on the next ticks), then the follow-up job.
 */
async function at(instant: string | number): Promise<void> {
  if (typeof instant === 'number') t.clock.advance(instant);
  else t.clock.set(instant);
  const until = t.clock.now().getTime() + 5_000;
  for (;;) {
    while ((await dispatcher.runOnce()) > 0) { /* drain what is due */ }
    const next = await dispatcher.nextClaimableAt();
    if (!next || next.getTime() > until) break;
    if (next > t.clock.now()) t.clock.set(next);
  }
  await surveyFollowUpJob(t.ctx.db, t.clock, silentLogger, { id: t.setup.storeId, timeZone: 'Asia/Shanghai' }).run(t.clock.now());
}
const MIN = 60_000;
const survey = () => t.ctx.db.survey.findFirstOrThrow();
const lastText = (replies: OutboundMessage[]) => replies.at(-1)?.text ?? '';

describe('visit survey on the web channel', () => {
  it('goes out the next morning at 10:00 with 1–10 buttons, reminds once, and expires after 48 h', async () => {
    const c = await registeredCustomer();
    await at('2026-11-23T01:59:00Z');
    expect((await c.pushed()).some((m) => m.text.includes('满意度'))).toBe(false);
    await at(SURVEY_AT);
    const question = (await c.pushed()).find((m) => m.text.includes('满意度'));
    expect(question).toMatchObject({ choices: expect.arrayContaining([{ label: '10', value: '10' }]) });
    expect(await survey()).toMatchObject({ state: 'SENT', sentAt: new Date(SURVEY_AT) });
    await at('2026-11-23T08:00:00Z'); // 6 h later: the reminder
    expect((await c.pushed()).filter((m) => m.text.includes('打个分'))).toHaveLength(1);
    await at('2026-11-25T02:00:00Z');
    expect((await survey()).state).toBe('EXPIRED');
    expect(lastText(await c.say('9'))).not.toContain('感谢您的评价');
  });

  it('a 9 completes it with thanks, cancels the reminder, and opens no ticket', async () => {
    const c = await registeredCustomer();
    await at(SURVEY_AT);
    expect(lastText(await c.say('9分'))).toContain('非常感谢');
    await at(20 * MIN);
    await at('2026-11-23T08:00:00Z');
    expect((await c.pushed()).filter((m) => m.text.includes('打个分'))).toHaveLength(0);
    expect(await survey()).toMatchObject({ state: 'COMPLETED', score: 9 });
    expect(await t.ctx.db.ticket.count()).toBe(0);
  });

  it('a 5 with a factor and a comment opens a recall ticket and alerts the manager', async () => {
    const c = await registeredCustomer();
    await at(SURVEY_AT);
    expect(lastText(await c.say('5'))).toContain('哪个环节');
    expect(lastText(await c.say('1'))).toContain('具体情况');
    expect(lastText(await c.say('等了二十分钟才有人接待'))).toContain('门店经理');
    expect(await t.ctx.db.ticket.count()).toBe(0); // not before the correction grace period
    await at(10 * MIN);
    const ticket = await t.ctx.db.ticket.findFirstOrThrow();
    expect(ticket).toMatchObject({ type: 'RECALL', score: 5, factor: 'reception_wait', status: 'OPEN' });
    expect(ticket.dueAt.getTime() - ticket.createdAt.getTime()).toBe(48 * 3600_000);
    const alert = await t.ctx.db.messageIntent.findFirstOrThrow({ where: { staffId: managerId, kind: 'ticket_opened' } });
    expect(JSON.parse(alert.payload).text).toContain('等了二十分钟才有人接待');
  });

  it('a correction from 6 to 9 within the grace period opens no ticket', async () => {
    const c = await registeredCustomer();
    await at(SURVEY_AT);
    await c.say('6');
    expect(lastText(await c.say('不对，应该是9分'))).toContain('非常感谢');
    await at(15 * MIN);
    expect(await survey()).toMatchObject({ score: 9, state: 'COMPLETED' });
    expect(await t.ctx.db.ticket.count()).toBe(0);
  });

  it('re-asks an unclear reply with the hint, then takes a valid one', async () => {
    const c = await registeredCustomer();
    await at(SURVEY_AT);
    expect(lastText(await c.say('还可以吧'))).toBe('请回复 1 到 10 之间的数字，例如 9。');
    expect(lastText(await c.say('十分'))).toContain('非常感谢');
    expect((await survey()).score).toBe(10);
  });

  it('an opt-out in the middle stops the survey and everything else, and is confirmed once', async () => {
    const c = await registeredCustomer();
    await at(SURVEY_AT);
    expect(lastText(await c.say('退订'))).toContain('已为您退订');
    expect((await survey()).state).toBe('DECLINED');
    await at('2026-11-23T08:00:00Z');
    expect((await c.pushed()).filter((m) => m.text.includes('打个分'))).toHaveLength(0);
    expect(await t.ctx.db.ticket.count()).toBe(0);
  });

  it('leaving only the survey is acknowledged and nothing else stops', async () => {
    const c = await registeredCustomer();
    await at(SURVEY_AT);
    expect(lastText(await c.say('不想做问卷'))).toContain('不再打扰');
    expect((await survey()).state).toBe('DECLINED');
  });

  it('surveys a customer only once within the repeat window', async () => {
    const { sc_chat } = await registeredCustomer();
    await t.ctx.db.campaign.create({ data: { storeId: t.setup.storeId, name: '第二个活动', startsAt: t.clock.now(), gifts: { create: { name: '雨伞', totalStock: 5, stockLeft: 5 } } } })
      .then((campaign) => t.ctx.db.qrSource.create({ data: { code: 'second', label: 'x', channel: 'WEB', storeId: t.setup.storeId, campaignId: campaign.id } }));
    t.clock.advance(24 * 3600_000);
    // From the same browser: its chat is already this customer's, which proves the number.
    const again = await t.app.inject({ method: 'POST', url: '/api/registrations', cookies: { sc_chat }, payload: { source: 'second', name: '张伟', phone: '13812345678', modelOfInterest: 'not_sure', heardFrom: 'walk_in', serviceConsent: true } });
    expect(again.statusCode).toBe(201);
    expect(await t.ctx.db.visit.count()).toBe(2);
    expect(await t.ctx.db.survey.count()).toBe(1);
  });
});

describe('complaints on the web channel', () => {
  it('opens a complaint ticket, acknowledges it with the reference and alerts customer relations', async () => {
    const desk = await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '客服小李', role: 'FRONT_DESK' } });
    const c = await registeredCustomer();
    const reply = lastText(await c.say('我要投诉，销售态度太差了'));
    const ticket = await t.ctx.db.ticket.findFirstOrThrow();
    expect(ticket).toMatchObject({ type: 'COMPLAINT', description: '我要投诉，销售态度太差了' });
    expect(reply).toContain(ticket.reference);
    expect(await t.ctx.db.messageIntent.count({ where: { staffId: desk.id, kind: 'ticket_opened' } })).toBe(1);
  });
});
