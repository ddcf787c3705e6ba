// SMS end to end, against the fake Alibaba Cloud provider on 127.0.0.1 (the official SDK pointed at
// it, signatures checked, per-number limits enforced): a customer who registered on the H5 form
// and closed the page gets the thank-you by SMS; answers the survey through the SMS's link (6,
// a factor, a comment → a recall ticket); replies "TD" → nothing more; a provider rejection shows
// on the outbox page with its code; the monthly budget holds at 100 %.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/logger.ts';
import { checkSmsBudget } from '../../../core/outbox/sms-budget.ts';
import { surveyFollowUpJob } from '../../../core/surveys/survey-follow-up-job.ts';
import { signIn } from '../../helpers/admin-session.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { openSms, SMS_TEST, type SmsTestbed } from '../../helpers/test-sms.ts';

const PHONE = '+8613812345678';
const THANKS_AT = '2026-11-22T04:00:00Z'; // two hours after the 10:00 visit
const SURVEY_AT = '2026-11-23T02:00:00Z'; // 10:00 the next day
let t: TestApp;
let sms: SmsTestbed;

beforeEach(async () => {
  t = await createTestApp();
  sms = await openSms(t);
  for (const kind of ['visit_thanks', 'visit_survey']) await sms.approve(kind);
});
afterEach(async () => {
  await sms.close();
  await t.close();
});

/** Registers on the H5 form (the page sets the web session cookie), then the page is closed; the session id. */
async function registerOnH5(phone = '13812345678', name = '张伟'): Promise<string> {
  const page = await sms.app.inject({ method: 'GET', url: '/r/showroom' });
  const sc_chat = page.cookies.find((c) => c.name === 'sc_chat')?.value ?? '';
  const response = await sms.app.inject({
    method: 'POST', url: '/api/registrations', cookies: { sc_chat },
    payload: { source: 'showroom', name, phone, modelOfInterest: '城市SUV', heardFrom: 'walk_in', companions: [], serviceConsent: true, marketingConsent: false },
  });
  expect(response.statusCode).toBe(201);
  return sc_chat;
}

const sentTo = (phone: string) => sms.fake.sentTo(phone).map((m) => m.text);
const adminPage = async (url: string) => (await sms.app.inject({ method: 'GET', url, cookies: { sc_staff: await signIn(t, t.setup.adminStaffId) } })).body;

describe('SMS end to end (Alibaba Cloud)', () => {
  it('thanks a customer who registered on the H5 form and closed the page by SMS, and the receipt marks it delivered', async () => {
    const session = await registerOnH5();
    await sms.at(THANKS_AT);
    expect(sentTo(PHONE)).toEqual(['【星河汽车】尊敬的张伟，感谢您今天光临示例门店，祝您用车愉快！'.replace('示例门店', (await t.ctx.db.store.findFirstOrThrow()).name)]);
    expect(await t.ctx.db.webChatMessage.count({ where: { chatId: session } })).toBe(0);
    const thanks = await t.ctx.db.messageIntent.findFirstOrThrow({ where: { kind: 'visit_thanks' } });
    expect(thanks).toMatchObject({ state: 'SENT', channel: 'SMS', address: PHONE, providerMessageId: expect.stringMatching(/\^0$/), deliveryStatus: null });
    const [sent] = sms.fake.sent;
    expect(await sms.fake.pushReceipt(sms.callbackUrls.receipt, sent!, { delivered: true })).toEqual({ accepted: true, status: 200 });
    await sms.at(1_000);
    expect(await t.ctx.db.messageIntent.findUniqueOrThrow({ where: { id: thanks.id } })).toMatchObject({ deliveryStatus: 'DELIVERED', deliveryCode: 'DELIVERED' });
    expect(sms.fake.violations).toEqual([]);
  });

  it('sends to the web chat instead while its page is open: chat channels come first', async () => {
    const session = await registerOnH5();
    await sms.at('2026-11-22T03:59:30Z');
    await sms.app.inject({ method: 'GET', url: '/api/chat/messages?after=0', cookies: { sc_chat: session } }); // the open page polls
    await sms.at(THANKS_AT);
    expect(sentTo(PHONE)).toEqual([]);
    expect(await t.ctx.db.webChatMessage.count({ where: { chatId: session } })).toBe(1);
  });

  it('takes the survey through the SMS link: 6, a factor, a comment → a recall ticket, by the same survey logic', async () => {
    await registerOnH5();
    await sms.at(THANKS_AT);
    await sms.at(SURVEY_AT);
    const survey = sentTo(PHONE).at(-1) ?? '';
    const link = /http:\/\/showroom\.test(\/s\/[A-Za-z0-9]{8}) 回T退订$/.exec(survey)?.[1] ?? '';
    expect(link).not.toBe('');
    const answer = async (value: string) => sms.app.inject({ method: 'POST', url: link, payload: new URLSearchParams({ answer: value }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect((await sms.app.inject({ method: 'GET', url: link })).body).toContain('data-step="score"');
    expect((await answer('6')).body).toContain('data-step="factor"');
    expect((await answer('1')).body).toContain('data-step="comment"');
    const done = await answer('等了二十分钟才有人接待');
    expect(done.body).toContain('data-step="done"');
    expect(await t.ctx.db.survey.findFirstOrThrow()).toMatchObject({ state: 'COMPLETED', score: 6, factor: 'reception_wait', comment: '等了二十分钟才有人接待' });
    expect(await t.ctx.db.messageIntent.findFirstOrThrow({ where: { kind: 'visit_survey_reminder' } })).toMatchObject({ state: 'CANCELLED' });
    await sms.at(15 * 60_000);
    await surveyFollowUpJob(t.ctx.db, t.clock, silentLogger, { id: t.setup.storeId, timeZone: 'Asia/Shanghai' }).run(t.clock.now());
    expect(await t.ctx.db.ticket.findFirstOrThrow({ where: { type: 'RECALL' } })).toMatchObject({ score: 6, factor: 'reception_wait' });
    expect((await sms.app.inject({ method: 'GET', url: link })).body).toContain('门店经理会尽快与您联系');
  });

  it('takes a score replied by SMS as the survey\'s answer, with no free-text SMS back', async () => {
    await registerOnH5();
    await sms.at(THANKS_AT);
    await sms.at(SURVEY_AT);
    expect(await sms.fake.pushReply(sms.callbackUrls.reply, PHONE, '9分')).toMatchObject({ accepted: true });
    await sms.at(1_000);
    expect(await t.ctx.db.survey.findFirstOrThrow()).toMatchObject({ state: 'COMPLETED', score: 9 });
    expect(sentTo(PHONE)).toHaveLength(2); // the thank-you and the survey; the "thank you for your rating" reply stays off SMS
  });

  it('honours "TD" replied by SMS: stored before the acknowledgement, then nothing more is sent', async () => {
    await registerOnH5();
    await sms.at(THANKS_AT);
    expect(await sms.fake.pushReply(sms.callbackUrls.reply, PHONE, 'TD')).toEqual({ accepted: true, status: 200 });
    expect(await t.ctx.db.inboundUpdate.count({ where: { channel: 'SMS', handledAt: null } })).toBe(1);
    expect(await sms.fake.resendLast()).toMatchObject({ accepted: true }); // the provider pushes the batch again: stored once
    expect(await t.ctx.db.inboundUpdate.count({ where: { channel: 'SMS' } })).toBe(1);
    await sms.at(1_000);
    const consents = await t.ctx.db.consentRecord.findMany({ where: { granted: false }, orderBy: { purpose: 'asc' } });
    expect(consents.map((c) => `${c.purpose} ${c.source}`)).toEqual(expect.arrayContaining(['SERVICE sms-chat', 'MARKETING sms-chat']));
    await sms.at(SURVEY_AT);
    await sms.at('2026-11-23T08:00:00Z');
    expect(sentTo(PHONE)).toHaveLength(1); // the thank-you, nothing after it (no survey, no reminder, no free-text confirmation)
    expect(await t.ctx.db.messageIntent.findMany({ where: { purpose: 'REPLY', channel: 'SMS' }, select: { state: true, lastError: true } })).toEqual([
      { state: 'CANCELLED', lastError: expect.stringContaining('SMS carries approved templates only') },
    ]);
  });

  it('shows a provider rejection on the outbox page with the provider\'s code, and texts that number no more', async () => {
    sms.fake.script({ code: 'isv.MOBILE_NUMBER_ILLEGAL', message: '非法手机号' });
    await registerOnH5();
    await sms.at(THANKS_AT);
    expect(await t.ctx.db.messageIntent.findFirstOrThrow({ where: { kind: 'visit_thanks' } })).toMatchObject({ state: 'DEAD', lastError: expect.stringContaining('isv.MOBILE_NUMBER_ILLEGAL') });
    expect(await adminPage('/admin/outbox')).toContain('isv.MOBILE_NUMBER_ILLEGAL');
    await sms.at(SURVEY_AT);
    // Not by SMS again: the survey waits in the web chat for when the customer comes back.
    expect(await t.ctx.db.messageIntent.findFirstOrThrow({ where: { kind: 'visit_survey' } })).toMatchObject({ state: 'SENT', channel: 'WEB' });
    expect(sms.fake.sent).toEqual([]);
  });

  it('holds SMS at 100 % of the monthly budget, alerts at 80 % and 100 %, and sends once the budget is raised', async () => {
    await t.ctx.db.smsBudget.create({ data: { storeId: t.setup.storeId, monthlyLimit: 1, dailyStoreLimit: 100, dailyCustomerLimit: 2, priceFen: 5 } });
    await registerOnH5('13812345678', '张伟');
    await registerOnH5('13912345678', '李娜');
    await sms.at(THANKS_AT);
    expect(sms.fake.sent).toHaveLength(1);
    const held = await t.ctx.db.messageIntent.findFirstOrThrow({ where: { kind: 'visit_thanks', state: 'PENDING' } });
    expect(held.lastError).toContain('monthly SMS budget is used up');
    expect(await checkSmsBudget(t.ctx.db, { id: t.setup.storeId, timeZone: 'Asia/Shanghai' }, t.clock.now())).toEqual(['sms_budget_used_up', 'sms_budget_80']);
    expect(await checkSmsBudget(t.ctx.db, { id: t.setup.storeId, timeZone: 'Asia/Shanghai' }, t.clock.now())).toEqual([]);
    const page = await adminPage('/admin/outbox');
    expect(page).toContain('已发 <strong>1</strong> / 1 条（100%，已用完，短信暂停发送），约 ¥0.05');
    expect(page).toContain('短信预算已用完');
    const consultant = await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '李顾问', role: 'CONSULTANT' } });
    const refused = await sms.app.inject({ method: 'POST', url: '/admin/sms/budget', cookies: { sc_staff: await signIn(t, consultant.id) }, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'monthlyLimit=999&dailyStoreLimit=100&dailyCustomerLimit=2&priceFen=5' });
    expect(refused.statusCode).toBe(403);
    expect((await t.ctx.db.smsBudget.findFirstOrThrow()).monthlyLimit).toBe(1);
    const cookie = await signIn(t, t.setup.adminStaffId);
    const saved = await sms.app.inject({ method: 'POST', url: '/admin/sms/budget', cookies: { sc_staff: cookie }, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'monthlyLimit=10&dailyStoreLimit=100&dailyCustomerLimit=2&priceFen=5' });
    expect(saved.statusCode).toBe(303);
    await sms.at(60 * 60_000);
    expect(sms.fake.sent).toHaveLength(2);
    expect(sms.fake.violations).toEqual([]);
  });
});

describe('SMS one-time codes at registration (SMS_CODE_TEMPLATE)', () => {
  it('sends the code with the approved verification template and registers with it', async () => {
    const app = await createTestApp();
    const withCodes = await openSms(app, { env: { SMS_CODE_TEMPLATE: 'SMS_900000009' } });
    try {
      const asked = await app.app.inject({ method: 'POST', url: '/api/phone-codes', payload: { phone: '13812345678', source: 'showroom' } });
      expect(asked.statusCode).toBe(202);
      await withCodes.at(1_000); // the SMS leaves through the outbox
      const [sent] = withCodes.fake.sent;
      expect(sent).toMatchObject({ phoneE164: '+8613812345678', templateCode: 'SMS_900000009', signName: SMS_TEST.sign });
      const code = /验证码为(\d{6})/.exec(sent!.text)?.[1] ?? '';
      const payload = { source: 'showroom', name: '张伟', phone: '13812345678', modelOfInterest: '城市SUV', heardFrom: 'walk_in', serviceConsent: true };
      expect((await app.app.inject({ method: 'POST', url: '/api/registrations', payload })).statusCode).toBe(400);
      const registered = await app.app.inject({ method: 'POST', url: '/api/registrations', payload: { ...payload, phoneCode: code } });
      expect(registered.statusCode).toBe(201);
      expect(withCodes.fake.violations).toEqual([]);
    } finally {
      await withCodes.close();
      await app.close();
    }
  });

});

