// A customer's data requests and the undoing of an opt-out, in chat, through the inbound pipeline
// every channel feeds: only a proven chat hears about the customer; anyone else is sent to the desk.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consentsInForce } from '../../../core/consent/consent-status.ts';
import { PRIVACY_NOTICE_VERSION } from '../../../core/consent/privacy-notice.ts';
import { ERASURE_CONFIRM_MS } from '../../../core/inbound/privacy-steps.ts';
import { confirmPendingRegistration } from '../../../core/registration/desk-confirmation.ts';
import { registerCustomer } from '../../../core/registration/register-customer.ts';
import { parseRegistrationRequest } from '../../../core/registration/registration-request.ts';
import { say, seedPerson, type SeededPerson } from '../../helpers/personal-data.ts';
import { createTestCore, type TestCore } from '../../helpers/test-core.ts';

let t: TestCore;
let person: SeededPerson;
beforeEach(async () => {
  t = await createTestCore();
  person = await seedPerson(t, { name: '犇淼', phone: '13812345678', tag: 'p' });
});
afterEach(async () => {
  await t.close();
});

const textOf = (outcome: { replies: { text: string }[] }) => outcome.replies.map((r) => r.text).join('\n');
const tg = (chatId: string) => ({ channel: 'TELEGRAM' as const, chatId });

/** A chat linked to a new number on the sender's word (no proof): it registered, but proves nothing. */
async function unprovenChat(): Promise<{ chatId: string; customerId: string }> {
  const request = parseRegistrationRequest({ source: 'showroom', name: '王五', phone: '13700007777', modelOfInterest: 'not_sure', heardFrom: 'walk_in', serviceConsent: true });
  const result = await registerCustomer(t.ctx.db, t.clock, request, { channel: 'TELEGRAM', chatId: 'typed', surface: 'telegram-chat', locale: 'zh-CN' });
  return { chatId: 'typed', customerId: result.customerId as string };
}

describe('data requests in chat', () => {
  it('sends an unknown chat and a chat linked on its word to the desk, in the same words, revealing and recording nothing', async () => {
    const { chatId, customerId } = await unprovenChat();
    const unknown = await say(t, tg('stranger'), '查询我的信息');
    const unproven = await say(t, tg(chatId), '查询我的信息');
    expect(unknown.handledBy).toBe('data request');
    expect(textOf(unknown)).toContain('请携带本人手机到门店前台办理');
    expect(textOf(unknown)).toContain('400-000-0000');
    expect(textOf(unproven)).toBe(textOf(unknown));
    expect(textOf(await say(t, tg(chatId), '删除我的信息'))).toBe(textOf(unknown));
    expect(textOf(await say(t, tg(chatId), '确认删除'))).toBe(textOf(unknown));
    expect(textOf(unproven)).not.toContain('王五');
    expect(await t.ctx.db.dataRequest.count()).toBe(0);
    expect(await t.ctx.db.customer.findUniqueOrThrow({ where: { id: customerId } })).toMatchObject({ name: '王五', erasedAt: null });
  });

  it('answers a proven chat with a short summary and records one access request for the desk to hand over the file', async () => {
    const first = await say(t, person.chat, '你好，查询我的信息');
    expect(first.handledBy).toBe('data request');
    const summary = textOf(first);
    expect(summary).toContain('姓名：犇淼；手机：138****5678；生日：1990-05-17');
    expect(summary).toContain('到店登记 1 次，订单 1 个');
    expect(summary).toContain('服务消息：同意；营销消息：同意');
    const request = await t.ctx.db.dataRequest.findFirstOrThrow();
    expect(request).toMatchObject({ customerId: person.customerId, kind: 'access', via: 'chat', completedAt: null });
    expect(summary).toContain(`DR-${request.id.slice(-6).toUpperCase()}`);
    await say(t, person.chat, '我的信息');
    expect(await t.ctx.db.dataRequest.count()).toBe(1);
    expect(await t.ctx.db.auditEntry.count({ where: { action: 'privacy.requested', entityId: request.id } })).toBe(1);
  });

  it('erases in English after a confirmation, at once, and answers the chat it came from', async () => {
    expect(textOf(await say(t, person.chat, 'my data', 'en'))).toContain('The data we hold about you');
    expect(textOf(await say(t, person.chat, 'Please delete my data', 'en'))).toContain('reply "confirm delete" within 10 minutes');
    expect(await t.ctx.db.customer.count({ where: { erasedAt: { not: null } } })).toBe(0);
    t.clock.advance(ERASURE_CONFIRM_MS);
    const done = await say(t, person.chat, 'Confirm delete.', 'en');
    expect(textOf(done)).toContain('Your personal data have been deleted');
    const customer = await t.ctx.db.customer.findUniqueOrThrow({ where: { id: person.customerId } });
    expect(customer.erasedAt).not.toBeNull();
    expect(customer.name).toBe('');
    const requests = await t.ctx.db.dataRequest.findMany({ orderBy: { createdAt: 'asc' } });
    expect(requests.map((r) => [r.kind, r.via, r.completedAt !== null])).toEqual([['access', 'chat', true], ['erasure', 'chat', true]]);
    const audit = await t.ctx.db.auditEntry.findFirstOrThrow({ where: { action: 'customer.erased' } });
    expect(JSON.parse(audit.details)).toEqual({ reason: 'request', requestId: requests[1]!.id });
    expect(await t.ctx.db.conversation.count({ where: { externalId: person.chat.chatId } })).toBe(0);
    // The confirmation goes to the chat that asked; nothing else of theirs waits.
    const waiting = await t.ctx.db.messageIntent.findMany({ where: { state: 'PENDING', OR: [{ customerId: person.customerId }, { address: person.chat.chatId }] } });
    expect(waiting.map((i) => [i.purpose, i.address])).toEqual([['REPLY', person.chat.chatId]]);
    // Now the chat is a stranger's: it hears only the desk's words.
    expect(textOf(await say(t, person.chat, '查询我的信息'))).toContain('请携带本人手机到门店前台办理');
  });

  it('does not erase on a confirmation that was not asked for, or came too late', async () => {
    expect(textOf(await say(t, person.chat, '确认删除'))).toContain('没有待确认的删除请求');
    await say(t, person.chat, '删除我的信息');
    t.clock.advance(ERASURE_CONFIRM_MS + 1);
    expect(textOf(await say(t, person.chat, '确认删除'))).toContain('没有待确认的删除请求');
    expect(await t.ctx.db.customer.count({ where: { erasedAt: { not: null } } })).toBe(0);
    expect(await t.ctx.db.dataRequest.count()).toBe(0);
  });

  it('answers a chat the front desk confirmed in person (its proof is recorded on the identity)', async () => {
    const request = parseRegistrationRequest({ source: 'showroom', name: '犇淼', phone: '13812345678', modelOfInterest: 'not_sure', heardFrom: 'walk_in', serviceConsent: true });
    await registerCustomer(t.ctx.db, t.clock, request, { channel: 'WEB', chatId: 'new-phone', surface: 'web-chat', locale: 'zh-CN' });
    const web = { channel: 'WEB' as const, chatId: 'new-phone' };
    expect(textOf(await say(t, web, '查询我的信息'))).toContain('请携带本人手机到门店前台办理');
    const pending = await t.ctx.db.pendingRegistration.findFirstOrThrow({ where: { chatId: 'new-phone' } });
    await confirmPendingRegistration(t.ctx.db, t.clock, { storeId: t.setup.storeId, pendingId: pending.id, staffId: t.setup.adminStaffId });
    expect(await t.ctx.db.channelIdentity.findUniqueOrThrow({ where: { channel_externalId: { channel: 'WEB', externalId: 'new-phone' } } })).toMatchObject({ customerId: person.customerId, proof: 'front_desk' });
    expect(textOf(await say(t, web, '查询我的信息'))).toContain('姓名：犇淼');
  });

  it('drops the proof when a proven chat registers another, new number on its word', async () => {
    const request = parseRegistrationRequest({ source: 'showroom', name: '别人', phone: '13700001234', modelOfInterest: 'not_sure', heardFrom: 'walk_in', serviceConsent: true });
    await registerCustomer(t.ctx.db, t.clock, request, { ...person.chat, surface: 'telegram-chat', locale: 'zh-CN' });
    expect(await t.ctx.db.channelIdentity.findUniqueOrThrow({ where: { channel_externalId: { channel: 'TELEGRAM', externalId: person.chat.chatId } } })).toMatchObject({ proof: null });
    expect(textOf(await say(t, person.chat, '查询我的信息'))).toContain('请携带本人手机到门店前台办理');
  });

  it('takes a data request mid-registration as the request, not as an answer', async () => {
    await say(t, tg('new'), '/start showroom');
    const reply = await say(t, tg('new'), '删除我的信息');
    expect(reply.handledBy).toBe('data request');
    expect(await t.ctx.db.customer.count({ where: { name: '删除我的信息' } })).toBe(0);
  });
});

describe('"重新开始" after an opt-out', () => {
  it('keeps the promise: records a new service consent under the current notice and shows the notice', async () => {
    expect((await say(t, person.chat, 'TD')).handledBy).toBe('opt-out');
    expect((await consentsInForce(t.ctx.db, [person.customerId])).get(`${person.customerId}:SERVICE`)).toBe(false);
    t.clock.advance(60_000);
    const resumed = await say(t, person.chat, '重新开始');
    expect(resumed.handledBy).toBe('resume care');
    expect(textOf(resumed)).toContain('欢迎回来');
    expect(textOf(resumed)).toContain('【个人信息告知】');
    const inForce = await consentsInForce(t.ctx.db, [person.customerId]);
    expect(inForce.get(`${person.customerId}:SERVICE`)).toBe(true);
    expect(inForce.get(`${person.customerId}:MARKETING`)).toBe(false); // a separate choice, not implied
    const latest = await t.ctx.db.consentRecord.findFirstOrThrow({ where: { customerId: person.customerId }, orderBy: { recordedAt: 'desc' } });
    expect(latest).toMatchObject({ purpose: 'SERVICE', granted: true, noticeVersion: PRIVACY_NOTICE_VERSION, source: 'telegram-chat:restart' });
    // Opting out again is confirmed again.
    t.clock.advance(60_000);
    expect(textOf(await say(t, person.chat, 'TD'))).toContain('已为您退订');
  });

  it('works in English, and is a plain restart for a chat that did not opt out', async () => {
    await say(t, person.chat, 'stop', 'en');
    t.clock.advance(60_000);
    expect(textOf(await say(t, person.chat, 'restart', 'en'))).toContain('Welcome back');
    expect((await say(t, person.chat, '重新开始')).handledBy).toBe('control word');
  });
});
