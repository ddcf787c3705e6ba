// The SMS routes under hostile input (fast-check): the provider callbacks (a right or wrong token;
// bodies that are batches of well-formed items with hostile values, or not batches at all; odd
// content types), the survey answer page and the admin forms SMS adds. Never a 5xx; a refusal
// stores nothing; a wrong token is a 404 that reads nothing; every reply that was stored is
// handled by the inbound pipeline without an error, its text cleaned like any chat text.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beijingTime } from '../../fakes/fake-sms-server.ts';
import { signIn } from '../../helpers/admin-session.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { openSms, SMS_TEST, type SmsTestbed } from '../../helpers/test-sms.ts';

let t: TestApp;
let sms: SmsTestbed;
let admin = '';
let surveyCode = '';

beforeAll(async () => {
  t = await createTestApp({ CHAT_MESSAGES_PER_ADDRESS_PER_MINUTE: '100000' });
  sms = await openSms(t);
  for (const kind of ['visit_thanks', 'visit_survey']) await sms.approve(kind);
  await sms.app.inject({
    method: 'POST', url: '/api/registrations',
    payload: { source: 'showroom', name: '张伟', phone: '13812345678', modelOfInterest: '城市SUV', heardFrom: 'walk_in', companions: [], serviceConsent: true, marketingConsent: false },
  });
  await sms.at('2026-11-23T02:00:00Z'); // the survey SMS goes out: its link takes answers
  surveyCode = (await t.ctx.db.survey.findFirstOrThrow()).linkCode ?? '';
  admin = await signIn(t, t.setup.adminStaffId);
});
afterAll(async () => {
  await sms.close();
  await t.close();
});

const hostileText = fc.oneof(
  fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('', 'TD', '退订', '6', '\u0000\u202e退订', '\ud800', '😀'.repeat(600), 'x'.repeat(3000), '<script>alert(1)</script>', "'; DROP TABLE Customer; --", '__proto__', '13812345678', '2026-11-23 10:00:00', '-1', '1e999'),
);
/** Percent-encodes every UTF-8 byte (a lone surrogate becomes U+FFFD's bytes, as a browser would send it). */
const encode = (text: string) => [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('') || 'x';
const hostileValue = fc.oneof(hostileText, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(hostileText, { maxLength: 2 }), fc.dictionary(hostileText, hostileText, { maxKeys: 2 }));

/** A well-formed Alibaba SmsUp / SmsReport item, some of its fields replaced by hostile values. */
const replyItem = fc.record({
  phone_number: fc.oneof(fc.constantFrom('13812345678', '13912345678'), hostileValue), send_time: fc.oneof(fc.constant(beijingTime(Date.parse('2026-11-23T03:00:00Z'))), hostileValue),
  content: fc.oneof(hostileText, hostileValue), sign_name: fc.constant(SMS_TEST.sign), dest_code: fc.oneof(fc.constant('1234'), hostileValue),
  sequence_id: fc.oneof(fc.nat(), hostileValue),
}, { requiredKeys: [] });
const receiptItem = fc.record({
  phone_number: fc.oneof(fc.constant('13812345678'), hostileValue), report_time: fc.oneof(fc.constant('2026-11-23 10:00:05'), hostileValue),
  success: fc.oneof(fc.boolean(), hostileValue), err_code: fc.oneof(fc.constantFrom('DELIVERED', 'MK:0001'), hostileValue),
  biz_id: fc.oneof(fc.constant('9006197469364984^0'), hostileValue), out_id: fc.oneof(fc.constant('thanks:x'), hostileValue),
}, { requiredKeys: [] });
const body = fc.oneof(
  fc.array(fc.oneof(replyItem, receiptItem), { maxLength: 4 }).map((items) => ({ type: 'application/json', payload: JSON.stringify(items) })),
  fc.dictionary(hostileText, hostileValue, { maxKeys: 3 }).map((o) => ({ type: 'application/json', payload: JSON.stringify(o) })),
  fc.constantFrom('[', '{"a":', 'null', '"x"', '[null]', '[[[]]]', `[${'{},'.repeat(6000)}{}]`, '\u0000', 'a=b&answer=6').chain((payload) => fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', '').map((type) => ({ type, payload }))),
);
const token = fc.oneof(fc.constant(SMS_TEST.token), fc.constant(`${SMS_TEST.token}x`), fc.constant(SMS_TEST.token.slice(1)), hostileText.map(encode));
const route = fc.constantFrom('callback-receipts', 'callback-replies', 'survey-get', 'survey-post', 'budget', 'template', 'template-delete');

/** Rows a refused request must not add to or change. */
async function stored(): Promise<string> {
  const db = t.ctx.db;
  const [inbound, templates, budget, survey, audit, tasks, intents] = await Promise.all([
    db.inboundUpdate.count(), db.smsTemplate.findMany({ orderBy: { kind: 'asc' } }), db.smsBudget.findMany(), db.survey.findMany(), db.auditEntry.count(), db.staffTask.count(), db.messageIntent.count(),
  ]);
  return JSON.stringify({ inbound, templates: templates.map((x) => [x.kind, x.text, x.params]), budget, survey: survey.map((x) => [x.state, x.score, x.factor, x.comment, x.unclearCount]), audit, tasks, intents });
}

function request(which: string, tokenValue: string, b: { type: string; payload: string }, code: string) {
  const headers = b.type ? { 'content-type': b.type } : {};
  switch (which) {
    case 'callback-receipts': return { method: 'POST' as const, url: `/sms/callback/${tokenValue}/receipts`, headers, payload: b.payload };
    case 'callback-replies': return { method: 'POST' as const, url: `/sms/callback/${tokenValue}/replies`, headers, payload: b.payload };
    case 'survey-get': return { method: 'GET' as const, url: `/s/${code}` };
    case 'survey-post': return { method: 'POST' as const, url: `/s/${code}`, headers, payload: b.payload };
    case 'budget': return { method: 'POST' as const, url: '/admin/sms/budget', headers, payload: b.payload, cookies: { sc_staff: admin } };
    case 'template': return { method: 'POST' as const, url: '/admin/templates/visit_thanks/sms', headers, payload: b.payload, cookies: { sc_staff: admin } };
    default: return { method: 'POST' as const, url: `/admin/templates/${code}/sms/delete`, headers, payload: b.payload, cookies: { sc_staff: admin } };
  }
}

describe('SMS routes under hostile input', () => {
  it('never answer 5xx; a refusal stores nothing; a wrong token reads nothing; every stored reply is handled cleanly', async () => {
    const code = fc.oneof(fc.constant('valid'), hostileText.map(encode), fc.constantFrom('abcdefgh', 'AAAAAAAA', '%00', '..%2F..'));
    await fc.assert(fc.asyncProperty(route, token, body, code, async (which, tokenValue, b, c) => {
      const before = await stored();
      const response = await sms.app.inject(request(which, tokenValue, b, c === 'valid' ? surveyCode : c));
      expect(response.statusCode, `${which}: ${response.body.slice(0, 200)}`).toBeLessThan(500);
      if (response.statusCode >= 400) expect(await stored(), `${which} refused with ${response.statusCode} but stored something`).toBe(before);
      // A wrong token reads nothing: 404; 414, a path too long to route; 400, a NUL in the path (refused before routing).
      if (which.startsWith('callback') && tokenValue !== SMS_TEST.token) expect([400, 404, 414]).toContain(response.statusCode);
      while ((await sms.inbox.runOnce()) > 0) { /* handle what was stored */ }
      expect(await t.ctx.db.inboundUpdate.findMany({ where: { OR: [{ handledAt: null }, { lastError: { not: null } }] }, select: { payload: true, lastError: true } })).toEqual([]);
    }), { numRuns: 250 });
  }, 300_000);

  it('acknowledge a readable batch as the provider requires, storing each readable item once', async () => {
    const before = await t.ctx.db.inboundUpdate.count({ where: { channel: 'SMS' } });
    const batch = JSON.stringify([{ phone_number: '13812345678', send_time: '2026-11-23 11:00:00', content: '谢谢', sign_name: SMS_TEST.sign, dest_code: '1234', sequence_id: 77 }, { phone_number: 'not a number' }]);
    for (let i = 0; i < 2; i += 1) {
      const response = await sms.app.inject({ method: 'POST', url: `/sms/callback/${SMS_TEST.token}/replies`, headers: { 'content-type': 'application/json' }, payload: batch });
      expect(response.json()).toEqual({ code: 0, msg: '接收成功' });
    }
    expect(await t.ctx.db.inboundUpdate.count({ where: { channel: 'SMS' } })).toBe(before + 1);
  });
});
