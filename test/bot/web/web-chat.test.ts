import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../../core/messages.ts';
import { openWebChat } from '../../helpers/web-chat.ts';
import { createTestApp, registrationCounts, type TestApp } from '../../helpers/test-app.ts';
import { failInserts } from '../../helpers/failing-inserts.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const openChat = (source = 'showroom', lang?: string) => openWebChat(t.app, source, lang);

const lastText = (replies: OutboundMessage[]) => replies.at(-1)?.text ?? '';
const answers = ['1', '张伟', '138 1234 5678', '3', '1', '1', '2'];

describe('web chat registration', () => {
  it('registers by conversation and ends with the voucher, writing exactly one of everything', async () => {
    const chat = await openChat();
    expect(chat.start.statusCode).toBe(200);
    expect(chat.start.json().replies[1].text).toContain('个人信息告知');
    let replies: OutboundMessage[] = [];
    for (const answer of answers) replies = await chat.say(answer);
    const voucher = replies[0];
    expect(voucher?.kind).toBe('voucher');
    const stored = await t.ctx.db.voucher.findFirstOrThrow();
    expect(voucher?.kind === 'voucher' && voucher.voucherCode).toBe(stored.code);
    expect(await registrationCounts(t.ctx.db)).toEqual({ customers: 1, identities: 1, visits: 1, registrations: 1, vouchers: 1, consents: 2, intents: 1, surveys: 1 });
    const intent = await t.ctx.db.messageIntent.findFirstOrThrow({ where: { kind: 'visit_thanks' } });
    expect(intent).toMatchObject({ channel: 'WEB', address: chat.id, kind: 'visit_thanks' });
    expect((await t.ctx.db.consentRecord.findFirstOrThrow()).source).toBe('web-chat:showroom');
  });

  it('gives the same voucher again to the chat that registered (its own form included), creating nothing new; another chat gets nothing of it', async () => {
    const first = await openChat();
    let replies: OutboundMessage[] = [];
    for (const answer of answers) replies = await first.say(answer);
    const code = replies[0]?.kind === 'voucher' ? replies[0].voucherCode : '';
    const counts = await registrationCounts(t.ctx.db);

    // The same browser (its chat cookie is already this customer's): the voucher again.
    const form = await t.app.inject({ method: 'POST', url: '/api/registrations', cookies: { sc_chat: first.id }, payload: { source: 'showroom', name: '张伟', phone: '008613812345678', modelOfInterest: 'not_sure', heardFrom: 'online', serviceConsent: true, marketingConsent: false } });
    expect(form.statusCode).toBe(200);
    expect(form.json().voucherCode).toBe(code);

    // Another chat with the same number: no voucher, nothing revealed, held for the desk.
    const second = await openChat();
    for (const answer of ['1', '张先生', '+86 138-1234-5678', '1', '2', '0', '1']) replies = await second.say(answer);
    expect(replies[0]?.kind).toBe('text');
    expect(replies[0]?.text).toMatch(/前台/);
    expect(JSON.stringify(replies)).not.toMatch(new RegExp(`${code.slice(0, 4)}|已经登记过`));
    expect(await registrationCounts(t.ctx.db)).toEqual(counts);
  });

  it('re-asks a wrong answer with a hint and keeps the step', async () => {
    const chat = await openChat();
    await chat.say('1');
    await chat.say('张伟');
    expect(lastText(await chat.say('12345'))).toContain('11 位手机号');
    expect(lastText(await chat.say('13812345678'))).toContain('车型');
  });

  it('cancels at any step and drops the answers; restart begins again', async () => {
    const chat = await openChat();
    await chat.say('1');
    await chat.say('张伟');
    expect(lastText(await chat.say('取消'))).toContain('已取消登记');
    const conversation = await t.ctx.db.conversation.findFirstOrThrow();
    expect(conversation.state).not.toContain('张伟');
    expect(lastText(await chat.say('anything'))).toContain('重新开始');
    const restarted = await chat.say('重新开始');
    expect(lastText(restarted)).toContain('个人信息告知');
    expect(lastText(await chat.say('1'))).toContain('怎么称呼');
    expect(lastText(await chat.say('cancel'))).toContain('已取消登记');
    expect(await t.ctx.db.customer.count()).toBe(0);
  });

  it('restart in the middle starts over from the notice', async () => {
    const chat = await openChat();
    await chat.say('1');
    await chat.say('张伟');
    expect(lastText(await chat.say('重新开始'))).toContain('个人信息告知');
    expect(lastText(await chat.say('1'))).toContain('怎么称呼');
  });

  it('resumes at the same step when the chat page is opened again', async () => {
    const chat = await openChat();
    await chat.say('1');
    await chat.say('张伟');
    const again = await t.app.inject({ method: 'POST', url: '/api/chat/start', payload: { source: 'showroom' }, cookies: { sc_chat: chat.id } });
    expect(lastText(again.json().replies)).toContain('手机号码');
  });

  it('honours an opt-out at any step, confirms once, and never takes it as an answer', async () => {
    const chat = await openChat();
    await chat.say('1');
    const replies = await chat.say('TD');
    expect(lastText(replies)).toContain('已为您退订');
    expect(await chat.say('退订')).toEqual([]);
    expect(await t.ctx.db.customer.count()).toBe(0);
  });

  it('cancels the pending thank-you and records the withdrawal when a registered customer opts out', async () => {
    const chat = await openChat();
    for (const answer of answers) await chat.say(answer);
    expect(lastText(await chat.say('别再发了'))).toContain('已为您退订');
    expect((await t.ctx.db.messageIntent.findFirstOrThrow({ where: { kind: 'visit_thanks' } })).state).toBe('CANCELLED');
    const withdrawn = await t.ctx.db.consentRecord.findMany({ where: { granted: false, source: 'web-chat' } });
    expect(withdrawn.map((c) => c.purpose).sort()).toEqual(['MARKETING', 'SERVICE']);
    expect(await chat.say('STOP')).toEqual([]);
  });

  it('keeps nothing half-written when the final step fails, and the answer can be sent again', async () => {
    const chat = await openChat();
    for (const answer of answers.slice(0, -1)) await chat.say(answer);
    const stopFailing = await failInserts(t.ctx.db, 'MessageIntent');
    const failed = await t.app.inject({ method: 'POST', url: '/api/chat/messages', payload: { text: '2' }, cookies: { sc_chat: chat.id } });
    expect(failed.statusCode).toBe(500);
    expect(await registrationCounts(t.ctx.db)).toEqual({ customers: 0, identities: 0, visits: 0, registrations: 0, vouchers: 0, consents: 0, intents: 0, surveys: 0 });
    await stopFailing();
    expect((await chat.say('2'))[0]?.kind).toBe('voucher');
    expect(await registrationCounts(t.ctx.db)).toMatchObject({ customers: 1, visits: 1, vouchers: 1, intents: 1 });
  });

  it('speaks English with lang=en', async () => {
    const chat = await openChat('showroom', 'en');
    expect(chat.start.json().replies[0].text).toContain('Welcome');
  });

  it('refuses bad requests with a specific message', async () => {
    const noSession = await t.app.inject({ method: 'POST', url: '/api/chat/messages', payload: { text: 'hi' } });
    expect(noSession.statusCode).toBe(400);
    expect(noSession.json().error).toMatch(/chat session/);
    const badSource = await t.app.inject({ method: 'POST', url: '/api/chat/start', payload: { source: '<script>' } });
    expect(badSource.statusCode).toBe(400);
    expect(badSource.json().fields.source).toMatch(/QR source code/);
    const chat = await openChat();
    const tooLong = await t.app.inject({ method: 'POST', url: '/api/chat/messages', payload: { text: 'x'.repeat(501) }, cookies: { sc_chat: chat.id } });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().fields.text).toMatch(/at most 500/);
    const empty = await t.app.inject({ method: 'POST', url: '/api/chat/messages', payload: { text: '  ' }, cookies: { sc_chat: chat.id } });
    expect(empty.json().fields.text).toMatch(/empty/);
  });

  it('tells a chat from an unknown QR code to scan the poster', async () => {
    const chat = await openChat('nosuchcode');
    expect(chat.start.json().replies[0].text).toContain('扫描门店海报');
  });
});
